"""Specs of single values and lists: text, names, addresses, numbers to dial, flags, numbers,
dates, choices, references by id, and lists of any spec.

Each reads a YAML scalar by the field it sits in (not by YAML 1.1's guesses: `no`, `1:30`),
reports located problems in plain words, and describes itself as JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from carekb.load.plaintext import (PHONE, PHONE_SCHEMA, URL_SCHEMA, forbidden_pattern, plain_text_problem, shown_text,
                        url_problem)
from carekb.load.spec.core import INVALID, Ctx, Spec, kind_of, plain_style, suggest
from carekb.load.yamlload import implicit_tag

ID_MAX = 64
ID_PATTERN = r"^[a-z][a-z0-9_]{0,%d}$" % (ID_MAX - 1)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_NUMBER_MAX_CHARS = 15  # past this a float loses digits, and 400 digits read as infinity
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
YEAR_MIN, YEAR_MAX = 1900, 2100

_STR = "tag:yaml.org,2002:str"
_ScalarNode = yaml.ScalarNode
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


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
            return ctx.error(node, path, f"should be text, not {kind_of(node)}.")
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


class _CheckedLine(Line):
    """One line of plain text that must also pass a check of its own (`problem`)."""

    def problem(self, s: str) -> tuple[str, str] | None:
        """What is wrong with `s`, as (what, the fix); None when nothing is."""
        raise NotImplementedError

    def read(self, node, path, ctx):
        s = super().read(node, path, ctx)
        wrong = None if s is INVALID else self.problem(s)
        return ctx.error(node, path, *wrong) if wrong else s


class Url(_CheckedLine):
    """An absolute https address that cannot break out of the link or tag it is written into."""

    max_chars = 2000

    def problem(self, s: str) -> tuple[str, str] | None:
        return url_problem(s)

    def json(self):
        return self._schema(type="string", maxLength=self.max_chars, pattern=URL_SCHEMA)


class Phone(_CheckedLine):
    """A number to call, text or use with a TTY: digits, spaces and + ( ) - . only."""

    max_chars = 32

    def problem(self, s: str) -> tuple[str, str] | None:
        if not any(ch.isdigit() for ch in s):
            return f"`{s}` has no digits to dial.", 'write the number in quotes, like "988".'
        if not PHONE.fullmatch(s):
            bad = next(ch for ch in s if not PHONE.fullmatch(ch))
            return (f"`{s}` holds `{bad}`, which is not part of a number to dial.",
                    'write only digits, spaces and + ( ) - . in quotes, like "1-800-662-4357".')
        return None

    def json(self):
        return self._schema(type="string", maxLength=self.max_chars, pattern=PHONE_SCHEMA)


class OptionalText(Line):
    """Text where `null` means 'there is none' (an ASAM edition without this level)."""

    def read(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and plain_style(node) and implicit_tag(node).endswith(":null"):
            return None
        return super().read(node, path, ctx)

    def json(self):
        return self._schema(anyOf=[{k: v for k, v in super().json().items() if k != "description"},
                                   {"type": "null"}])


class Flag(Spec):
    def __init__(self, doc: str = "true or false") -> None:
        self.doc = doc

    def read(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and plain_style(node) and node.value in ("true", "false"):
            return node.value == "true"
        return ctx.error(node, path, f"should be true or false, not {kind_of(node)}.")

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
        if plain_style(node) and len(s) <= _NUMBER_MAX_CHARS and _NUMBER.fullmatch(s):
            return self._checked(float(s), s, node, path, ctx)  # the usual case
        shown = shown_text(s, 20)
        if not plain_style(node):
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
            if plain_style(node) and implicit_tag(node) == "tag:yaml.org,2002:null":
                return ()
            v = self.one.read(node, path, ctx)
            return INVALID if v is INVALID else (v,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(node, path, f"should be a list of ids, like [a, b], not {kind_of(node)}.")
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
            return ctx.error(node, path, f"should be a list (lines starting with `- `), not {kind_of(node)}.")
        if len(node.value) < self.min_items:
            return ctx.error(node, path, f"needs at least {self.min_items} item(s).")
        out = [self.item.read(item, f"{path}[{i}]", ctx) for i, item in enumerate(node.value, 1)]
        return [v for v in out if v is not INVALID]

    def json(self):
        kw: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items:
            kw["minItems"] = self.min_items
        return self._schema(**kw)
