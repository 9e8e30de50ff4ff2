"""The Jinja sandbox pages run in: immutable, and bounded in time and memory.

Editors write Jinja in pages, so a page must not change the facts other pages see, print a
model object whole, or exhaust the build's memory or time. `BoundedEnvironment` is Jinja's
`ImmutableSandboxedEnvironment` (no `pop`, `append`, `update`... on lists and dicts) plus:

- `range()` of at most MAX_RANGE items;
- `*`, `**`, `+` and `%` whose result would exceed MAX_SIZE characters or items (or an integer
  of more than MAX_BITS bits) refused before it is computed; `~` and `join` likewise;
- string methods and filters given a width or count over MAX_SIZE refused (`center`,
  `"{:099999999}".format`, `replace` that would grow past MAX_SIZE...);
- every `{% for %}` counted against LOOP_BUDGET iterations per page;
- one page's output capped at MAX_OUTPUT characters;
- every model object printed without a filter refused (`finalize`).

Each is a `LimitError` (or `ModelPrintError`) raised inside the template, so the renderer can
name the page and line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from carekb.audience import FactGroup, print_hint, refuse
from carekb.model import ModelPrintError, Node

MAX_RANGE = 10_000
MAX_SIZE = 1_000_000  # characters of one string, or items of one list
MAX_BITS = 4_096  # an integer any larger is not a figure about care
LOOP_BUDGET = 1_000_000  # loop iterations per page; the largest real page uses ~2,000
PAGE_SECONDS = 20.0  # a page's loops stop after this long (real pages take milliseconds)
MAX_OUTPUT = 2_000_000  # characters one hand-written page may render to
GENERATED_MAX_OUTPUT = 64_000_000  # a generated page: our own templates, growing with the facts
_BIG_NUMBER = re.compile(r"\d{7,}")  # a width or precision of a million or more
# Filters that keep every item of their input: it is counted as it is read.
_MATERIALISE = frozenset({"join", "list", "sum", "sort", "unique", "reverse", "batch", "slice",
                          "groupby"})


class LimitError(Exception):
    """A page asked for more work or memory than any real page needs."""


def _size(value: Any) -> int:
    """Characters of a string; items of a list, tuple or dict, plus the characters or items of
    the strings and lists inside it (a list of one huge string is huge)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict)):
        return len(value) + sum(len(v) for v in value if isinstance(v, (str, list, tuple, dict)))
    return 0


def _longest(values: Iterable[Any]) -> int:
    """The longest string among `values` and the values of dicts and lists among them."""
    found = 0
    for value in values:
        inner = (value.values() if isinstance(value, Mapping) else
                 value if isinstance(value, (list, tuple)) else (value,))
        found = max([found, *(len(v) for v in inner if isinstance(v, str))])
    return found


def _too_big(what: str) -> LimitError:
    return LimitError(f"{what} would be larger than a page can hold ({MAX_SIZE:,} characters "
                      "or items); a page shows facts, it does not build large values")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox with bounded ranges, operators, loops, output; no object printing."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.globals["range"] = self._range
        self.filters["_kb_loop"] = self._loop
        self.filters["_kb_concat"] = jinja2.pass_eval_context(self._concat)
        self.iterations = 0
        self.deadline = float("inf")
        for name, filter_ in list(self.filters.items()):  # Jinja's own; ours are added later
            self.filters[name] = self._bounded_filter(name, filter_)

    # -- printing -------------------------------------------------------------------------
    @staticmethod
    def _finalize(value: Any) -> Any:
        """What `{{ … }}` prints: never a fact, group or list of facts itself."""
        if isinstance(value, (list, tuple)):
            for item in value:
                refuse(item)  # the staff-only error, naming the fact
                if isinstance(item, (Node, FactGroup)):
                    raise ModelPrintError(getattr(value, "path", "this list"), print_hint(value))
        if isinstance(value, (Node, FactGroup)):
            raise ModelPrintError(value.path, print_hint(value))
        return value

    # -- sizes ----------------------------------------------------------------------------
    @staticmethod
    def _range(*args: int) -> range:
        found = range(*args)
        try:
            count = f"{len(found):,}"
        except OverflowError:  # more than fits in a machine word
            count = "too many"
        if count == "too many" or len(found) > MAX_RANGE:
            raise LimitError(f"range() of {count} numbers; a page may count to "
                             f"{MAX_RANGE:,} at most")
        return found

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and isinstance(seq, (str, list, tuple)):
                    if n > 0 and _size(seq) * n > MAX_SIZE:
                        raise _too_big(f"repeating a {type(seq).__name__} {n:,} times")
        if operator == "+" and _size(left) + _size(right) > MAX_SIZE:
            raise _too_big("joining these two values")
        if isinstance(left, int) and isinstance(right, int):
            bits = (left.bit_length() * max(right, 0) if operator == "**"
                    else left.bit_length() + right.bit_length() if operator == "*" else 0)
            if bits > MAX_BITS:
                raise LimitError(f"{operator} on these numbers is too large to work out "
                                 f"(over {MAX_BITS:,} bits)")
        if operator == "%" and isinstance(left, str):
            self._check_format(left, right if isinstance(right, tuple) else (right,))
        result = self.binop_table[operator](left, right)
        if _size(result) > MAX_SIZE:
            raise _too_big(f"the result of {operator}")
        return result

    @staticmethod
    def _check_format(template: str, args: Iterable[Any]) -> None:
        """Refuse a format string with a huge width, or fields and arguments that would make a
        huge result (each field may repeat the longest argument: "{0}{0}{0}")."""
        if _BIG_NUMBER.search(template):
            raise _too_big("a format with a width or precision this large")
        fields = template.count("{") + template.count("%")
        if len(template) + fields * _longest(args) > MAX_SIZE:
            raise _too_big("filling in this format")

    @staticmethod
    def _concat(eval_ctx: Any, parts: list[Any]) -> Any:
        """`a ~ b`, bounded (the join Jinja does itself, with the same escaping)."""
        joined = (jinja2.runtime.markup_join(parts) if eval_ctx.autoescape
                  else jinja2.runtime.str_join(parts))
        if len(joined) > MAX_SIZE:
            raise _too_big("joining these values with ~")
        return joined

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str):
            __self._check_str_call(owner, getattr(__obj, "__name__", ""), args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(owner, str) and _size(result) > MAX_SIZE:
            raise _too_big(f"the result of .{getattr(__obj, '__name__', 'call')}()")
        return result

    def _check_str_call(self, text: str, method: str, args: tuple[Any, ...],
                        kwargs: dict[str, Any]) -> None:
        values = [*args, *kwargs.values()]
        if any(isinstance(v, int) and v > MAX_SIZE for v in values):
            raise _too_big(f".{method}() with a number this large")
        if method in ("format", "format_map"):
            self._check_format(text, values)
        elif method == "replace" and len(args) >= 2 and isinstance(args[0], str):
            # "".count("") is 1 and "ab".count("") is 3: an empty `old` inserts everywhere.
            grow = text.count(args[0]) * max(len(str(args[1])) - len(args[0]), 0)
            if len(text) + grow > MAX_SIZE:
                raise _too_big(".replace() here")
        elif method == "translate" and len(text) * (1 + _longest(values)) > MAX_SIZE:
            raise _too_big(".translate() here")
        elif method == "expandtabs":
            width = int(values[0]) if values and isinstance(values[0], int) else 8
            if len(text) + text.count("\t") * width > MAX_SIZE:
                raise _too_big(".expandtabs() here")
        elif method == "join" and args:
            items = list(args[0])
            if sum(len(str(i)) for i in items) + len(text) * len(items) > MAX_SIZE:
                raise _too_big(".join() here")

    def _bounded_filter(self, name: str, filter_: Any) -> Any:
        """Jinja's own filter `name`, refusing huge widths, counts, inputs and results."""
        # Filters marked pass_context / pass_eval_context / pass_environment get that first.
        first = 1 if getattr(filter_, "jinja_pass_arg", None) else 0

        def bounded(*args: Any, **kwargs: Any) -> Any:
            values = [*args[first:], *kwargs.values()]  # the input, then the arguments
            if any(isinstance(v, int) and v > MAX_SIZE for v in values[1:]):
                raise _too_big(f"the {name} filter with a number this large")
            text = values[0] if values and isinstance(values[0], str) else None
            if name in _MATERIALISE and len(args) > first:
                args = (*args[:first], self._take(args[first], name), *args[first + 1:])
            elif name == "format" and text is not None:
                self._check_format(text, values[1:])
            elif name == "replace" and text is not None and len(values) >= 3:
                old, new = str(values[1]), str(values[2])
                if len(text) + text.count(old) * max(len(new) - len(old), 0) > MAX_SIZE:
                    raise _too_big("the replace filter here")
            elif name in ("indent", "wordwrap") and text is not None:
                # A string width (indent) or wrap string (wordwrap) is added once per line.
                if (len(text) + 1) * (1 + _longest(values[1:])) > MAX_SIZE:
                    raise _too_big(f"the {name} filter here")
            result = filter_(*args, **kwargs)
            if _size(result) > MAX_SIZE:
                raise _too_big(f"the result of the {name} filter")
            return result

        if first:
            bounded.jinja_pass_arg = filter_.jinja_pass_arg  # type: ignore[attr-defined]
        return bounded

    @staticmethod
    def _take(items: Any, name: str) -> Any:
        """Materialise an iterable for a filter that keeps all of it (join, list, sort...),
        refusing it once it grows too large (`map` can make many large strings lazily)."""
        if (isinstance(items, (str, Mapping, jinja2.Undefined))
                or not isinstance(items, Iterable)):
            return items
        out, size = [], 0
        for item in items:
            size += 1 + _size(item)
            if size > MAX_SIZE:
                raise _too_big(f"the input of the {name} filter")
            out.append(item)
        return out

    # -- loops ----------------------------------------------------------------------------
    def _loop(self, items: Any) -> Iterator[Any]:
        """Every `{% for %}` iterates through here, counted against the page's budget."""
        if isinstance(items, jinja2.Undefined) or not isinstance(items, Iterable):
            yield from items  # Jinja's own error for a missing or non-iterable value
            return
        for item in items:
            self.iterations += 1
            if self.iterations > LOOP_BUDGET:
                raise LimitError(f"the page's loops ran more than {LOOP_BUDGET:,} times; "
                                 "loop over the facts, not over large ranges")
            # Few turns but slow bodies (filters over long lists) are stopped by the clock.
            if time.monotonic() > self.deadline:
                raise LimitError(f"the page's loops ran for more than {PAGE_SECONDS:g} "
                                 "seconds; loop over the facts, not over large ranges")
            yield item

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse as Jinja does, then route every loop and `~` through the bounded versions."""
        return _Bound().visit(super()._parse(source, name, filename))

    def render_bounded(self, template: jinja2.Template, values: dict[str, Any],
                       max_output: int = MAX_OUTPUT) -> str:
        """Render `template`, its loops counted from zero and its output capped at `max_output`."""
        self.iterations = 0
        self.deadline = time.monotonic() + PAGE_SECONDS
        parts, size = [], 0
        stream = template.generate(values)
        for part in stream:
            size += len(part)
            if size > max_output:
                # Raised inside the template, where it stopped, so the error names that line.
                stream.throw(LimitError(f"the page renders to more than {max_output:,} characters"))
            parts.append(part)
        return "".join(parts)


class _Bound(NodeTransformer):
    """Rewrites a parsed template: `for x in xs` -> `for x in xs | _kb_loop`, and
    `a ~ b` -> `[a, b] | _kb_concat`."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_kb_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "_kb_concat", [], [],
                            None, None, lineno=node.lineno)
