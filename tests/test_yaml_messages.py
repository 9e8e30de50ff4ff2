"""YAML mistakes in facts.yaml are reported in plain words on the line the editor must change."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekb.yamlload import read_yaml

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
    assert problems[0].message == ("line 30 is indented more than the line above it; fields of "
                                   "one entry line up.")
    assert problems[0].hint == "indent line 30 with 4 spaces, like line 29."


@pytest.mark.parametrize("spaces", [2, 3])
def test_too_little_indentation_names_the_line(tmp_path: Path, spaces: int) -> None:
    problems = _edit(tmp_path, 30, " " * spaces + "publisher: Medicare.gov\n")
    assert [p.line for p in problems] == [30]
    assert problems[0].message.startswith("line 30 is indented less than the line above it")
    assert "fields of one entry line up" in problems[0].message
    assert problems[0].hint.startswith("indent line 30 with 4 spaces, like line 29")


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
