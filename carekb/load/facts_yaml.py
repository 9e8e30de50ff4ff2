"""The shape of `facts.yaml`, and `load_facts`, which reads and checks it into the model.

Its sections are described in facts_shared.py (what every section uses: sources cited, review
dates, figures, sourced sentences), facts_entities.py and facts_selfcheck.py; this module puts
them together, reads the file and checks what spans sections.

Every problem is collected (not just the first) and reported as one located line. Errors
raise `FactsError`; warnings (a review overdue) come back beside the facts so the build can
log them and `--strict` can refuse them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from carekb.base import collector
from carekb.model import facts as m
from carekb.load.sections.entities import CODE, CONDITION, CRISIS, FORMAT, LEVEL, MODALITY, PAYER, SOURCE, TERM
from carekb.load.sections.selfcheck import SELF_CHECK
from carekb.load.sections.terms import SPANISH_TERMS
from carekb.meaning.registry import check_meaning
from carekb.base.problems import ERROR, WARNING, FactsError, Problem
from carekb.load.spec.core import INVALID, Ctx, Field, read_mapping, suggest
from carekb.load.spec.scalars import Number
from carekb.load.spec.shapes import IdMap, Obj, derived_fields
from carekb.load.yamlload import read_yaml

__all__ = ["load_facts", "read_facts", "FactsError", "Problem", "ROOT", "NOTICE", "NOTICE_DAYS"]

REQUIRED_CRISIS = ("lifeline", "helpline", "emergency")
NOTICE = "notice"  # a review falls due soon: shown, never stops a build
NOTICE_DAYS = 60  # how early a review due date is announced
KINDS = {"sources": "sources", "levels": "levels", "modalities": "modalities", "formats": "session formats"}



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
    "payers": Field(IdMap("payers", PAYER, "who pays for care, and what a patient pays", "payers"), default={}),
    "self_check": Field(SELF_CHECK),
    "terms_es": Field(SPANISH_TERMS),
}

# Its sections of entries are the model's one list of groups, in the same order.
if tuple(k for k, f in SECTIONS.items() if isinstance(f.spec, IdMap)) != m.GROUPS:
    raise AssertionError("facts.yaml's sections of entries differ from carekb.model.facts.GROUPS")


def _facts(v, path, loc, _id):  # pragma: no cover - built by read_facts
    raise AssertionError


ROOT = Obj(SECTIONS, _facts, "The facts behind the levels-of-care site")
DERIVED = derived_fields(ROOT)  # lists the model derives in one section from ids listed in another


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
                    billing_codes=values["billing_codes"], self_check=values["self_check"], payers=values["payers"],
                    terms_es=values["terms_es"])
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
    """Fill in what the model derives: the lists back from each entry named by another's ids
    (Obj.derives: a therapy's levels, a level's step-up levels), and review intervals."""
    for d in DERIVED:
        for entity in getattr(facts, d.section).values():
            for ident in getattr(entity, d.attribute):
                getattr(getattr(facts, d.target)[ident], d.target_attribute).append(entity.id)
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
        fig = level.medicare_hours
        if fig is not None and (fig.min is None or any(x is not None for x in (fig.max, fig.under, fig.about,
                                                                              fig.median))):
            at(fig.loc, f"{fig.path}.min", "Medicare's weekly hours are a minimum with no most, so write `min` only.",
               "write it as {min: 9, source: ...}; the site shows it as \"9 or more hours a week\".")
        for fig in [*level.cost, *level.length_of_stay]:
            if fig.data_year and fig.data_year > ctx.today.year:
                at(fig.loc, f"{fig.path}.data_year", f"the year {fig.data_year} is in the future.")
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
