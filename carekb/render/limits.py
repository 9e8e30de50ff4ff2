"""The sandbox's limits (carekb/render/sandbox.py): sizes predicted before a value is built, and each
page's budget of loops, calls, call depth, produced text, time and the build's memory.

Sizes. `printed_size` is what a value turns into when printed or joined: a list prints every
item, and a nested list prints its items again wherever it appears, so `[[s] * 1000] * 1000`
is counted as a million copies of `s` (at a cost of at most about MAX_SIZE steps, since
counting stops at the limit). Every operator, filter and string method that can make a large
value is checked against it before the value exists (`check_format`, `check_str_call`,
`check_filter`).

Budget. A `Budget` is started for each page render (`start`) and checked on every loop turn,
call, printed value and filter:
- LOOP_BUDGET loop turns, CALL_BUDGET calls (macros and functions; an exponentially recursive
  macro runs out of calls, not of time) and MAX_CALL_DEPTH nested calls;
- PAGE_SECONDS of wall-clock time: the checks run inside the render, on whatever thread renders
  (the preview renders off the main thread, where signals cannot interrupt), so a runaway
  render stops at its next loop turn, call, printed value or filter;
- PRODUCED_FACTOR times the page's output limit of printed text, captured blocks included
  (`{% set x %}…{% endset %}` is not part of the output, but it is memory);
- MEMORY_CEILING bytes for the whole build process, sampled from /proc/self/statm every
  SAMPLE_EVERY checks and when each page starts (no tracemalloc: it slows every allocation).
  It is the build's own ceiling, reported as a located error, well before the operating
  system would kill the build; set CAREKB_MEMORY_MB to change it.
Each is a `LimitError` raised inside the template, so the page and line are named.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

MAX_RANGE = 10_000
MAX_SIZE = 1_000_000  # characters of one string, or items of one list
MAX_BITS = 4_096  # an integer any larger is not a figure about care
LOOP_BUDGET = 1_000_000  # loop iterations per page; the largest real page uses ~2,000
CALL_BUDGET = 200_000  # calls per hand-written page (the largest real page makes ~2,000); a
# generated page gets as many more as its output limit is larger than a hand-written page's
MAX_CALL_DEPTH = 60  # calls inside calls; our deepest templates nest about 10
PAGE_SECONDS = 20.0  # a page's render stops after this long (real pages take milliseconds)
MAX_OUTPUT = 2_000_000  # characters one hand-written page may render to
GENERATED_MAX_OUTPUT = 64_000_000  # a generated page: our own templates, growing with the facts
PRODUCED_FACTOR = 8  # printed text, captured blocks included, per character of output allowed
SAMPLE_EVERY = 2_048  # budget checks between two looks at the process's memory
_BIG_NUMBER = re.compile(r"\d{7,}")  # a width or precision of a million or more


def _default_ceiling() -> int:
    """CAREKB_MEMORY_MB, else three quarters of the machine's memory, at most 8 GB."""
    said = os.environ.get("CAREKB_MEMORY_MB", "")
    if said.isdigit() and int(said) > 0:
        return int(said) * 1024 * 1024
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 1024 ** 3
    return min(total * 3 // 4, 8 * 1024 ** 3)


MEMORY_CEILING = _default_ceiling()


class LimitError(Exception):
    """A page asked for more work or memory than any real page needs."""


def too_big(what: str) -> LimitError:
    return LimitError(f"{what} would be larger than a page can hold ({MAX_SIZE:,} characters "
                      "or items); a page shows facts, it does not build large values")


def printed_size(value: Any, limit: int = MAX_SIZE) -> int:
    """About how many characters `value` prints as (lists and dicts with every item, nested ones
    as often as they appear); counting stops once it passes `limit`."""
    total, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= limit:
                pending.extend(item)
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= limit:
                pending.extend(item.keys())
                pending.extend(item.values())
        else:
            total += 8
        if total > limit:
            return total
    return total


def longest(values: Iterable[Any]) -> int:
    """The largest printed size among `values`."""
    return max((printed_size(v) for v in values), default=0)


def check_format(template: str, args: Iterable[Any]) -> None:
    """Refuse a format string with a huge width, or fields and arguments that would make a
    huge result (each field may repeat the longest argument: "{0}{0}{0}")."""
    if _BIG_NUMBER.search(template):
        raise too_big("a format with a width or precision this large")
    fields = template.count("{") + template.count("%")
    if len(template) + fields * longest(args) > MAX_SIZE:
        raise too_big("filling in this format")


def check_str_call(text: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string method call whose result would be too large, before it runs."""
    values = [*args, *kwargs.values()]
    if any(isinstance(v, int) and v > MAX_SIZE for v in values):
        raise too_big(f".{method}() with a number this large")
    if method in ("format", "format_map"):
        check_format(text, values)
    elif method == "replace" and len(args) >= 2 and isinstance(args[0], str):
        # "".count("") is 1 and "ab".count("") is 3: an empty `old` inserts everywhere.
        grow = text.count(args[0]) * max(printed_size(args[1]) - len(args[0]), 0)
        if len(text) + grow > MAX_SIZE:
            raise too_big(".replace() here")
    elif method == "translate" and len(text) * (1 + longest(values)) > MAX_SIZE:
        raise too_big(".translate() here")
    elif method == "expandtabs":
        width = int(values[0]) if values and isinstance(values[0], int) else 8
        if len(text) + text.count("\t") * width > MAX_SIZE:
            raise too_big(".expandtabs() here")
    elif method == "join" and args:
        items = args[0] if isinstance(args[0], (list, tuple, str)) else list(args[0])
        if printed_size(items) + len(text) * len(items) > MAX_SIZE:
            raise too_big(".join() here")


def check_filter(name: str, values: list[Any], limit: int) -> None:
    """Refuse Jinja's filter `name` on `values` (its input, then its arguments) when the input
    prints larger than `limit` or the result would be too large, before it runs."""
    if any(isinstance(v, int) and not isinstance(v, bool) and v > MAX_SIZE for v in values[1:]):
        raise too_big(f"the {name} filter with a number this large")
    if values and printed_size(values[0], limit) > limit:
        raise too_big(f"the input of the {name} filter")
    text = values[0] if values and isinstance(values[0], str) else None
    if name == "format" and text is not None:
        check_format(text, values[1:])
    elif name == "replace" and text is not None and len(values) >= 3:
        old, new = str(values[1]), values[2]
        if len(text) + text.count(old) * max(printed_size(new) - len(old), 0) > MAX_SIZE:
            raise too_big("the replace filter here")
    elif name == "indent" and text is not None and len(values) > 1:
        # the width (a number of spaces, or a string) goes before every line
        width = values[1] if isinstance(values[1], int) else printed_size(values[1])
        if len(text) + (text.count("\n") + 1) * width > MAX_SIZE:
            raise too_big("the indent filter here")
    elif name == "wordwrap" and text is not None:
        # the wrap string goes in at every break, and there is at most one break a character
        wrap = max([len(v) for v in values[1:] if isinstance(v, str)] or [0])
        if (len(text) + 1) * (1 + wrap) > MAX_SIZE:
            raise too_big("the wordwrap filter here")
    elif name == "join" and values:
        separator = printed_size(values[1]) if len(values) > 1 else 0
        items = values[0]
        count = len(items) if isinstance(items, (list, tuple, str, Mapping)) else 0
        if printed_size(items) + separator * count > MAX_SIZE:
            raise too_big("joining these values")
    elif name == "slice" and len(values) > 1 and isinstance(values[1], int) and values[1] > MAX_RANGE:
        raise too_big("the slice filter with this many slices")


def rss() -> int | None:
    """The build process's resident memory in bytes (None where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class Budget:
    """One page render's counters and clock (see the module docstring); idle between renders."""

    def __init__(self) -> None:
        self.stop()

    def start(self, max_output: int) -> None:
        """A page starts rendering: counters from zero, the clock from now."""
        self.iterations = self.calls = self.depth = self.produced = self.ticks = 0
        self.max_output, self.produced_limit = max_output, PRODUCED_FACTOR * max_output
        self.call_budget = CALL_BUDGET * max(1, max_output // MAX_OUTPUT)
        self.deadline = time.monotonic() + PAGE_SECONDS
        self.active = True
        self.memory()

    def stop(self) -> None:
        """No page is rendering: nothing counts (our own templates render outside pages too)."""
        self.iterations = self.calls = self.depth = self.produced = self.ticks = 0
        self.max_output = self.produced_limit = GENERATED_MAX_OUTPUT * PRODUCED_FACTOR
        self.deadline = float("inf")
        self.active = False

    def tick(self) -> None:
        """Every check: the clock, and now and then the build's memory."""
        if not self.active:
            return
        if time.monotonic() > self.deadline:
            raise LimitError(f"the page ran for more than {PAGE_SECONDS:g} seconds; a page shows "
                             "facts, it does not compute: loop over the facts, not over large ranges")
        self.ticks += 1
        if self.ticks % SAMPLE_EVERY == 0:
            self.memory()

    def memory(self) -> None:
        used = rss()
        if used is not None and used > MEMORY_CEILING:
            raise LimitError(f"the build uses {used / 1024 ** 2:,.0f} MB of memory, past its ceiling "
                             f"of {MEMORY_CEILING / 1024 ** 2:,.0f} MB (CAREKB_MEMORY_MB); this page "
                             "builds values far larger than any page needs")

    def loop(self) -> None:
        self.iterations += 1
        if self.iterations > LOOP_BUDGET and self.active:
            raise LimitError(f"the page's loops ran more than {LOOP_BUDGET:,} times; "
                             "loop over the facts, not over large ranges")
        self.tick()

    def enter(self) -> None:
        """A call starts (a macro, a function): counted, and nested at most MAX_CALL_DEPTH."""
        self.calls += 1
        self.depth += 1
        if self.active and self.depth > MAX_CALL_DEPTH:
            raise LimitError(f"a macro calls itself without end (calls nested more than "
                             f"{MAX_CALL_DEPTH} deep)")
        if self.active and self.calls > self.call_budget:
            raise LimitError(f"the page made more than {self.call_budget:,} calls of macros and "
                             "functions; a macro that calls itself twice doubles its work each level")
        self.tick()

    def leave(self) -> None:
        self.depth -= 1

    def printed(self, value: Any) -> None:
        """A value is about to be printed: it must fit the page, and so must all printed so far."""
        size = printed_size(value, self.max_output)
        if size > self.max_output:
            raise LimitError(f"this value would print {size:,} characters or more; the page renders "
                             f"to at most {self.max_output:,} characters")
        self.produced += size
        if self.produced > self.produced_limit and self.active:
            raise LimitError(f"the page printed more than {self.produced_limit:,} characters in "
                             "all (blocks kept with {% set %} included); a page shows facts, it "
                             "does not build large values")
        self.tick()
