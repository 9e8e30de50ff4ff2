"""The shape of facts.yaml `terms_es:`, the Spanish glossary of term choices (see model_terms.py).

Part of the description `carekb.load.facts_yaml` reads the file with (see spec.py for the language).
"""

from __future__ import annotations

import yaml

from carekb.model import terms as mt
from carekb.load.sections.shared import REVIEWED_COMPUTED, REVIEWED_FIELDS, reviewed_args
from carekb.load.spec.core import Ctx, Field
from carekb.load.spec.scalars import Line, ListOf, Text, Url
from carekb.load.spec.shapes import IdMap, Obj

NONE = "none"  # a term with no official Spanish source: `why` says why it was chosen


def _source(v, path, loc, id):
    return mt.TermSource(path=path, loc=loc, id=id, title=v["title"], url=v["url"], says=v["says"])


TERM_SOURCE = Obj({
    "title": Field(Line("the page's title, as published"), required=True),
    "url": Field(Url("its address (leave it out if it was not checked)")),
    "says": Field(Text("the Spanish words it uses, as it writes them"), required=True),
}, _source, "a Spanish page whose words we follow")


def _term(v, path, loc, id):
    return mt.TermChoice(path=path, loc=loc, id=id, en=v["en"], es=v["es"], fact=v["fact"],
                         plural=v["plural"], abbr=v["abbr"], first_use=v["first_use"],
                         source=v["source"] or NONE, why=v["why"], note=v["note"],
                         same_as=v["same_as"], avoid=tuple(v["avoid"] or ()))


def _check_term(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    if (v["source"] or NONE) == NONE and not v["why"]:
        ctx.error(node, f"{path}.why", "no Spanish source names this term, so say why it was chosen.",
                  "add `why:` (one sentence), or name a source under `terms_es.sources`.")
    if v["abbr"] and (not v["first_use"] or v["abbr"] not in v["first_use"]):
        ctx.error(node, f"{path}.first_use", f"the abbreviation {v['abbr']} is kept in English, so say "
                  "how a page writes it the first time.",
                  f'add `first_use: "... ({v["abbr"]}, por sus siglas en inglés)"`.')


TERM = Obj({
    "en": Field(Line("the English term as the site uses it"), required=True),
    "es": Field(Line("the Spanish term to use everywhere"), required=True),
    "fact": Field(Line("the fact it names, like levels.iop: its Spanish name must be this term")),
    "plural": Field(Line("the Spanish plural, where it is not just an -s")),
    "abbr": Field(Line("an English abbreviation kept in Spanish, like IOP")),
    "first_use": Field(Line("how a page writes it the first time, with the abbreviation")),
    "source": Field(Line("the id of a source under terms_es.sources, or none")),
    "why": Field(Text("with no source: why this term was chosen")),
    "note": Field(Text("anything a translator must know")),
    "same_as": Field(Line("the term whose Spanish this one shares")),
    "avoid": Field(ListOf(Line(), "other Spanish words for it, which Spanish texts never use")),
}, _term, "one English term and its one Spanish term", check=_check_term)


def _terms(v, path, loc, _id):
    return mt.SpanishTerms(**reviewed_args(v, path, loc), sources=v["sources"] or {},
                           terms=v["terms"] or {})


SPANISH_TERMS = Obj({
    "sources": Field(IdMap("terms_es_sources", TERM_SOURCE, "Spanish pages whose words we follow",
                           "Spanish sources"), default={}),
    "terms": Field(IdMap("terms_es", TERM, "one Spanish term for each English term", "terms"),
                   required=True),
    **REVIEWED_FIELDS,
}, _terms, "the Spanish glossary of term choices (the Spanish site, issue 22)",
    computed=REVIEWED_COMPUTED)
