"""The clinical scenario table of the self-check (tests/selfcheck_scenarios.yaml), and how a result
is checked against one scenario.

Both rankings are tested against it: the Python one (tests/test_selfcheck_scenarios.py) and the
page's script, clicked through as a person would (tests/browser/test_browser_self_check_profiles.py).
A result here is the shape `carekb.meaning.selfcheck_rank.weigh` returns; the browser test reads the same
shape from the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

TABLE = yaml.safe_load((Path(__file__).with_name("selfcheck_scenarios.yaml")).read_text(encoding="utf-8"))
PRINCIPLES: dict[str, dict[str, Any]] = TABLE["principles"]
SCENARIOS: list[dict[str, Any]] = TABLE["scenarios"]
FIELDS = {"name", "answers", "first", "steps", "open", "less_likely", "above", "pages", "says", "principle"}
_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")


def shown_text(result: dict[str, Any]) -> list[str]:
    """Every text a result shows, in order: steps, the first level's reason, the other reasons."""
    return [s["text"] for s in result["steps"]] + ([result["lead"]] if result["lead"] else []) + result["why"]


def offered(result: dict[str, Any]) -> list[str]:
    """Pages a result links: by its steps, then under "Read next"."""
    return [s["page"] for s in result["steps"] if s["page"]] + result["pages"]


def sentences(texts: list[str]) -> list[str]:
    """The sentences of some texts, whitespace made plain."""
    return [" ".join(s.split()) for text in texts for s in _SENTENCE.split(text) if s.strip()]


def repeated(texts: list[str]) -> list[str]:
    """Sentences said more than once."""
    seen: list[str] = sentences(texts)
    return sorted({s for s in seen if seen.count(s) > 1})


def mismatches(result: dict[str, Any], scenario: dict[str, Any]) -> list[str]:
    """How a result differs from what the scenario expects (empty: it holds)."""
    wrong = []
    listed, less = result["discuss"], result["unlikely"]
    first = listed[0] if listed else None
    if first != scenario["first"]:
        wrong.append(f"first level {first!r}, expected {scenario['first']!r}")
    steps = [s["id"] for s in result["steps"]]
    if "steps" in scenario and steps[:len(scenario["steps"])] != scenario["steps"]:
        wrong.append(f"steps {steps}, expected {scenario['steps']} first")
    if "crisis" not in scenario.get("steps", []) and "crisis" in steps:
        wrong.append("crisis help shown, not expected")
    for level in scenario.get("open", []):
        if level not in listed:
            wrong.append(f"{level} not listed (less likely: {less})")
    if "less_likely" in scenario and sorted(less) != sorted(scenario["less_likely"]):
        wrong.append(f"less likely {less}, expected {scenario['less_likely']}")
    for a, b in scenario.get("above", []):
        if a not in listed or b not in listed or listed.index(a) > listed.index(b):
            wrong.append(f"{a} should come before {b}: {listed}")
    for page in scenario.get("pages", []):
        if page not in offered(result):
            wrong.append(f"page {page} not offered: {offered(result)}")
    text = " ".join(shown_text(result))
    for words in scenario.get("says", []):
        if words not in text:
            wrong.append(f"does not say {words!r}")
    return wrong
