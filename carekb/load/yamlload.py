"""Read a YAML file into PyYAML's node tree, keeping line numbers and catching what
PyYAML would otherwise accept silently or report in programmer's words.

We compose (not construct) with the safe loader: nodes keep their marks and their raw
text, so the validator can decide what a scalar means from the field it sits in, instead
of PyYAML's YAML 1.1 guesses (`no` → False, `1:30` → 90, `2026-02-30` → crash).

Nothing can make reading hang or crash: only an ordinary file is opened (never a FIFO or a
device), its size is capped, and the tree is composed from the event stream without
recursion, with caps on nesting and on values (aliases counted as what they repeat).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent)

from carekb.base.problems import Problem
from carekb.load.yaml_mistakes import explain

# Limits checked before or while composing, so PyYAML's recursive C composer (which crashes the
# interpreter around 100,000 levels deep) never runs, and an alias bomb never expands.
# The real facts.yaml nests about 7 blocks deep and holds a few thousand values; the limits
# leave ample room for the 100x benchmark fact base (benchmarks/synthetic.py) as well.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 500_000

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The tag of a plain (unquoted, untagged) scalar until someone asks what YAML 1.1 reads it as.
PLAIN = "tag:kb,2026:plain"
STR = "tag:yaml.org,2002:str"


class Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, minus tag resolution while composing.

    PyYAML runs every plain scalar through its YAML 1.1 patterns (is it a bool, an int, a
    date...?) as it builds the tree: a large share of the reading time on a big fact base, spent
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
    if " " in value and not "0" <= value[0] <= "9" and not _ANY_FIRST:
        return STR  # prose: of the YAML 1.1 patterns only a timestamp holds a space, and it starts with a digit
    patterns = _IMPLICIT.get(value[0] if value else "")
    if patterns is None and not _ANY_FIRST:
        return STR  # most text: no YAML 1.1 pattern starts with its first character
    for tag, pattern in (patterns or []) + _ANY_FIRST:
        if pattern.match(value):
            return tag
    return STR

# Characters YAML 1.1 refuses anywhere in a file (PyYAML's reader.NON_PRINTABLE).
_NOT_YAML_TEXT = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

# PyYAML's own wording → what an editor can act on.
_YAML_WORDS = [
    (re.compile(r"found character '\\t'"),
     "a tab character is used where YAML needs spaces.", "replace the tab with spaces."),
    (re.compile(r"could not find expected ':'"),
     "a line here is missing its ':' or is indented differently from the lines around it.",
     "write `name: value`, indented with the same number of spaces as its neighbours."),
    (re.compile(r"mapping values are not allowed"),
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
     "the quote opened on this line is not closed.", "add the closing quote."),
]


def read_yaml(path: str | Path, *, display_name: str | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """Return the root node of the file (or None) and every problem found while reading it."""
    path = Path(path)
    name = display_name or path.name

    def refused(line: int | None, col: int | None, message: str, hint: str | None = None):
        return None, [Problem(name, line, col, "", message, hint)]

    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        return refused(None, None, f"the file was not found at {path}.",
                       "check the file name, or run the command from the project folder.")
    except _Refused as exc:
        return refused(None, None, exc.message, exc.hint)
    except OSError as exc:
        return refused(None, None, f"the file could not be read ({exc.strerror or exc}).")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return refused(*not_utf8(raw, exc))
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return refused(1, 1, "the file is empty: it holds no facts.",
                       "restore it from the last good version (for example with `git checkout facts.yaml`).")
    root, problems = yaml_tree(text, name)
    return (root, problems) if root is not None or problems else refused(1, 1, "the file is empty: it holds no facts.")


def not_utf8(raw: bytes, exc: UnicodeDecodeError, what: str = "the file") -> tuple[int, int, str, str]:
    """(line, column, what is wrong, the fix) for bytes that are not UTF-8; the column counts
    the characters before the bad byte on its line, as an editor shows them."""
    start = raw.rfind(b"\n", 0, exc.start) + 1
    col = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
    return (raw.count(b"\n", 0, exc.start) + 1, col,
            f"{what} is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read).",
            "save the file with UTF-8 encoding (most editors offer it under 'Save with encoding').")


def yaml_tree(text: str, name: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The node tree of YAML `text` (from file `name`, for messages) and every problem met
    reading it: characters YAML refuses, tabs, nesting and size past the limits, and PyYAML's
    own errors in plain words at the line to change."""
    problems: list[Problem] = []

    def problem(line: int | None, col: int | None, message: str, hint: str | None = None, field: str = "") -> None:
        problems.append(Problem(name, line, col, field, message, hint))

    if m := _NOT_YAML_TEXT.search(text):  # PyYAML's own message has no line and spans two
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        problem(line, col, f"the file holds a control character, U+{ord(m.group()):04X}, that YAML does not allow.",
                "delete it: retype the text around it (it often comes from copying and pasting).")
        return None, problems

    for n, ln in enumerate(text.splitlines() if "\t" in text else (), 1):
        indent = ln[: len(ln) - len(ln.lstrip(" \t"))]
        if "\t" in indent and ln.strip():
            problem(n, indent.index("\t") + 1, "a tab character is used for indentation; YAML needs spaces.",
                    "replace the tab with spaces.")
    try:
        root = compose(text)
    except _Refused as exc:
        mark = exc.mark
        problem(mark.line + 1 if mark else None, mark.column + 1 if mark else None, exc.message, exc.hint,
                exc.path)
        return None, problems
    except yaml.MarkedYAMLError as exc:
        explained = explain(text, exc)  # the real mistake, often lines above PyYAML's mark
        if explained is not None:
            line, col, message, hint = explained
            if not any(p.line == line for p in problems):
                problem(line, col, message, hint)
            return None, problems
        # An unclosed quote or bracket is noticed at the end of the file; point at its start.
        starts = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
        mark = (exc.context_mark if starts else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if not any(p.line == line for p in problems):
            message, hint = _plain(exc)
            problem(line, col, message, hint)
        return None, problems
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        said = " ".join(str(exc).split())
        problem(None, None, f"the file could not be read as YAML ({said}).")
        return None, problems
    if problems:  # tabs that happened to parse still mean the editor's layout is off
        return None, problems
    return root, problems


def _plain(exc: yaml.MarkedYAMLError) -> tuple[str, str | None]:
    said = f"{exc.context or ''} {exc.problem or ''}"
    for pattern, message, hint in _YAML_WORDS:
        if pattern.search(said):
            return message, hint
    return f"this is not valid YAML ({(exc.problem or exc.context or 'unreadable').strip()}).", None


class _Refused(Exception):
    """A limit the file goes past: a plain message, its fix, and where (mark and field path, when known)."""

    def __init__(self, message: str, hint: str, mark: yaml.Mark | None = None, path: str = "") -> None:
        super().__init__(message)
        self.message, self.hint, self.mark, self.path = message, hint, mark, path


_NOT_REGULAR = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]


def _refuse_unless_regular(mode: int) -> None:
    """Refuse a folder, FIFO, socket or device, with a plain message."""
    if stat.S_ISREG(mode):
        return
    what = next((w for test, w in _NOT_REGULAR if test(mode)), "not an ordinary file")
    raise _Refused(f"this is {what}, not a file that can be read.",
                   "give the path of the facts file itself, such as facts.yaml.")


def _too_big(size: int) -> _Refused:
    return _Refused(f"the file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB "
                    "(the real facts.yaml is well under 1 MB).",
                    "remove what does not belong in it: facts.yaml holds only facts, their sources and dates.")


def _read_regular(path: Path) -> bytes:
    """The file's bytes, refusing at once anything but a regular file, and any file over MAX_BYTES."""
    # stat first: opening a FIFO for reading would block until a writer comes, and opening a
    # device can have effects of its own. O_NONBLOCK and the second check cover a swap in between.
    _refuse_unless_regular(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        _refuse_unless_regular(info.st_mode)
        if info.st_size > MAX_BYTES:
            raise _too_big(info.st_size)
        raw = f.read(MAX_BYTES + 1)  # a file still growing is cut off here, not read without end
    if len(raw) > MAX_BYTES:
        raise _too_big(len(raw))
    return raw


def compose(text: str) -> yaml.Node | None:
    """The node tree `yaml.compose(text, Loader=Loader)` would give, built from the event stream
    without recursion, refusing more than MAX_DEPTH levels of nesting or MAX_NODES values.

    An alias (`*name`) counts as every value it repeats and as deep as what it repeats, so an
    alias bomb (aliases of aliases, each a list of the last) is refused, never expanded; an alias
    of the block it sits in is refused too, since anything walking it would never end.
    """
    loader = Loader(text)
    try:
        return _compose(loader.get_event)
    finally:
        loader.dispose()


def _compose(next_event) -> yaml.Node | None:  # noqa: ANN001 - the loader's bound get_event
    # Each open block or list: [node, its items (a list of pairs for a block), key waiting for its
    # value (blocks), values before it, its height, its anchor]. The scalar path is inlined and
    # ends in its own `continue`: it runs for most events, and after libyaml's own parsing this loop
    # is the costliest part of reading a big fact base.
    stack: list[list] = []
    anchors: dict[str, yaml.Node] = {}
    weights: dict[str, tuple[int, int]] = {}  # anchor -> (values it holds, levels it nests)
    root: yaml.Node | None = None
    first_document = None
    count = 0
    top: list | None = None
    items: list = []  # top's items
    is_map = False  # whether top is a block of fields
    scalar_node = yaml.ScalarNode
    while (event := next_event()) is not None:
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = PLAIN if event.implicit[0] else STR
            node: yaml.Node = scalar_node(tag, event.value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None:
                anchors[event.anchor], weights[event.anchor] = node, (1, 0)
            count += 1
            if count > MAX_NODES:
                _counted(count, event, stack)
            if is_map:  # a block of fields: keys and values alternate
                if top[3] is None:
                    top[3] = node
                else:
                    items.append((top[3], node))
                    top[3] = None
            elif top is not None:
                items.append(node)
            else:
                root = node
            continue
        height = 0
        if kind is SequenceStartEvent or kind is MappingStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise _Refused(f"blocks and lists are nested more than {MAX_DEPTH} levels deep here "
                               "(facts.yaml needs about 7).",
                               "remove the extra nesting: look for brackets `[` or `{` that are never closed, "
                               "or lines indented further and further.", event.start_mark, _path_of(stack))
            sequence = kind is SequenceStartEvent
            tag = event.tag
            if tag is None or tag == "!":
                tag = Loader.DEFAULT_SEQUENCE_TAG if sequence else Loader.DEFAULT_MAPPING_TAG
            node = (yaml.SequenceNode if sequence else yaml.MappingNode)(tag, [], event.start_mark, None,
                                                                         event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = node  # open: an alias to it before its end is recursive
                weights.pop(event.anchor, None)
            count = _counted(count + 1, event, stack)
            top = [node, node.value, not sequence, None, count, 0, event.anchor]
            items, is_map = node.value, not sequence
            stack.append(top)
            continue
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            node, _, _, _, start, height, anchor = stack.pop()
            node.end_mark = event.end_mark
            height += 1
            if anchor is not None:
                weights[anchor] = (count - start + 1, height)
            top = stack[-1] if stack else None
            items, is_map = (top[1], top[2]) if top is not None else ([], False)
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            if event.anchor not in weights:
                raise _Refused(f"`*{event.anchor}` repeats the block it is inside, which would never end.",
                               "write the value out in full.", event.start_mark, _path_of(stack))
            node = anchors[event.anchor]
            size, height = weights[event.anchor]
            if len(stack) + height > MAX_DEPTH:
                raise _Refused(f"`*{event.anchor}` repeats a block here that ends up nested more than "
                               f"{MAX_DEPTH} levels deep.", "write the value out in full.", event.start_mark,
                               _path_of(stack))
            count = _counted(count + size, event, stack)
        elif kind is DocumentStartEvent:
            if first_document is not None:
                raise yaml.composer.ComposerError("expected a single document in the stream", first_document,
                                                  "but found another document", event.start_mark)
            first_document = event.start_mark
            continue
        else:  # stream start and end, document end
            continue
        if top is None:
            root = node
            continue
        if height > top[5]:
            top[5] = height
        if is_map:
            if top[3] is None:
                top[3] = node
            else:
                items.append((top[3], node))
                top[3] = None
        else:
            items.append(node)
    return root


def _counted(count: int, event: yaml.Event, stack: list[list]) -> int:
    """`count`, unless it is past MAX_NODES."""
    if count > MAX_NODES:
        raise _Refused(f"the file holds more than {MAX_NODES:,} values (each `*name` counts as all the "
                       "values it repeats); facts.yaml needs a few thousand.",
                       "remove the repeated or generated part, and write each value once.", event.start_mark,
                       _path_of(stack))
    return count


def _path_of(stack: list[list]) -> str:
    """The field path (`levels.iop.fits[2]`) of the value about to be added to the open blocks and lists."""
    path = ""
    for _node, items, is_map, key, *_ in stack:
        if is_map:
            if key is None:  # between fields: the path is the block's own
                break
            word = key.value if isinstance(key, yaml.ScalarNode) else "?"
            word = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in word[:40])
            path = f"{path}.{word}" if path else word
        else:
            path += f"[{len(items) + 1}]"
    return path
