"""The draft Spanish glossary of term choices (i18n/es-terms.yaml, issue 22 point 8) is whole:
every term names a source that is listed, or says why it was chosen without one; every
abbreviation kept in English says how to write it the first time; every fact it names exists."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TERMS = yaml.safe_load((ROOT / "i18n" / "es-terms.yaml").read_text(encoding="utf-8"))
FACTS = yaml.safe_load((ROOT / "facts.yaml").read_text(encoding="utf-8"))


def test_every_term_has_a_source_or_a_reason():
    for key, term in TERMS["terms"].items():
        assert term["en"] and term["es"], key
        if term["source"] == "none":
            assert term.get("why"), f"{key}: no official term found, so say why this one"
        else:
            assert term["source"] in TERMS["sources"], f"{key}: unknown source {term['source']}"


def test_abbreviations_kept_in_english_say_how_to_introduce_them():
    for key, term in TERMS["terms"].items():
        if "abbr" in term:
            assert term["abbr"] in term["first_use"], key


def test_named_facts_exist_and_every_level_format_and_modality_has_a_term():
    named = {t["fact"] for t in TERMS["terms"].values() if "fact" in t}
    for path in named:
        section, key = path.split(".")
        assert key in FACTS[section], f"{path} is not in facts.yaml"
    for section in ("levels", "formats", "modalities", "conditions", "crisis"):
        for key in FACTS[section]:
            assert f"{section}.{key}" in named, f"{section}.{key} has no Spanish term"


def test_one_english_term_one_spanish_term():
    spanish = [t["es"].lower() for t in TERMS["terms"].values() if t["es"] != t["en"] and "same_as" not in t]
    assert len(spanish) == len(set(spanish)), "two English terms share one Spanish term"
    for key, term in TERMS["terms"].items():
        if "same_as" in term:
            assert term["es"].lower() == TERMS["terms"][term["same_as"]]["es"].lower(), key
