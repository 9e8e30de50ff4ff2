"""The Jinja sandbox pages run in: immutable, bounded in time and memory, and reading only
what a page may read.

Editors write Jinja in pages, so a page must not change the facts other pages see, print a
model object whole, reach back from a fact to the unfiltered fact base, or exhaust the build's
memory or time. `BoundedEnvironment` is Jinja's `ImmutableSandboxedEnvironment` (no `pop`,
`append`, `update`... on lists and dicts) plus:

- attributes by allow-list: on a fact only its fields and read-only properties (`readable`),
  never `owner` (the entity a figure belongs to), `loc`, methods or private names; the sandbox
  already refuses `_private` and internal attributes everywhere else;
- `range()` of at most MAX_RANGE items; no `lipsum()`;
- every operator, filter and string method that can make a large value checked against the
  value's printed size before it is built (`*`, `**`, `+`, `%`, `~`, `join`, `format`,
  `indent`, `wordwrap`, `replace`, `center`, `batch`, `slice`... carekb/render/limits.py);
- each page's budget (carekb/render/limits.py `Budget`): loop turns, calls and call depth (recursion),
  printed text, wall-clock time and the build's memory, checked on every loop turn, call,
  printed value and filter;
- one page's output capped at MAX_OUTPUT characters;
- every model object printed without a filter refused (`finalize`).

Each is a `LimitError` (or `ModelPrintError`) raised inside the template, so the renderer can
name the page and line; a MemoryError that still happens becomes a LimitError there too.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from carekb.model.audience import FactGroup, refuse
from carekb.render.limits import (MAX_BITS, MAX_OUTPUT, MAX_RANGE,
                           MAX_SIZE, Budget, LimitError, check_filter, check_format,
                           check_str_call, printed_size, too_big)
from carekb.model.facts import ModelPrintError, Node

# Filters that keep every item of their input: it is counted as it is read.
_MATERIALISE = frozenset({"join", "list", "sum", "sort", "unique", "reverse", "batch", "slice",
                          "groupby"})
# Fields of a fact that are bookkeeping, not facts: where it was written and, for a figure or
# note, the entity it belongs to (a way back up the tree, never given to a template).
_NOT_READABLE = frozenset({"owner", "loc", "field_locs"})


@functools.cache
def _readable(cls: type) -> frozenset[str]:
    names = {f.name for f in dataclasses.fields(cls)} | {
        n for n in dir(cls) if isinstance(getattr(cls, n, None), property)}
    return frozenset(n for n in names - _NOT_READABLE if not n.startswith("_"))


def readable(obj: Any, name: Any) -> bool:
    """Whether a template may read attribute `name` of fact `obj`: its fields and read-only
    properties (`label`, `review_due`...), never its methods, private attributes, `owner` or
    `loc`. An allow-list, so an attribute added to the model later is refused until named."""
    return isinstance(name, str) and name in _readable(type(obj))


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox with allow-listed fact attributes, bounded sizes, loops, calls, time,
    memory and output; no object printing."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.budget = Budget()
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs: no page needs it
        self.filters["_kb_loop"] = self._loop
        self.filters["_kb_concat"] = jinja2.pass_eval_context(self._concat)
        for name, filter_ in list(self.filters.items()):  # Jinja's own; ours are added later
            self.filters[name] = self._bounded_filter(name, filter_)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Facts: only `readable` attributes; a group of facts: not the paths of what it hides."""
        if isinstance(obj, Node):
            return readable(obj, attr)
        if isinstance(obj, FactGroup) and attr == "hidden_path":
            return False
        return super().is_safe_attribute(obj, attr, value)

    # -- printing -------------------------------------------------------------------------
    def _finalize(self, value: Any) -> Any:
        """What `{{ … }}` prints: never a fact, group or list of facts itself, nor more than
        the page may hold."""
        if isinstance(value, (list, tuple)):
            for item in value:
                refuse(item)  # the staff-only error, naming the fact
                if isinstance(item, (Node, FactGroup)):
                    raise ModelPrintError(getattr(value, "path", "this list"), value)
        if isinstance(value, (Node, FactGroup)):
            raise ModelPrintError(value.path, value)
        self.budget.printed(value)
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
        self.budget.tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and isinstance(seq, (str, list, tuple)):
                    if n > 0 and printed_size(seq) * n > MAX_SIZE:
                        raise too_big(f"repeating a {type(seq).__name__} {n:,} times")
        if operator == "+" and printed_size(left) + printed_size(right) > MAX_SIZE:
            raise too_big("joining these two values")
        if isinstance(left, int) and isinstance(right, int):
            bits = (left.bit_length() * max(right, 0) if operator == "**"
                    else left.bit_length() + right.bit_length() if operator == "*" else 0)
            if bits > MAX_BITS:
                raise LimitError(f"{operator} on these numbers is too large to work out "
                                 f"(over {MAX_BITS:,} bits)")
        if operator == "%" and isinstance(left, str):
            check_format(left, right if isinstance(right, tuple) else (right,))
        result = self.binop_table[operator](left, right)
        if printed_size(result) > MAX_SIZE:
            raise too_big(f"the result of {operator}")
        return result

    @staticmethod
    def _concat(eval_ctx: Any, parts: list[Any]) -> Any:
        """`a ~ b`, bounded (the join Jinja does itself, with the same escaping)."""
        if sum(printed_size(part) for part in parts) > MAX_SIZE:
            raise too_big("joining these values with ~")
        joined = (jinja2.runtime.markup_join(parts) if eval_ctx.autoescape
                  else jinja2.runtime.str_join(parts))
        if len(joined) > MAX_SIZE:
            raise too_big("joining these values with ~")
        return joined

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str):
            check_str_call(owner, getattr(__obj, "__name__", ""), args, kwargs)
        __self.budget.enter()  # counted, nested at most so deep, and on the clock
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.budget.leave()
        if isinstance(owner, str) and printed_size(result) > MAX_SIZE:
            raise too_big(f"the result of .{getattr(__obj, '__name__', 'call')}()")
        return result

    def _bounded_filter(self, name: str, filter_: Any) -> Any:
        """Jinja's own filter `name`, refusing huge widths, counts, inputs and results."""
        # Filters marked pass_context / pass_eval_context / pass_environment get that first.
        first = 1 if getattr(filter_, "jinja_pass_arg", None) else 0

        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.budget.tick()
            check_filter(name, [*args[first:], *kwargs.values()], self.budget.max_output)
            if name in _MATERIALISE and len(args) > first:
                args = (*args[:first], self._take(args[first], name), *args[first + 1:])
            result = filter_(*args, **kwargs)
            if printed_size(result) > MAX_SIZE:
                raise too_big(f"the result of the {name} filter")
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
            size += 1 + printed_size(item)
            if size > MAX_SIZE:
                raise too_big(f"the input of the {name} filter")
            out.append(item)
        return out

    # -- loops and the page's budget ------------------------------------------------------
    def _loop(self, items: Any) -> Iterator[Any]:
        """Every `{% for %}` iterates through here, counted against the page's budget."""
        if isinstance(items, jinja2.Undefined) or not isinstance(items, Iterable):
            yield from items  # Jinja's own error for a missing or non-iterable value
            return
        for item in items:
            self.budget.loop()
            yield item

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse as Jinja does, then route every loop and `~` through the bounded versions."""
        return _Bound().visit(super()._parse(source, name, filename))

    def render_bounded(self, template: jinja2.Template, values: dict[str, Any],
                       max_output: int = MAX_OUTPUT) -> str:
        """Render `template` on a fresh budget (carekb/render/limits.py), its output capped at
        `max_output`."""
        self.budget.start(max_output)
        try:
            parts, size = [], 0
            stream = template.generate(values)
            for part in stream:
                size += len(part)
                if size > max_output:
                    # Raised inside the template, where it stopped, so the error names that line.
                    stream.throw(LimitError(f"the page renders to more than {max_output:,} characters"))
                parts.append(part)
            return "".join(parts)
        except MemoryError as err:  # a size no check foresaw: still a located error, never a crash
            raise LimitError("the page needs more memory than the build can give it; a page shows "
                             "facts, it does not build large values").with_traceback(err.__traceback__) from None
        finally:
            self.budget.stop()


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
