"""Render each page's Markdown through the sandboxed Jinja environment with the facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from carekb.build import order
from carekb.render.renderer import RenderError
from carekb.build.session import current
from engine.pagesource import line_offset, source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(order.RENDER)
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    try:
        return current().render(page.file.src_uri, markdown,
                                line_offset=line_offset(page, markdown),
                                name=source_name(page, config),
                                generated=bool(page.file.generated_by))
    except RenderError as err:
        raise PluginError(str(err)) from None
