"""Small fact bases the tests write to a facts.yaml, kept as YAML in tests/samples/.

- `CHECK`: small but complete; tests/test_facts.py changes one thing at a time in it.
- `MEANING`: keeps every rule of meaning; tests/test_meaning.py breaks one rule at a time.
- `RENDER`: the figures, sources and staff-only facts tests/test_render.py renders.

`CHECK` and `MEANING` differ in their sources, levels and formats and share the rest
(therapies, conditions, glossary and crisis help: samples/shared-sections.yaml).
"""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"


def fact_base(*parts: str) -> str:
    """The text of tests/samples/<part>.yaml for each part, in order, joined into one file."""
    return "".join((SAMPLES / f"{part}.yaml").read_text(encoding="utf-8") for part in parts)


CHECK = fact_base("check-head", "shared-sections")
MEANING = fact_base("meaning-head", "shared-sections")
RENDER = fact_base("render")
