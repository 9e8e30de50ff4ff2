"""Read a YAML file into PyYAML's node tree, keeping line numbers and catching what
PyYAML would otherwise accept silently or report in programmer's words.

We compose (not construct) with the safe loader: nodes keep their marks and their raw
text, so the validator can decide what a scalar means from the field it sits in, instead
of PyYAML's YAML 1.1 guesses (`no` → False, `1:30` → 90, `2026-02-30` → crash).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The tag of a plain (unquoted, untagged) scalar until someone asks what YAML 1.1 reads it as.
PLAIN = "tag:kb,2026:plain"
STR = "tag:yaml.org,2002:str"


class Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, minus tag resolution while composing.

    PyYAML runs every plain scalar through its YAML 1.1 patterns (is it a bool, an int, a
    date...?) as it builds the tree: a quarter of the reading time on a big fact base, spent
    on values that are only ever read as text or numbers by the field specs. Here a plain
    scalar gets the tag PLAIN, and `implicit_tag` gives the tag the safe loader would have
    given, for the few fields that ask (text, where `no` or `1:30` would be a surprise).
    Explicit tags (`!!str no`) are kept as written.
    """

    def resolve(self, kind, value, implicit):  # noqa: ANN001, ANN201 - PyYAML's signature
        if kind is yaml.ScalarNode:
            return PLAIN if implicit[0] else STR
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # noqa: ANN001, ANN201
        pass  # no path resolvers

    def ascend_resolver(self):  # noqa: ANN201
        pass


_IMPLICIT = _SafeLoader.yaml_implicit_resolvers  # first character -> [(tag, pattern)]
_ANY_FIRST = _IMPLICIT.get(None, [])  # patterns tried whatever the first character (none by default)


def implicit_tag(node: yaml.Node) -> str:
    """The tag the safe loader gives `node`: for a plain scalar, what YAML 1.1 reads it as
    (`no` -> bool, `1:30` -> int, `2026-01-01` -> timestamp, `~` -> null, else str)."""
    if node.tag != PLAIN:
        return node.tag
    value = node.value
    patterns = _IMPLICIT.get(value[0] if value else "")
    if patterns is None and not _ANY_FIRST:
        return STR  # most text: no YAML 1.1 pattern starts with its first character
    for tag, pattern in (patterns or []) + _ANY_FIRST:
        if pattern.match(value):
            return tag
    return STR

# PyYAML's own wording → what an editor can act on.
_YAML_WORDS = [
    (re.compile(r"found character '\\t'"),
     "a tab character is used where YAML needs spaces.", "replace the tab with spaces."),
    (re.compile(r"could not find expected ':'"),
     "a line here is missing its ':' or is indented differently from the lines around it.",
     "write `name: value`, indented with the same number of spaces as its neighbours."),
    (re.compile(r"mapping values are not allowed here"),
     "a ':' appears where YAML does not expect one (often text with a colon that needs quotes).",
     'put the whole text in quotes, like "Note: this".'),
    (re.compile(r"found unexpected end of stream|unexpected end of (the )?stream"),
     "the file ends in the middle of something: was it cut short, or is a quote or bracket not closed?",
     "check that every quote and bracket is closed and the last entry is complete."),
    (re.compile(r"did not find expected key|did not find expected node content|"
                r"did not find expected '-' indicator|expected <block end>"),
     "the indentation here does not line up with the lines above it.",
     "indent this line with the same number of spaces as the other fields of its block."),
    (re.compile(r"found undefined alias|found unhashable key"),
     "this uses YAML's advanced `*name` or complex-key syntax, which this file does not support.",
     "write the value out in full."),
    (re.compile(r"expected a single document"),
     "the file holds more than one YAML document (a line with only `---` in the middle?).",
     "remove the extra `---` line."),
    (re.compile(r"while scanning a quoted scalar"),
     "a quote is opened here and never closed.", "add the closing quote."),
]


def read_yaml(path: str | Path, *, display_name: str | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """Return the root node of the file (or None) and every problem found while reading it."""
    path = Path(path)
    name = display_name or path.name
    problems: list[Problem] = []

    def problem(line: int | None, col: int | None, message: str, hint: str | None = None) -> None:
        problems.append(Problem(name, line, col, "", message, hint))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problem(None, None, f"the file was not found at {path}.",
                "check the file name, or run the command from the project folder.")
        return None, problems
    except OSError as exc:
        problem(None, None, f"the file could not be read ({exc.strerror}).")
        return None, problems

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problem(line, col, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read).",
                "save the file with UTF-8 encoding (most editors offer it under 'Save with encoding').")
        return None, problems
    text = text.removeprefix("\ufeff")

    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problem(1, 1, "the file is empty: it holds no facts.",
                "restore it from the last good version (for example with `git checkout facts.yaml`).")
        return None, problems

    for n, ln in enumerate(text.splitlines() if "\t" in text else (), 1):
        indent = ln[: len(ln) - len(ln.lstrip(" \t"))]
        if "\t" in indent and ln.strip():
            problem(n, indent.index("\t") + 1, "a tab character is used for indentation; YAML needs spaces.",
                    "replace the tab with spaces.")
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is noticed at the end of the file; point at its start.
        starts = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
        mark = (exc.context_mark if starts else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if not any(p.line == line for p in problems):
            message, hint = _plain(exc)
            problem(line, col, message, hint)
        return None, problems
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        problem(None, None, f"the file could not be read as YAML ({exc}).")
        return None, problems
    if problems:  # tabs that happened to parse still mean the editor's layout is off
        return None, problems
    if root is None:
        problem(1, 1, "the file is empty: it holds no facts.")
    return root, problems


def _plain(exc: yaml.MarkedYAMLError) -> tuple[str, str | None]:
    said = f"{exc.context or ''} {exc.problem or ''}"
    for pattern, message, hint in _YAML_WORDS:
        if pattern.search(said):
            return message, hint
    return f"this is not valid YAML ({(exc.problem or exc.context or 'unreadable').strip()}).", None
