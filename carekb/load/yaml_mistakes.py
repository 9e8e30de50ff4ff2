"""Common YAML mistakes in plain words, on the line the editor has to change.

PyYAML notices a mistake where its parser gets stuck, which is often lines later (an unclosed
quote is reported as an indentation problem seven lines down). `explain` looks at the text
around PyYAML's mark and names the real mistake: an unclosed quote, a colon inside a value,
a line indented more or less than its neighbours, a list item where a field belongs or the
reverse. It returns None when it cannot tell, and the caller falls back to general words.
Every indentation mistake says so and names the line to line up with. `misplaced_field`
does the same for a field that is valid YAML at the wrong depth (carekb/load/spec/shapes.py asks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

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


def _key_column(line: str) -> int:
    """Where a field on the next line lines up: a `key:` line's indentation; for a list item
    holding a field (`- key: value`), the column of that key."""
    item = _ITEM.match(line)
    if item and _KEY.match(line[item.end():]):
        return len(line) - len(line[item.end():].lstrip(" "))
    return _indent(line)


def _chain(lines: list[str], start: int) -> list[tuple[int, int, bool]]:
    """The blocks open at line `start` (0-based), innermost first, as (column, line index,
    is a list): each line above indented less than the last one found. A `- key: value` line
    opens two, its fields (at the key's column) and its list (at the dash)."""
    out: list[tuple[int, int, bool]] = []
    limit: int | None = None
    for i in range(start, -1, -1):
        line = lines[i]
        if not (_KEY.match(line) or _ITEM.match(line)):
            continue  # blank, a comment, or the text of a value running over several lines
        columns = [(_indent(line), True)]
        if _ITEM.match(line):
            if _key_column(line) != _indent(line):
                columns.insert(0, (_key_column(line), False))
        else:
            columns = [(_indent(line), False)]
        for column, is_list in columns:
            if limit is None or column < limit:
                out.append((column, i, is_list))
                limit = column
        if limit == 0:
            break
    return out


def _lined_up(lines: list[str], at: int, above_i: int, mine: int, is_item: bool,
              belongs: int | None = None) -> Explained | None:
    """Line `at` is indented less than the block it belongs to: the outermost open block above
    it that is indented more is where it belongs (fields line up with fields, items with items;
    `belongs`: the column it must have, known from the line after it)."""
    chain = [c for c in _chain(lines, above_i) if c[2] == is_item]
    if belongs is not None:
        deeper = [c for c in chain if c[0] == belongs]
    else:
        deeper = [c for c in chain if c[0] > mine]
        if any(c[0] == mine for c in chain):
            return None  # it lines up with an outer block: the mistake is elsewhere
    if not deeper:
        return None
    column, line_i, _ = deeper[-1]
    outer = [c for c in chain if c[0] < mine]
    also = (f", or with {outer[0][0]} spaces, lined up with line {outer[0][1] + 1}, if it "
            "belongs to an outer entry"
            if belongs is None and outer and mine - outer[0][0] < column - mine else "")
    return (at + 1, mine + 1,
            f"line {at + 1} is not indented far enough (an indentation mistake): it has {mine} "
            f"spaces, and the {'items' if is_item else 'fields'} of the block it is in have "
            f"{column}.",
            f"indent line {at + 1} with {column} spaces, lined up with line {line_i + 1}{also}.")


def _misaligned(lines: list[str], at: int) -> Explained | None:
    """A line whose indentation or kind (field or list item) does not fit the line above."""
    here = lines[at]
    if not here.strip():
        return None
    above_i = _content(lines, at)
    if above_i is None:
        return None
    above = lines[above_i]
    mine, theirs = _indent(here), _key_column(above)
    is_item, above_item = bool(_ITEM.match(here)), bool(_ITEM.match(above))
    above_key = _KEY.match(above)
    if is_item and not above_item and above_key and above_key.group("value").strip():
        lists = [c for c in _chain(lines, above_i) if c[2]]
        if lists and lists[0][0] != mine:
            column, line_i, _ = lists[0]
            return (at + 1, mine + 1,
                    f"line {at + 1} is a list item with the wrong indentation: it starts {mine} "
                    f"spaces in, and the items of the list above it start {column} spaces in.",
                    f"indent line {at + 1} with {column} spaces, lined up with the item on line "
                    f"{line_i + 1}, and move the other lines of this item by as much.")
        return (at + 1, mine + 1,
                f"line {at + 1} is a list item (it starts with `- `) where a field is expected: "
                f"the line above it is the field `{above_key.group('key').strip()}`, not a list.",
                f"remove the `- ` so the line reads `{here.strip()[2:]}`, lined up with "
                f"line {above_i + 1}.")
    here_key = _KEY.match(here)
    if not is_item and above_item and here_key and mine <= _indent(above):
        first = _KEY.match(above[_ITEM.match(above).end():])
        if first and mine < theirs and here_key.group("key").strip() != first.group("key").strip():
            return (at + 1, mine + 1,
                    f"line {at + 1} is not indented far enough (an indentation mistake): it is a "
                    f"field of the list item on line {above_i + 1}, whose fields start {theirs} "
                    "spaces in.",
                    f"indent line {at + 1} with {theirs} spaces, lined up with "
                    f"`{first.group('key').strip()}` on line {above_i + 1}.")
        return (at + 1, mine + 1,
                f"line {at + 1} is a field where a list item is expected: the lines above it are "
                "a list (each starts with `- `).",
                f"start it with `- ` like line {above_i + 1}, or, if it is a field of the entry, "
                f"indent it less, lined up with the field that holds the list.")
    if mine > theirs:
        before_i = _content(lines, above_i)
        if before_i is not None and _indent(lines[before_i]) > theirs and not above_item:
            # The line above moved left, so this one looks too far right: blame the line above.
            return _lined_up(lines, above_i, before_i, theirs, False, belongs=mine) or (
                above_i + 1, theirs + 1,
                f"line {above_i + 1} is not indented far enough (an indentation mistake): it has "
                f"{theirs} spaces, less than the line above it; fields of one entry line up.",
                f"indent line {above_i + 1} with {_indent(lines[before_i])} spaces, lined up "
                f"with line {before_i + 1}.")
        return (at + 1, mine + 1,
                f"line {at + 1} is indented too far (an indentation mistake): it has {mine} "
                f"spaces, more than the line above it; fields of one entry line up.",
                f"indent line {at + 1} with {theirs} spaces, lined up with line {above_i + 1}.")
    if mine < theirs:
        return _lined_up(lines, at, above_i, mine, is_item)
    return None


# --- a field YAML read at the wrong depth --------------------------------------------------
# Indented too far, a field becomes part of the field above it; not far enough, it lands
# beside the block it belongs in. Both are valid YAML: only the fields that are known where
# (`carekb/load/spec/shapes.py`) tell that the field sits one level off.

# message, fix, and for a field not indented far enough, (the block it belongs in, the field's
# own name there): that block's reading then does not report it missing as well
Misplaced = tuple[str, str, "tuple[yaml.Node, str] | None"]


def _column_of(node: yaml.Node) -> int:
    return node.start_mark.column


def _block_lines(value: yaml.Node) -> str:
    """', and the lines under it by as much' when the field's value takes lines of its own."""
    spans = value.end_mark.line > value.start_mark.line + (0 if value.start_mark.column else 1)
    block = isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and not value.flow_style
    return ", and the lines under it by as much" if spans and block else ""


def misplaced_field(key: str, key_node: yaml.Node, block: yaml.MappingNode,
                    outer: tuple[Iterable[str], yaml.MappingNode] | None,
                    inner: Callable[[str], Mapping[str, str]]) -> Misplaced | None:
    """Why `key`, unknown in `block`, is there: known in the block around it (`outer`: its
    field names and node), it is indented too far; known in the block of the field just above
    it (`inner(that field)`: its field names, alias -> field), it is not indented far enough.
    None otherwise."""
    line = key_node.start_mark.line + 1
    value = next(v for k, v in block.value if k is key_node)
    if outer is not None and key in outer[0]:
        for holder, held in outer[1].value:
            items = held.value if isinstance(held, yaml.SequenceNode) else ()
            if held is block or any(item is block for item in items):
                where = (f"`{holder.value}`" if held is block else
                         f"item {[i for i, item in enumerate(items, 1) if item is block][0]} of "
                         f"`{holder.value}`")
                return (f"line {line} is indented too far (an indentation mistake): YAML reads "
                        f"`{key}` as part of {where} on line {holder.start_mark.line + 1}, which "
                        f"has no field `{key}`; `{key}` belongs beside `{holder.value}`.",
                        f"indent line {line} with {_column_of(holder)} spaces, lined up with "
                        f"`{holder.value}` on line {holder.start_mark.line + 1}{_block_lines(value)}.",
                        None)
    at = next(i for i, (k, _) in enumerate(block.value) if k is key_node)
    if at == 0:
        return None
    above, held = block.value[at - 1]
    names = inner(above.value)  # what the block of the field above allows: alias -> field
    if key not in names:
        return None
    target, where = held, f"`{above.value}`"
    if isinstance(held, yaml.SequenceNode) and held.value:
        target, where = held.value[-1], f"the last item of `{above.value}`"
    if not isinstance(target, yaml.MappingNode) or target.flow_style or not target.value:
        return None  # {…} on one line: the fix is to move it inside the braces, not indentation
    child = target.value[-1][0]
    return (f"line {line} is not indented far enough (an indentation mistake): YAML reads "
            f"`{key}` as a field beside `{above.value}` (line {above.start_mark.line + 1}), but "
            f"it is a field of {where}.",
            f"indent line {line} with {_column_of(child)} spaces, lined up with "
            f"`{child.value}` on line {child.start_mark.line + 1}{_block_lines(value)}.",
            (target, names[key]))
