"""Add the glossary's abbreviations to every page, for Material's hover tooltips.

Only the definitions a page can use are added, each as its own Markdown block: appending all
of them to every page made each page's cost grow with the glossary (and Python-Markdown
re-scans one big block of definitions once per line), so the whole build grew with
pages x abbreviations.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from carekb.session import Session, current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_WORD = re.compile(r"\w+")
_DEFINITION = re.compile(r"^\*\[(?P<abbr>.+?)\]:", re.M)
_index: tuple[Session, dict[str, list[tuple[str, str]]]] | None = None


def _definitions() -> dict[str, list[tuple[str, str]]]:
    """First word of each abbreviation -> (abbreviation, definition line); built once per build."""
    global _index
    session = current()
    if _index is None or _index[0] is not session:
        index: dict[str, list[tuple[str, str]]] = {}
        for line in session.renderer.abbreviations().splitlines():
            found = _DEFINITION.match(line)
            if found:
                abbr = found.group("abbr")
                first = _WORD.search(abbr)
                index.setdefault(first.group(0) if first else abbr, []).append((abbr, line))
        _index = (session, index)
    return _index[1]


@event_priority(-50)  # after Jinja, so the definitions are never read as a template
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    index = _definitions()
    used = sorted(line for word in index.keys() & set(_WORD.findall(markdown))
                  for abbr, line in index[word] if abbr in markdown)
    if not used:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + "\n\n".join(used) + "\n"
