"""The shape of facts.yaml's sections of entries: sources, levels, formats, therapies, conditions,
glossary terms, crisis resources and billing codes, each with the builder that makes its model
object and what the model works out from its fields (for the impact report).
"""

from __future__ import annotations

import yaml

from carekb.model import facts as m
from carekb.model.facts import SOURCE_KINDS
from carekb.load.sections.shared import (CATEGORIES, CODE_KINDS, CONFIDENCE, DAYS_A_WEEK, DOLLARS, HOURS_A_SESSION,
                           HOURS_A_WEEK, LENGTH_OF_STAY, PEOPLE, PERCENT, REVIEWED_COMPUTED, REVIEWED_FIELDS,
                           also_called_field, figure, named_figures, note_spec, reviewed_args,
                           source_field)
from carekb.load.spec.core import Ctx, Field
from carekb.load.spec.scalars import (Date, Enum, Flag, Line, ListOf, Number, OptionalText, Phone, Refs,
                                      Text, Url)
from carekb.load.spec.shapes import Obj

# --- entities --------------------------------------------------------------------------------

def _source_entity(v, path, loc, id):
    return m.Source(**reviewed_args(v, path, loc), id=id, title=v["title"], publisher=v["publisher"],
                    year=v["year"], confidence=v["confidence"], kind=v["kind"], url=v["url"], note=v["note"],
                    accessed=v["accessed"], supports=tuple(v["supports"] or ()))


def _check_source(v: dict, node: yaml.Node, path: str, ctx: Ctx) -> None:
    if v["year"] is None and v["accessed"] is None:
        ctx.error(node, f"{path}.year", "a source needs `year` (when it was published) or, for an undated web "
                  "page, `accessed` (the date it was read).", "add `year: 2024` or `accessed: 2026-11-01`.")


SOURCE = Obj({
    "title": Field(Line("the title of the document or page"), required=True),
    "publisher": Field(Line("who published it: one organisation or author, by name"), required=True),
    "year": Field(Number("the year it was published", integer=True, minimum=1900, maximum=2100)),
    "accessed": Field(Date("for an undated web page: the date it was read, like 2026-11-01")),
    "url": Field(Url("the web address where a reader can check it; a source without one is removed"),
                 required=True),
    "kind": Field(Enum(list(SOURCE_KINDS), "who wrote it: " + ", ".join(
        f"{k} ({w.lower()})" for k, w in SOURCE_KINDS.items()), "kinds of source"), required=True),
    "confidence": Field(Enum(CONFIDENCE, "how directly we read it: authoritative (the source itself), secondary "
                                         "(in part, or through other sources), or provider (a program's own "
                                         "claim)", "confidence levels"), required=True),
    "note": Field(Text("a note for editors and readers")),
    "supports": Field(ListOf(Text(), "the kinds of claim it may be cited for, like [hours, cost, modalities.cbt] "
                                     "(see docs/editing.md, Rules of meaning)", min_items=1), default=()),
    **REVIEWED_FIELDS,
}, _source_entity, check=_check_source, computed=REVIEWED_COMPUTED)


def _asam(v, path, loc, _id):
    return m.Asam(path=path, loc=loc, edition3=v["edition3"], edition4=v["edition4"], sources=v["source"])


ASAM = Obj({
    "edition3": Field(OptionalText('the level number in the 3rd edition (2013), in quotes, like "2.1"; null if none'),
                      required=True),
    "edition4": Field(OptionalText('the level number in the 4th edition (2023), in quotes, like "2.1"; null if none'),
                      required=True),
    "source": source_field(),
}, _asam, "ASAM level numbers in both editions")


def _hours(v, path, loc, _id):
    return {k: v[k] for k in ("adults", "adolescents") if v[k] is not None}


HOURS = Obj({
    "adults": Field(figure("hours", limits=HOURS_A_WEEK)),  # required on core levels: see _check_whole
    "adolescents": Field(figure("hours", limits=HOURS_A_WEEK)),
}, _hours, "hours of care a week, for adults and for adolescents")


def _level(v, path, loc, id):
    level = m.Level(**reviewed_args(v, path, loc), id=id, name=v["name"], abbr=v["abbr"], summary=v["summary"],
                    asam=v["asam"], lives=v["lives"], hours_per_week=v["hours_per_week"],
                    days_per_week=v["days_per_week"], session_hours=v["session_hours"],
                    length_of_stay=v["length_of_stay"] or [], cost=v["cost"] or [], fits=v["fits"] or [],
                    not_a_fit=v["not_a_fit"] or [], modality_ids=list(v["modalities"] or ()),
                    format_ids=list(v["formats"] or ()), steps_down_to_ids=list(v["steps_down_to"] or ()),
                    coverage=v["coverage"] or [], core=bool(v["core"]), hours_note=v["hours_note"],
                    around_the_clock=bool(v["around_the_clock"]), headline=v["headline"],
                    in_self_check=v["in_self_check"] is not False,
                    sets_apart_ids=list(v["sets_apart"] or ()), medicare_hours=v["medicare_hours"],
                    warnings=v["warnings"] or [], also_called=tuple(v["also_called"]))
    for owned in _owned(level):
        owned.owner = level
    return level


def _owned(level: m.Level):
    yield from level.hours_per_week.values()
    yield from (f for f in (level.days_per_week, level.session_hours) if f is not None)
    yield from level.length_of_stay
    yield from level.cost
    yield from level.coverage
    yield from level.warnings
    if level.hours_note:
        yield level.hours_note
    if level.medicare_hours:
        yield level.medicare_hours


def _headline(v, path, loc, _id):
    return m.Headline(path=path, loc=loc, length_of_stay=v["length_of_stay"], cost=v["cost"],
                      length_why=v["length_why"], cost_why=v["cost_why"])


HEADLINE = Obj({
    "length_of_stay": Field(Number("which length of stay answers 'how long?': its number in the list, counting "
                                   "from 1", integer=True, minimum=1, maximum=100)),
    "length_why": Field(Text("one short reason for that length, true of its date and what it measures")),
    "cost": Field(Number("which cost answers 'how much?': its number in the list, counting from 1; a price, for "
                         "the same unit as the other core levels' (leave it out when there is none)", integer=True,
                         minimum=1, maximum=100)),
    "cost_why": Field(Text("one short reason for that price, true of its date; or, with no `cost`, why this level "
                           "has no price to compare")),
}, _headline, "the plain answer to 'how long, and how much?': {length_of_stay: 1, length_why: ..., cost: 2, "
              "cost_why: ...}")


LEVEL = Obj({
    "name": Field(Line("the level's plain name"), required=True),
    "abbr": Field(Line("its usual abbreviation, like IOP")),
    "also_called": also_called_field(),
    "core": Field(Flag(), default=False),
    "summary": Field(Text("two or three plain sentences: what it is"), required=True),
    "asam": Field(ASAM, required=True),
    "lives": Field(Text("where the person lives during care, in plain words"), required=True),
    "hours_per_week": Field(HOURS, required=True),
    "hours_note": Field(note_spec()),
    "days_per_week": Field(figure("days", limits=DAYS_A_WEEK)),
    "session_hours": Field(figure("hours", doc="how long a usual session or day of care lasts",
                                  limits=HOURS_A_SESSION)),
    "length_of_stay": Field(ListOf(figure(need=("measures",), doc="a sourced length of stay and what it measures; "
                                          "keep several where sources differ", limits=LENGTH_OF_STAY))),
    "cost": Field(ListOf(figure("dollars", need=("per", "kind"), doc="a sourced cost: its `kind` (price, charge or "
                                "economic_cost), `as_of: 2024` (the year it was published) or, from an undated page, "
                                "`read: 2026-11-01`", limits=DOLLARS))),
    "medicare_hours": Field(figure("hours", doc="the weekly hours Medicare requires a doctor to certify: a minimum "
                                   "only, like {min: 9, source: ...}", limits=HOURS_A_WEEK)),
    "warnings": Field(ListOf(note_spec(), "safety warnings shown in a box at the top of the level's page")),
    "headline": Field(HEADLINE),
    "around_the_clock": Field(Flag("true for a 24-hour setting: people live there, with care day and night"),
                              default=False),
    "in_self_check": Field(Flag("false only for a level the self-check never offers (the benchmarks' copies of "
                                "levels); every other level must be able to come first"), default=True),
    "fits": Field(ListOf(Text(), "who this level suits", min_items=1), required=True),
    "not_a_fit": Field(ListOf(Text(), "who needs something else", min_items=1), required=True),
    "modalities": Field(Refs("modalities", "therapies it includes (ids under `modalities:`)", single_ok=False),
                        feeds="modality_ids"),
    "formats": Field(Refs("formats", "session formats it uses (ids under `formats:`)", single_ok=False),
                     feeds="format_ids"),
    "sets_apart": Field(Refs("modalities", "the few therapies that set this level apart from the others, shown "
                             "first under \"What's included\" (ids from its `modalities:` list)", single_ok=False),
                        feeds="sets_apart_ids"),
    "steps_down_to": Field(Refs("levels", "levels people move to when they need less care; step-up links are "
                                          "worked out from these", single_ok=False), feeds="steps_down_to_ids"),
    "coverage": Field(ListOf(note_spec(), "insurance and coverage notes")),
    **REVIEWED_FIELDS,
}, _level, computed={"label": ("name", "abbr"), **REVIEWED_COMPUTED},
   derives={"modalities": ("modalities", "level_ids"), "formats": ("formats", "level_ids"),
            "steps_down_to": ("levels", "steps_up_to_ids")})


def _format(v, path, loc, id):
    f = m.Format(**reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                 size=v["size"], sources=v["source"])
    if f.size is not None:
        f.size.owner = f
    return f


FORMAT = Obj({
    "name": Field(Line("the format's plain name"), required=True),
    "description": Field(Text("what it is like, in plain words"), required=True),
    "size": Field(figure("people", doc="for groups: how many people take part", limits=PEOPLE)),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _format, computed=REVIEWED_COMPUTED)


def _modality(v, path, loc, id):
    modality = m.Modality(**reviewed_args(v, path, loc), id=id, name=v["name"], abbr=v["abbr"], category=v["category"],
                      description=v["description"], sources=v["source"], examples=v["examples"] or [],
                      session=v["session"], helps=v["helps"], evidence=v["evidence"], figures=v["figures"],
                      also_called=tuple(v["also_called"]))
    for note in (modality.session, modality.helps, modality.evidence, *modality.figures.values()):
        if note is not None:
            note.owner = modality  # its review date, and staff-only if the therapy is
    return modality


MODALITY = Obj({
    "name": Field(Line("the therapy's plain name"), required=True),
    "abbr": Field(Line("its usual abbreviation, like CBT (it joins the glossary by itself)")),
    "also_called": also_called_field(),
    "category": Field(Enum(CATEGORIES, "what kind of therapy it is", "categories"), required=True),
    "description": Field(Text("what it is, in plain words"), required=True),
    "examples": Field(ListOf(Text(), "examples, such as kinds of groups or activities")),
    # What a reader asks next, each a sourced sentence; leave one out where no source says it.
    "session": Field(note_spec("what a session is like: {text: ..., source: ...}")),
    "helps": Field(note_spec("who it helps: {text: ..., source: ...}")),
    "evidence": Field(note_spec("how strong the evidence is, in plain words: {text: ..., source: ...}")),
    "figures": named_figures(),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _modality, computed={"label": ("name", "abbr"), **REVIEWED_COMPUTED})


def _condition(v, path, loc, id):
    return m.Condition(**reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                       examples=v["examples"] or [], sources=v["source"])


CONDITION = Obj({
    "name": Field(Line(), required=True),
    "description": Field(Text(), required=True),
    "examples": Field(ListOf(Text())),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _condition, computed=REVIEWED_COMPUTED)


def _term(v, path, loc, id):
    term = m.Term(**reviewed_args(v, path, loc), id=id, term=v["term"], stands_for=v["stands_for"],
                  meaning=v["meaning"], sources=v["source"], figures=v["figures"],
                  also_called=tuple(v["also_called"]))
    for fig in term.figures.values():
        fig.owner = term  # its review date, and staff-only if the term is
    return term


TERM = Obj({
    "term": Field(Line("the word or abbreviation as readers see it"), required=True),
    "stands_for": Field(Line("for abbreviations: what the letters stand for")),
    "meaning": Field(Text("what it means, in plain words"), required=True),
    "figures": named_figures(),
    "also_called": also_called_field(),
    "source": source_field(required=False),
    **REVIEWED_FIELDS,
}, _term, computed=REVIEWED_COMPUTED)


def _crisis(v, path, loc, id):
    return m.CrisisResource(**reviewed_args(v, path, loc), id=id, name=v["name"], description=v["description"],
                            call=v["call"], text=v["text"], tty=v["tty"], url=v["url"], sources=v["source"],
                            options=tuple(v["options"] or ()), spanish_press=v["spanish_press"],
                            spanish_text=v["spanish_text"])


CRISIS = Obj({
    "name": Field(Line(), required=True),
    "description": Field(Text("when and why to use it, in plain words"), required=True),
    "call": Field(Phone('the number to call, in quotes, like "988"')),
    "text": Field(Phone("the number to text, in quotes")),
    "tty": Field(Phone("the TTY number, in quotes")),
    "url": Field(Url("its website")),
    "options": Field(ListOf(Text(), "what else it offers, one short line each (press 1 for ...)",
                            min_items=1), default=()),
    # The Spanish site's crisis bar says how to reach help in Spanish (call, then press 2; text
    # AYUDA), from these: never typed into a template.
    "spanish_press": Field(Phone('for help in Spanish: what to press after calling, in quotes, like "2"')),
    "spanish_text": Field(Line("for help in Spanish by text: the word to send, like AYUDA")),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _crisis, computed={"tel": ("call",), **REVIEWED_COMPUTED})


def _payer(v, path, loc, id):
    payer = m.Payer(**reviewed_args(v, path, loc), id=id, name=v["name"], deductible=v["deductible"],
                    coinsurance=v["coinsurance"], note=v["note"], sources=v["source"])
    for owned in (*payer.figures, payer.note):
        if owned is not None:
            owned.owner = payer
    return payer


PAYER = Obj({
    "name": Field(Line("the payer's plain name, like Medicare"), required=True),
    "deductible": Field(figure("dollars", need=("per",), doc="what a patient pays each year before the payer pays: "
                               "{about: 283, per: year, as_of: 2026, source: ...}", limits=DOLLARS)),
    "coinsurance": Field(figure("percent", doc="the share of the approved amount a patient pays after the "
                                "deductible: {about: 20, source: ...}", limits=PERCENT)),
    "note": Field(note_spec("a sourced sentence on what else a patient may pay")),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _payer, "who pays for care, and what a patient pays under it", computed=REVIEWED_COMPUTED)


def _code(v, path, loc, id):
    return m.BillingCode(**reviewed_args(v, path, loc, default_audience=m.STAFF), id=id, code=v["code"],
                         kind=v["kind"], meaning=v["meaning"], paid_by=v["paid_by"], verify=v["verify"],
                         sources=v["source"])


CODE = Obj({
    "code": Field(Line('the code as written on claims, in quotes when it is all digits, like "92"'), required=True),
    "kind": Field(Enum(CODE_KINDS, "what sort of code it is", "kinds"), required=True),
    "meaning": Field(Text("what it is used for"), required=True),
    "paid_by": Field(Line("who pays it")),
    "verify": Field(Text("a caution to show, such as 'verify against the UB-04 manual'")),
    "source": source_field(),
    **REVIEWED_FIELDS,
}, _code, "billing codes; staff-only unless `audience: public`", computed=REVIEWED_COMPUTED)
