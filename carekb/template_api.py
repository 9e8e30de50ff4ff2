"""The page language: every function, filter and block an editor may write in a page.

`NAMES` is the one list of what a page can call. Each entry's docstring holds an example
(the line after "Example:") and what it renders; the staff page "Editor's reference" is
built from these docstrings, rendering each example for real, so it cannot drift.

Fact paths count the way facts.yaml messages do: `levels.iop.cost[1]` is the first cost.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from carekb.audience import FactGroup, StaffOnly, hidden
from carekb.model import Figure, Node, Note, StaffOnlyError

if TYPE_CHECKING:
    from carekb.render import Renderer

BLOCKS_DIR = Path(__file__).resolve().parent / "templates" / "blocks"
_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]*)\]")
_BOOKKEEPING = {"path", "loc", "owner", "audience", "reviewed", "review_every_months"}


class PageLanguageError(ValueError):
    """A page called the page language wrongly; the message says how to write it."""


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    """"Did you mean 'x'? Choose from: …" for a misspelt `name` (difflib)."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    if close:  # keep only the guesses about as close as the best one
        best = difflib.SequenceMatcher(None, name, close[0]).ratio()
        close = [c for c in close if difflib.SequenceMatcher(None, name, c).ratio() > best - 0.05]
    guess = f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"{guess}Choose from: {', '.join(choices) or '(none)'}"


# -- functions --------------------------------------------------------------------------------
def fact(r: Renderer, path: str) -> Markup:
    """A fact by its path, in plain words, with its citation attached.

    Example: {{ fact("levels.iop.hours_per_week.adults") }}

    A figure prints in words with its footnote; a list of figures (`cost`, `length_of_stay`)
    prints every one, "; "-separated; `cost[1]` is the first (counting from 1, as facts.yaml
    messages do) and `cost[headline]` the one the level's `headline` names. A note
    (`hours_note`) prints as a cited sentence; a description, meaning or summary as text
    followed by its entry's citation; a name as plain text.
    """
    value = resolve(r, path)
    return show(r, value, path)


def lower_first(r: Renderer, text: str) -> Markup:
    """The text with its first letter in lower case, to continue a sentence with a fact.

    Example: It means {{ fact("levels.iop.summary") | lower_first }}
    """
    return Markup(escape(text[:1]).lower()) + Markup(escape(text[1:]))


def upper_first(r: Renderer, text: str) -> Markup:
    """The text with its first letter in upper case, to start a sentence with a fact.

    Example: {{ fact("levels.iop.length_of_stay[1]") | upper_first }}
    """
    return Markup(escape(text[:1]).upper()) + Markup(escape(text[1:]))


def fact_value(r: Renderer, path: str) -> Any:
    """The fact itself (not its words), for block templates that loop over facts.

    Example: {{ fact_value("levels.iop.fits") | length }}
    """
    return resolve(r, path)


def headline(r: Renderer, level: str, what: str) -> Markup:
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


def block(r: Renderer, name: str, **values: Any) -> Markup:
    """A named block: a ready-made table, list or box built from the facts.

    Example: {{ block("help_now") }}

    The blocks are listed below under "Blocks"; each takes the values shown there.
    """
    if name not in BLOCKS:
        raise PageLanguageError(f"block: no block named {name!r}. "
                                + did_you_mean(name, sorted(BLOCKS)))
    return r.block_template(f"blocks/{name}.md.j2", **values)


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


def resolve(r: Renderer, path: str) -> Any:
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
        elif here == "" and step in _ROOTS:
            value = getattr(r.facts, step)
        elif here == "":
            raise PageLanguageError(f"fact: no {step!r} in the facts. "
                                    + did_you_mean(step, _ROOTS))
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
        elif isinstance(value, Node) and step in next_steps(value) + _PROPERTIES:
            value = getattr(value, step)
        else:
            placeholder = hidden(value, step) if isinstance(value, Node) else None
            if placeholder is not None:  # a StaffOnly placeholder is falsy: test for None
                raise StaffOnlyError(placeholder.path)
            raise _unknown(here, step, value)
        here = f"{here}{step}" if step.startswith("[") or not here else f"{here}.{step}"
        if isinstance(value, StaffOnly):
            str(value)  # raises StaffOnlyError naming the fact
        if r.usage is not None and isinstance(parent, Node) and not step.startswith("["):
            r.seen(parent, step, value)
    return value


# Text fields that say something a source supports: fact() cites the entry's sources after them.
_CITED = {"description", "meaning", "summary"}
_ROOTS = ["levels", "modalities", "formats", "conditions", "glossary", "crisis", "sources",
          "billing_codes"]
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
                                    f"{{{field}: 1, why: ...}}` to the level in facts.yaml, or "
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


def show(r: Renderer, value: Any, path: str) -> Markup:
    """How `fact()` prints what a path names."""
    if isinstance(value, Figure):
        if re.search(r"\.hours_per_week\.\w+$", path):
            return r.figure(value, unit="hours", per="week")
        return r.figure(value)
    if isinstance(value, Note):
        return r.note(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Figure) for v in value):
        return r.figures(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Note) for v in value):
        return Markup(" ").join(r.note(v) for v in value)
    if isinstance(value, Mapping) and value and all(isinstance(v, Figure) for v in value.values()):
        raise PageLanguageError(f"fact: {path} holds several figures; write one, such as "
                                + " or ".join(f'fact("{path}.{k}")' for k in value))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        owner = resolve(r, path.rsplit(".", 1)[0]) if "." in path else None
        sources = getattr(owner, "sources", ()) if path.rsplit(".", 1)[-1] in _CITED else ()
        return Markup(escape(str(value))) + (r.cite(*sources) if sources else Markup(""))
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return Markup(escape(", ".join(value)))
    raise PageLanguageError(f"fact: {path} is not one fact to print; write one of its parts: "
                            + ", ".join(f"{path}.{s}" if not s.startswith("[") else path + s
                                        for s in next_steps(value)[:12]))


# -- the one list ---------------------------------------------------------------------------------
# Every name a page may call. Kind "function" is called as name(...); "filter" is written after
# a bar; the block names are BLOCKS. The renderer registers exactly these.
FUNCTIONS: dict[str, Callable[..., Any]] = {"fact": fact, "headline": headline,
                                            "block": block, "fact_value": fact_value}
# Filters of the page language itself (written after a bar: {{ … | lower_first }}).
OWN_FILTERS: dict[str, Callable[..., Markup]] = {"lower_first": lower_first,
                                                 "upper_first": upper_first}
# Functions and filters that live on the Renderer (name in a page -> Renderer method).
RENDERER_FUNCTIONS = {"cite": "cite", "link": "link", "compare_table": "compare_table",
                      "continuum_chart": "continuum_chart"}
FILTERS = {"hours": "hours", "figure": "figure", "costs": "figures", "stay": "figures",
           "note": "note", "words": "words"}

# Named blocks (templates in carekb/templates/blocks/): name -> (example, what it shows).
BLOCKS: dict[str, tuple[str, str]] = {}


def _load_blocks() -> None:
    """Read each block's example and description from the `{#- … -#}` comment at its top."""
    for tpl in sorted(BLOCKS_DIR.glob("*.md.j2")):
        text = tpl.read_text(encoding="utf-8")
        doc = re.match(r"\{#-?(.*?)-?#\}", text, re.S)
        body = doc.group(1).strip() if doc else ""
        example = re.search(r"Example:\s*(\{\{.*?\}\})", body)
        BLOCKS[tpl.name.removesuffix(".md.j2")] = (
            example.group(1) if example else "{{ block(\"%s\") }}" % tpl.name[:-6],
            re.sub(r"\s*Example:.*", "", body, flags=re.S).strip())


_load_blocks()


def register(r: Renderer) -> None:
    """Put the page language into the renderer's Jinja globals and filters."""
    for name, func in FUNCTIONS.items():
        r.env.globals[name] = _bind(r, func)
    for name, method in RENDERER_FUNCTIONS.items():
        r.env.globals[name] = getattr(r, method)
    for name, method in FILTERS.items():
        r.env.filters[name] = getattr(r, method)
    for name, func in OWN_FILTERS.items():
        r.env.filters[name] = _bind(r, func)
    # For the generated "Editor's reference" page only (not part of the page language).
    r.env.globals["page_language_reference"] = _bind(r, rendered_reference)


def names() -> list[str]:
    """Every function, filter and block name of the page language."""
    return [*FUNCTIONS, *RENDERER_FUNCTIONS, *FILTERS, *OWN_FILTERS, *BLOCKS]


def _bind(r: Renderer, func: Callable[..., Markup]) -> Callable[..., Markup]:
    def call(*args: Any, **kwargs: Any) -> Markup:
        return func(r, *args, **kwargs)
    call.__doc__, call.__name__ = func.__doc__, func.__name__
    return call


def reference() -> list[dict[str, str]]:
    """Every entry of the page language: name, kind, example and description, in order."""
    from carekb.render import Renderer  # the filters and macros live on the renderer

    entries = []
    for name, func in FUNCTIONS.items():
        entries.append(_entry(name, "function", func.__doc__ or ""))
    for name, method in RENDERER_FUNCTIONS.items():
        entries.append(_entry(name, "function", getattr(Renderer, method).__doc__ or ""))
    for name, method in FILTERS.items():
        entry = _entry(name, "filter", getattr(Renderer, method).__doc__ or "")
        if name == "stay":  # one method prints costs and stays: show each with its own list
            entry["example"] = "{{ levels.iop.length_of_stay | stay }}"
        entries.append(entry)
    for name, func in OWN_FILTERS.items():
        entries.append(_entry(name, "filter", func.__doc__ or ""))
    for name, (example, doc) in BLOCKS.items():
        entries.append({"name": name, "kind": "block", "example": example,
                        "about": " ".join(doc.split())})
    return entries


def rendered_reference(r: Renderer) -> list[dict[str, Any]]:
    """`reference()` with each example rendered for real on the page being built."""
    entries = []
    for entry in reference():
        shown = r.env.from_string(entry["example"]).render() if entry["example"] else ""
        entries.append({**entry, "shows": Markup(shown.strip("\n"))})
    return entries


def _entry(name: str, kind: str, doc: str) -> dict[str, str]:
    """One entry from a docstring: its first paragraph, example line and the rest."""
    example = re.search(r"Example:\s*(.+)", doc)
    about = re.sub(r"\n\s*Example:.*?(\n\s*\n|$)", "\n\n", doc.strip(), flags=re.S)
    return {"name": name, "kind": kind, "example": example.group(1).strip() if example else "",
            "about": " ".join(about.split())}
