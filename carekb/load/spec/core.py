"""The field-spec language's core: the reading context (`Ctx`), the `Spec` base, a field of a
block (`Field`), and reading a YAML block's keys (duplicates, unknown and odd keys reported).

Specs of single values are in `spec_scalars.py`, blocks and the JSON Schema in `spec.py`, which
re-exports all of it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from carekb.model.facts import Loc
from carekb.load.plaintext import shown_text
from carekb.base.problems import ERROR, Problem
from carekb.load.yaml_mistakes import misplaced_field
from carekb.load.yamlload import PLAIN, implicit_tag

class Invalid:
    """Marks a value whose problem has already been reported."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class Ctx:
    """What reading one file collects: problems, ids by kind, and references to check."""

    file: str
    today: dt.date
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, dict[str, Loc]] = field(default_factory=dict)
    refs: list[tuple[str, str, str, yaml.Node]] = field(default_factory=list)
    # Field path -> the node of its value: where it is written (`loc_of`). Nodes, not Locs:
    # a Loc for every field of a big fact base was a large share of the reading time, and only
    # the few fields a later check complains about need one.
    locs: dict[str, yaml.Node] = field(default_factory=dict)
    # The blocks being read, outermost first: (their field names, their node); a field unknown
    # in a block but known in the one around it is an indentation mistake (yaml_mistakes.py).
    blocks: list[tuple[dict[str, str], yaml.MappingNode]] = field(default_factory=list)
    moved: set[tuple[yaml.Node, str]] = field(default_factory=set)  # (block, field) said so

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def loc_of(self, path: str, default: Loc) -> Loc:
        """Where the value of the field at `path` is written (`default` if it is not)."""
        node = self.locs.get(path)
        return default if node is None else self.loc(node)

    def error(self, node: yaml.Node | None, path: str, message: str, hint: str | None = None,
              severity: str = ERROR) -> Invalid:
        line = col = None
        if node is not None:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(self.file, line, col, path, message, hint, severity))
        return INVALID

    def errors_count(self) -> int:
        problems = self.problems
        return sum(1 for p in problems if p.severity == ERROR) if problems else 0


def suggest(word: str, choices: list[str] | Any, what: str) -> str:
    """'did you mean `php`?' where a close choice exists, else the list of choices."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    listing = ", ".join(f"`{c}`" for c in choices) if choices else "(none yet)"
    if close:
        return f"did you mean `{close[0]}`? {what}: {listing}."
    return f"use one of the {what}: {listing}."


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a block of fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"`{shown_text(node.value)}`"


_ScalarNode = yaml.ScalarNode


def plain_style(node: yaml.ScalarNode) -> bool:
    return node.style in (None, "")


class Spec:
    """Base: read(node, path, ctx) -> value or INVALID; json() -> JSON Schema."""

    doc: str = ""

    def read(self, node: yaml.Node, path: str, ctx: Ctx) -> Any:  # pragma: no cover
        raise NotImplementedError

    def json(self) -> dict:  # pragma: no cover
        raise NotImplementedError

    def _scalar(self, node: yaml.Node, path: str, ctx: Ctx, expected: str) -> str | Invalid:
        if not isinstance(node, yaml.ScalarNode):
            return ctx.error(node, path, f"should be {expected}, not {kind_of(node)}.")
        return node.value

    def _schema(self, **kw: Any) -> dict:
        if self.doc:
            kw["description"] = self.doc
        return kw


@dataclass
class Field:
    """One field of a block: its spec, whether it must be written, its default, other names editors
    may write it under, and the model attribute it feeds when that is not its own name
    (`source` feeds `sources`): the impact report maps pages' reads back to fields with it."""

    spec: Spec
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    missing_hint: str | None = None
    feeds: str | None = None


def read_mapping(node: yaml.MappingNode, path: str, ctx: Ctx, allowed: dict[str, str] | None,
                 what: str, inner: Callable[[str], Mapping[str, str]] | None = None
                 ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key → (key node, value node), reporting duplicates, unknown keys and odd keys. An unknown
    key known one block up or down (`inner(field)`: the names a field's block allows) is
    reported as the indentation mistake it is."""
    seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key_node.tag == "tag:yaml.org,2002:merge" or (key == "<<" and key_node.tag == PLAIN
                                                          and implicit_tag(key_node).endswith(":merge")):
            ctx.error(key_node, path, "`<<` (YAML merge) is not supported here.", "write the fields out in full.")
            continue
        if key_node.__class__ is not _ScalarNode and not isinstance(key_node, _ScalarNode):
            ctx.error(key_node, path, "a field name must be a plain word.")
            continue
        name = allowed.get(key) if allowed is not None else key
        if allowed is not None and name is None:
            shown = shown_text(key)
            found = inner and misplaced_field(key, key_node, node, ctx.blocks[-1] if ctx.blocks
                                              else None, inner)
            if found:
                message, hint, into = found
                if into is not None:  # its block will not report it missing as well
                    ctx.moved.add(into)
            else:
                message, hint = f"`{shown}` is not a known field here.", suggest(shown, allowed, what)
            ctx.error(key_node, join(path, shown), message, hint)
            continue
        if name in seen:
            first = seen[name][0].start_mark.line + 1
            said = f"`{key}`" if key == name else f"`{key}` (the same field as `{name}`)"
            ctx.error(key_node, join(path, key), f"{said} is given twice (first on line {first}); "
                      "YAML would silently keep only the last one.", "remove one of them.")
            continue
        seen[name] = (key_node, value_node)
    return seen


def misspelled(name: str, node: yaml.MappingNode, names: dict[str, str]) -> bool:
    """True when an unknown key here looks like `name`: that key's error already says so."""
    unknown = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value not in names]
    return any(difflib.get_close_matches(u, [name], n=1, cutoff=0.6) for u in unknown)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


