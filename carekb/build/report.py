"""The build report: which page uses which fact, for editors and the impact command.

Written next to the site folder, never inside it (`site/` -> `build-report/site.json`), so it
is never published. The public build's report names only public pages and the facts they show.
It is made from the build session alone: its usage registry, its page facts (titles, review
dates) and the sections the checks recorded on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carekb.build.session import Session


REPORT_FOLDER = "build-report"  # beside the site folder, never inside it


def default_report_path(site_dir: str | Path, nested: bool = False) -> Path:
    """Where the report of the site in `site_dir` goes unless `extra.build_report` says:
    `build-report/<site folder name>.json` beside the site folder. A language's site nested in
    the public site (`nested`: site/es) reports beside the outer site, never inside it:
    `build-report/site.es.json`. The one place that works it out (the build, the staging swap
    and `python -m carekb.cli.impact` ask here)."""
    site = Path(site_dir)
    if nested:
        return site.parent.parent / REPORT_FOLDER / f"{site.parent.name}.{site.name}.json"
    return site.parent / REPORT_FOLDER / f"{site.name}.json"


def report_path(site_dir: str | Path, configured: str | None, project: Path,
                nested: bool = False) -> Path:
    """`extra.build_report` (relative to the project) if set, else `default_report_path`."""
    return project / configured if configured else default_report_path(site_dir, nested)


def build_report(session: Session) -> dict[str, Any]:
    usages = session.usage()
    pages: dict[str, Any] = {}
    for src in sorted(usages):
        usage = usages[src]
        dates = session.review_dates(src)
        pages[src] = {
            "title": session.page_title(src),
            "facts": sorted(usage.facts),
            "sources": usage.sources,
            "reviewed": dates.reviewed.isoformat() if dates else None,
            "review_due": dates.due.isoformat() if dates else None,
        }
    return {
        "audience": session.audience,
        "facts_file": session.facts.file,
        "impact": session.impact(),
        "sources": {sid: pages for sid, pages in session.citing().items()
                    if sid in session.facts.sources},
        "pages": pages,
        **session.report,
    }


def write_report(session: Session, path: Path) -> Path:
    """Write the report as compact JSON: without `indent`, json uses its C encoder (with it, the
    pure-Python one cost as much as building the report). `python -m carekb.cli.impact` reads it for
    people."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_report(session), ensure_ascii=False) + "\n", encoding="utf-8")
    return path
