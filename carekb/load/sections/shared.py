"""The pieces of facts.yaml's shape that every section uses: sources cited, review dates and
audience, sourced figures (with the most each unit can be) and sourced sentences.

Part of the description `carekb.load.facts_yaml` reads the file with (see spec.py for the language).
"""

from __future__ import annotations

from typing import Any

import yaml

from carekb.model import facts as m
from carekb.load.spec.core import Ctx, Field, suggest
from carekb.load.spec.scalars import Date, Enum, Line, ListOf, Number, Refs, Text
from carekb.load.spec.shapes import IdMap, Obj

UNITS = ["hours", "minutes", "days", "weeks", "months", "doses", "dollars", "people", "percent"]
PER = ["day", "week", "month", "30 days", "program", "episode", "year"]
CONFIDENCE = ["authoritative", "secondary", "provider"]
# What a cost is (`kind:` on a cost): the words for it, and what editors read in the schema.
COST_KINDS = {
    "price": "what a program asks a person to pay for care, such as a self-pay price on its website",
    "charge": "what a program bills a health plan, or what a plan pays it, before what the patient owes",
    "economic_cost": "what care cost a program to give, from research; never what a person pays",
}
# What a length of stay measures (`measures:`).
MEASURES = {
    "completed": "how long people who finished stayed, in a data set (needs `data_year`)",
    "all_discharges": "how long everyone who left stayed, finished or not, in a data set (needs `data_year`)",
    "typical": "a usual length, as a program or guide describes it",
    "recommended": "how long a source advises treatment to last",
}
CATEGORIES = ["psychotherapy", "counseling", "medication", "education", "support_group", "holistic",
              "case_management", "family", "specialised_group"]
CODE_KINDS = ["hcpcs", "condition_code", "revenue_code", "bill_type"]


def _no_source_hint(ctx: Ctx) -> str:
    ids = sorted(ctx.ids.get("sources", {}))
    return "add `source: <id>` naming where this comes from" + (
        f"; sources in this file: {', '.join(ids)}." if ids else ".")


def source_field(required: bool = True) -> Field:
    """The `source:` field (or `sources:`): one source id or a list, feeding the model's `sources`."""
    return Field(Refs("sources", "the id of the source, or a list of ids, under `sources:`"), required=required,
                 default=(), aliases=("sources",), missing_hint=_no_source_hint if required else None,
                 feeds="sources")


_audience = Field(Enum([m.PUBLIC, m.STAFF], "who may see this: public (the default) or staff", "audiences"),
                  default=None)
_reviewed = Field(Date("the date someone last checked this against its sources, like 2026-11-01"), required=True)
_review_every = Field(Number("months between reviews, when different from review_every_months", integer=True,
                             minimum=1, maximum=120), default=None)
REVIEWED_FIELDS = {"reviewed": _reviewed, "review_every_months": _review_every, "audience": _audience}
# What the model works out from them on every reviewed entity (Obj.computed).
REVIEWED_COMPUTED = {"review_due": ("reviewed", "review_every_months"), "staff_only": ("audience",)}


def reviewed_args(v: dict, path: str, loc: m.Loc, default_audience: str = m.PUBLIC) -> dict:
    """The arguments every reviewed entity's builder passes on: where it is, its review and audience."""
    # review_every_months is filled in from the file's default once the whole file is read
    return dict(path=path, loc=loc, reviewed=v["reviewed"], review_every_months=v["review_every_months"] or 0,
                audience=v["audience"] or default_audience)


# --- figures ---------------------------------------------------------------------------------

def _check_figure(need: tuple[str, ...], limits: dict[str, float]):
    def check(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
        nums = {k: v[k] for k in ("min", "max", "under", "about", "median") if v[k] is not None}
        if not nums:
            ctx.error(node, path, "this figure has no number.",
                      "give `min` and/or `max`, or `under`, `about` or `median`, for example {min: 9, max: 19}.")
            return
        top = limits.get(v["unit"])
        for key, value in nums.items():
            if top is not None and value > top:
                ctx.error(ctx.locs.get(f"{path}.{key}", node), f"{path}.{key}", f"{_n(value)} {v['unit']} is "
                          f"more than this figure can be (at most {top:,} {v['unit']}).",
                          "correct the number, or its `unit`.")
        if v["min"] is not None and v["max"] is not None and v["min"] > v["max"]:
            ctx.error(node, f"{path}.min", f"min {_n(v['min'])} is greater than max {_n(v['max'])}.",
                      "swap them, or correct the one that is wrong.")
        if v["max"] is not None and v["under"] is not None:
            ctx.error(node, f"{path}.under", "give either `max` (up to) or `under` (fewer than), not both.")
        if v["min"] is not None and v["under"] is not None and v["min"] >= v["under"]:
            ctx.error(node, f"{path}.min", f"min {_n(v['min'])} is not below under {_n(v['under'])}.",
                      "correct one of them.")
        if v["unit"] is None:
            ctx.error(node, f"{path}.unit", "this figure needs a `unit`.", suggest("", UNITS, "units"))
        for key in need:
            if v[key] is None:
                what, example = _NEEDS[key]
                ctx.error(node, f"{path}.{key}", f"`{key}` is missing: {what}.", f"add {example}.")
    return check


_NEEDS = {
    "per": ("a cost needs what it is for", "`per: day` (or `week`, `month`, `30 days`, `program`, `episode`, `year`)"),
    "kind": ("a cost needs what kind of number it is", "`kind: price` (what a program asks), `kind: charge` (what is "
             "billed to or paid by a health plan) or `kind: economic_cost` (what care cost a program, from research)"),
    "measures": ("a length of stay needs what it measures", "`measures: typical` (a usual length), `recommended` (how "
                 "long a source advises), or for data `completed` or `all_discharges` with `data_year: <year>`"),
}


# The most each kind of figure can be, by unit: a week has 168 hours, a day 24, a stay is
# counted in years at most, a cost under ten million dollars, a group under 1,000 people.
HOURS_A_WEEK = {"hours": 168, "minutes": 168 * 60}
DAYS_A_WEEK = {"days": 7}
HOURS_A_SESSION = {"hours": 24, "minutes": 24 * 60}
LENGTH_OF_STAY = {"days": 3660, "weeks": 520, "months": 120}
DOLLARS = {"dollars": 10_000_000}
PEOPLE = {"people": 1000}
PERCENT = {"percent": 100}
# A named figure of a therapy or glossary term: a time about care (how long to wait, how often
# to repeat) or a number of doses. At most a day of minutes, a month of hours, ten years.
NAMED = {"minutes": 24 * 60, "hours": 31 * 24, "days": 3660, "weeks": 520, "months": 120, "doses": 100}


def figure(unit: str | None = None, *, need: tuple[str, ...] = (), doc: str = "",
           limits: dict[str, float]) -> Obj:
    def build(v, path, loc, _id):
        return m.Figure(path=path, loc=loc, min=v["min"], max=v["max"], under=v["under"], about=v["about"],
                        median=v["median"], unit=v["unit"], per=v["per"], as_of=v["as_of"], read=v["read"],
                        kind=v["kind"], measures=v["measures"], data_year=v["data_year"], data_from=v["data_from"],
                        sources=v["source"], note=v["note"], audience=v["audience"] or m.PUBLIC)
    words = " or ".join(f"{top:,} {u}" for u, top in limits.items())
    n = lambda d: Field(Number(d, maximum=max(limits.values()), maximum_words=words))  # noqa: E731
    return Obj({
        "min": n("the lowest value (alone: 'or more')"),
        "max": n("the highest value (alone: 'up to')"),
        "under": n("'fewer than' this value"),
        "about": n("an approximate single value"),
        "median": n("a median (middle) value"),
        "unit": Field(Enum([u for u in UNITS if u in limits], "what the numbers count", "units"), default=unit),
        "per": Field(Enum(PER, "for costs: what the amount covers", "choices"), default=None),
        "as_of": Field(Number("the year the figure was published", integer=True, minimum=1900, maximum=2100)),
        "read": Field(Date("for a price on an undated page: the date it was read, like 2026-11-01")),
        "kind": Field(Enum(list(COST_KINDS), "for costs: what kind of number it is: " + "; ".join(
            f"{k}: {d}" for k, d in COST_KINDS.items()), "kinds of cost")),
        "measures": Field(Enum(list(MEASURES), "for lengths of stay: what the length measures: " + "; ".join(
            f"{k}: {d}" for k, d in MEASURES.items()), "measures")),
        "data_year": Field(Number("for a figure from a data set: the year of the data (the last year, if several)",
                                  integer=True, minimum=1900, maximum=2100)),
        "data_from": Field(Number("for data that span several years: the first year", integer=True, minimum=1900,
                                  maximum=2100)),
        "source": source_field(),
        "note": Field(Text("a short plain-words note shown with the figure")),
        "audience": _audience,
    }, build, doc or "a sourced figure: {min: 9, max: 19, source: asam3}", check=_check_figure(need, limits),
       schema_extra={"allOf": _limits_schema(unit, limits), **({} if unit else {"required": ["unit"]})},
       computed={"staff_only": ("audience",)}, whole=True)


def named_figures() -> Field:
    """`figures:` on a therapy or glossary term: sourced figures under ids of their own, each
    with its `unit`, shown in pages by `fact("glossary.naloxone.figures.repeat_after")`."""
    doc = ("named, sourced figures a page can show, each under an id, like `repeat_after: {min: 2, max: 3, "
           "unit: minutes, source: narcan_label}`; units: " + ", ".join(NAMED))
    return Field(IdMap("figures", figure(doc="a sourced figure with its `unit`: {min: 2, max: 3, unit: minutes, "
                                             "source: ...}", limits=NAMED), doc, "figures"), default={})


def _limits_schema(unit: str | None, limits: dict[str, float]) -> list[dict]:
    """JSON Schema for the most a figure can be in each unit (`unit` applies when none is written)."""
    out = []
    for u, top in limits.items():
        when: dict[str, Any] = {"properties": {"unit": {"const": u}}}  # true too when `unit` is absent
        if u != unit:
            when["required"] = ["unit"]
        out.append({"if": when, "then": {"properties": {k: {"maximum": top}
                                                         for k in ("min", "max", "under", "about", "median")}}})
    return out


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def also_called_field() -> Field:
    """`also_called:`, the other names people use for an entry and type into the search box
    (brand names, "rehab", "AA"): short plain-text names, shown on its page and searched."""
    return Field(ListOf(Line(), "other names people use and search for, like [rehab, treatment center]",
                        min_items=1), default=())


def note_spec(doc: str = "a sourced sentence: {text: ..., source: ...}") -> Obj:
    def build(v, path, loc, _id):
        return m.Note(path=path, loc=loc, text=v["text"], sources=v["source"], audience=v["audience"] or m.PUBLIC)
    return Obj({"text": Field(Text("the sentence"), required=True), "source": source_field(), "audience": _audience},
               build, doc, computed={"staff_only": ("audience",)})
