"""YAML mistakes in facts.yaml are reported in plain words on the line the editor must change."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekb.load.facts_yaml import read_facts
from carekb.base.problems import ERROR
from carekb.load.yamlload import read_yaml

REAL = (Path(__file__).resolve().parent.parent / "facts.yaml").read_text(encoding="utf-8")
LINES = REAL.splitlines(keepends=True)


def _edit(tmp_path: Path, line: int, new: str) -> list:
    """Problems reading facts.yaml with line `line` (1-based) replaced by `new`."""
    assert LINES[28].startswith("    title: Mental health care"), "fixture lines moved"
    lines = list(LINES)
    lines[line - 1] = new
    path = tmp_path / "facts.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    root, problems = read_yaml(path)
    assert root is None
    return problems


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unclosed_quote_is_reported_where_it_opens(tmp_path: Path, quote: str) -> None:
    new = f"    title: {quote}Mental health care (partial hospitalization)\n"
    problems = _edit(tmp_path, 29, new)
    assert [(p.line, p.column) for p in problems] == [(29, 12)]
    assert "the quote opened on line 29 is not closed" in problems[0].message
    assert f"add the closing {quote}" in problems[0].hint


def test_colon_inside_a_value_says_put_it_in_quotes(tmp_path: Path) -> None:
    problems = _edit(tmp_path, 29, "    title: Mental health care: partial hospitalization\n")
    assert [p.line for p in problems] == [29]
    assert "holds a colon" in problems[0].message and "`title`" in problems[0].message
    assert problems[0].hint == ('put this text in quotes: '
                                'title: "Mental health care: partial hospitalization"')


def test_too_much_indentation_names_the_line_and_the_spaces(tmp_path: Path) -> None:
    problems = _edit(tmp_path, 30, "      publisher: Medicare.gov\n")
    assert [p.line for p in problems] == [30]
    assert problems[0].message == ("line 30 is indented too far (an indentation mistake): it has 6 "
                                   "spaces, more than the line above it; fields of one entry line up.")
    assert problems[0].hint == "indent line 30 with 4 spaces, lined up with line 29."


@pytest.mark.parametrize("spaces", [2, 3])
def test_too_little_indentation_names_the_line(tmp_path: Path, spaces: int) -> None:
    problems = _edit(tmp_path, 30, " " * spaces + "publisher: Medicare.gov\n")
    assert [p.line for p in problems] == [30]
    assert problems[0].message == (f"line 30 is not indented far enough (an indentation mistake): it "
                                   f"has {spaces} spaces, and the fields of the block it is in have 4.")
    assert problems[0].hint == "indent line 30 with 4 spaces, lined up with line 29."


def test_list_item_where_a_field_is_expected(tmp_path: Path) -> None:
    problems = _edit(tmp_path, 30, "    - publisher: Medicare.gov\n")
    assert [p.line for p in problems] == [30]
    assert "is a list item (it starts with `- `) where a field is expected" in problems[0].message
    assert problems[0].hint.startswith("remove the `- `")


def test_field_where_a_list_item_is_expected(tmp_path: Path) -> None:
    problems = _edit(tmp_path, 34, "    supports:\n      - coverage\n      hours: x\n")
    assert [p.line for p in problems] == [36]
    assert "is a field where a list item is expected" in problems[0].message
    assert problems[0].hint.startswith("start it with `- ` like line 35")


def test_a_quote_over_several_lines_is_still_valid(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text('a:\n  b: "one\n    two"\n  c: 1\n', encoding="utf-8")
    root, problems = read_yaml(path)
    assert problems == [] and root is not None


# --- indentation one level off, in the IOP entry ----------------------------------------------
# Each case moves lines of the real file left or right and reads it whole (facts and YAML): the
# first problem says "indentation", names the line, and the line to line up with.

def _at(start: str, after: int = 0) -> int:
    """The 1-based number of the first line starting with `start` after line `after`."""
    return next(n for n in range(after, len(LINES)) if LINES[n].startswith(start)) + 1


IOP = _at("  iop:")
HOURS, ADULTS = _at("    hours_per_week:", IOP), _at("      adults:", IOP)
NOTE, NOTE_TEXT = _at("    hours_note:", IOP), _at("      text:", IOP)
NOTE_SOURCE, DAYS = _at("      source:", NOTE), _at("    days_per_week:", IOP)
STAY = _at("    length_of_stay:", IOP)
ITEM1, ITEM2 = _at("      - ", STAY), _at("      - ", STAY + 1)
COVERAGE, REVIEWED = _at("    coverage:", IOP), _at("    reviewed:", IOP)


def _moved(tmp_path: Path, moves: dict[int, int]) -> list:
    """The errors reading facts.yaml with each line N moved `moves[N]` spaces (left if < 0)."""
    lines = list(LINES)
    for n, by in moves.items():
        lines[n - 1] = " " * by + lines[n - 1] if by > 0 else lines[n - 1][-by:]
    path = tmp_path / "facts.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    _, problems = read_facts(path, display_name="facts.yaml")
    errors = [p for p in problems if p.severity == ERROR]
    assert errors and all("indentation" in p.message or "is missing" in p.message for p in errors), errors
    return errors


def test_a_field_indented_into_the_field_above_it(tmp_path: Path) -> None:
    """days_per_week two spaces too far is valid YAML, read as part of hours_note."""
    first = _moved(tmp_path, {DAYS: 2})[0]
    assert (first.line, first.path) == (DAYS, "levels.iop.hours_note.days_per_week")
    assert first.message.startswith(f"line {DAYS} is indented too far (an indentation mistake): YAML "
                                    f"reads `days_per_week` as part of `hours_note` on line {NOTE}")
    assert first.hint == f"indent line {DAYS} with 4 spaces, lined up with `hours_note` on line {NOTE}."


def test_a_field_indented_into_the_last_item_of_a_list(tmp_path: Path) -> None:
    first = _moved(tmp_path, {REVIEWED: 4})[0]
    assert first.line == REVIEWED and "indentation" in first.message
    assert f"of `coverage` on line {COVERAGE}" in first.message
    assert first.hint == f"indent line {REVIEWED} with 4 spaces, lined up with `coverage` on line {COVERAGE}."


def test_a_field_not_indented_far_enough_mid_entry(tmp_path: Path) -> None:
    """days_per_week two spaces short breaks the YAML at the next line: the message is about
    days_per_week's line, and names the field it lines up with, not the line above it."""
    first = _moved(tmp_path, {DAYS: -2})[0]
    assert first.line == DAYS
    assert first.message == (f"line {DAYS} is not indented far enough (an indentation mistake): it "
                             "has 2 spaces, and the fields of the block it is in have 4.")
    assert first.hint == f"indent line {DAYS} with 4 spaces, lined up with line {NOTE}."


def test_a_field_of_a_block_not_indented_far_enough_lands_beside_it(tmp_path: Path) -> None:
    """`adolescents` two spaces short is valid YAML, read as a field of the level: the message
    says so once (not a list of the level's 25 fields) and where it lines up."""
    errors = _moved(tmp_path, {ADULTS + 1: -2})
    assert len(errors) == 1 and errors[0].line == ADULTS + 1
    assert errors[0].message == (
        f"line {ADULTS + 1} is not indented far enough (an indentation mistake): YAML reads "
        f"`adolescents` as a field beside `hours_per_week` (line {HOURS}), but it is a field of "
        "`hours_per_week`.")
    assert errors[0].hint == f"indent line {ADULTS + 1} with 6 spaces, lined up with `adults` on line {ADULTS}."


def test_a_required_field_left_outside_its_block_is_not_also_missing(tmp_path: Path) -> None:
    errors = _moved(tmp_path, {NOTE_SOURCE: -2})
    assert len(errors) == 1, errors
    assert errors[0].hint == f"indent line {NOTE_SOURCE} with 6 spaces, lined up with `text` on line {NOTE_TEXT}."


@pytest.mark.parametrize("by", [2, 4, -2])
def test_a_list_item_at_the_wrong_depth(tmp_path: Path, by: int) -> None:
    first = _moved(tmp_path, {ITEM2: by})[0]
    assert first.line == ITEM2
    assert first.message == (f"line {ITEM2} is a list item with the wrong indentation: it starts "
                             f"{6 + by} spaces in, and the items of the list above it start 6 spaces in.")
    assert first.hint == (f"indent line {ITEM2} with 6 spaces, lined up with the item on line {ITEM1}, "
                          "and move the other lines of this item by as much.")


def test_a_whole_list_item_at_the_wrong_depth(tmp_path: Path) -> None:
    first = _moved(tmp_path, {n: 2 for n in range(ITEM2, ITEM2 + 4)})[0]
    assert first.line == ITEM2 and first.hint.startswith(f"indent line {ITEM2} with 6 spaces")


def test_a_field_of_a_list_item_not_indented_far_enough(tmp_path: Path) -> None:
    first = _moved(tmp_path, {ITEM2 + 1: -2})[0]
    assert first.line == ITEM2 + 1 and "indentation" in first.message
    assert first.hint == f"indent line {ITEM2 + 1} with 8 spaces, lined up with `median` on line {ITEM2}."
    last = _moved(tmp_path, {ITEM2 + 3: -2})[0]
    assert last.line == ITEM2 + 3 and "indentation" in last.message
    assert last.hint == f"indent line {ITEM2 + 3} with 8 spaces, lined up with line {ITEM2 + 2}."


@pytest.mark.parametrize("n", [ADULTS + 1, ITEM2 + 1, ITEM2 + 3],
                         ids=["adolescents", "a list item's field", "a list item's last field"])
def test_a_field_indented_too_far_after_a_value(tmp_path: Path, n: int) -> None:
    first = _moved(tmp_path, {n: 2})[0]
    assert first.line == n and first.message.startswith(f"line {n} is indented too far (an indentation mistake)")
    assert first.hint == f"indent line {n} with {len(LINES[n - 1]) - len(LINES[n - 1].lstrip())} spaces, " \
                         f"lined up with line {n - 1}."
