"""What an editor's change to facts.yaml touches: the facts that changed since git's last
commit, and the pages that show them.

Fact paths use the model's notation (`levels.iop.hours_per_week.adults.max`,
`levels.iop.cost[1]`, 1-based list items). A page that used `levels.iop.hours_per_week.adults`
is affected by a change to `levels.iop.hours_per_week.adults.max`, and the other way round.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
        show = lambda v: "(none)" if v is _MISSING else repr(v)  # noqa: E731
        return f"{self.path}: {self.kind} ({show(self.old)} → {show(self.new)})"


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


def related(changed: str, used: str) -> bool:
    """True when one path is the other or lies inside it."""
    if changed == used:
        return True
    longer, shorter = (changed, used) if len(changed) > len(used) else (used, changed)
    return longer.startswith(shorter) and longer[len(shorter)] in ".["


def affected_pages(changes: list[Change], usage: dict[str, list[str]]) -> dict[str, list[str]]:
    """changed fact path -> pages that show it (an empty list: no page shows it)."""
    out: dict[str, list[str]] = {}
    for change in changes:
        pages: set[str] = set()
        for used, used_by in usage.items():
            if related(change.path, used):
                pages.update(used_by)
        out[change.path] = sorted(pages)
    return out


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
