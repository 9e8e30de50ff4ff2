"""Fact paths: `fact("levels.iop.cost[1]")`, `fact_value`, `headline`, and how each prints.

Paths count the way facts.yaml messages do: `levels.iop.cost[1]` is the first cost. A step
that does not exist names the ones that do; a staff-only step says it is staff-only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from carekb.render.language import filters as page_filters
from carekb.model.audience import FactGroup, hidden, refuse
from carekb.model.facts import GROUPS, Figure, Node, Note, StaffOnlyError
from carekb.render.language.filters import PageLanguageError
from carekb.render.wording import did_you_mean
from carekb.render.language.context import PageContext


_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]*)\]")
_BOOKKEEPING = {"path", "loc", "owner", "audience", "reviewed", "review_every_months"}


# -- the functions --------------------------------------------------------------------------------
def fact(r: PageContext, path: str) -> Markup:
    """A fact by its path, in plain words, with its citation attached.

    Example: {{ fact("levels.iop.hours_per_week.adults") }}

    A figure prints in words with its footnote, a therapy's or glossary term's named figure
    too (`glossary.naloxone.figures.repeat_after`); a list of figures (`cost`,
    `length_of_stay`) prints every one, "; "-separated; `cost[1]` is the first (counting from
    1, as facts.yaml messages do) and `cost[headline]` the one the level's `headline` names. A
    note (`hours_note`) prints as a cited sentence; a description, meaning or summary as text
    followed by its entry's citation; a name as plain text.
    """
    value = resolve(r, path)
    return show(r, value, path)


def fact_value(r: PageContext, path: str) -> Any:
    """The fact itself (not its words), for block templates that loop over facts.

    Example: {{ fact_value("levels.iop.fits") | length }}
    """
    return resolve(r, path)


def headline(r: PageContext, level: str, what: str) -> Markup:
    """A level's headline figure: the one plain answer to "how much?" or "how long?".

    Example: {{ headline("iop", "cost") }}

    `what` is "cost" or "length_of_stay" (also "stay"). The same as
    `fact("levels.iop.cost[headline]")`.
    """
    field = {"stay": "length_of_stay"}.get(what, what)
    if field not in ("cost", "length_of_stay"):
        raise PageLanguageError(f"headline: no headline {what!r}; "
                                + did_you_mean(what, ["cost", "length_of_stay"]))
    return fact(r, f"levels.{level}.{field}[headline]")


# -- resolving a path ---------------------------------------------------------------------------
def _steps(path: str) -> list[str]:
    """"levels.iop.cost[1]" -> ["levels", "iop", "cost", "[1]"]; bad syntax raises."""
    steps, pos = [], 0
    for m in _STEP.finditer(path):
        if m.start() != pos:
            break
        steps.append(m.group(1) if m.group(1) is not None else f"[{m.group(2)}]")
        pos = m.end()
    if pos != len(path) or not steps:
        raise PageLanguageError(f"fact: {path!r} is not a fact path; write names joined by "
                                "dots, such as \"levels.iop.cost[1]\"")
    return steps


def next_steps(value: Any) -> list[str]:
    """What may follow `value` in a path: its keys, its fields, or [1]…[n] and [headline]."""
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple)):
        return [f"[{i}]" for i in range(1, len(value) + 1)] + ["[headline]"]
    if isinstance(value, Node):
        names = [f.name for f in dataclasses.fields(value) if f.name not in _BOOKKEEPING]
        return [n for n in names if getattr(value, n, None) not in (None, (), [], {})]
    return []


def resolve(r: PageContext, path: str) -> Any:
    """The fact at `path` in this build's view; unknown steps name the valid ones."""
    if not isinstance(path, str):
        raise PageLanguageError(f"fact: give the path in quotes, such as "
                                f'fact("levels.iop.cost[1]"), not {path!r}')
    value: Any = r.facts
    here, parent = "", None
    for step in _steps(path):
        if isinstance(value, (Figure, Note)):  # its parts are never shown without the rest
            kind = "figure" if isinstance(value, Figure) else "sourced sentence"
            raise PageLanguageError(f"fact: {here} is one {kind}; write fact(\"{here}\") to "
                                    "show it whole, in words, with its citation")
        parent = value
        if step.startswith("["):
            value = _index(value, step[1:-1], here, parent)
        elif here == "" and step in GROUPS:
            value = getattr(r.facts, step)
        elif here == "":
            raise PageLanguageError(f"fact: no {step!r} in the facts. "
                                    + did_you_mean(step, GROUPS))
        elif isinstance(value, FactGroup):
            if step not in value and value.hidden_path(step):
                raise StaffOnlyError(value.hidden_path(step))
            if step not in value:
                raise _unknown(here, step, value)
            value = value[step]
        elif isinstance(value, Mapping):
            if step not in value:
                raise _unknown(here, step, value)
            value = value[step]
        elif isinstance(value, Node) and (step in next_steps(value) + _PROPERTIES or _group(value, step)):
            value = getattr(value, step)
        else:
            placeholder = hidden(value, step) if isinstance(value, Node) else None
            refuse(placeholder)  # a staff-only field: say so
            raise _unknown(here, step, value)
        here = f"{here}{step}" if step.startswith("[") or not here else f"{here}.{step}"
        refuse(value)
        if r.tracker.usage is not None and isinstance(parent, Node) and not step.startswith("["):
            r.seen(parent, step, value)
    return value


def _group(node: Node, step: str) -> bool:
    """Whether `step` is a group field of `node` (`figures`) that the public view emptied of
    staff-only entries: reading on names the staff-only one, never "no such field"."""
    names = {f.name for f in dataclasses.fields(node)} - _BOOKKEEPING
    return step in names and isinstance(getattr(node, step), FactGroup)


# Text fields that say something a source supports: fact() cites the entry's sources after them.
_CITED = {"description", "meaning", "summary"}
_PROPERTIES = ["label", "headline_cost", "headline_stay"]


def _index(value: Any, key: str, here: str, parent: Any) -> Any:
    """Item `key` ("1", "2", … or "headline") of the list at `here`."""
    if not isinstance(value, (list, tuple)):
        raise PageLanguageError(f"fact: {here} is not a list, so [{key}] means nothing there. "
                                + did_you_mean(f"[{key}]", next_steps(value)))
    if key == "headline":
        owner = getattr(value[0], "owner", None) if value else None
        field = here.rsplit(".", 1)[-1]
        chosen = getattr(owner, {"cost": "headline_cost",
                                 "length_of_stay": "headline_stay"}.get(field, ""), None)
        if chosen is None:
            raise PageLanguageError(f"fact: {here} has no headline figure; add `headline: "
                                    f"{{{field}: 1, {'cost' if field == 'cost' else 'length'}_why: ...}}` to the level in facts.yaml, or "
                                    f"write {here}[1]")
        return chosen
    if key == "0":
        raise PageLanguageError(f"fact: {here}[0] does not exist: lists count from 1, as in "
                                f"facts.yaml messages, so the first item is {here}[1]")
    if not key.isdigit() or not 1 <= int(key) <= len(value):
        raise PageLanguageError(f"fact: {here} has {len(value)} item(s); [{key}] is not one "
                                f"(counting from 1). " + did_you_mean(f"[{key}]",
                                                                      next_steps(value)))
    return value[int(key) - 1]


def _unknown(here: str, step: str, value: Any) -> PageLanguageError:
    return PageLanguageError(f"fact: {here} has no {step!r}. "
                             + did_you_mean(step, next_steps(value)))


def show(r: PageContext, value: Any, path: str) -> Markup:
    """How `fact()` prints what a path names."""
    if isinstance(value, Figure):  # its unit: carekb/render/wording.py `unit_of`
        return page_filters.figure(r, value)
    if isinstance(value, Note):
        return page_filters.note(r, value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Figure) for v in value):
        return page_filters.figures(r, value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Note) for v in value):
        return Markup(" ").join(page_filters.note(r, v) for v in value)
    if isinstance(value, Mapping) and value and all(isinstance(v, Figure) for v in value.values()):
        raise PageLanguageError(f"fact: {path} holds several figures; write one, such as "
                                + " or ".join(f'fact("{path}.{k}")' for k in value))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        owner = resolve(r, path.rsplit(".", 1)[0]) if "." in path else None
        sources = getattr(owner, "sources", ()) if path.rsplit(".", 1)[-1] in _CITED else ()
        return Markup(escape(str(value))) + (page_filters.cite(r, *sources) if sources else Markup(""))
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return Markup(escape(", ".join(value)))
    raise PageLanguageError(f"fact: {path} is not one fact to print; write one of its parts: "
                            + ", ".join(f"{path}.{s}" if not s.startswith("[") else path + s
                                        for s in next_steps(value)[:12]))
