"""Give every page "Page last reviewed" and "Next review due" (shown by overrides/main.html).

The oldest review wins: among the facts and sources the page used and its own front-matter
`reviewed:` date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.session import current
from carekb.wording import long_date
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)


@event_priority(40)  # after hooks/jinja.py has recorded what the page used
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    own = page.meta.get("reviewed")
    if isinstance(own, str):
        try:
            own = dt.date.fromisoformat(own)
        except ValueError:
            log.warning(f"{source_name(page, config)}: reviewed: {own!r} is not a date; "
                        "write it as 2026-11-01")
            own = None
    if own is not None and not isinstance(own, dt.date):
        own = None
    dates = current().renderer.review_dates(page.file.src_uri, own)
    if dates is None:
        log.warning(f"{source_name(page, config)}: add `reviewed: YYYY-MM-DD` to the front "
                    "matter; the page uses no facts, so it has no review date.")
        return markdown
    page.meta["kb_reviewed"] = dates.reviewed.isoformat()
    page.meta["kb_reviewed_text"] = long_date(dates.reviewed)
    page.meta["kb_review_due"] = dates.due.isoformat()
    page.meta["kb_review_due_text"] = long_date(dates.due)
    return markdown
