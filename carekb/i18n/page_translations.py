"""Which Spanish pages (content/es/) are current translations of their English pages.

Every public English page (`english_pages`: content/*.md and below, not content/staff/ nor a
language's folder, not `audience: staff`) has a Spanish twin of the same name in content/es/.
A twin records the English it was made from in its front matter, written by
`carekb-translate mark content/es/costs.md` (carekb/cli/translate.py), never by hand:

    translation:
      of: costs.md              # the English page (content/costs.md); the same name by default
      hash: 3f2a9c1b7d4e        # a short hash of that page as it was translated (`english_hash`)
      reviewed: 2026-12-10      # when the translation was last checked against it

The hash is of the English page's title, description and text with runs of white space made
one (`normalised`): re-wrapping a paragraph or changing its `reviewed:` date changes nothing.
The command also keeps a copy of the English it records (i18n/translated-from/costs.md), so the
staff handbook's "Translation queue" can show the English before and after.

A twin is **current** when its hash is the English page's hash now; **stale** when it differs,
or when the twin records none; **missing** when there is no twin; an **orphan** is a Spanish
page with no English page. The Spanish site shows a stale or missing page in English, marked
(hooks/language.py), and refuses to publish while a page about crisis help, safety, medicines
or the self-check is stale or missing (`CRITICAL_PAGES`).

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from carekb.load.frontmatter import split
from carekb.load.pageinput import read_text

CRITICAL_PAGES = ("help.md", "safety.md", "medicines.md", "self-check.md")
SNAPSHOTS = Path("i18n") / "translated-from"  # beside facts.yaml: the English each page was made from
LANGUAGE_DIRS = ("es",)  # folders of content/ that hold a language's pages, never English ones
HASH_CHARS = 12
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PageStatus:
    """How one Spanish page stands against its English page."""

    src: str  # the page's path in both sites' docs folders ("costs.md")
    kind: str  # current | stale | missing | orphan
    english: str  # the English page, as editors name it ("content/costs.md")
    spanish: str  # the Spanish page ("content/es/costs.md")
    line: int  # the line of its `translation:` record (1 when it has none)
    recorded: str | None  # the hash it records
    now: str | None  # the English page's hash now
    reviewed: dt.date | None  # when the translation was last checked (`translation.reviewed`)
    critical: bool

    def message(self) -> str:
        """One located line for `make check`, the build and the preview."""
        if self.kind == "missing":
            return (f"{self.english}:1: {self.src}: no Spanish page ({self.spanish}); the Spanish "
                    f"site shows the English page. Fix: write {self.spanish} (the same headings "
                    f"and page-language calls), then run `carekb-translate mark {self.spanish}`.")
        if self.kind == "orphan":
            return (f"{self.spanish}:1: {self.src}: there is no English page {self.english}, so "
                    "this page has no twin. Fix: name the English page in `translation: of:`, or "
                    "delete the page.")
        if self.recorded is None:
            return (f"{self.spanish}:{self.line}: {self.src}: records no English it was made from, "
                    f"so it may not match {self.english}; the Spanish site shows the English "
                    f"page. Fix: check it against {self.english}, then run `carekb-translate mark "
                    f"{self.spanish}`.")
        return (f"{self.spanish}:{self.line}: {self.src}: {self.english} changed since this page "
                f"was translated (hash {self.recorded}, now {self.now}); the Spanish site shows "
                f"the English page. Fix: update the translation, then run `carekb-translate mark "
                f"{self.spanish}`.")

    @property
    def severity(self) -> str:
        """A warning (publishing refuses it) for critical pages and orphans; else a notice."""
        return "warning" if self.critical or self.kind == "orphan" else "notice"


def front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(front matter as data, the text after it, the line it starts on); ({}, text, 1) if none."""
    found = split(text)
    if found is None:
        return {}, text, 1
    block, after = found
    try:
        data = yaml.load(block, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's when there)
    except yaml.YAMLError:
        data = None
    lines = text.split("\n")
    return (data if isinstance(data, dict) else {}), "\n".join(lines[after - 1:]), after


_READ: dict[tuple[str, int, int], tuple[str, dict[str, Any], str]] = {}


def read(path: Path) -> tuple[str, dict[str, Any], str]:
    """(text, front matter, English hash of the text) of a page, read once per version of the
    file (same size and time): the preview asks again on every save. OSError or
    ValueError when it cannot be read (carekb/load/pageinput.py: ordinary files only)."""
    info = path.stat()
    key = (str(path), info.st_mtime_ns, info.st_size)
    found = _READ.get(key)
    if found is None:
        text = read_text(path)
        if len(_READ) > 5000:
            _READ.clear()
        found = _READ[key] = (text, front_matter(text)[0], english_hash(text))
    return found


def normalised(text: str) -> str:
    """An English page as its translation follows it: title, description and text, each with
    runs of white space made one."""
    meta, body, _ = front_matter(text)
    parts = [str(meta.get("title") or ""), str(meta.get("description") or ""), body]
    return "\n".join(" ".join(part.split()) for part in parts)


def english_hash(text: str) -> str:
    """The short hash a translation records of its English page."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:HASH_CHARS]


def english_pages(english_dir: Path) -> list[str]:
    """The public English pages' paths in content/ ("costs.md", "levels/x.md"), sorted."""
    found = []
    for path in sorted(english_dir.rglob("*.md")):
        rel = path.relative_to(english_dir).as_posix()
        top = rel.split("/", 1)[0]
        if "/" in rel and (top.casefold() == "staff" or top in LANGUAGE_DIRS):
            continue
        try:
            meta = read(path)[1]
        except (OSError, ValueError):
            continue
        if meta.get("audience") != "staff":
            found.append(rel)
    return found


def record(meta: dict[str, Any]) -> dict[str, Any]:
    """The page's `translation:` record ({} when it has none or it is not a mapping)."""
    found = meta.get("translation")
    return found if isinstance(found, dict) else {}


def page_statuses(english_dir: Path, spanish_dir: Path, project: Path) -> list[PageStatus]:
    """Every English page's twin status, then the Spanish pages with no English page."""
    out: list[PageStatus] = []
    english = english_pages(english_dir)
    hashes: dict[str, str] = {}
    for src in english:
        try:
            hashes[src] = read(english_dir / src)[2]
        except (OSError, ValueError):
            continue

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            return str(path)

    twins: dict[str, Path] = {}
    if spanish_dir.is_dir():
        twins = {p.relative_to(spanish_dir).as_posix(): p for p in sorted(spanish_dir.rglob("*.md"))}
    seen: set[str] = set()
    for src, path in twins.items():
        try:
            text, meta, _ = read(path)
        except (OSError, ValueError):
            continue  # the build itself says why it cannot be read
        rec = record(meta)
        of = str(rec.get("of") or src)
        line = _line_of(text, "translation")
        reviewed = rec.get("reviewed") if isinstance(rec.get("reviewed"), dt.date) else None
        english_file = shown(english_dir / of)
        if of not in hashes:
            out.append(PageStatus(src, "orphan", english_file, shown(path), line, None, None,
                                  reviewed, False))
            continue
        seen.add(of)
        recorded = str(rec["hash"]) if rec.get("hash") else None
        kind = "current" if recorded == hashes[of] else "stale"
        out.append(PageStatus(src, kind, english_file, shown(path), line, recorded, hashes[of],
                              reviewed, src in CRITICAL_PAGES or of in CRITICAL_PAGES))
    for src in english:
        if src not in seen and src not in twins and src in hashes:
            out.append(PageStatus(src, "missing", shown(english_dir / src),
                                  shown(spanish_dir / src), 1, None, hashes[src], None,
                                  src in CRITICAL_PAGES))
    order = {src: i for i, src in enumerate(english)}
    return sorted(out, key=lambda s: (order.get(s.src, len(order)), s.src))


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1
