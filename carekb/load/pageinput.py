"""A hand-written page's bytes, decoded or refused with a location.

`read_page` reads one page of content/ (an ordinary file, at most MAX_PAGE_BYTES), decodes it
as MkDocs does (UTF-8, a byte order mark dropped, line ends read as `\n`) and checks what no
page may hold: bytes that are not UTF-8 (the line and column of the first one), invisible
characters (carekb/load/plaintext.py's set: controls, every Unicode format character, the blank
fillers; tabs and line ends are fine), and a front matter that is not typed as
carekb/load/frontmatter.py says. `config_problems` does the same for mkdocs.yml (and the file it
INHERITs), which MkDocs reads before any hook runs.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from carekb.load import frontmatter
from carekb.load.plaintext import invisible_name, page_invisible
from carekb.base.problems import Problem
from carekb.load.yamlload import not_utf8

MAX_PAGE_BYTES = 2 * 1024 * 1024  # the largest page is about 20 KB
_INHERIT = re.compile(rb"^INHERIT:[ \t]*['\"]?([^'\"\r\n#]+?)['\"]?[ \t]*(?:#.*)?$", re.M)


def read_ordinary(path: str | Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of an ordinary file of at most `limit` bytes (OSError or ValueError otherwise):
    a named pipe, a device or a folder is refused at once, never waited on or read without end.
    Every file of the project an editor controls is read through this or carekb/load/yamlload.py."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("is not an ordinary file")
        raw = f.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(f"is larger than {limit // 1024 // 1024} MB")
    return raw


def read_text(path: str | Path, limit: int = MAX_PAGE_BYTES) -> str:
    """`read_ordinary`, decoded as UTF-8 (a byte order mark dropped): OSError or ValueError
    (UnicodeDecodeError included) when it cannot be read."""
    return read_ordinary(path, limit).decode("utf-8-sig")


def decode(raw: bytes, name: str, what: str = "the page") -> tuple[str | None, Problem | None]:
    """(text, None) for UTF-8 bytes, read as MkDocs reads them; (None, the located problem)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        line, col, message, hint = not_utf8(raw[bom:], UnicodeDecodeError(
            exc.encoding, exc.object, exc.start - bom, exc.end - bom, exc.reason), what)
        return None, Problem(name, line, col, "", message, hint)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def read_page(path: str | Path, name: str, templates: list[str]) -> tuple[str | None, list[Problem]]:
    """The page's text (None if it cannot be read) and every problem of its bytes, characters
    and front matter; `name` is how messages name it, `templates` the page templates allowed."""
    try:
        raw = read_ordinary(path, MAX_PAGE_BYTES)
    except (OSError, ValueError) as error:
        said = f"({error.strerror})" if isinstance(error, OSError) else f"it {error}"
        return None, [Problem(name, None, None, "", f"the page cannot be read: {said}.",
                              "keep pages as ordinary Markdown files of a few pages of text.")]
    text, problem = decode(raw, name)
    if problem is not None:
        return None, [problem]
    return text, _invisible(text, name) + frontmatter.check(text, name, templates)


def _invisible(text: str, name: str) -> list[Problem]:
    """The first invisible character of `text`, located, as a problem (none: an empty list)."""
    hidden = page_invisible(text)
    if hidden is None:
        return []
    line, col, ch = hidden
    return [Problem(name, line, col, "", f"holds an invisible character, {invisible_name(ch)}: "
                    "it can hide or reorder what readers see.",
                    f"delete it: retype the text around line {line}, column {col}.")]


def config_problems(config: str | Path, project: str | Path | None = None) -> list[Problem]:
    """Problems of the bytes of an MkDocs config file and of the configs it INHERITs (named
    relative to `project`): not UTF-8 (located), invisible characters, not an ordinary file."""
    problems: list[Problem] = []
    seen: set[str] = set()
    path = Path(config)
    while path is not None and os.path.realpath(path) not in seen and len(seen) < 8:
        seen.add(os.path.realpath(path))
        name = os.path.relpath(path, project) if project else str(path)
        try:
            raw = read_ordinary(path, MAX_PAGE_BYTES)
        except (OSError, ValueError):
            return problems  # MkDocs says it itself
        text, problem = decode(raw, name, "the file")
        if problem is not None:
            return problems + [problem]
        problems += _invisible(text, name)
        parent = _INHERIT.search(raw)
        path = path.parent / parent.group(1).decode("utf-8", "replace").strip() if parent else None
    return problems
