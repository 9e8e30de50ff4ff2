"""Keep staff-only pages (front matter `audience: staff`) out of the public build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from mkdocs.utils.meta import get_data

from hooks.core.model import PUBLIC, STAFF
from hooks.core.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger(__name__)


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if current().audience != PUBLIC:
        return files
    for file in list(files.documentation_pages()):
        if file.generated_by:
            continue
        _, meta = get_data(file.content_string)
        if meta.get("audience") == STAFF:
            files.remove(file)
            log.debug(f"left out of the public build (audience: staff): {file.src_uri}")
    return files
