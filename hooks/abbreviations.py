"""Add the glossary's abbreviations to every page, for Material's hover tooltips."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from hooks.core.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(-50)  # after Jinja, so the definitions are never read as a template
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    return markdown.rstrip("\n") + "\n\n" + current().renderer.abbreviations() + "\n"
