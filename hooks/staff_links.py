"""Fail the public build when a public page links to a staff-only page, naming both.

hooks/audience.py leaves staff pages out of the public build; this hook remembers which
pages those were (and the address each would have had) so a link to one is reported as a
leak, not as a puzzling broken link.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from carekb.model import PUBLIC
from carekb.session import current
from carekb.staff_links import message, staff_links
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# Staff pages of the current public build: src path -> URL, and src path -> file name.
_staff_urls: dict[str, str] = {}
_staff_names: dict[str, str] = {}


@event_priority(50)  # after hooks/audience.py (priority 60) has decided and left them out
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    _staff_urls.clear()
    _staff_names.clear()
    session = current()
    if session.audience != PUBLIC:
        return files
    project = Path(config.config_file_path).parent
    for file in session.staff_pages.values():  # decided once, by carekb/audience.py
        _staff_urls[file.src_uri] = file.url
        _staff_names[file.src_uri] = (
            Path(os.path.relpath(file.abs_src_path, project)).as_posix()
            if file.abs_src_path else file.src_uri)
    return files


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _staff_urls:
        return html
    site = urlsplit(config.site_url or "")
    found = staff_links(html, page_src=page.file.src_uri, page_url=page.url,
                        staff_pages=_staff_urls, own_hosts=[site.hostname] if site.hostname else [],
                        root=site.path)
    if found:
        raise PluginError(message(source_name(page, config), found, _staff_names))
    return html
