"""The staff handbook's "Translation queue": every stale or missing Spanish translation, with the
English before (what the translation was made from) and after (what is in force now).

Fact texts: the English recorded in facts.es.yaml (`en:`) and facts.yaml's text now. Pages: the
copy of the English page `carekb-translate mark` kept (i18n/translated-from/<page>), shown as the
lines that changed since, and the English page now. Crisis, safety, medicine and self-check
texts come first: the Spanish site is not published while one of them is in the queue.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from carekb.model.audience import view
from carekb.model.facts import PUBLIC
from carekb.i18n.page_translations import SNAPSHOTS, normalised, page_statuses
from carekb.i18n.translations import FILE, read_translations, statuses, translatable
from carekb.load.pageinput import read_text

MAX_DIFF_LINES = 60


def queue(facts: Any, project: Path) -> dict[str, Any]:
    """{"items": [...], "current": n, "total": n}: every stale, missing or orphan translation,
    critical ones first, each a dict the template shows (kind, what, where, before, after, diff)."""
    entries, problems = read_translations(project / FILE)
    found = statuses(translatable(view(facts, PUBLIC)), entries)
    items = [{"kind": s.kind, "what": s.path, "where": s.where, "critical": s.critical,
              "before": s.recorded, "after": s.english, "spanish": s.spanish, "diff": None,
              "page": False} for s in found if s.kind != "current"]
    english, spanish = project / "content", project / "content" / "es"
    pages = page_statuses(english, spanish, project) if english.is_dir() else []
    for page in pages:
        if page.kind == "current":
            continue
        before = _snapshot(project, page.src)
        after = _text(project / page.english)
        items.append({"kind": page.kind, "what": page.spanish if page.kind != "missing" else page.english,
                      "where": f"{page.spanish if page.kind != 'missing' else page.english}:{page.line}",
                      "critical": page.critical, "before": None, "after": None, "page": True,
                      "spanish": None, "diff": _diff(before, after) if before and after else None,
                      "recorded": page.recorded is not None})
    items.sort(key=lambda item: not item["critical"])
    return {"items": items, "problems": [str(p) for p in problems],
            "current": sum(1 for s in found if s.kind == "current"),
            "total": sum(1 for s in found if s.kind != "orphan"),
            "pages_current": sum(1 for p in pages if p.kind == "current"),
            "pages_total": sum(1 for p in pages if p.kind != "orphan")}


def _text(path: Path) -> str | None:
    try:
        return read_text(path)
    except (OSError, ValueError):
        return None


def _snapshot(project: Path, src: str) -> str | None:
    return _text(project / SNAPSHOTS / src)


def _diff(before: str, after: str) -> str:
    """The English lines that changed since the translation, as a short unified diff of the
    page's sentences (title, description, text; white space made one)."""
    old = _sentences(normalised(before))
    new = _sentences(normalised(after))
    lines = [line for line in difflib.unified_diff(old, new, "English when translated",
                                                   "English now", n=1, lineterm="")]
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"… and {len(lines) - MAX_DIFF_LINES} more lines"]
    return "\n".join(lines)


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split("\n"):
        out += [s.strip() for s in part.replace(". ", ".\n").split("\n") if s.strip()]
    return out
