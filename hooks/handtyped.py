"""Warn when a page types a figure by hand that facts.yaml holds (fails under --strict)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.checks.handtyped import find
from carekb.build.session import current
from engine.pagesource import line_offset, source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)


@event_priority(order.EARLY)  # on the page as written, before Jinja renders it
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    if page.file.generated_by:
        return markdown
    session = current()
    # A Spanish page is read for Spanish phrases; the English page a Spanish build shows in
    # place of a missing or stale translation, for English ones.
    english = page.file.src_uri in session.languages.fallback
    for finding in find(markdown, session.facts, line_offset=line_offset(page, markdown),
                        language="en" if english else session.language):
        log.warning(finding.message(source_name(page, config)))
    return markdown
