"""The build report: which page uses which fact, for editors and the impact command.

Written next to the site folder, never inside it (`site/` -> `build-report/site.json`), so it
is never published. The public build's report names only public pages and the facts they show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carekb.session import Session


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
    """Write the report as compact JSON: without `indent`, json uses its C encoder (with it, the
    pure-Python one cost as much as building the report). `python -m carekb.impact_report` reads it for
    people."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_report(session), ensure_ascii=False) + "\n", encoding="utf-8")
    return path
