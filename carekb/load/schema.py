"""The JSON Schema for facts.yaml, generated from the same specs the build validates with."""

from __future__ import annotations

import json

from carekb.load.facts_yaml import ROOT
from carekb.load.spec.shapes import Schema

SCHEMA_FILE = "facts.schema.json"


def schema() -> dict:
    return Schema(ROOT, "facts.yaml: the facts behind the levels-of-care site")


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
