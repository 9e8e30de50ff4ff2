"""Fail the public build when a public page links to a staff-only page, naming both.

hooks/audience.py leaves staff pages out of the public build and the session remembers which
pages those were (and the address each would have had), so a link to one is reported as a
leak, not as a puzzling broken link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from carekb.model.facts import PUBLIC
from carekb.build.session import current
from carekb.staff.links import message, staff_links
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    session = current()
    if session.audience != PUBLIC or not session.staff_pages:
        return html
    # A Spanish page's links are read where it is in the public site (es/), against the
    # English site's staff pages (hooks/language.py records them).
    languages = session.languages
    prefix = languages.prefix
    site = urlsplit(languages.english_url or config.site_url or "")
    found = staff_links(html, page_src=prefix + page.file.src_uri, page_url=prefix + page.url,
                        staff_pages=session.staff_urls,
                        own_hosts=[site.hostname] if site.hostname else [], root=site.path)
    if found:
        names = {src: staff.name for src, staff in session.staff_pages.items()}
        raise PluginError(message(source_name(page, config), found, names))
    return html
