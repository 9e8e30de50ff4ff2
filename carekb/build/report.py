"""The build report: which page uses which fact, for editors and the impact command.

Written next to the site folder, never inside it (`site/` -> `build-report/site.json`), so it
is never published. The public build's report names only public pages and the facts they show.
It is made from the build session alone: its usage registry, its page facts (titles, review
dates) and the sections the checks recorded on it.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carekb.build.session import Session


REPORT_FOLDER = "build-report"  # beside the site folder, never inside it


class Grades:
    """The report's "readability" section: each page's reading grade against its limit,
    recorded by hooks/readability.py (and put back for unchanged pages by the preview)."""

    def __init__(self, report: dict[str, Any]) -> None:
        self._report = report  # the session's report sections, where this one is kept

    @property
    def section(self) -> dict[str, Any] | None:
        """The section as the report holds it (None: no page was graded)."""
        return self._report.get("readability")

    @property
    def limit(self) -> float | None:
        """The site's limit the section was made with (None: no page was graded)."""
        return self.section["limit"] if self.section else None

    def of(self, src: str) -> dict[str, Any] | None:
        """Page `src`'s entry (None: not graded)."""
        return self.section["pages"].get(src) if self.section else None

    def record(self, src: str, grade: Any, limit: float, default_limit: float) -> None:
        """Page `src`'s reading grade (carekb/checks/readability.py) against its limit."""
        self.put(src, {"grade": grade.grade, "words": grade.words, "sentences": grade.sentences,
                       "syllables": grade.syllables, "limit": limit}, default_limit)

    def record_ease(self, src: str, ease: Any, limits: tuple[float, float]) -> None:
        """A Spanish page's two reading-ease scores (carekb/checks/readability_es.py) against their
        lowest passing values (Fernández-Huerta, INFLESZ)."""
        self.put(src, {"fernandez_huerta": ease.fernandez_huerta, "inflesz": ease.inflesz,
                       "words": ease.words, "sentences": ease.sentences,
                       "syllables": ease.syllables, "limit": limits[0],
                       "inflesz_limit": limits[1]}, limits[0])

    def put(self, src: str, entry: dict[str, Any], default_limit: float) -> None:
        """Page `src`'s entry as `record` made it (in this build or an earlier one)."""
        self._made(default_limit)["pages"][src] = entry

    def summary(self, default_limit: float) -> dict[str, Any] | None:
        """Median and hardest grade of the pages graded, added to the section (None: none)."""
        section = self._made(default_limit)
        pages = section["pages"]
        if not pages:
            return None
        if any("grade" not in p for p in pages.values()):  # Spanish: reading ease, higher is easier
            for key in ("fernandez_huerta", "inflesz"):
                scores = [p[key] for p in pages.values() if key in p]
                section[f"median_{key}"] = round(statistics.median(scores), 1)
                section[f"min_{key}"] = min(scores)
            return section
        section["median"] = round(statistics.median(p["grade"] for p in pages.values()), 1)
        section["max"] = max(p["grade"] for p in pages.values())
        return section

    def _made(self, default_limit: float) -> dict[str, Any]:
        return self._report.setdefault("readability",
                                       {"limit": default_limit, "median": None, "pages": {}})


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
