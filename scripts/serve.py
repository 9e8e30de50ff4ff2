"""`mkdocs serve --livereload` for editors: a mistake never takes the preview down.

    python scripts/serve.py [any `mkdocs serve` option, e.g. --dev-addr 127.0.0.1:8001]

Plain `mkdocs serve` (MkDocs 1.6) empties its site folder before it renders the pages, so a
typo in a page leaves a blank or half-built preview, and after any failed rebuild it holds every
request until the next good build ("the server will appear stuck"). Here each rebuild goes to a
fresh folder that replaces the served one only when the build succeeded; after a failure the
last good preview keeps being served, the terminal shows what went wrong, and the next save that
fixes it refreshes the open tab. Live reload is always on (with click 8.3 or later, `mkdocs
serve` turns it off unless `--livereload` is given).

The preview is not strict unless you pass --strict: warnings (a review that is due, a broken
link) are shown in the terminal but do not stop the preview. Publishing is always strict.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

# This project's `hooks` package, not whichever one is installed in the environment.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.__main__ import cli  # noqa: E402
from mkdocs.commands import serve as serve_command  # noqa: E402
from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402

from hooks.core.staging import NotChanged, Stage  # noqa: E402

log = logging.getLogger("mkdocs.serve")


def build_then_swap(config, **kwargs) -> None:
    """Build into a folder beside the served one; replace the served folder only on success."""
    live = Path(config.site_dir)
    # The same lock, staging and swap as `mkdocs build`; `serve --dirty` rebuilds only changed
    # pages, so it starts from a copy of the served site.
    stage = Stage(live, from_live=bool(kwargs.get("dirty")), waiting=log.info)
    try:
        config.site_dir = str(stage.open())
        try:
            mkdocs_build(config, **kwargs)
        except OSError as error:  # a full or read-only disk while writing pages
            raise stage.problem(error) from None
        stage.commit()
    except NotChanged as problem:
        log.error(problem.sentence("updated"))
        raise Abort("The preview was not updated.") from None
    finally:
        config.site_dir = str(live)
        stage.abandon()


class KeepLastGoodServer(LiveReloadServer):
    """A live-reload server that keeps serving the last good build when a rebuild fails."""

    def __init__(self, builder, **kwargs) -> None:
        def guarded_builder() -> None:
            try:
                builder()
            except (Exception, SystemExit) as error:
                # mkdocs has already logged a build error (it then raises Abort, a SystemExit);
                # anything else is a bug in code, where the traceback helps.
                if not isinstance(error, SystemExit):
                    traceback.print_exc()
                # The failed build never becomes the visible one: pages keep being served
                # instead of waiting for a build that did not happen.
                with self._epoch_cond:
                    self._wanted_epoch = self._visible_epoch
                log.error(
                    "The preview still shows the last good version. Fix the problem above and "
                    "save the file: the preview rebuilds and the open tab refreshes by itself."
                )

        super().__init__(builder=guarded_builder, **kwargs)


def main(argv: list[str] | None = None) -> None:
    serve_command.build = build_then_swap
    serve_command.LiveReloadServer = KeepLastGoodServer
    args = list(sys.argv[1:] if argv is None else argv)
    if not {"-s", "--strict", "--no-strict"} & set(args):
        args.insert(0, "--no-strict")
    cli.main(args=["serve", "--livereload", *args], prog_name="mkdocs")


if __name__ == "__main__":
    main()
