"""A benchmark-only MkDocs hook: save every page's final Markdown, for the "floor" build.

Listed last (by benchmarks/site.py, in a throwaway copy of the project), it runs after every
project hook has changed the page (Jinja, abbreviations, review dates) and writes the Markdown
MkDocs is about to convert, with the page's front matter as it stands once the page is
converted (its twins in the other language included), to $KB_BENCH_DUMP/<src_uri>. The
final navigation (generated pages included) goes to $KB_BENCH_DUMP/../nav.yaml. Building those
files with no hooks gives the same pages at the cost of MkDocs and Material alone.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def _target() -> Path:
    return Path(os.environ["KB_BENCH_DUMP"])


def _descriptions() -> dict[str, str]:
    from carekb.render.pagemeta import descriptions
    from carekb.build.session import current

    return descriptions(current().renderer.facts)


def _plain(value: Any) -> Any:
    """Front-matter values as YAML can write them back (dates stay dates)."""
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


_MARKDOWN: dict[str, str] = {}


@event_priority(-1000)  # after every project hook
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    _MARKDOWN[page.file.src_uri] = markdown
    return markdown


@event_priority(-1000)  # after the language hook has named the page's twins (page.meta)
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    dest = _target() / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    meta = _plain(dict(page.meta))
    # A page made from a fact is described by it (hooks/crisis.py hands the theme these
    # descriptions): the floor, with no hooks, reads it from the front matter instead.
    described = _descriptions().get(page.file.src_uri)
    if described and not meta.get("description"):
        meta["description"] = described
    front = ("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n") if meta else ""
    dest.write_text(front + _MARKDOWN.pop(page.file.src_uri, ""), encoding="utf-8")
    return html


def on_post_build(*, config: MkDocsConfig) -> None:
    nav = _target().parent / "nav.yaml"
    nav.write_text(yaml.safe_dump(_plain(config.nav), allow_unicode=True, sort_keys=False), encoding="utf-8")
