"""A small field-spec language: each spec reads a YAML node into a Python value, reporting
located problems in plain words, and describes itself as JSON Schema.

One description serves both the build's validation and the editor's schema, so the two
cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from .model import Loc
from .problems import ERROR, WARNING, Problem
from .yamlload import PLAIN, implicit_tag

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_ID = re.compile(ID_PATTERN)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|<\s*script", re.I)
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_STR = "tag:yaml.org,2002:str"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


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
    # a Loc for every field of a big fact base cost a tenth of the reading time, and only
    # the few fields a later check complains about need one.
    locs: dict[str, yaml.Node] = field(default_factory=dict)

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

    def warn(self, node: yaml.Node | None, path: str, message: str, hint: str | None = None) -> None:
        self.error(node, path, message, hint, WARNING)

    def errors_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)


def suggest(word: str, choices: list[str] | Any, what: str) -> str:
    """'did you mean `php`?' where a close choice exists, else the list of choices."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    listing = ", ".join(f"`{c}`" for c in choices) if choices else "(none yet)"
    if close:
        return f"did you mean `{close[0]}`? {what}: {listing}."
    return f"use one of the {what}: {listing}."


def _kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a block of fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"`{node.value}`"


def _plain(node: yaml.ScalarNode) -> bool:
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
            return ctx.error(node, path, f"should be {expected}, not {_kind_of(node)}.")
        return node.value

    def _schema(self, **kw: Any) -> dict:
        if self.doc:
            kw["description"] = self.doc
        return kw


class Text(Spec):
    """Plain text. YAML 1.1 would turn unquoted `no`, `off`, `988` or `1:30` into something else."""

    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        s = self._scalar(node, path, ctx, "text")
        if s is INVALID:
            return s
        if _plain(node) and node.tag != _STR and (tag := implicit_tag(node)) != _STR:
            tag = tag.rsplit(":", 1)[-1]
            if tag == "null" or not s:
                return ctx.error(node, path, "is empty.", "write the text, or remove the line.")
            quoted = '"' + s.replace('"', '\\"') + '"'
            if tag == "bool":
                return ctx.error(node, path, f"`{s}` is read by YAML as a yes/no value, not as text.",
                                 f"put it in quotes: {quoted}.")
            if tag in ("int", "float"):
                seen = yaml.safe_load(s)
                what = f"the number {seen}" if str(seen) != s else "a number"
                return ctx.error(node, path, f"`{s}` is read by YAML as {what}, not as text.",
                                 f"put it in quotes: {quoted}.")
            return ctx.error(node, path, f"`{s}` is read by YAML as a date, not as text.",
                             f"put it in quotes: {quoted}.")
        if not s.strip():
            return ctx.error(node, path, "is empty.", "write the text, or remove the line.")
        if _HTML.search(s):
            return ctx.error(node, path, "contains HTML code; facts are plain text and are never run as code.",
                             "remove the <…> tag and write plain words.")
        if _TEMPLATE.search(s):
            return ctx.error(node, path, "contains template code (`{{`, `{%` or `{#`); facts are plain "
                             "text and are never run as code.", "remove the braces.")
        return s.strip()

    def json(self):
        return self._schema(type="string", minLength=1, not_={"pattern": r"\{\{|\{%|\{#|<\s*/?\s*[a-zA-Z!]"})


class Url(Text):
    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        if s is not INVALID and not re.match(r"^https?://[^\s]+$", s):
            return ctx.error(node, path, f"`{s}` is not a web address.", "write the full address, starting with https://.")
        return s

    def json(self):
        return self._schema(type="string", pattern=r"^https?://\S+$")


class OptionalText(Text):
    """Text where `null` means 'there is none' (an ASAM edition without this level)."""

    def read(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and _plain(node) and implicit_tag(node).endswith(":null"):
            return None
        return super().read(node, path, ctx)

    def json(self):
        return self._schema(anyOf=[{k: v for k, v in super().json().items() if k != "description"},
                                   {"type": "null"}])


class Flag(Spec):
    def __init__(self, doc: str = "true or false") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and _plain(node) and node.value in ("true", "false"):
            return node.value == "true"
        return ctx.error(node, path, f"should be true or false, not {_kind_of(node)}.")

    def json(self):
        return self._schema(type="boolean")


class Number(Spec):
    def __init__(self, doc: str = "", *, integer: bool = False, minimum: float | None = 0,
                 maximum: float | None = None) -> None:
        self.doc, self.integer, self.minimum, self.maximum = doc, integer, minimum, maximum

    def read(self, node, path, ctx):
        s = self._scalar(node, path, ctx, "a number")
        if s is INVALID:
            return s
        s = s.strip()
        if not _plain(node):
            return ctx.error(node, path, f"`{s}` is in quotes, so it is text, not a number.",
                             f"remove the quotes: {s}." if _NUMBER.match(s) else "write a plain number.")
        if not _NUMBER.match(s):
            if re.match(r"^\d+(:\d+)+$", s):
                return ctx.error(node, path, f"`{s}` is not a number (YAML would read it as {yaml.safe_load(s)}).",
                                 "write one number, for example 90 with `unit: minutes`.")
            if re.match(r"^\$?[\d,]+(\.\d+)?$", s):
                return ctx.error(node, path, f"`{s}` is not a plain number.",
                                 f"write it without $ or commas: {s.replace('$', '').replace(',', '')}.")
            return ctx.error(node, path, f"`{s}` is not a number.", "write a plain number such as 9 or 2.5.")
        value: float = float(s)
        if self.integer or value.is_integer():
            value = int(value)
        if self.integer and "." in s:
            return ctx.error(node, path, f"`{s}` should be a whole number.")
        if self.minimum is not None and value < self.minimum:
            return ctx.error(node, path, f"{s} is below the lowest allowed value, {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            return ctx.error(node, path, f"{s} is above the highest allowed value, {self.maximum}.")
        return value

    def json(self):
        kw: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            kw["minimum"] = self.minimum
        if self.maximum is not None:
            kw["maximum"] = self.maximum
        return self._schema(**kw)


class Date(Spec):
    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        s = self._scalar(node, path, ctx, "a date")
        if s is INVALID:
            return s
        m = _DATE.match(s.strip())
        if not m:
            return ctx.error(node, path, f"`{s}` is not a date.", "write dates as year-month-day, like 2026-11-01.")
        y, mo, d = (int(g) for g in m.groups())
        if not 1 <= mo <= 12:
            return ctx.error(node, path, f"`{s}` is not a real date: there is no month {mo}.",
                             "write dates as year-month-day, like 2026-11-01.")
        try:
            return dt.date(y, mo, d)
        except ValueError:
            last = (dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)).day
            return ctx.error(node, path, f"`{s}` is not a real date: {_MONTHS[mo - 1]} {y} has {last} days.",
                             "correct the day.")

    def json(self):
        return self._schema(type="string", pattern=r"^\d{4}-\d{1,2}-\d{1,2}$")


class Enum(Text):
    def __init__(self, choices: list[str], doc: str = "", what: str = "choices") -> None:
        self.choices, self.doc, self.what = choices, doc, what

    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        if s is INVALID or s in self.choices:
            return s
        return ctx.error(node, path, f"`{s}` is not allowed here.", suggest(s, self.choices, self.what))

    def json(self):
        return self._schema(enum=list(self.choices))


class Ref(Text):
    """The id of a level, modality, format or source; checked once the whole file is read."""

    def __init__(self, kind: str, doc: str = "") -> None:
        self.kind, self.doc = kind, doc

    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        if s is not INVALID:
            ctx.refs.append((self.kind, s, path, node))
        return s

    def json(self):
        return self._schema(type="string", pattern=ID_PATTERN)


class Refs(Spec):
    """One id or a list of ids: `source: tip47` or `source: [tip47, asam3]`."""

    def __init__(self, kind: str, doc: str = "", *, single_ok: bool = True) -> None:
        self.kind, self.doc, self.single_ok = kind, doc, single_ok
        self.one = Ref(kind)

    def read(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and self.single_ok:
            if _plain(node) and implicit_tag(node) == "tag:yaml.org,2002:null":
                return ()
            v = self.one.read(node, path, ctx)
            return INVALID if v is INVALID else (v,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(node, path, f"should be a list of ids, like [a, b], not {_kind_of(node)}.")
        out = [self.one.read(item, f"{path}[{i}]", ctx) for i, item in enumerate(node.value, 1)]
        if any(v is INVALID for v in out):
            return INVALID
        return tuple(out)

    def json(self):
        many = {"type": "array", "items": self.one.json(), "uniqueItems": True}
        if self.single_ok:
            return self._schema(anyOf=[self.one.json(), many])
        return self._schema(**many)


class ListOf(Spec):
    def __init__(self, item: Spec, doc: str = "", *, min_items: int = 0) -> None:
        self.item, self.doc, self.min_items = item, doc, min_items

    def read(self, node, path, ctx):
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(node, path, f"should be a list (lines starting with `- `), not {_kind_of(node)}.")
        if len(node.value) < self.min_items:
            return ctx.error(node, path, f"needs at least {self.min_items} item(s).")
        out = [self.item.read(item, f"{path}[{i}]", ctx) for i, item in enumerate(node.value, 1)]
        return [v for v in out if v is not INVALID]

    def json(self):
        kw: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items:
            kw["minItems"] = self.min_items
        return self._schema(**kw)


@dataclass
class Field:
    spec: Spec
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    missing_hint: str | None = None


Builder = Callable[[dict[str, Any], str, Loc, "str | None"], Any]


class Obj(Spec):
    """A block of named fields. Catches duplicate, unknown and missing fields."""

    def __init__(self, fields: dict[str, Field], build: Builder, doc: str = "",
                 check: Callable[[dict[str, Any], yaml.Node, str, Ctx], None] | None = None) -> None:
        self.fields, self.build, self.doc, self.check = fields, build, doc, check
        self.names = {alias: name for name, f in fields.items() for alias in (name, *f.aliases)}

    def read(self, node, path, ctx, id: str | None = None, loc: Loc | None = None):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, f"should be a block of fields (`name: value` lines), not {_kind_of(node)}.")
        before = ctx.errors_count()
        nodes = read_mapping(node, path, ctx, self.names, "fields allowed here")
        values: dict[str, Any] = {}
        for name, f in self.fields.items():
            if name in nodes:
                key_node, value_node = nodes[name]
                field_path = join(path, name)
                ctx.locs[field_path] = value_node
                written = field_path if key_node.value == name else join(path, key_node.value)  # an alias
                values[name] = f.spec.read(value_node, written, ctx)
            elif f.required and not _misspelled(name, node, self.names):
                hint = f.missing_hint or (f"add `{name}:`" + (f" ({f.spec.doc})." if f.spec.doc else "."))
                if callable(hint):
                    hint = hint(ctx)
                ctx.error(node, join(path, name), f"`{name}` is missing.", hint)
            else:
                values[name] = f.default
        if self.check and ctx.errors_count() == before:
            self.check(values, node, path, ctx)
        if ctx.errors_count() != before:
            return INVALID
        return self.build(values, path, loc or ctx.loc(node), id)

    def json(self):
        props = {}
        for name, f in self.fields.items():
            props[name] = f.spec.json()
            for alias in f.aliases:
                props[alias] = f.spec.json()
        required = [n for n, f in self.fields.items() if f.required and not f.aliases]
        kw: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            kw["required"] = required
        aliased = [[n, *f.aliases] for n, f in self.fields.items() if f.required and f.aliases]
        if aliased:
            kw["allOf"] = [{"anyOf": [{"required": [a]} for a in names]} for names in aliased]
        return self._schema(**kw)


class IdMap(Spec):
    """`id: {…}` entries of one kind (levels, modalities, sources…). Registers the ids."""

    def __init__(self, kind: str, item: Obj, doc: str = "", what: str | None = None) -> None:
        self.kind, self.item, self.doc, self.what = kind, item, doc, what or kind

    def read(self, node, path, ctx):
        registry = ctx.ids.setdefault(self.kind, {})
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, f"should be a block of {self.what}, each under its id, not {_kind_of(node)}.")
        entries = read_mapping(node, path, ctx, None, "")
        out = {}
        for key, (key_node, value_node) in entries.items():
            if not _ID.match(key):
                fixed = re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_") or "name"
                ctx.error(key_node, join(path, key), f"`{key}` is not a valid id.",
                          f"ids use lowercase letters, digits and _, for example `{fixed}`.")
                continue
            registry[key] = loc = ctx.loc(key_node)
            value = self.item.read(value_node, join(path, key), ctx, id=key, loc=loc)
            if value is not INVALID:
                out[key] = value
        return out

    def json(self):
        return self._schema(type="object", propertyNames={"pattern": ID_PATTERN},
                            additionalProperties=self.item.json())


def read_mapping(node: yaml.MappingNode, path: str, ctx: Ctx, allowed: dict[str, str] | None,
                 what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key → (key node, value node), reporting duplicates, unknown keys and odd keys."""
    seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.tag == PLAIN and key_node.value == "<<"
                                                          and implicit_tag(key_node).endswith(":merge")):
            ctx.error(key_node, path, "`<<` (YAML merge) is not supported here.", "write the fields out in full.")
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            ctx.error(key_node, path, "a field name must be a plain word.")
            continue
        key = key_node.value
        name = allowed.get(key) if allowed is not None else key
        if allowed is not None and name is None:
            ctx.error(key_node, join(path, key), f"`{key}` is not a known field here.", suggest(key, allowed, what))
            continue
        if name in seen:
            first = seen[name][0].start_mark.line + 1
            said = f"`{key}`" if key == name else f"`{key}` (the same field as `{name}`)"
            ctx.error(key_node, join(path, key), f"{said} is given twice (first on line {first}); "
                      "YAML would silently keep only the last one.", "remove one of them.")
            continue
        seen[name] = (key_node, value_node)
    return seen


def _misspelled(name: str, node: yaml.MappingNode, names: dict[str, str]) -> bool:
    """True when an unknown key here looks like `name`: that key's error already says so."""
    unknown = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value not in names]
    return any(difflib.get_close_matches(u, [name], n=1, cutoff=0.6) for u in unknown)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def Schema(root: Obj, title: str) -> dict:
    """The JSON Schema document for a root spec."""
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **root.json()}
    return _fix_not(doc)


def _fix_not(obj: Any) -> Any:
    # `not` is a Python keyword, so specs spell it `not_`.
    if isinstance(obj, dict):
        return {("not" if k == "not_" else k): _fix_not(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fix_not(v) for v in obj]
    return obj
