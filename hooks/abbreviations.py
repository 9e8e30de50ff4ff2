"""Add the glossary's abbreviations to every page, for Material's hover tooltips.

Only the definitions a page can use are added (the session picks them, carekb/build/session.py),
each as its own Markdown block: appending all of them to every page made each page's cost
grow with the glossary (and Python-Markdown re-scans one big block of definitions once per
line), so the whole build grew with pages x abbreviations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from carekb.build import order
from carekb.build.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(order.LATE)  # after Jinja, so the definitions are never read as a template
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    used = current().abbreviations_used(markdown)
    if not used:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + "\n\n".join(used) + "\n"
