"""Give every page "Page last reviewed" and "Next review due" (shown by overrides/main.html).

A page with its own front-matter `reviewed:` date shows that date; a page without one (made
from the facts) shows the oldest review among the facts and sources it used; the next review
is due at the earliest date among them all (carekb/render/usage.py says why). The session works the
dates out once (carekb/build/session.py `review_dates`);
this hook hands them to the theme as `page.meta.kb_reviewed`, `kb_review_due` and their
long forms, and tells the editor when a page has no date or a wrong one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.build.session import current, reviewed_date
from carekb.render.wording import long_date
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)


@event_priority(order.AFTER_RENDER)  # once Jinja has recorded what the page used
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    try:
        reviewed_date(page.meta.get("reviewed"))
        said = False
    except ValueError:
        log.warning(f"{source_name(page, config)}: reviewed: {page.meta['reviewed']!r} is not "
                    "a date; write it as 2026-11-01")
        said = True
    dates = current().review_dates(page.file.src_uri)
    if dates is None:
        if said:
            return markdown
        log.warning(f"{source_name(page, config)}: add `reviewed: YYYY-MM-DD` to the front "
                    "matter; the page uses no facts, so it has no review date.")
        return markdown
    page.meta["kb_reviewed"] = dates.reviewed.isoformat()
    language = current().language
    page.meta["kb_reviewed_text"] = long_date(dates.reviewed, language)
    page.meta["kb_review_due"] = dates.due.isoformat()
    page.meta["kb_review_due_text"] = long_date(dates.due, language)
    return markdown
