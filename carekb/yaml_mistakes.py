"""Common YAML mistakes in plain words, on the line the editor has to change.

PyYAML notices a mistake where its parser gets stuck, which is often lines later (an unclosed
quote is reported as an indentation problem seven lines down). `explain` looks at the text
around PyYAML's mark and names the real mistake: an unclosed quote, a colon inside a value,
a line indented more or less than its neighbours, a list item where a field belongs or the
reverse. It returns None when it cannot tell, and the caller falls back to general words.
"""

from __future__ import annotations

import re

import yaml

# `key: value` or `- key: value`; the key does not start with a quote, bracket or comment.
_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[^\s:#'\"\[\]{},][^:#]*?):(?: +|$)"
                  r"(?P<value>.*)$")
_ITEM = re.compile(r"^(?P<indent> *)- ")

Explained = tuple[int, int, str, str]  # line, column (1-based), message, fix


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explained | None:
    """The real mistake behind PyYAML's error `exc` in `text`, or None."""
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    at = min(mark.line, len(lines) - 1)  # 0-based line PyYAML stopped at
    said = f"{exc.context or ''} {exc.problem or ''}"
    quote = _unclosed_quote(lines, at)
    if quote is not None:
        return quote
    if "mapping values are not allowed" in said:
        return _colon_or_indent(lines, at, mark.column)
    if "expected <block end>" in said or "did not find expected key" in said \
            or "did not find expected '-'" in said:
        return _misaligned(lines, at)
    return None


def _content(lines: list[str], before: int) -> int | None:
    """The index of the last line before `before` that holds YAML (not blank, not a comment)."""
    for i in range(before - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _opens_unclosed(line: str) -> tuple[int, str] | None:
    """(column, quote) of a value on this line that opens a quote and does not close it."""
    m = _KEY.match(line)
    value_at = m.start("value") if m else (_ITEM.match(line).end() if _ITEM.match(line) else None)
    if value_at is None or value_at >= len(line) or line[value_at] not in "\"'":
        return None
    q, i = line[value_at], value_at + 1
    while i < len(line):
        if q == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == q:
            if q == "'" and line[i + 1:i + 2] == "'":  # '' is an escaped single quote
                i += 2
                continue
            return None
        i += 1
    return value_at, q


def _unclosed_quote(lines: list[str], at: int) -> Explained | None:
    """A quote opened on a line at or above `at` and not closed before the next field."""
    for i in range(at, -1, -1):
        opened = _opens_unclosed(lines[i])
        if opened is None:
            continue
        col, q = opened
        # A quoted value may go on over several lines; it is unclosed when a line that looks
        # like a new field comes before its closing quote.
        for j in range(i + 1, min(len(lines), at + 1)):
            if q in lines[j]:
                break
            if _KEY.match(lines[j]) or _ITEM.match(lines[j]):
                key = _KEY.match(lines[i])
                field = f"`{key.group('key').strip()}`" if key else "this value"
                return (i + 1, col + 1,
                        f"the quote opened on line {i + 1} is not closed, so the text of {field} "
                        "runs on into the lines below it.",
                        f"add the closing {q} at the end of the text on line {i + 1}.")
        return None
    return None


def _colon_or_indent(lines: list[str], at: int, column: int) -> Explained | None:
    """A "mapping values" error: a colon inside a value, or a field indented too far."""
    line = lines[at]
    m = _KEY.match(line)
    if m and column > m.start("value") and m.group("value")[:1] not in ("'", '"'):
        value = m.group("value").split(" #")[0].rstrip()
        shown = value.replace('"', '\\"')
        return (at + 1, column + 1,
                f"the text of `{m.group('key').strip()}` on line {at + 1} holds a colon "
                "followed by a space, which YAML reads as the start of another field.",
                f'put this text in quotes: {m.group("dash") or ""}{m.group("key").strip()}: '
                f'"{shown}"')
    return _misaligned(lines, at)


def _misaligned(lines: list[str], at: int) -> Explained | None:
    """A line whose indentation or kind (field or list item) does not fit the line above."""
    here = lines[at]
    if not here.strip():
        return None
    above_i = _content(lines, at)
    if above_i is None:
        return None
    above = lines[above_i]
    mine, theirs = _indent(here), _indent(above)
    is_item, above_item = bool(_ITEM.match(here)), bool(_ITEM.match(above))
    above_key = _KEY.match(above)
    if is_item and not above_item and above_key and above_key.group("value").strip():
        return (at + 1, mine + 1,
                f"line {at + 1} is a list item (it starts with `- `) where a field is expected: "
                f"the line above it is the field `{above_key.group('key').strip()}`, not a list.",
                f"remove the `- ` so the line reads `{here.strip()[2:]}`, lined up with "
                f"line {above_i + 1}.")
    if not is_item and above_item and _KEY.match(here) and mine <= theirs:
        return (at + 1, mine + 1,
                f"line {at + 1} is a field where a list item is expected: the lines above it are "
                "a list (each starts with `- `).",
                f"start it with `- ` like line {above_i + 1}, or, if it is a field of the entry, "
                f"indent it less, lined up with the field that holds the list.")
    if mine > theirs:
        before_i = _content(lines, above_i)
        if before_i is not None and _indent(lines[before_i]) > theirs and not above_item:
            # The line above moved left, so this one looks too far right: blame the line above.
            return (above_i + 1, theirs + 1,
                    f"line {above_i + 1} is indented less than the line above it; fields of one "
                    "entry line up.",
                    f"indent line {above_i + 1} with {_indent(lines[before_i])} spaces, like "
                    f"line {before_i + 1}.")
        return (at + 1, mine + 1,
                f"line {at + 1} is indented more than the line above it; fields of one entry "
                "line up.",
                f"indent line {at + 1} with {theirs} spaces, like line {above_i + 1}.")
    if mine < theirs:
        levels = sorted({_indent(ln) for ln in lines[:at] if ln.strip()
                         and not ln.strip().startswith("#")})
        if mine not in levels:
            nearest = min(levels, key=lambda n: abs(n - mine)) if levels else theirs
            return (at + 1, mine + 1,
                    f"line {at + 1} is indented less than the line above it ({mine} spaces, "
                    f"not {theirs}); fields of one entry line up.",
                    f"indent line {at + 1} with {nearest if nearest != mine else theirs} spaces, "
                    f"like line {above_i + 1}." if nearest == theirs else
                    f"indent line {at + 1} with {theirs} spaces, like line {above_i + 1}, or with "
                    f"{nearest} spaces if it belongs to an outer entry.")
    return None
