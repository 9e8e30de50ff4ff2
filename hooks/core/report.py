"""The build report: which page uses which fact, for editors and the impact command.

Written next to the site folder, never inside it (`site/` -> `build-report/site.json`), so it
is never published. The public build's report names only public pages and the facts they show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hooks.core.session import Session


def report_path(site_dir: str | Path, configured: str | None, project: Path) -> Path:
    if configured:
        return project / configured
    site = Path(site_dir)
    return site.parent / "build-report" / f"{site.name}.json"


def build_report(session: Session) -> dict[str, Any]:
    registry = session.renderer.registry
    citing = registry.citing()
    pages: dict[str, Any] = {}
    for src, usage in sorted(registry.pages.items()):
        dates = usage.review_dates(session.facts.review_every_months)
        pages[src] = {
            "title": usage.title,
            "facts": sorted(usage.facts),
            "sources": usage.sources,
            "reviewed": dates.reviewed.isoformat() if dates else None,
            "review_due": dates.due.isoformat() if dates else None,
        }
    return {
        "audience": session.audience,
        "facts_file": session.facts.file,
        "impact": registry.impact(),
        "sources": {sid: pages for sid, pages in citing.items() if sid in session.facts.sources},
        "pages": pages,
        **session.report,
    }


def write_report(session: Session, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(build_report(session)) + "\n", encoding="utf-8")
    return path


def to_json(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, character for character.

    With `indent` the json module falls back to its pure-Python encoder, which took as long as
    building the report itself; here the layout is written directly and every string and
    number goes through json's C encoder.
    """
    out: list[str] = []
    try:
        _emit(value, "\n", out)
    except _NotPlain:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(out)


class _NotPlain(Exception):
    """A key json would first convert to text (a number, true, null): left to json itself."""


_string = json.encoder.encode_basestring  # C, no \uXXXX escapes (ensure_ascii=False)


def _emit(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        lead = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            out.append(lead)
            out.append(_string(key))
            out.append(": ")
            _emit(item, inner, out)
            lead = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        if all(type(item) is str for item in value):  # most lists: page paths, fact paths
            out.append("[" + inner + ("," + inner).join(map(_string, value)) + newline + "]")
            return
        lead = "[" + inner
        for item in value:
            out.append(lead)
            _emit(item, inner, out)
            lead = "," + inner
        out.append(newline + "]")
    else:  # numbers, true/false, null; anything else raises TypeError as json.dumps does
        out.append(json.dumps(value, ensure_ascii=False))
