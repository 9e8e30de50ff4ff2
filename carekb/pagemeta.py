"""Page descriptions from facts, for pages made from facts.yaml (meta description and JSON-LD).

A level page is described by the level's summary, a therapy page by the therapy's description;
a written page keeps the `description:` in its front matter. Plain Python: no MkDocs import.
"""

from __future__ import annotations

from typing import Any


def descriptions(facts: Any) -> dict[str, str]:
    """{src path: one-paragraph description} for every level and therapy page of this view."""
    out: dict[str, str] = {}
    for level in facts.levels.values():
        out[f"levels/{level.id}.md"] = " ".join(level.summary.split())
    for modality in facts.modalities.values():
        out[f"modalities/{modality.id}.md"] = " ".join(modality.description.split())
    return out
