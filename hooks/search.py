"""Site search: the sources page stays out of Material's search index, and a level's or therapy's
other names (facts.yaml `also_called:`) join its page's entry (carekb/render/searchindex.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority

from carekb.build import order
from carekb.build.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


@event_priority(order.EARLY)  # before Material's search plugin indexes the page (DEFAULT)
def on_page_context(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    if not current().search.page(page.file.src_uri, page.url):
        search = page.meta.get("search")
        page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    return context


@event_priority(order.LATE)  # after Material's search plugin wrote its index (DEFAULT), before
def on_post_build(*, config: MkDocsConfig) -> None:  # the staged site is swapped in (LAST)
    index = Path(config.site_dir, "search", "search_index.json")  # Material's: engine/internals.py
    if index.is_file():
        index.write_text(current().search.index(index.read_text(encoding="utf-8")), encoding="utf-8")
