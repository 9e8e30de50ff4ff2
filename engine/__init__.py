"""The MkDocs side besides the hooks: the incremental preview (preview.py, replay.py, reuse.py),
its server (serve.py, the `carekb-serve` command), the console scripts (commands.py), the strict
build that publishing runs (build.py) and where a page's Markdown came from (pagesource.py)."""
