"""Python-Markdown extension: let `<caption>` stand as a block inside `<table markdown="1">`.

Without it, md_in_html wraps a table's caption in a paragraph, which is invalid HTML and
hides the caption from assistive technology. Listed under `markdown_extensions` in mkdocs.yml.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension


class TableCaptionExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "caption" not in md.block_level_elements:
            md.block_level_elements.append("caption")


def makeExtension(**kwargs: object) -> TableCaptionExtension:
    return TableCaptionExtension(**kwargs)
