"""Page descriptions from facts, for pages made from facts.yaml (meta description and JSON-LD).

A level page is described by the level's summary, a therapy page by the therapy's description,
and the other generated pages (the levels and therapies lists, the comparison, the glossary, the
sources, the staff review queue and editor's reference) by a sentence about what only they hold
(carekb/templates/macros/descriptions.txt.j2; the Spanish site's from its twin in
carekb/templates/es/), built from the facts of the build, which in the Spanish build hold the
Spanish texts. A written page keeps the `description:` in its front matter. Plain Python: no
MkDocs import.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from carekb.pages.glossary import glossary_entries
from carekb.render.jinja_env import template_env
from carekb.model.facts import PUBLIC
from carekb.pages.generated import (EDITORS_REFERENCE, LEVELS_INDEX, MODALITIES_INDEX, REVIEW_QUEUE,
                                    SOURCES, TRANSLATION_QUEUE)


@lru_cache(maxsize=2)
def _sentences(language: str = "en") -> Any:
    """The description macros of `language`, compiled once a process (plain text: no HTML
    escaping)."""
    env = template_env(jinja2.Environment, autoescape=False, language=language)
    env.tests["search"] = lambda text, part: part in text
    env.filters["short"] = lambda level: level.abbr or level.name.lower()  # "IOP", "residential treatment"
    return env.get_template("macros/descriptions.txt.j2").module


def _in_sentence(word: str) -> str:
    """A glossary word inside a sentence: "Detox" -> "detox"; "IOP", "504 plan" as they are."""
    return word if any(c.isupper() for c in word[1:]) else word[:1].lower() + word[1:]


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def descriptions(facts: Any, audience: str = PUBLIC, language: str = "en") -> dict[str, str]:
    """{src path: one-paragraph description} for every page generated from this view's facts,
    in `language` (the site's: its facts' texts are already in it)."""
    out: dict[str, str] = {}
    for level in facts.levels.values():
        out[f"levels/{level.id}.md"] = _one_line(level.summary)
    for modality in facts.modalities.values():
        out[f"modalities/{modality.id}.md"] = _one_line(modality.description)
    say = _sentences(language)
    levels, modalities = list(facts.levels.values()), list(facts.modalities.values())
    if levels:
        out[LEVELS_INDEX] = _one_line(say.levels_index(levels))
    if modalities:
        out[MODALITIES_INDEX] = _one_line(say.modalities_index(modalities))
    if facts.core_levels:
        out["compare.md"] = _one_line(say.compare(list(facts.core_levels)))
    words = [entry["heading"] for entry in glossary_entries(facts, list, lambda node, field: None)]
    if words:  # the glossary's entries, A to Z (this view holds only what its audience may see)
        out["glossary.md"] = _one_line(say.glossary(len(words), _in_sentence(words[0]), _in_sentence(words[-1])))
    out[SOURCES] = _one_line(say.sources(len(facts.sources)))
    if audience != PUBLIC:
        out[REVIEW_QUEUE] = _one_line(say.review_queue())
        out[EDITORS_REFERENCE] = _one_line(say.editors_reference())
        out[TRANSLATION_QUEUE] = _one_line(say.translation_queue())
    return out
