"""What an editor's change to facts.yaml touches: the facts that changed since git's last
commit, and the pages that show them.

Fact paths use the model's notation (`levels.iop.hours_per_week.adults.max`,
`levels.iop.cost[1]`, 1-based list items). A page that used `levels.iop.hours_per_week.adults`
is affected by a change to `levels.iop.hours_per_week.adults.max`, and the other way round.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import subprocess
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from carekb.load.facts_yaml import DERIVED, ROOT
from carekb.model.facts import Figure, Loc
from carekb.load.spec.shapes import model_fields, whole_paths
from carekb.render.wording import figure_words, long_date, number

_MISSING = object()


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        if self.old is _MISSING:
            return "added"
        if self.new is _MISSING:
            return "removed"
        return "changed"

    def describe(self) -> str:
        """"levels.iop.reviewed: changed (November 1, 2026 → December 7, 2026)": each value as
        the site shows it (`shown`)."""
        return f"{self.path}: {self.kind} ({shown(self.old)} → {shown(self.new)})"


_TEXT_SHOWN = 70  # characters of a changed sentence the report shows
_NUMBERS = ("min", "max", "under", "about", "median")
_FIGURE_FIELDS = {f.name for f in fields(Figure)} - {"path", "loc", "sources", "owner"}


def shown(value: Any) -> str:
    """A value of facts.yaml as the site shows it: dates and numbers in words, text quoted
    (a long one cut short), a list of ids joined, "(none)" for a value that is not there."""
    if value is _MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value) if value else "(an empty list)"
    text = " ".join(str(value).split())
    return f'"{text if len(text) <= _TEXT_SHOWN else text[:_TEXT_SHOWN - 1].rstrip() + "…"}"'


def figure_shown(data: Any, path: str) -> str | None:
    """The figure holding the field at `path` (`levels.iop.hours_per_week.adults.max`) as
    the site words it ("9 to 19 hours a week"); None when that field is not in a figure."""
    parent = path.rpartition(".")[0]
    found = _lookup(data, parent)
    if not isinstance(found, dict) or not any(k in found for k in _NUMBERS):
        return None
    try:
        kw = {k: v for k, v in found.items() if k in _FIGURE_FIELDS}
        return figure_words(Figure(parent, Loc("facts.yaml", 0, 0), **kw))
    except (TypeError, ValueError, AttributeError):
        return None  # half-written: the plain values say enough


def _lookup(data: Any, path: str) -> Any:
    """The value at a fact path (`levels.iop.cost[2].min`) of loaded YAML, or None."""
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name and isinstance(data, dict):
            data = data.get(name)
        elif index and isinstance(data, list) and 0 < int(index) <= len(data):
            data = data[int(index) - 1]
        else:
            return None
    return data


def flatten(data: Any, path: str = "") -> dict[str, Any]:
    """Every leaf value of loaded YAML by its fact path."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(data, list):
        if all(not isinstance(v, (dict, list)) for v in data):
            out[path] = data  # a list of ids or sentences is one value
        else:
            for i, value in enumerate(data, 1):
                out.update(flatten(value, f"{path}[{i}]"))
    else:
        out[path] = data
    return out


def diff(old: Any, new: Any) -> list[Change]:
    """Leaf-level differences between two loaded fact files, in path order."""
    a, b = flatten(old), flatten(new)
    changes = []
    for path in sorted(a.keys() | b.keys()):
        va, vb = a.get(path, _MISSING), b.get(path, _MISSING)
        if va != vb:
            changes.append(Change(path, va, vb))
    return changes


# A model attribute -> the facts.yaml field(s) it is made from, as the blocks the builders read
# declare it (`Field.feeds`, `Obj.computed` in carekb/facts_*.py): `label` <- name and abbr.
_FIELDS_OF = model_fields(ROOT)
# (section, a field listing ids) -> (the section, the attribute) the model derives from it there.
_DERIVED = {(d.section, d.field): (d.target, d.target_attribute) for d in DERIVED}
# Blocks a page shows whole when it cites them (`Obj.whole`: figures).
_WHOLE = whole_paths(ROOT)


# Facts the theme shows on every page, outside what page templates read: level and therapy
# names in the navigation, the crisis bar, and abbreviation tooltips wherever a term appears.
EVERY_PAGE = re.compile(r"^(levels|modalities)\.[a-z0-9_]+\.(name|abbr)$|^crisis\.|"
                        r"^glossary\.[a-z0-9_]+\.(term|stands_for)$|^review_every_months$")
# A review date moves the "last reviewed" line of every page that shows anything of its entry.
REVIEW = re.compile(r"^([a-z_]+\.[a-z0-9_]+)\.(reviewed|review_every_months)$")


def shown_paths(used: list[str] | set[str]) -> set[str]:
    """The facts.yaml paths a page shows, from the model paths its templates read.

    Reading a level to get at its name records both `levels.iop` and `levels.iop.name`; only
    the innermost reads say what the page shows, so containers of other reads are dropped. A
    figure read together with its `.sources` is kept: the page formats it whole and cites it.
    """
    used = set(used)
    ordered = sorted(used)
    out: set[str] = set()
    for path in used:
        # A container: some other read lies inside it. Those sort right after `path + "."` or
        # `path + "["`, so one binary search each finds them (a page reads thousands of paths).
        if any(has_prefix(ordered, path + mark) for mark in ".[") and not (
                f"{path}.sources" in used and _WHOLE.match(path)):
            continue
        out.update(yaml_fields(path))
    return out


def yaml_fields(path: str) -> list[str]:
    """A model path named as the facts.yaml field(s) it is made from (`levels.iop.label` ->
    `levels.iop.name`, `levels.iop.abbr`); a path that is a field already, as it is."""
    head, _, last = path.rpartition(".")
    if head and last in _FIELDS_OF:
        return [f"{head}.{field}" for field in _FIELDS_OF[last]]
    return [path]


def has_prefix(ordered: list[str], prefix: str) -> bool:
    """Whether the sorted list holds a string starting with `prefix`."""
    at = bisect.bisect_left(ordered, prefix)
    return at < len(ordered) and ordered[at].startswith(prefix)


def changed_paths(change: Change) -> set[str]:
    """The paths a change touches: its own, and what the model derives from it elsewhere."""
    out = {change.path}
    parts = change.path.split(".")
    if len(parts) == 3 and (parts[0], parts[2]) in _DERIVED:
        section, attribute = _DERIVED[parts[0], parts[2]]
        old = set(change.old) if isinstance(change.old, list) else set()
        new = set(change.new) if isinstance(change.new, list) else set()
        out.update(f"{section}.{ident}.{attribute}" for ident in old ^ new)
    return out


def related(changed: str, used: str) -> bool:
    """True when one path is the other or lies inside it."""
    if changed == used:
        return True
    longer, shorter = (changed, used) if len(changed) > len(used) else (used, changed)
    return longer.startswith(shorter) and longer[len(shorter)] in ".["


def affected_pages(changes: list[Change], page_facts: dict[str, list[str]]) -> dict[str, list[str]]:
    """changed fact path -> pages that show it (an empty list: no page shows it).

    `page_facts` is each page's list of model paths its templates read (the build report's
    `pages[src].facts`).
    """
    shown = {page: shown_paths(used) for page, used in page_facts.items()}
    out: dict[str, list[str]] = {}
    for change in changes:
        if EVERY_PAGE.search(change.path):
            out[change.path] = sorted(shown)
            continue
        touched = changed_paths(change)
        review = REVIEW.match(change.path)
        entry = review.group(1) if review else None

        def shows(paths: set[str]) -> bool:
            if entry and any(related(entry, u) for u in paths):
                return True
            return any(related(c, u) for c in touched for u in paths)

        out[change.path] = sorted(page for page, paths in shown.items() if shows(paths))
    return out


def facts_by_page(page_facts: dict[str, list[str]]) -> dict[str, list[str]]:
    """facts.yaml path -> pages that show it: the editor's map of what each fact touches."""
    out: dict[str, set[str]] = {}
    for page, used in page_facts.items():
        for path in shown_paths(used):
            out.setdefault(path, set()).add(page)
    return {path: sorted(pages) for path, pages in sorted(out.items())}


def load_yaml_text(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def committed_version(path: Path, rev: str = "HEAD") -> str | None:
    """The file's text at `rev` in its git repository, or None when git has no such version."""
    path = path.resolve()
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path.parent, capture_output=True,
                             text=True, check=True).stdout.strip()
        rel = path.relative_to(Path(top).resolve()).as_posix()
        return subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=top, capture_output=True, text=True,
                              check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError):
        return None
