"""Helpers the hook modules share for naming a page in messages (not a hook itself)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def source_name(page: Page, config: MkDocsConfig) -> str:
    """How an editor finds the page: "content/faq.md", or "levels/iop.md (generated)"."""
    if page.file.generated_by or not page.file.abs_src_path:
        return f"{page.file.src_uri} (generated from facts.yaml)"
    project = Path(config.config_file_path).parent
    return Path(os.path.relpath(page.file.abs_src_path, project)).as_posix()


def line_offset(page: Page, markdown: str) -> int:
    """Lines of front matter above `markdown`, so line numbers match the file."""
    full = page.file.content_string.replace("\r\n", "\n")
    body = markdown.replace("\r\n", "\n")
    if body and full.endswith(body):
        return full[: len(full) - len(body)].count("\n")
    return 0
