"""The Spanish texts of facts.yaml (facts.es.yaml, issue 22 point 3): every public text has a
Spanish entry made from the English now in force, nothing else has one, and the Spanish is plain
text in plain Spanish, with the terms facts.yaml's `terms_es:` chose and the same names and numbers."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
import yaml

from carekb.model import facts as m
from carekb.model import selfcheck as sc
from carekb.load.plaintext import plain_text_problem
from carekb.checks.readability_es import score_text
from tests import es_facts_paths as paths
from tests import es_prose

FACTS = paths.load()
PUBLIC = paths.public_texts(FACTS)
SPANISH = paths.spanish()
# The glossary of term choices: facts.yaml `terms_es:` (i18n/es-terms.yaml was folded into it).
TERMS = yaml.safe_load((paths.ROOT / "facts.yaml").read_text(encoding="utf-8"))["terms_es"]["terms"]
# Texts that read the same in both languages: proper names, and words Spanish spells alike.
# Names that read the same in Spanish: places, brands of medicines (also_called) and the
# abbreviations of groups and of medicines for opioid use disorder people search for.
SAME_IN_BOTH = {"FindTreatment.gov", "No", "Alcohol", "Yoga", "Tai chi", "SMART Recovery", "Disulfiram",
                "Suboxone", "Sublocade", "Antabuse", "Vivitrol", "MOUD", "AA", "NA"}
# English abbreviations a Spanish text writes out instead: terms_es (ptsd) writes
# out the names of these disorders, and "US" reads "Estados Unidos".
WRITTEN_OUT = {"PTSD", "OCD", "US"}
_CAPS = re.compile(r"\b[A-Z][A-Z0-9]+\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def test_every_public_text_has_a_spanish_entry_made_from_the_english_now_in_force():
    missing = [p for p in PUBLIC if p not in SPANISH]
    stale = [p for p in PUBLIC if p in SPANISH and SPANISH[p].get("en") != PUBLIC[p]]
    assert not missing, f"no Spanish for {missing[:5]} ({len(missing)} in all)"
    assert not stale, f"translated from other English: {stale[:5]}"


def test_no_entry_for_a_text_that_does_not_exist_or_is_staff_only():
    staff = paths.staff_only_paths(FACTS)
    extra = [p for p in SPANISH if p not in PUBLIC]
    assert not [p for p in extra if p in staff], "staff-only texts stay English and out of facts.es.yaml"
    assert not extra, f"no such public text: {extra}"
    assert staff, "the staff view has texts the public view leaves out (e.g. levels.iop.coverage[5].text)"


def test_each_entry_has_exactly_en_and_es():
    for path, entry in SPANISH.items():
        assert set(entry) == {"en", "es"}, path
        assert isinstance(entry["es"], str) and entry["es"].strip() == entry["es"] != "", path


_STRING_TYPES = re.compile(r"(str|list\[str\]|tuple\[str, \.\.\.\])( \| None)?")


def _string_fields(cls: type) -> set[str]:
    """Fields that hold a string or a list of strings (not figures or notes, which are walked)."""
    return {f.name for f in dataclasses.fields(cls) if _STRING_TYPES.fullmatch(str(f.type))} - {"path", "audience"}


@pytest.mark.parametrize("cls", sorted(paths.TEXTS, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_every_string_field_of_the_model_is_sorted_into_texts_or_not(cls):
    """A new field in the model (an `also_called` list, say) must be declared a text to
    translate or not, so no public text is missed silently."""
    declared = set(paths.TEXTS[cls]) | set(paths.NOT_TEXTS.get(cls, ()))
    assert _string_fields(cls) <= declared, f"{cls.__name__}: sort {_string_fields(cls) - declared}"
    assert not set(paths.TEXTS[cls]) & set(paths.NOT_TEXTS.get(cls, ()))


def test_every_model_class_is_known_to_the_walker():
    todo, seen = [m.Node], set()
    while todo:
        cls = todo.pop()
        seen.add(cls)
        todo += cls.__subclasses__()
    concrete = {c for c in seen if c.__module__ in (m.__name__, sc.__name__) and dataclasses.is_dataclass(c)}
    abstract = {m.Node, m.Reviewed, sc._Located}
    assert concrete - abstract <= set(paths.TEXTS), f"unknown to tests/es_facts_paths.py: {concrete - abstract - set(paths.TEXTS)}"


@pytest.mark.parametrize("path", sorted(SPANISH))
def test_spanish_text_is_plain_text(path):
    es = SPANISH[path]["es"]
    problem = plain_text_problem(es, one_line=False, max_chars=2 * len(SPANISH[path]["en"]) + 200)
    assert problem is None, f"{path}: {problem}"
    assert es != SPANISH[path]["en"] or es in SAME_IN_BOTH, f"{path}: not translated"


@pytest.mark.parametrize("path", sorted(SPANISH))
def test_spanish_text_keeps_the_names_and_numbers(path):
    """Abbreviations and names in capitals (IOP, SAMHSA, FDA, AYUDA) and every number (988,
    2024, 1-800-662-4357) come through unchanged."""
    en, es = SPANISH[path]["en"], SPANISH[path]["es"]
    caps = set(_CAPS.findall(en)) - WRITTEN_OUT
    assert caps <= set(_CAPS.findall(es)), f"{path}: lost {caps - set(_CAPS.findall(es))}"
    assert Counter(_NUMBER.findall(es)) == Counter(_NUMBER.findall(en)), path


def test_names_follow_the_spanish_terms():
    """One English term, one Spanish term (facts.yaml `terms_es:`): every level, format, therapy,
    condition, crisis service and glossary word the terms file names reads its chosen term."""
    checked = 0
    for key, term in TERMS.items():
        fact = term.get("fact")
        if not fact:
            continue
        for field in ("name", "term", "stands_for"):
            entry = SPANISH.get(f"{fact}.{field}")
            if entry is None or (field == "stands_for" and term["es"] == term.get("abbr")):
                continue
            if field == "name" and entry["en"] != term["en"]:
                continue  # the terms file names a longer form ("Emergency services (911)")
            assert entry["es"].lower() == term["es"].lower(), f"{key}: {entry['es']!r} is not {term['es']!r}"
            checked += 1
            break
    assert checked >= 50


def test_self_check_page_links_carry_the_spanish_page_titles():
    for page in FACTS.self_check.pages.values():
        es_page = es_prose.structure(paths.ROOT / "content" / "es" / page.page)
        assert SPANISH[f"{page.path}.title"]["es"] == es_page["title"], page.page


def test_crisis_texts_name_the_spanish_options_exactly():
    """988: press 2 for Spanish, text AYUDA, chat in Spanish; the SAMHSA helpline in Spanish."""
    lifeline = " ".join(v["es"] for p, v in SPANISH.items() if p.startswith("crisis.lifeline."))
    assert "marque 2" in lifeline and "AYUDA" in lifeline and "chatear en español" in lifeline
    helpline = " ".join(v["es"] for p, v in SPANISH.items() if p.startswith("crisis.helpline."))
    assert "en español" in helpline


# The long public texts, read together, by group (a group reads like one page of the site).
GROUPS = {
    "levels": r"^levels\.",
    "therapies, formats and conditions": r"^(modalities|formats|conditions)\.",
    "glossary": r"^glossary\.",
    "crisis and payers": r"^(crisis|payers)\.",
    "self-check": r"^self_check\.",
    "source notes": r"^sources\.",
}


def group_ease(pattern: str):
    texts = [v["es"] for p, v in SPANISH.items() if re.match(pattern, p)]
    return score_text("\n\n".join(t if t.endswith((".", "?", "!")) else t + "." for t in texts))


@pytest.mark.parametrize("group", GROUPS)
def test_spanish_fact_texts_are_plain_spanish(group):
    e = group_ease(GROUPS[group])
    assert e.words > 200
    assert e.fernandez_huerta >= 60 and e.inflesz >= 55, f"{group}: {e}"
