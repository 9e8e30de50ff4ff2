"""The navigation, checked like pages: every entry of `nav:` (and of the staff chapters) leads to a
page of this build or to an https address, and its title is one plain line.

- an entry pointing into content/staff/, or at a staff-only page, in the public build: an
  error (the public site would link every page to it);
- an entry pointing at a page that does not exist, in either build: an error (MkDocs itself
  only warns, and makes it a link to nowhere);
- an entry whose address has a scheme other than https (`javascript:`, `data:`, `http:`...):
  an error;
- a title holding an invisible character or a line break, or longer than 300 characters: an
  error. Markup in a title is shown as text: hooks/titles.py escapes every nav title.

Each message names the config file and the line of the entry, when it can be found.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from carekb.load.plaintext import PAGE_INVISIBLE, invisible_name, shown_text

MAX_TITLE = 300
_BREAK = re.compile("[\\n\\r\\t]")


def entries(nav: Any, trail: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(titles down to the entry, its target: a path, an address, or None for a section)."""
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                here = (*trail, str(title))
                if isinstance(value, list):
                    yield here, None
                    yield from entries(value, here)
                else:
                    yield here, value
        elif isinstance(item, list):
            yield from entries(item, trail)
        else:
            yield trail, item


def _line(texts: list[tuple[str, str]], needle: str) -> str:
    """`file:line` of the first config line holding `needle` (the file alone if none does)."""
    for name, text in texts:
        for number, line in enumerate(text.splitlines(), 1):
            if needle and needle in line:
                return f"{name}:{number}"
    return texts[0][0] if texts else "mkdocs.yml"


def nav_problems(nav: Any, *, exists: Callable[[str], bool], staff_only: Callable[[str], bool],
                 public: bool, configs: list[Path]) -> list[str]:
    """Every problem of the nav, one line each; `exists(path)`: a page of this build (before staff
    pages were left out); `staff_only(path)`: a staff page; `configs`: where the nav is written."""
    texts = []
    for config in configs:
        try:
            texts.append((config.name, config.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    problems = []
    for titles, target in entries(nav):
        title = titles[-1] if titles else ""
        named = " > ".join(shown_text(t, 60) for t in titles) or "(untitled)"
        wrong = _title_problem(title)
        if wrong:
            problems.append(f"{_line(texts, title.splitlines()[0] if title else '')}: nav entry "
                            f"`{named}`: {wrong} Fix: retype the title as one plain line.")
        if target is None:
            continue
        where = _line(texts, str(target))
        said = _target_problem(str(target), exists, staff_only, public)
        if said:
            problems.append(f"{where}: nav entry `{named}` points to `{shown_text(str(target))}`, "
                            f"{said}")
    return problems


def _title_problem(title: str) -> str | None:
    if len(title) > MAX_TITLE:
        return f"the title is {len(title):,} characters long; at most {MAX_TITLE}."
    if _BREAK.search(title):
        return "the title is written on more than one line (or holds a tab)."
    found = PAGE_INVISIBLE.search(title)
    if found:
        return f"the title holds an invisible character, {invisible_name(found.group())}."
    return None


def _target_problem(target: str, exists: Callable[[str], bool], staff_only: Callable[[str], bool],
                    public: bool) -> str | None:
    parts = urllib.parse.urlsplit(target.strip())
    if parts.scheme or parts.netloc or target.startswith(("/", "\\")):
        if parts.scheme.lower() == "https" and parts.netloc:
            return None
        return ("which is neither a page of this site nor an https address. Fix: write the path of a "
                "page in content/ (like faq.md) or a full https:// address.")
    path = urllib.parse.unquote(target.split("#", 1)[0])
    path = path[2:] if path.startswith("./") else path
    if public and staff_only(path):
        return ("a staff-only page: every page of the public site would link to it. Fix: remove "
                "this entry from nav: in mkdocs.yml (staff chapters belong in extra.staff_nav of "
                "mkdocs.staff.yml).")
    if not exists(path):
        return ("which is not a page of this site. Fix: correct the path (relative to content/), or "
                "remove the entry.")
    return None
