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
from .plaintext import (PHONE, PHONE_SCHEMA, URL_SCHEMA, forbidden_pattern, plain_text_problem, shown_text,
                        url_problem)
from .problems import ERROR, WARNING, Problem
from .yamlload import PLAIN, implicit_tag

ID_MAX = 64
ID_PATTERN = r"^[a-z][a-z0-9_]{0,%d}$" % (ID_MAX - 1)
_ID = re.compile(ID_PATTERN[1:-1])  # always with fullmatch: `$` would let a trailing newline through
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_NUMBER_MAX_CHARS = 15  # past this a float loses digits, and 400 digits read as infinity
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
YEAR_MIN, YEAR_MAX = 1900, 2100

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


def _kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a block of fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"`{shown_text(node.value)}`"


_ScalarNode = yaml.ScalarNode


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
    """Plain text. YAML 1.1 would turn unquoted `no`, `off`, `988` or `1:30` into something else.

    Plain by type: no HTML tag (closed or not), no Markdown link, image, footnote or link
    definition, no braces, no control, bidi or zero-width character. Long text keeps newlines
    and tabs; `Line` (names, titles, labels) does not.
    """

    one_line = False
    max_chars = 2000

    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        if node.__class__ is not _ScalarNode and not isinstance(node, _ScalarNode):
            return ctx.error(node, path, f"should be text, not {_kind_of(node)}.")
        s = node.value
        if not node.style and node.tag != _STR and (tag := implicit_tag(node)) != _STR:
            tag = tag.rsplit(":", 1)[-1]
            if tag == "null" or not s:
                return ctx.error(node, path, "is empty.", "write the text, or remove the line.")
            quoted = '"' + s.replace('"', '\\"') + '"'
            if tag == "bool":
                return ctx.error(node, path, f"`{shown_text(s)}` is read by YAML as a yes/no value, not as text.",
                                 f"put it in quotes: {quoted}.")
            if tag in ("int", "float"):
                seen = _number_seen(s)
                what = f"the number {seen}" if seen is not None and str(seen) != s else "a number"
                return ctx.error(node, path, f"`{shown_text(s)}` is read by YAML as {what}, not as text.",
                                 f"put it in quotes: {quoted}.")
            return ctx.error(node, path, f"`{shown_text(s)}` is read by YAML as a date, not as text.",
                             f"put it in quotes: {quoted}.")
        stripped = s.strip()
        if not stripped:
            return ctx.error(node, path, "is empty.", "write the text, or remove the line.")
        wrong = plain_text_problem(s, self.one_line, self.max_chars)
        if wrong:
            return ctx.error(node, path, *wrong)
        return stripped

    def json(self):
        return self._schema(type="string", minLength=1, maxLength=self.max_chars,
                            not_={"pattern": forbidden_pattern(self.one_line)})


class Line(Text):
    """Plain text on one line: a name, title, label, abbreviation or code."""

    one_line = True
    max_chars = 300


def _number_seen(s: str) -> Any:
    """What YAML reads `s` as, or None when it is too long to show (a 400-digit number)."""
    if len(s) > 40:
        return None
    try:
        return yaml.safe_load(s)
    except (yaml.YAMLError, ValueError):
        return None


class Url(Line):
    """An absolute https address that cannot break out of the link or tag it is written into."""

    max_chars = 2000

    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        if s is INVALID:
            return s
        wrong = url_problem(s)
        return ctx.error(node, path, *wrong) if wrong else s

    def json(self):
        return self._schema(type="string", maxLength=self.max_chars, pattern=URL_SCHEMA)


class Phone(Line):
    """A number to call, text or use with a TTY: digits, spaces and + ( ) - . only."""

    max_chars = 32

    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        if s is INVALID:
            return s
        if not any(ch.isdigit() for ch in s):
            return ctx.error(node, path, f"`{s}` has no digits to dial.", 'write the number in quotes, like "988".')
        if not PHONE.fullmatch(s):
            bad = next(ch for ch in s if not PHONE.fullmatch(ch))
            return ctx.error(node, path, f"`{s}` holds `{bad}`, which is not part of a number to dial.",
                             'write only digits, spaces and + ( ) - . in quotes, like "1-800-662-4357".')
        return s

    def json(self):
        return self._schema(type="string", maxLength=self.max_chars, pattern=PHONE_SCHEMA)


class OptionalText(Line):
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
    """A finite number within [minimum, maximum]; the bounds also go into the JSON Schema."""

    def __init__(self, doc: str = "", *, integer: bool = False, minimum: float | None = 0,
                 maximum: float | None = None, maximum_words: str | None = None) -> None:
        self.doc, self.integer, self.minimum, self.maximum = doc, integer, minimum, maximum
        self.maximum_words = maximum_words  # the maximum in words, when a unit changes it ("168 hours or …")

    def read(self, node, path, ctx):
        s = self._scalar(node, path, ctx, "a number")
        if s is INVALID:
            return s
        s = s.strip()
        if _plain(node) and len(s) <= _NUMBER_MAX_CHARS and _NUMBER.fullmatch(s):
            return self._checked(float(s), s, node, path, ctx)  # the usual case
        shown = shown_text(s, 20)
        if not _plain(node):
            return ctx.error(node, path, f"`{shown}` is in quotes, so it is text, not a number.",
                             f"remove the quotes: {s}." if _NUMBER.fullmatch(s) and len(s) <= 20
                             else "write a plain number.")
        if len(s) > _NUMBER_MAX_CHARS:
            return ctx.error(node, path, f"`{shown}` is {len(s)} characters long, far too long for a figure.",
                             "write the number itself, such as 9 or 2.5" + self._range_hint() + ".")
        if re.fullmatch(r"\d+(:\d+)+", s):
            return ctx.error(node, path, f"`{shown}` is not a number (YAML would read it as {yaml.safe_load(s)}).",
                             "write one number, for example 90 with `unit: minutes`.")
        if re.fullmatch(r"\$?[\d,]+(\.\d+)?", s):
            return ctx.error(node, path, f"`{shown}` is not a plain number.",
                             f"write it without $ or commas: {s.replace('$', '').replace(',', '')}.")
        return ctx.error(node, path, f"`{shown}` is not a number.", "write a plain number such as 9 or 2.5.")

    def _checked(self, value: float, s: str, node: yaml.Node, path: str, ctx: Ctx) -> Any:
        """`value` (read from the plain number `s`, at most 15 digits: always finite) if it is whole where
        it must be and within bounds."""
        if self.integer or value.is_integer():
            value = int(value)
        if self.integer and "." in s:
            return ctx.error(node, path, f"`{s}` should be a whole number.")
        if self.minimum is not None and value < self.minimum:
            return ctx.error(node, path, f"{s} is below the lowest allowed value, {_num(self.minimum)}.",
                             "correct it" + self._range_hint() + ".")
        if self.maximum is not None and value > self.maximum:
            return ctx.error(node, path, f"{s} is above the highest allowed value, "
                             f"{self.maximum_words or _num(self.maximum)}.", "correct it" + self._range_hint() + ".")
        return value

    def _range_hint(self) -> str:
        if self.minimum is None or self.maximum is None:
            return ""
        return f" (between {_num(self.minimum)} and {self.maximum_words or _num(self.maximum)})"

    def json(self):
        kw: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            kw["minimum"] = self.minimum
        if self.maximum is not None:
            kw["maximum"] = self.maximum
        return self._schema(**kw)


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else str(x)


class Date(Spec):
    """A real calendar date, year-month-day, in the years YEAR_MIN to YEAR_MAX."""

    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        s = self._scalar(node, path, ctx, "a date")
        if s is INVALID:
            return s
        m = _DATE.fullmatch(s.strip())
        if not m:
            return ctx.error(node, path, f"`{shown_text(s, 20)}` is not a date.", "write dates as year-month-day, like 2026-11-01.")
        y, mo, d = map(int, m.groups())
        if not YEAR_MIN <= y <= YEAR_MAX:
            return ctx.error(node, path, f"`{s}` is not a plausible date: the year should be between {YEAR_MIN} "
                             f"and {YEAR_MAX}.", "write dates as year-month-day, like 2026-11-01.")
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
        return self._schema(type="string", pattern=r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])$")


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


class Ref(Line):
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
                 check: Callable[[dict[str, Any], yaml.Node, str, Ctx], None] | None = None,
                 schema_extra: dict[str, Any] | None = None) -> None:
        self.fields, self.build, self.doc, self.check = fields, build, doc, check
        self.schema_extra = schema_extra or {}  # JSON Schema for what `check` checks across fields
        self.names = {alias: name for name, f in fields.items() for alias in (name, *f.aliases)}
        # Read once per block of a big fact base: each field's reader, and the defaults, looked up once here.
        self._readers = [(name, f.spec.read, f.required) for name, f in fields.items()]
        self._defaults = {name: f.default for name, f in fields.items()}

    def read(self, node, path, ctx, id: str | None = None, loc: Loc | None = None):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, path, f"should be a block of fields (`name: value` lines), not {_kind_of(node)}.")
        before = ctx.errors_count()
        nodes = read_mapping(node, path, ctx, self.names, "fields allowed here")
        values = self._defaults.copy()
        locs = ctx.locs
        prefix = f"{path}." if path else ""
        for name, read, required in self._readers:
            if (written := nodes.get(name)) is not None:
                key_node, value_node = written
                locs[field_path := prefix + name] = value_node
                written = field_path if key_node.value == name else prefix + key_node.value  # an alias
                values[name] = read(value_node, written, ctx)
            elif required and not _misspelled(name, node, self.names):
                del values[name]
                self._missing(name, node, path, ctx)
        if self.check and ctx.errors_count() == before:
            self.check(values, node, path, ctx)
        if ctx.errors_count() != before:
            return INVALID
        return self.build(values, path, loc or ctx.loc(node), id)

    def _missing(self, name: str, node: yaml.Node, path: str, ctx: Ctx) -> None:
        """Report the required field `name` missing from the block `node`."""
        f = self.fields[name]
        hint = f.missing_hint or (f"add `{name}:`" + (f" ({f.spec.doc})." if f.spec.doc else "."))
        if callable(hint):
            hint = hint(ctx)
        ctx.error(node, join(path, name), f"`{name}` is missing.", hint)

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
        for key, value in self.schema_extra.items():
            kw[key] = kw.get(key, []) + value if key == "allOf" else value
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
            if not _ID.fullmatch(key):
                fixed = re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_")[:ID_MAX] or "name"
                if not fixed[0].isalpha():
                    fixed = ("id_" + fixed)[:ID_MAX]
                shown = shown_text(key)
                why = (f"is longer than {ID_MAX} characters" if len(key) > ID_MAX and _ID.fullmatch(key[:ID_MAX])
                       else "is not a valid id")
                ctx.error(key_node, join(path, shown), f"`{shown!s}` {why}.",
                          f"ids use lowercase letters, digits and _, at most {ID_MAX} characters, "
                          f"for example `{fixed}`.")
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
            ctx.error(key_node, join(path, shown), f"`{shown}` is not a known field here.",
                      suggest(shown, allowed, what))
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
