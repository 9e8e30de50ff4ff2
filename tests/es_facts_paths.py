"""Every text of facts.yaml that a public page can show, by its fact path, and the Spanish texts
that translate them (facts.es.yaml, issue 22 point 3).

`public_texts()` walks the public view of the loaded facts (carekb.model.audience.view, the view the
public build renders from, so nothing staff-only is listed) and returns {path: English text},
section by section, each entry's fields in the model's order. Paths are written as messages write them: lists count from 1
(`levels.iop.fits[1]`, `self_check.questions.danger.answers[1].because`).

What counts as a public text is decided per model class in `TEXTS` (and `NOT_TEXTS` lists every
other string field, so a new field must be sorted into one of the two: tests/test_es_facts.py).
Left out on purpose: ids, abbreviations (`abbr`, and glossary terms that are abbreviations),
phone numbers, addresses, figures, sources' titles and publishers (names of English documents),
and the self-check situations' `says` (no page shows them).

    .venv/bin/python -m tests.es_facts_paths           # paths missing or stale in facts.es.yaml
    .venv/bin/python -m tests.es_facts_paths --list    # every public text path with its English
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any, Iterator

import yaml

from carekb.model import facts as m
from carekb.model import selfcheck as sc
from carekb.model.audience import view
from carekb.load.facts_yaml import load_facts
from carekb.model.base import PUBLIC, STAFF

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts.yaml"
SPANISH = ROOT / "facts.es.yaml"

# Per class: the string fields a public page shows (a list field gives one text per item).
TEXTS: dict[type, tuple[str, ...]] = {
    m.Source: ("note",),
    m.Level: ("name", "also_called", "summary", "lives", "fits", "not_a_fit"),
    m.Headline: ("length_why", "cost_why"),
    m.Figure: ("note",),
    m.Note: ("text",),
    m.Format: ("name", "description"),
    m.Modality: ("name", "also_called", "description", "examples"),
    m.Condition: ("name", "description", "examples"),
    m.Term: ("term", "stands_for", "also_called", "meaning"),
    m.CrisisResource: ("name", "description", "options"),
    m.Payer: ("name",),
    m.SelfCheck: ("intro",),
    sc.PageLink: ("title",),
    sc.Step: ("text", "text_them"),
    sc.Question: ("ask", "ask_them", "hint", "hint_them"),
    sc.Answer: ("label", "because", "because_them", "if_outweighed", "if_outweighed_them"),
    sc.Together: ("because", "because_them", "if_outweighed", "if_outweighed_them"),
    sc.Situation: (),
    m.BillingCode: (),  # staff-only; the staff handbook stays English
    m.Asam: (),
}
# Per class: the string fields that are not texts to translate, and why (in a word).
NOT_TEXTS: dict[type, tuple[str, ...]] = {
    m.Source: ("id", "title", "publisher", "confidence", "kind", "url", "supports"),  # names, ids, urls
    m.Level: ("id", "abbr", "modality_ids", "format_ids", "steps_down_to_ids", "sets_apart_ids",
              "steps_up_to_ids"),
    m.Figure: ("unit", "per", "kind", "measures", "sources", "audience"),
    m.Note: ("sources", "audience"),
    m.Format: ("id", "sources", "level_ids"),
    m.Modality: ("id", "abbr", "category", "sources", "level_ids"),
    m.Condition: ("id", "sources"),
    m.Term: ("id", "sources"),
    # numbers and addresses; what to press ("2") and the word to text ("AYUDA") for help in Spanish
    m.CrisisResource: ("id", "call", "text", "tty", "url", "sources", "spanish_press", "spanish_text"),
    m.Payer: ("id", "sources"),
    m.BillingCode: ("id", "code", "kind", "meaning", "paid_by", "verify", "sources"),
    m.SelfCheck: ("sources",),
    m.Asam: ("edition3", "edition4", "sources"),
    sc.PageLink: ("id", "page"),
    sc.Step: ("id", "page", "crisis"),
    sc.Question: ("id",),
    sc.Answer: ("priority", "suggests", "rules_out", "first", "moves_down", "means", "steps", "pages", "who"),
    sc.Together: ("id", "label", "priority", "suggests", "rules_out", "first", "moves_down", "means", "steps",
                  "pages", "who", "when"),  # `label` is its id; `when` names English labels
    sc.Situation: ("id", "says", "opposite", "steps", "fits", "not_a_fit"),  # `says`: no page shows it
}
_BOOKKEEPING = {"path", "audience"}


def _is_text(node: Any, name: str, value: str) -> bool:
    """A string worth translating: not empty, and not a glossary abbreviation or number."""
    if not value.strip():
        return False
    if isinstance(node, m.Term) and name == "term":
        return node.stands_for is None and bool(re.search(r"[A-Za-z]", value))
    return True


def _walk(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)
        return
    if isinstance(node, dict):
        for item in node.values():
            yield from _walk(item)
        return
    if not isinstance(node, m.Node):
        return
    texts = TEXTS[type(node)]
    for f in dataclasses.fields(node):
        if f.name in ("owner", "loc", "field_locs"):
            continue
        value = getattr(node, f.name)
        if f.name in texts:
            if isinstance(value, str):
                if _is_text(node, f.name, value):
                    yield f"{node.path}.{f.name}", value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value, start=1):
                    yield f"{node.path}.{f.name}[{i}]", item
        elif isinstance(value, (m.Node, list, tuple, dict)):
            yield from _walk(value)


def texts(facts: m.Facts) -> dict[str, str]:
    """{path: English} for every text field of `facts` (a public or staff view)."""
    out: dict[str, str] = {}
    for group in ("sources", "levels", "formats", "modalities", "conditions", "glossary", "crisis",
                  "payers", "billing_codes"):
        for path, text in _walk(getattr(facts, group)):
            out[path] = text
    if facts.self_check is not None:
        for path, text in _walk(facts.self_check):
            out[path] = text
    return out


def load(path: Path = FACTS) -> m.Facts:
    facts, _ = load_facts(path, meaning=False)
    return facts


def public_texts(facts: m.Facts | None = None) -> dict[str, str]:
    """Every text a public page can show: {path: English}."""
    return texts(view(facts or load(), PUBLIC))


def staff_only_paths(facts: m.Facts | None = None) -> set[str]:
    """Text paths that exist only in the staff view (never to be translated)."""
    facts = facts or load()
    return set(texts(view(facts, STAFF))) - set(public_texts(facts))


def spanish(path: Path = SPANISH) -> dict[str, dict[str, str]]:
    """facts.es.yaml: {path: {"en": ..., "es": ...}}."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def report(facts: m.Facts | None = None, path: Path = SPANISH) -> list[str]:
    """One line per path missing from facts.es.yaml, translated from other English, or extra."""
    facts = facts or load()
    wanted, es = public_texts(facts), spanish(path)
    staff = staff_only_paths(facts)
    lines = []
    for key, english in wanted.items():
        if key not in es:
            lines.append(f"missing: {key}: {english}")
        elif es[key].get("en") != english:
            lines.append(f"stale: {key}: the English is now: {english}")
    for key in es:
        if key not in wanted:
            lines.append(f"{'staff-only' if key in staff else 'no such text'}: {key}")
    return lines


def main(argv: list[str]) -> int:
    if "--list" in argv:
        for key, english in public_texts().items():
            print(f"{key}\t{english}")
        return 0
    lines = report()
    for line in lines:
        print(line)
    print(f"{len(public_texts())} public texts; {len(lines)} problem(s) in {SPANISH.name}")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
