"""The Spanish glossary of term choices (facts.yaml `terms_es:`, issue 22 point 8): whole, and a
rule of meaning that keeps every Spanish text to it (one English term, one Spanish term).

facts.yaml's own rules (carekb/meaning/terms.py): every term names a source or says why, every
abbreviation kept in English says how to write it first, every fact it names exists, every level,
format, therapy, condition and crisis service has its term, and no two terms share a Spanish term.
The translations' rule (carekb/i18n/spanish_terms.py): a fact's Spanish name is its term, and no
Spanish text uses a word a term avoids; each passing and failing case is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekb.load.facts_yaml import load_facts, read_facts
from carekb.i18n.spanish_terms import term_problems
from carekb.i18n.translations import parse_translations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "facts.yaml")[0]


def test_every_term_has_a_source_or_a_reason(facts):
    terms = facts.terms_es
    assert terms is not None and len(terms.terms) > 50
    for term in terms.terms.values():
        assert term.en and term.es, term.path
        if term.source == "none":
            assert term.why, f"{term.path}: no official term found, so say why this one"
        else:
            assert term.source in terms.sources, f"{term.path}: unknown source {term.source}"


def test_abbreviations_kept_in_english_say_how_to_introduce_them(facts):
    for term in facts.terms_es.terms.values():
        if term.abbr:
            assert term.abbr in term.first_use, term.path


def test_named_facts_exist_and_every_level_format_and_modality_has_a_term(facts):
    named = {t.fact for t in facts.terms_es.terms.values() if t.fact}
    for path in named:
        section, key = path.split(".")
        assert key in getattr(facts, section), f"{path} is not in facts.yaml"
    for section in ("levels", "formats", "modalities", "conditions", "crisis"):
        for key in getattr(facts, section):
            assert f"{section}.{key}" in named, f"{section}.{key} has no Spanish term"


def _broken(tmp_path: Path, old: str, new: str) -> list:
    text = (ROOT / "facts.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "facts.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return read_facts(path)[1]


def test_two_english_terms_sharing_one_spanish_term_fail_located(tmp_path):
    problems = _broken(tmp_path, "es: Sesiones en grupo", "es: Sesiones individuales")
    found = [p for p in problems if "is also the Spanish of" in p.message]
    assert found and found[0].path == "terms_es.terms.group.es" and found[0].line


def test_a_fact_without_a_spanish_term_fails_located(tmp_path):
    problems = _broken(tmp_path, "      fact: levels.php\n", "")
    found = [p for p in problems if "has no Spanish term" in p.message]
    assert [p.path for p in found] == ["levels.php"], found


def test_a_term_with_no_source_and_no_reason_fails_located(tmp_path):
    problems = _broken(tmp_path, "      source: none\n      why: Plain everyday Spanish.\n",
                       "      source: none\n")
    assert any(p.path.endswith(".why") and p.line for p in problems), problems


ENTRIES = """levels.iop.name:
  en: Intensive outpatient program
  es: {name}
glossary.co_occurring.meaning:
  en: x
  es: {meaning}
"""


def test_spanish_texts_that_keep_to_the_terms_pass(facts):
    entries, problems = parse_translations(ENTRIES.format(
        name="Programa ambulatorio intensivo", meaning="Tener a la vez dos trastornos concurrentes."))
    assert problems == []
    assert term_problems(facts, entries, None) == []


def test_a_name_that_is_not_its_term_and_an_avoided_word_fail_located(facts, tmp_path):
    entries, _ = parse_translations(ENTRIES.format(
        name="Programa intensivo ambulatorio", meaning="Tener desórdenes concurrentes."))
    page = tmp_path / "es" / "x.md"
    page.parent.mkdir()
    page.write_text("# Título\n\nUn nivel de cuidado para usted.\n", encoding="utf-8")
    found = {p.message() for p in term_problems(facts, entries, page.parent, tmp_path)}
    assert any(m.startswith("facts.es.yaml:1: levels.iop.name: the Spanish name is") for m in found), found
    assert any(m.startswith("facts.es.yaml:4: glossary.co_occurring.meaning: uses 'desórdenes "
                            "concurrentes'") for m in found), found
    assert any(m.startswith("es/x.md:3: x.md: uses 'nivel de cuidado'") for m in found), found
