"""What the site search (Material's, over `search/search_index.json`) reads and finds.

- **Prose only.** Footnote marks and the notes list are marked `data-search-exclude`, which
  Material's search plugin skips and then removes from the page (`SearchMarksExtension`, a
  Python-Markdown extension listed in mkdocs.yml); our own templates mark the chart's SVG and
  the separators between marks the same way. An excerpt then shows sentences, not "9 to 19
  hours a week¹" or "↩↩↩".
- **Reference lists stay out.** The sources page is a list of references: it is left out of
  the index whole (`left_out`), so a search for "overdose" finds the page about overdose, not
  the title of an article about it.
- **Other names find the page.** A level's or therapy's short form and `also_called:` names
  (facts.yaml: "IOP", "rehab", "AA", brand names; in the Spanish build their Spanish texts from
  facts.es.yaml, "rehabilitación", and an untranslated one in English, unmarked) become the
  `tags` of its page's first entry in the index (`add_names`; a build's `PageNames`);
  mkdocs.yml weighs tags above titles, so "rehab" finds Residential treatment first, and the
  search result shows the names it matched. Glossary terms' names are in their entry's text
  ("Also called: Narcan"), where they weigh like other words: the page about a thing stays
  above its one-line definition.

Plain Python (Python-Markdown and json): no MkDocs import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from carekb.pages.generated import SOURCES
from carekb.i18n.untranslated import strip

EXCLUDE = "data-search-exclude"  # Material's search skips an element that has it
LEFT_OUT = frozenset({SOURCES})  # pages the search index leaves out whole


def is_note_part(el: Element) -> bool:
    """A footnote mark (`<sup id="fnref:…">`) or the notes list (`<div class="footnote">`)."""
    if el.tag == "sup":
        return el.get("id", "").startswith("fnref")
    return el.tag == "div" and "footnote" in el.get("class", "").split()


class SearchMarks(Treeprocessor):
    """Marks every footnote mark and the notes list for Material's search to skip."""

    def run(self, root: Element) -> None:
        for el in root.iter():
            if is_note_part(el):
                el.set(EXCLUDE, "note")  # a value: Material strips `data-search-*="…"` after indexing


class SearchMarksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the footnotes extension made its marks (inline, 20) and its back links (15).
        md.treeprocessors.register(SearchMarks(md), "kb-search-marks", 5)


def makeExtension(**kwargs: Any) -> SearchMarksExtension:
    return SearchMarksExtension(**kwargs)


def left_out(src: str) -> bool:
    """True for a page the search index leaves out whole (the sources page)."""
    return src in LEFT_OUT


def names_by_page(facts: Any) -> dict[str, tuple[str, ...]]:
    """{src: other names} of every level and therapy page of this view that has some: its short
    form ("IOP", which people type more than the name) and its `also_called` names."""
    out: dict[str, tuple[str, ...]] = {}
    for group in ("levels", "modalities"):
        for entity in getattr(facts, group).values():
            names = tuple(dict.fromkeys(strip(n) for n in (entity.abbr, *entity.also_called) if n))
            if names:
                out[f"{group}/{entity.id}.md"] = names
    return out


def add_names(index: str, names: Mapping[str, Sequence[str]]) -> str:
    """Material's search index (the JSON text of search_index.json) with each page's other names
    as the `tags` of its first entry (the one whose location is the page's URL itself)."""
    data = json.loads(index)
    for doc in data.get("docs", []):
        found = names.get(doc.get("location"))
        if found:
            doc["tags"] = list(found)
    # As Material writes it: compact, non-ASCII as \u escapes.
    return json.dumps(data, separators=(",", ":"), default=str)


class PageNames:
    """One build's other names of its pages for the search index: `page` notes each page's URL
    as the build meets it, `index` adds the names to Material's index once it is written."""

    def __init__(self, facts: Any) -> None:
        self.by_src = names_by_page(facts)  # src -> a level's or therapy's other names
        self.by_url: dict[str, tuple[str, ...]] = {}  # the same, by the page's URL

    def page(self, src: str, url: str) -> bool:
        """Note page `src`'s URL, which gives a level's or therapy's other names to its entry;
        False: the page stays out of the index."""
        names = self.by_src.get(src)
        if names:
            self.by_url[url] = names
        return not left_out(src)

    def index(self, index: str) -> str:
        """Material's search index (JSON text) with each noted page's other names added."""
        return add_names(index, self.by_url)
