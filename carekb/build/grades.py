"""The build report's readability section: each page's reading grade (or, in Spanish, its
reading ease) against its limit. The session keeps it (carekb/build/session.py); the report
(carekb/build/report.py) writes it with the other sections."""

from __future__ import annotations

import statistics
from typing import Any


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
