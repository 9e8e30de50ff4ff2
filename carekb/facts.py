"""The shape of `facts.yaml`, and `load_facts`, which reads and checks it into the model.

Every problem is collected (not just the first) and reported as one located line. Errors
raise `FactsError`; warnings (a review overdue) come back beside the facts so the build can
log them and `--strict` can refuse them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from . import collector
from .meaning import check_meaning
from . import model as m
from .problems import ERROR, WARNING, FactsError, Problem
from .spec import (ID_PATTERN, INVALID, Ctx, Date, Enum, Field, Flag, IdMap, Line, ListOf, Number, Obj, OptionalText,
                   Phone, Ref, Refs, Spec, Text, Url, read_mapping, suggest)
from .yamlload import read_yaml

__all__ = ["load_facts", "read_facts", "FactsError", "Problem", "ROOT"]

UNITS = ["hours", "minutes", "days", "weeks", "months", "dollars", "people"]
PER = ["day", "week", "month", "30 days", "program", "episode"]
CONFIDENCE = ["authoritative", "secondary", "provider"]
CATEGORIES = ["psychotherapy", "counseling", "medication", "education", "support_group", "holistic",
              "case_management", "family", "specialised_group"]
CODE_KINDS = ["hcpcs", "condition_code", "revenue_code", "bill_type"]
REQUIRED_CRISIS = ("lifeline", "helpline", "emergency")
NOTICE = "notice"  # a review falls due soon: shown, never stops a build
NOTICE_DAYS = 60  # how early a review due date is announced
KINDS = {"sources": "sources", "levels": "levels", "modalities": "modalities", "formats": "session formats"}


def _no_source_hint(ctx: Ctx) -> str:
    ids = sorted(ctx.ids.get("sources", {}))
    return "add `source: <id>` naming where this comes from" + (
        f"; sources in this file: {', '.join(ids)}." if ids else ".")


def _source(required: bool = True) -> Field:
    return Field(Refs("sources", "the id of the source, or a list of ids, under `sources:`"), required=required,
                 default=(), aliases=("sources",), missing_hint=_no_source_hint if required else None)


_audience = Field(Enum([m.PUBLIC, m.STAFF], "who may see this: public (the default) or staff", "audiences"),
                  default=None)
_reviewed = Field(Date("the date someone last checked this against its sources, like 2026-11-01"), required=True)
_review_every = Field(Number("months between reviews, when different from review_every_months", integer=True,
                             minimum=1, maximum=120), default=None)
_reviewed_fields = {"reviewed": _reviewed, "review_every_months": _review_every, "audience": _audience}


def _reviewed_args(v: dict, path: str, loc: m.Loc, default_audience: str = m.PUBLIC) -> dict:
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
                what = {"per": "what the cost is for (`per: day`, `week`, `month`, `30 days`, `program` or "
                               "`episode`)"}[key]
                ctx.error(node, f"{path}.{key}", f"`{key}` is missing: a cost needs {what}.")
    return check


# The most each kind of figure can be, by unit: a week has 168 hours, a day 24, a stay is
# counted in years at most, a cost under ten million dollars, a group under 1,000 people.
HOURS_A_WEEK = {"hours": 168, "minutes": 168 * 60}
DAYS_A_WEEK = {"days": 7}
HOURS_A_SESSION = {"hours": 24, "minutes": 24 * 60}
LENGTH_OF_STAY = {"days": 3660, "weeks": 520, "months": 120}
DOLLARS = {"dollars": 10_000_000}
PEOPLE = {"people": 1000}


def figure(unit: str | None = None, *, need: tuple[str, ...] = (), doc: str = "",
           limits: dict[str, float]) -> Obj:
    def build(v, path, loc, _id):
        return m.Figure(path=path, loc=loc, min=v["min"], max=v["max"], under=v["under"], about=v["about"],
                        median=v["median"], unit=v["unit"], per=v["per"], as_of=v["as_of"], read=v["read"],
                        sources=v["source"],
                        note=v["note"], audience=v["audience"] or m.PUBLIC)
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
        "source": _source(),
        "note": Field(Text("a short plain-words note shown with the figure")),
        "audience": _audience,
    }, build, doc or "a sourced figure: {min: 9, max: 19, source: asam3}", check=_check_figure(need, limits),
       schema_extra={"allOf": _limits_schema(unit, limits)})


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


def _note_spec(doc: str = "a sourced sentence: {text: ..., source: ...}") -> Obj:
    def build(v, path, loc, _id):
        return m.Note(path=path, loc=loc, text=v["text"], sources=v["source"], audience=v["audience"] or m.PUBLIC)
    return Obj({"text": Field(Text("the sentence"), required=True), "source": _source(), "audience": _audience},
               build, doc)


# --- entities --------------------------------------------------------------------------------

def _source_entity(v, path, loc, id):
    return m.Source(**_reviewed_args(v, path, loc), id=id, title=v["title"], publisher=v["publisher"],
                    year=v["year"], confidence=v["confidence"], url=v["url"], note=v["note"], accessed=v["accessed"],
                    supports=tuple(v["supports"] or ()))


def _check_source(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    if v["year"] is None and v["accessed"] is None:
        ctx.error(node, f"{path}.year", "a source needs `year` (when it was published) or, for an undated web "
                  "page, `accessed` (the date it was read).", "add `year: 2024` or `accessed: 2026-11-01`.")


SOURCE = Obj({
    "title": Field(Line("the title of the document or page"), required=True),
    "publisher": Field(Line("who published it (organisation or author)"), required=True),
    "year": Field(Number("the year it was published", integer=True, minimum=1900, maximum=2100)),
    "accessed": Field(Date("for an undated web page: the date it was read, like 2026-11-01")),
    "url": Field(Url("the web address, where one exists")),
    "confidence": Field(Enum(CONFIDENCE, "authoritative (official), secondary, or provider (a program's own "
                                         "claim)", "confidence levels"), required=True),
    "note": Field(Text("a note for editors and readers")),
    "supports": Field(ListOf(Text(), "the kinds of claim it may be cited for, like [hours, cost, modalities.cbt] "
                                     "(see README, Rules of meaning)", min_items=1), default=()),
    **_reviewed_fields,
}, _source_entity, check=_check_source)


def _asam(v, path, loc, _id):
    return m.Asam(path=path, loc=loc, edition3=v["edition3"], edition4=v["edition4"], sources=v["source"])


ASAM = Obj({
    "edition3": Field(OptionalText('the level number in the 3rd edition (2013), in quotes, like "2.1"; null if none'),
                      required=True),
    "edition4": Field(OptionalText('the level number in the 4th edition (2023), in quotes, like "2.1"; null if none'),
                      required=True),
    "source": _source(),
}, _asam, "ASAM level numbers in both editions")


def _hours(v, path, loc, _id):
    return {k: v[k] for k in ("adults", "adolescents") if v[k] is not None}


HOURS = Obj({
    "adults": Field(figure("hours", limits=HOURS_A_WEEK)),  # required on core levels: see _check_whole
    "adolescents": Field(figure("hours", limits=HOURS_A_WEEK)),
}, _hours, "hours of care a week, for adults and for adolescents")


def _level(v, path, loc, id):
    level = m.Level(**_reviewed_args(v, path, loc), id=id, name=v["name"], abbr=v["abbr"], summary=v["summary"],
                    asam=v["asam"], lives=v["lives"], hours_per_week=v["hours_per_week"],
                    days_per_week=v["days_per_week"], session_hours=v["session_hours"],
                    length_of_stay=v["length_of_stay"] or [], cost=v["cost"] or [], fits=v["fits"] or [],
                    not_a_fit=v["not_a_fit"] or [], modality_ids=list(v["modalities"] or ()),
                    format_ids=list(v["formats"] or ()), steps_down_to_ids=list(v["steps_down_to"] or ()),
                    coverage=v["coverage"] or [], core=bool(v["core"]), hours_note=v["hours_note"],
                    around_the_clock=bool(v["around_the_clock"]), headline=v["headline"],
                    in_self_check=v["in_self_check"] is not False,
                    sets_apart_ids=list(v["sets_apart"] or ()))
    for owned in _owned(level):
        owned.owner = level
    return level


def _owned(level: m.Level):
    yield from level.hours_per_week.values()
    yield from (f for f in (level.days_per_week, level.session_hours) if f is not None)
    yield from level.length_of_stay
    yield from level.cost
    yield from level.coverage
    if level.hours_note:
        yield level.hours_note


def _headline(v, path, loc, _id):
    return m.Headline(path=path, loc=loc, length_of_stay=v["length_of_stay"], cost=v["cost"], why=v["why"])


HEADLINE = Obj({
    "length_of_stay": Field(Number("which length of stay answers 'how long?': its number in the list, counting "
                                   "from 1", integer=True, minimum=1, maximum=100)),
    "cost": Field(Number("which cost answers 'how much?': its number in the list, counting from 1", integer=True,
                         minimum=1, maximum=100)),
    "why": Field(Text("one plain line: why these figures were chosen"), required=True),
}, _headline, "the plain answer to 'how long, and how much?': {length_of_stay: 1, cost: 2, why: ...}")


LEVEL = Obj({
    "name": Field(Line("the level's plain name"), required=True),
    "abbr": Field(Line("its usual abbreviation, like IOP")),
    "core": Field(Flag(), default=False),
    "summary": Field(Text("two or three plain sentences: what it is"), required=True),
    "asam": Field(ASAM, required=True),
    "lives": Field(Text("where the person lives during care, in plain words"), required=True),
    "hours_per_week": Field(HOURS, required=True),
    "hours_note": Field(_note_spec()),
    "days_per_week": Field(figure("days", limits=DAYS_A_WEEK)),
    "session_hours": Field(figure("hours", doc="how long a usual session or day of care lasts",
                                  limits=HOURS_A_SESSION)),
    "length_of_stay": Field(ListOf(figure(doc="a sourced length of stay; keep several where sources differ",
                                          limits=LENGTH_OF_STAY))),
    "cost": Field(ListOf(figure("dollars", need=("per",), doc="a sourced price: `as_of: 2024` (the year it was "
                                "published) or, from an undated page, `read: 2026-11-01`", limits=DOLLARS))),
    "headline": Field(HEADLINE),
    "around_the_clock": Field(Flag("true for a 24-hour setting: people live there, with care day and night"),
                              default=False),
    "in_self_check": Field(Flag("false only for a level the self-check never offers (the benchmarks' copies of "
                                "levels); every other level must be able to come first"), default=True),
    "fits": Field(ListOf(Text(), "who this level suits", min_items=1), required=True),
    "not_a_fit": Field(ListOf(Text(), "who needs something else", min_items=1), required=True),
    "modalities": Field(Refs("modalities", "therapies it includes (ids under `modalities:`)", single_ok=False)),
    "formats": Field(Refs("formats", "session formats it uses (ids under `formats:`)", single_ok=False)),
    "sets_apart": Field(Refs("modalities", "the few therapies that set this level apart from the others, shown "
                             "first under \"What's included\" (ids from its `modalities:` list)", single_ok=False)),
    "steps_down_to": Field(Refs("levels", "levels people move to when they need less care; step-up links are "
                                          "worked out from these", single_ok=False)),
    "coverage": Field(ListOf(_note_spec(), "insurance and coverage notes")),
    **_reviewed_fields,
}, _level)


def _format(v, path, loc, id):
    f = m.Format(**_reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                 size=v["size"], sources=v["source"])
    if f.size is not None:
        f.size.owner = f
    return f


FORMAT = Obj({
    "name": Field(Line("the format's plain name"), required=True),
    "description": Field(Text("what it is like, in plain words"), required=True),
    "size": Field(figure("people", doc="for groups: how many people take part", limits=PEOPLE)),
    "source": _source(),
    **_reviewed_fields,
}, _format)


def _modality(v, path, loc, id):
    modality = m.Modality(**_reviewed_args(v, path, loc), id=id, name=v["name"], abbr=v["abbr"], category=v["category"],
                      description=v["description"], sources=v["source"], examples=v["examples"] or [],
                      session=v["session"], helps=v["helps"], evidence=v["evidence"])
    for note in (modality.session, modality.helps, modality.evidence):
        if note is not None:
            note.owner = modality  # its review date, and staff-only if the therapy is
    return modality


MODALITY = Obj({
    "name": Field(Line("the therapy's plain name"), required=True),
    "abbr": Field(Line("its usual abbreviation, like CBT (it joins the glossary by itself)")),
    "category": Field(Enum(CATEGORIES, "what kind of therapy it is", "categories"), required=True),
    "description": Field(Text("what it is, in plain words"), required=True),
    "examples": Field(ListOf(Text(), "examples, such as kinds of groups or activities")),
    # What a reader asks next, each a sourced sentence; leave one out where no source says it.
    "session": Field(_note_spec("what a session is like: {text: ..., source: ...}")),
    "helps": Field(_note_spec("who it helps: {text: ..., source: ...}")),
    "evidence": Field(_note_spec("how strong the evidence is, in plain words: {text: ..., source: ...}")),
    "source": _source(),
    **_reviewed_fields,
}, _modality)


def _condition(v, path, loc, id):
    return m.Condition(**_reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                       examples=v["examples"] or [], sources=v["source"])


CONDITION = Obj({
    "name": Field(Line(), required=True),
    "description": Field(Text(), required=True),
    "examples": Field(ListOf(Text())),
    "source": _source(),
    **_reviewed_fields,
}, _condition)


def _term(v, path, loc, id):
    return m.Term(**_reviewed_args(v, path, loc), id=id, term=v["term"], stands_for=v["stands_for"],
                  meaning=v["meaning"], sources=v["source"])


TERM = Obj({
    "term": Field(Line("the word or abbreviation as readers see it"), required=True),
    "stands_for": Field(Line("for abbreviations: what the letters stand for")),
    "meaning": Field(Text("what it means, in plain words"), required=True),
    "source": _source(required=False),
    **_reviewed_fields,
}, _term)


def _crisis(v, path, loc, id):
    return m.CrisisResource(**_reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                            call=v["call"], text=v["text"], tty=v["tty"], url=v["url"], sources=v["source"],
                            options=tuple(v["options"] or ()))


CRISIS = Obj({
    "name": Field(Line(), required=True),
    "description": Field(Text("when and why to use it, in plain words"), required=True),
    "call": Field(Phone('the number to call, in quotes, like "988"')),
    "text": Field(Phone("the number to text, in quotes")),
    "tty": Field(Phone("the TTY number, in quotes")),
    "url": Field(Url("its website")),
    "options": Field(ListOf(Text(), "what else it offers, one short line each (press 1 for ...)",
                            min_items=1), default=()),
    "source": _source(),
    **_reviewed_fields,
}, _crisis)


def _code(v, path, loc, id):
    return m.BillingCode(**_reviewed_args(v, path, loc, default_audience=m.STAFF), id=id, code=v["code"],
                         kind=v["kind"], meaning=v["meaning"], paid_by=v["paid_by"], verify=v["verify"],
                         sources=v["source"])


CODE = Obj({
    "code": Field(Line('the code as written on claims, in quotes when it is all digits, like "92"'), required=True),
    "kind": Field(Enum(CODE_KINDS, "what sort of code it is", "kinds"), required=True),
    "meaning": Field(Text("what it is used for"), required=True),
    "paid_by": Field(Line("who pays it")),
    "verify": Field(Text("a caution to show, such as 'verify against the UB-04 manual'")),
    "source": _source(),
    **_reviewed_fields,
}, _code, "billing codes; staff-only unless `audience: public`")


class _Located(Obj):
    """A block whose model object also learns where each of its fields (and sub-fields) is written."""

    def read(self, node, path, ctx, id=None, loc=None):
        value = super().read(node, path, ctx, id=id, loc=loc)
        if value is not INVALID and isinstance(node, yaml.MappingNode):
            for key, sub in node.value:
                value.field_locs[key.value] = ctx.loc(sub)
                if isinstance(sub, yaml.MappingNode):
                    value.field_locs.update({f"{key.value}.{k.value}": ctx.loc(v) for k, v in sub.value})
        return value


class _LineMap(Spec):
    """`{op: 2, iop: 1}`: a level id and the number of a line (1 = first) in one of its lists."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.number = Number(integer=True, minimum=1, maximum=100)

    def read(self, node, path, ctx):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, "should be a block of `level: line number` pairs, like {op: 2}.")
        out = {}
        for key, (key_node, value_node) in read_mapping(node, path, ctx, None, "").items():
            ctx.refs.append(("levels", key, f"{path}.{key}", key_node))
            out[key] = self.number.read(value_node, f"{path}.{key}", ctx)
        return INVALID if INVALID in out.values() else out

    def json(self):
        return self._schema(type="object", propertyNames={"pattern": ID_PATTERN},
                            additionalProperties={"type": "integer", "minimum": 1, "maximum": 100})


def _field_node(node: yaml.MappingNode, name: str) -> yaml.Node:
    """The value node of field `name` in a block (the block itself if the field is not there)."""
    return next((v for k, v in node.value if getattr(k, "value", None) == name), node)


def _check_answer(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """The ranking fields of one answer must not contradict each other."""
    suggests, rules_out, first, down = (set(v[k] or ()) for k in ("suggests", "rules_out", "first", "moves_down"))
    for lv in [x for x in v["first"] or () if x not in suggests]:
        ctx.error(_field_node(node, "first"), f"{path}.first", f"`{lv}` is put first but not in `suggests`.",
                  f"add `{lv}` to `suggests:` too, or remove it from `first:`.")
    for name, other in (("rules_out", rules_out), ("moves_down", down)):
        for lv in sorted(suggests & other):
            ctx.error(_field_node(node, name), f"{path}.{name}", f"`{lv}` is both in `suggests` and in `{name}`.",
                      f"keep it in one of the two lists.")
    for lv in sorted(rules_out & down):
        ctx.error(_field_node(node, "moves_down"), f"{path}.moves_down",
                  f"`{lv}` is ruled out, so it cannot also be moved down.", "keep it in one of the two lists.")
    if v["if_outweighed"] and not (rules_out or down):
        ctx.error(_field_node(node, "if_outweighed"), f"{path}.if_outweighed", "is never shown: this answer "
                  "rules out and moves down no level, so no other answer can outweigh it.",
                  "remove `if_outweighed:`, or add `moves_down:` or `rules_out:`.")


def _answer(v, path, loc, _id):
    return m.Answer(path=path, loc=loc, label=v["label"], suggests=list(v["suggests"] or ()),
                    rules_out=list(v["rules_out"] or ()), because=v["because"], priority=v["priority"] or "need",
                    first=list(v["first"] or ()), moves_down=list(v["moves_down"] or ()),
                    means=list(v["means"] or ()), if_outweighed=v["if_outweighed"])


def _levels(doc: str) -> Field:
    return Field(Refs("levels", doc, single_ok=False), default=())


ANSWER = _Located({
    "label": Field(Line('the answer as shown, in quotes: "Yes"'), required=True),
    "priority": Field(Enum(list(m.PRIORITIES), "how much this answer weighs: safety (a danger) outweighs need, "
                           "which outweighs preference (a wish); need if not given", "priorities"), default=None),
    "means": Field(Refs("situations", "the situations (under self_check.situations) this answer describes",
                        single_ok=False), default=()),
    "suggests": _levels("levels worth discussing after this answer"),
    "first": _levels("levels this answer puts at the top of the list, in this order (also in suggests)"),
    "rules_out": _levels("levels this answer makes unlikely"),
    "moves_down": _levels("levels this answer moves to the end of the list, without ruling them out"),
    "because": Field(Text("the reason, in plain words"), required=True),
    "if_outweighed": Field(Text("said when a more urgent answer keeps a level this answer moves down or rules out"),
                           default=None),
}, _answer, check=_check_answer)


def _check_question(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    """Two answers with one label could not be told apart on the page."""
    seen: set[str] = set()
    for i, answer in enumerate(v["answers"] or (), 1):
        if answer.label in seen:
            loc = answer.at("label")
            ctx.problems.append(Problem(loc.file, loc.line, loc.column, f"{path}.answers[{i}].label",
                                        f'the label "{answer.label}" is used by two answers of this question.',
                                        "give each answer its own label."))
        seen.add(answer.label)


def _question(v, path, loc, id):
    return m.Question(path=path, loc=loc, id=id, ask=v["ask"], answers=v["answers"])


QUESTION = Obj({
    "ask": Field(Text("the question, in plain words"), required=True),
    "answers": Field(ListOf(ANSWER, min_items=2), required=True),
}, _question, check=_check_question)


def _situation(v, path, loc, id):
    """Build a `Situation` from its checked fields."""
    return m.Situation(path=path, loc=loc, id=id, says=v["says"], fits=v["fits"] or {},
                       not_a_fit=v["not_a_fit"] or {}, opposite=v["opposite"])


SITUATION = _Located({
    "says": Field(Text("the situation, in plain words"), required=True),
    "fits": Field(_LineMap("levels whose `fits` list says this situation fits, with the line number"), default={}),
    "not_a_fit": Field(_LineMap("levels whose `not_a_fit` list says this situation does not fit, with the line "
                                "number"), default={}),
    "opposite": Field(Ref("situations", "the situation that says the opposite, if any"), default=None),
}, _situation)


def _self_check(v, path, loc, _id):
    return m.SelfCheck(**_reviewed_args(v, path, loc), intro=v["intro"], questions=list(v["questions"].values()),
                       sources=v["source"], situations=v["situations"] or {})


SELF_CHECK = _Located({
    "intro": Field(Text(), required=True),
    "situations": Field(IdMap("situations", SITUATION, "what answers can say about a person, and the lines of "
                              "the levels' lists that say the same", "situations"), default={}),
    "questions": Field(IdMap("questions", QUESTION, what="questions"), required=True),
    "source": _source(),
    **_reviewed_fields,
}, _self_check)


# --- the whole file --------------------------------------------------------------------------

# Sections are read in this order (sources first, so later hints can list source ids).
SECTIONS: dict[str, Field] = {
    "review_every_months": Field(Number("months between reviews of every fact", integer=True, minimum=1,
                                        maximum=120), required=True),
    "sources": Field(IdMap("sources", SOURCE, "where facts come from", "sources"), required=True),
    "levels": Field(IdMap("levels", LEVEL, "levels of care", "levels"), required=True),
    "formats": Field(IdMap("formats", FORMAT, "session formats", "session formats"), required=True),
    "modalities": Field(IdMap("modalities", MODALITY, "therapies and services", "modalities"), required=True),
    "conditions": Field(IdMap("conditions", CONDITION, "conditions treated", "conditions"), required=True),
    "glossary": Field(IdMap("glossary", TERM, "words and abbreviations", "glossary terms"), required=True),
    "crisis": Field(IdMap("crisis", CRISIS, "crisis resources shown on every page", "crisis resources"),
                    required=True),
    "billing_codes": Field(IdMap("billing_codes", CODE, "billing codes (staff-only)", "billing codes"),
                           default={}),
    "self_check": Field(SELF_CHECK),
}


def _facts(v, path, loc, _id):  # pragma: no cover - built by read_facts
    raise AssertionError


ROOT = Obj(SECTIONS, _facts, "The facts behind the levels-of-care site")


def read_facts(path: str | Path, *, today: dt.date | None = None, display_name: str | None = None,
               meaning: bool = True) -> tuple[m.Facts | None, list[Problem]]:
    """Read and check the file. Returns (facts or None, every problem: errors and warnings).

    `meaning=False` checks form only (for tests of one rule of meaning on purposely broken facts).
    """
    # Reading builds a large tree of objects and no garbage: with the cyclic collector on, it
    # walks the growing heap again and again (most of the time on a big fact base).
    with collector.paused():
        return _read_facts(path, today=today, display_name=display_name, meaning=meaning)


def _read_facts(path: str | Path, *, today: dt.date | None = None, display_name: str | None = None,
                meaning: bool = True) -> tuple[m.Facts | None, list[Problem]]:
    """Read and check the file. Returns (facts or None, every problem: errors and warnings)."""
    path = Path(path)
    name = display_name or path.name
    today = today or dt.date.today()
    root, problems = read_yaml(path, display_name=name)
    if root is None:
        return None, problems
    ctx = Ctx(name, today, problems)
    if not isinstance(root, yaml.MappingNode):
        ctx.error(root, "", "the file should be a set of sections (`sources:`, `levels:` …), not a single value.")
        return None, ctx.problems
    nodes = read_mapping(root, "", ctx, ROOT.names, "sections")
    values: dict[str, Any] = {}
    for key, f in SECTIONS.items():
        if key in nodes:
            values[key] = f.spec.read(nodes[key][1], key, ctx)
        elif f.required:
            ctx.error(root, key, f"the `{key}:` section is missing.",
                      "the file may have been cut short: restore the section from the last good version.")
            values[key] = INVALID
        else:
            values[key] = f.default
    if any(p.severity == ERROR for p in ctx.problems):
        # Cross-checks on a half-read file only produce echoes of the first problems.
        _check_refs(ctx)
        return None, ctx.problems
    facts = m.Facts(file=name, review_every_months=values["review_every_months"], sources=values["sources"],
                    levels=values["levels"], formats=values["formats"], modalities=values["modalities"],
                    conditions=values["conditions"], glossary=values["glossary"], crisis=values["crisis"],
                    billing_codes=values["billing_codes"], self_check=values["self_check"])
    _check_refs(ctx)
    if any(p.severity == ERROR for p in ctx.problems):
        return None, ctx.problems
    _derive(facts)
    _check_whole(facts, ctx, nodes)
    if meaning and not any(p.severity == ERROR for p in ctx.problems):
        # Rules of meaning compare facts with each other: only worth it on a file valid in form.
        ctx.problems.extend(check_meaning(facts))
    ok = not any(p.severity == ERROR for p in ctx.problems)
    return (facts if ok else None), ctx.problems


def load_facts(path: str | Path, *, today: dt.date | None = None, display_name: str | None = None,
               meaning: bool = True) -> tuple[m.Facts, list[Problem]]:
    """Load the fact base, or raise FactsError listing every error.

    Returns (facts, warnings and notices): a notice has severity NOTICE and must not stop a build.
    """
    facts, problems = read_facts(path, today=today, display_name=display_name, meaning=meaning)
    errors = [p for p in problems if p.severity == ERROR]
    if errors or facts is None:
        raise FactsError(errors or problems)
    return facts, [p for p in problems if p.severity in (WARNING, NOTICE)]


def _check_refs(ctx: Ctx) -> None:
    for kind, ident, path, node in ctx.refs:
        known = ctx.ids.get(kind, {})
        if ident not in known:
            what = KINDS.get(kind, kind)
            ctx.error(node, path, f"`{ident}` is not one of the {what} in this file.", suggest(ident, known, what))


def _derive(facts: m.Facts) -> None:
    for level in facts.levels.values():
        for mid in level.modality_ids:
            facts.modalities[mid].level_ids.append(level.id)
        for fid in level.format_ids:
            facts.formats[fid].level_ids.append(level.id)
        for lower in level.steps_down_to_ids:
            facts.levels[lower].steps_up_to_ids.append(level.id)
    for entity in facts.reviewed_entities():
        if not entity.review_every_months:
            entity.review_every_months = facts.review_every_months


def _check_whole(facts: m.Facts, ctx: Ctx, nodes: dict) -> None:
    def at(loc: m.Loc, path: str, message: str, hint: str | None = None, severity: str = ERROR) -> None:
        loc = ctx.loc_of(path, loc)
        ctx.problems.append(Problem(loc.file, loc.line, loc.column, path, message, hint, severity))

    for entity in facts.reviewed_entities():
        if entity.reviewed > ctx.today:
            at(entity.loc, f"{entity.path}.reviewed", f"the review date {entity.reviewed} is in the future.",
               "write the date the facts were actually checked.")
        elif entity.review_due < ctx.today:
            at(entity.loc, f"{entity.path}.reviewed",
               f"was last reviewed on {entity.reviewed}; its review was due on {entity.review_due}.",
               "check these facts against their sources, then update `reviewed:` to today's date.", WARNING)
        elif entity.review_due <= ctx.today + dt.timedelta(days=NOTICE_DAYS):
            days = (entity.review_due - ctx.today).days
            at(entity.loc, f"{entity.path}.reviewed",
               f"its review falls due on {entity.review_due}, in {days} day{'s' if days != 1 else ''}.",
               "check these facts against their sources before then, and update `reviewed:`.", NOTICE)
    for src in facts.sources.values():
        if src.year and src.year > ctx.today.year:
            at(src.loc, f"{src.path}.year", f"the year {src.year} is in the future.")
        if src.accessed and src.accessed > ctx.today:
            at(src.loc, f"{src.path}.accessed", f"the date {src.accessed} is in the future.")
    for level in facts.levels.values():
        if level.core and "adults" not in level.hours_per_week:
            at(level.loc, f"{level.path}.hours_per_week.adults", "`adults` is missing: the comparison needs the "
               "weekly hours of every core level.", "add `adults:` (a sourced figure: {min: 9, max: 19, source: asam3}).")
        if level.id in level.steps_down_to_ids:
            at(level.loc, f"{level.path}.steps_down_to", "a level cannot step down to itself.")
        for i, mid in enumerate(level.sets_apart_ids):
            if mid not in level.modality_ids:
                at(level.loc, f"{level.path}.sets_apart[{i + 1}]", f"`{mid}` is not in this level's `modalities:` "
                   "list, so the page would say the level offers a therapy it does not list.",
                   f"add `{mid}` to `modalities:`, or remove it from `sets_apart:`.")
        for fig in level.cost:
            if fig.as_of and fig.as_of > ctx.today.year:
                at(fig.loc, f"{fig.path}.as_of", f"the year {fig.as_of} is in the future.")
            if fig.read and fig.read > ctx.today:
                at(fig.loc, f"{fig.path}.read", f"the date {fig.read} is in the future.",
                   "write the date the price was actually read.")
    owners: dict[str, str] = {}
    for group in (facts.levels, facts.modalities):
        for item in group.values():
            if item.abbr:
                owners[item.abbr.lower()] = item.path
    for term in facts.glossary.values():
        if term.term.lower() in owners:
            at(term.loc, term.path, f"`{term.term}` is already defined by {owners[term.term.lower()]}, which adds "
               "it to the glossary by itself.", "remove this glossary entry, so there is one place to change it.")
    for needed in REQUIRED_CRISIS:
        if needed not in facts.crisis:
            ctx.error(nodes["crisis"][0], f"crisis.{needed}", f"`{needed}` is missing: the crisis help shown on "
                      "every page needs it.", f"add a `{needed}:` entry under `crisis:`.")
    for cid, res in facts.crisis.items():
        if res.staff_only:
            at(res.loc, f"{res.path}.audience", "crisis help must be public.", "remove `audience: staff`.")
    if not facts.core_levels:
        ctx.error(nodes["levels"][0], "levels", "no level has `core: true`, so the comparison would be empty.",
                  "add `core: true` to OP, IOP, PHP and residential.")
