"""The Spanish texts keep to the glossary of term choices (facts.yaml `terms_es:`): a rule of
meaning across facts.yaml, facts.es.yaml and content/es/.

- `term-is-the-name`: the Spanish name of a fact a term names (`fact: levels.iop`) is that term
  (facts.es.yaml `levels.iop.name: es:`); a trailing "(…)" on either side is left aside.
- `avoided-word`: no Spanish text (an `es:` of facts.es.yaml, a page in content/es/) uses a word
  a term lists under `avoid:`, but for a fact's `also_called` (other names readers may search
  for, listed on purpose).

Each problem is located (file:line) and is a warning: publishing refuses the Spanish site with
it, like a stale crisis text. Run with the translations: by the Spanish build
(hooks/language.py), `make check` and `carekb-translate status`.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carekb.load.pageinput import read_text
from carekb.i18n.translations import FILE, Entry

NAME_FIELD = {"levels": "name", "formats": "name", "modalities": "name", "conditions": "name",
              "crisis": "name", "glossary": "term"}
_TRAILING = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True)
class TermProblem:
    """One Spanish text that does not keep to the term choices."""

    path: str
    where: str
    text: str
    kind: str = "term"
    critical: bool = True

    def message(self) -> str:
        return f"{self.where}: {self.path}: {self.text}"

    @property
    def severity(self) -> str:
        return "warning"


def _bare(text: str) -> str:
    return _TRAILING.sub("", " ".join(text.split())).casefold()


def _phrase(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)


def term_problems(facts: Any, entries: dict[str, Entry], spanish_dir: Path | None,
                  project: Path | None = None) -> list[TermProblem]:
    """Every Spanish text that breaks the term choices, located."""
    terms = getattr(facts, "terms_es", None)
    if terms is None:
        return []
    found: list[TermProblem] = []
    for term in terms.terms.values():
        group = (term.fact or "").split(".", 1)[0]
        if group not in NAME_FIELD:
            continue
        path = f"{term.fact}.{NAME_FIELD[group]}"
        entry = entries.get(path)
        if entry is not None and entry.es and _bare(entry.es) != _bare(term.es):
            found.append(TermProblem(path, f"{FILE}:{entry.line}", f"the Spanish name is "
                                     f"{entry.es!r}, but the glossary of term choices says "
                                     f"{term.es!r} ({term.path} in facts.yaml). Fix: write "
                                     f"{term.es!r}, or change the term there (one English term, "
                                     "one Spanish term)."))
    avoided = [(word, term, _phrase(word)) for term in terms.terms.values() for word in term.avoid]
    if not avoided:
        return found
    # One pass finds the lines that hold any avoided word; only those are searched word by word.
    anything = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in avoided), re.I)
    for entry in entries.values():
        if ".also_called[" in entry.path:  # other names readers may search for: listed on purpose
            continue
        if not entry.es or not anything.search(entry.es):
            continue
        for word, term, pattern in avoided:
            if pattern.search(entry.es):
                found.append(TermProblem(entry.path, f"{FILE}:{entry.line}",
                                         _avoid(word, term)))
    pages = sorted(spanish_dir.rglob("*.md")) if spanish_dir is not None and spanish_dir.is_dir() else []
    for page in pages:
        shown = Path(os.path.relpath(page, project)).as_posix() if project else page.as_posix()
        found += [TermProblem(page.name, f"{shown}:{number}", _avoid(word, term))
                  for number, word, term in _page_words(page, anything, avoided)]
    return found


_SCANNED: dict[tuple[Any, ...], list[tuple[int, str, Any]]] = {}  # a page as last read, and what it held


def _page_words(page: Path, anything: re.Pattern[str], avoided: list[tuple[str, Any, re.Pattern[str]]]
                ) -> list[tuple[int, str, Any]]:
    """(line, word, term) of each avoided word in a page; a page not changed since it was last
    read (the same size and time, the same words to avoid) is not read again (the preview)."""
    try:
        info = page.stat()
    except OSError:
        return []
    key = (str(page), info.st_mtime_ns, info.st_size,
           tuple((word, term.path, term.en, term.es) for word, term, _ in avoided))
    if key in _SCANNED:
        return _SCANNED[key]
    try:
        lines = read_text(page).split("\n")
    except (OSError, ValueError):
        return []
    words = [(number, word, term) for number, line in enumerate(lines, 1) if anything.search(line)
             for word, term, pattern in avoided if pattern.search(line)]
    if len(_SCANNED) > 2000:
        _SCANNED.clear()
    _SCANNED[key] = words
    return words


def _avoid(word: str, term: Any) -> str:
    return (f"uses {word!r}, which the glossary of term choices avoids for {term.en!r} ({term.path} "
            f"in facts.yaml). Fix: write {term.es!r}.")
