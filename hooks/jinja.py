"""Render each page's Markdown through the sandboxed Jinja environment with the facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from carekb.render import RenderError
from carekb.session import current
from engine.pagesource import line_offset, source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(50)
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    session = current()
    generated = session.generated.get(page.file.src_uri) if page.file.generated_by else None
    try:
        return session.renderer.render(markdown, page.file.src_uri,
                                       line_offset=line_offset(page, markdown),
                                       name=source_name(page, config),
                                       about=generated.about if generated else None,
                                       generated=generated is not None)
    except RenderError as err:
        raise PluginError(str(err)) from None


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    # The title is known once the page is rendered; the sources page links pages by it.
    usage = current().renderer.registry.pages.get(page.file.src_uri)
    if usage is not None:
        usage.title = page.title
    return html
