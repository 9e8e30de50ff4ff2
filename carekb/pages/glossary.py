"""The glossary page's entries: terms, short forms of levels and therapies, and formats."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from carekb.model.facts import Facts, Node
from carekb.i18n.untranslated import strip


def glossary_entries(facts: Facts, visible: Callable[[Iterable[Any]], list[Any]],
                     use: Callable[[Node, str], None]) -> list[dict[str, Any]]:
    """Glossary terms plus levels and modalities with a short form, plus formats, A to Z.

    Anchors are ids, so `link("formats.group")` can point at `glossary.md#group`. `visible`
    keeps what this build's audience may see; `use(node, field)` records each field shown, so
    the impact report is exact.
    """
    entries = []
    for term in visible(facts.glossary.values()):
        entries.append({"node": term, "heading": term.term, "anchor": term.id,
                        "stands_for": term.stands_for, "meaning": term.meaning,
                        "sources": term.sources, "link": None, "also_called": term.also_called,
                        "fields": ("term", "stands_for", "meaning", "sources", "also_called")})
    # A level, therapy or format that is also a glossary term is described once, there.
    terms = set(facts.glossary)
    for level in visible(facts.levels.values()):
        if level.abbr and level.id not in terms:
            entries.append({"node": level, "heading": level.abbr, "anchor": level.id,
                            "stands_for": level.name, "meaning": level.summary,
                            "sources": (), "link": f"levels.{level.id}", "also_called": level.also_called,
                            "fields": ("abbr", "name", "summary", "also_called")})
    for modality in visible(facts.modalities.values()):
        if modality.abbr and modality.id not in terms:
            entries.append({"node": modality, "heading": modality.abbr,
                            "anchor": modality.id, "stands_for": modality.name,
                            "meaning": modality.description, "sources": modality.sources,
                            "link": f"modalities.{modality.id}", "also_called": modality.also_called,
                            "fields": ("abbr", "name", "description", "sources", "also_called")})
    for fmt in visible(facts.formats.values()):
        if fmt.id in terms:
            continue
        entries.append({"node": fmt, "heading": fmt.name, "anchor": fmt.id,
                        "stands_for": None, "meaning": fmt.description,
                        "sources": fmt.sources, "link": None, "also_called": (),
                        "fields": ("name", "description", "sources")})
    anchors: dict[str, str] = {}
    for entry in entries:
        node = entry["node"]
        if entry["anchor"] in anchors:
            raise ValueError(f"glossary: {node.path} and {anchors[entry['anchor']]} share "
                             f"the id {entry['anchor']!r}; rename one in facts.yaml")
        anchors[entry["anchor"]] = node.path
        for field in entry["fields"]:
            use(node, field)
    for entry in entries:  # the letter it is listed under (the Spanish page groups by it)
        first = _sort_key(entry["heading"])[:1].upper()
        entry["initial"] = first if first.isalpha() else "#"
    return sorted(entries, key=lambda e: _sort_key(e["heading"]))


def _sort_key(heading: str) -> str:
    """A to Z as a reader expects, in either language: accents and case aside ("Ética" among
    the e's), marks of untranslated text ignored (carekb/i18n/untranslated.py)."""
    plain = unicodedata.normalize("NFKD", strip(heading))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
