"""The page language: every function, filter and block an editor may write in a page.

`NAMES` is the one list of what a page can call, in the order the reference shows it; the
named blocks are `BLOCKS` (one template each in `carekb/templates/blocks/`). Each entry's
docstring holds an example (the line after "Example:") and what it renders; the staff page
"Editor's reference" is built from these docstrings, rendering each example for real, so it
cannot drift. The implementations live in `fact_paths.py` (fact paths), `page_filters.py`
(figures, citations, links, blocks) and `charts.py` (the continuum chart).

Fact paths count the way facts.yaml messages do: `levels.iop.cost[1]` is the first cost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from carekb.render.language import charts, fact_paths, filters as page_filters
from carekb.render.language.filters import BLOCKS, BLOCKS_DIR, PageLanguageError
from carekb.render.language.context import PageContext


__all__ = ["BLOCKS", "BLOCKS_DIR", "NAMES", "PageLanguageError", "functions", "reference",
           "register", "rendered_reference"]


@dataclass(frozen=True)
class Entry:
    """One name of the page language: a function (`name(...)`) or a filter (`… | name`)."""

    kind: str  # "function" or "filter"
    call: Callable[..., Any]  # called with the renderer first, then what the page gives
    example: str | None = None  # when two names share one implementation: this one's example


NAMES: dict[str, Entry] = {
    "fact": Entry("function", fact_paths.fact),
    "headline": Entry("function", fact_paths.headline),
    "block": Entry("function", page_filters.block),
    "fact_value": Entry("function", fact_paths.fact_value),
    "cite": Entry("function", page_filters.cite),
    "link": Entry("function", page_filters.link),
    "compare_table": Entry("function", page_filters.compare_table),
    "continuum_chart": Entry("function", charts.continuum_chart),
    "hours": Entry("filter", page_filters.hours),
    "figure": Entry("filter", page_filters.figure),
    "costs": Entry("filter", page_filters.figures),
    "stay": Entry("filter", page_filters.figures, "{{ levels.iop.length_of_stay | stay }}"),
    "note": Entry("filter", page_filters.note),
    "words": Entry("filter", page_filters.words),
    "lower_first": Entry("filter", page_filters.lower_first),
    "upper_first": Entry("filter", page_filters.upper_first),
}

# What our own templates (generated pages, blocks) use besides the page language.
_FOR_TEMPLATES: dict[str, Callable[..., Any]] = {
    "url_to": page_filters.url_to, "page_link": page_filters.page_link,
    "pages_citing": page_filters.pages_citing,
}
# Words about sources, in the build's language.
_WORDED: dict[str, Callable[..., Any]] = {
    "published": page_filters.published, "confidence_words": page_filters.confidence_words,
    "kind_words": page_filters.kind_words, "read_words": page_filters.read_words,
}


def register(r: PageContext) -> None:
    """Put the page language into the renderer's Jinja globals and filters."""
    for name, entry in NAMES.items():
        table = r.env.globals if entry.kind == "function" else r.env.filters
        table[name] = _bind(r, entry.call)
    for name, func in _FOR_TEMPLATES.items():
        r.env.globals[name] = _bind(r, func)
    for name, func in _WORDED.items():
        r.env.globals[name] = functools.partial(func, language=r.language)
    # For the generated "Editor's reference" page only (not part of the page language).
    r.env.globals["page_language_reference"] = _bind(r, rendered_reference)


def functions() -> list[str]:
    """The names a page calls as functions, in order."""
    return [name for name, entry in NAMES.items() if entry.kind == "function"]


def _bind(r: PageContext, func: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return func(r, *args, **kwargs)
    call.__doc__, call.__name__ = func.__doc__, func.__name__
    return call


def reference() -> list[dict[str, str]]:
    """Every entry of the page language: name, kind, example and description, in order."""
    entries = []
    for name, entry in NAMES.items():
        shown = _entry(name, entry.kind, entry.call.__doc__ or "")
        if entry.example:
            shown["example"] = entry.example
        entries.append(shown)
    for name, (example, doc) in BLOCKS.items():
        entries.append({"name": name, "kind": "block", "example": example,
                        "about": " ".join(doc.split())})
    return entries


def rendered_reference(r: PageContext) -> list[dict[str, Any]]:
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
