"""Which facts and sources each page used, and the review dates that follow from them.

A page is only as fresh as the oldest fact it shows: its "last reviewed" date is the oldest
review among the facts and sources it used (and its own front-matter `reviewed:` date), and
its "next review due" date is the earliest due date among them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from carekb.model import Node, Reviewed, add_months


@dataclass(frozen=True)
class ReviewDates:
    reviewed: dt.date
    due: dt.date
    oldest: str  # the fact path (or "page") whose review date won


@dataclass
class PageUsage:
    """What one page rendered from the fact base."""

    page: str  # the page's src path, e.g. "levels/iop.md"
    title: str | None = None  # known once the page is rendered
    own: dt.date | None = None  # the page's own `reviewed:` front-matter date
    facts: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)  # in first-cited order
    reviewed: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def use(self, node: Node, attribute: str | None = None) -> None:
        """Record that the page used `node` (or one of its plain attributes)."""
        self.facts.add(f"{node.path}.{attribute}" if attribute else node.path)
        owner = node if isinstance(node, Reviewed) else getattr(node, "owner", None)
        if isinstance(owner, Reviewed):
            self.reviewed[owner.path] = (owner.reviewed, owner.review_due)

    def cite(self, source: Reviewed, source_id: str) -> None:
        if source_id not in self.sources:
            self.sources.append(source_id)
        for shown in ("title", "publisher", "year", "accessed"):  # what a footnote shows
            self.use(source, shown)

    def review_dates(self, review_every_months: int) -> ReviewDates | None:
        """Oldest review wins; None when the page neither uses facts nor states a date."""
        dates = dict(self.reviewed)
        if self.own is not None:
            dates["page"] = (self.own, add_months(self.own, review_every_months))
        if not dates:
            return None
        oldest = min(dates, key=lambda k: (dates[k][0], k))
        due = min(d for _, d in dates.values())
        return ReviewDates(dates[oldest][0], due, oldest)


@dataclass
class Registry:
    """Usage of every page in one build, for the sources page and the build report."""

    pages: dict[str, PageUsage] = field(default_factory=dict)

    def start(self, page: str) -> PageUsage:
        self.pages[page] = PageUsage(page)
        return self.pages[page]

    def citing(self) -> dict[str, list[str]]:
        """Source id -> the pages citing it (sorted), in one pass over every page."""
        out: dict[str, list[str]] = {}
        for page in sorted(self.pages):
            for source_id in self.pages[page].sources:
                out.setdefault(source_id, []).append(page)
        return out

    def pages_citing(self, source_id: str) -> list[str]:
        return self.citing().get(source_id, [])

    def impact(self) -> dict[str, list[str]]:
        """fact path -> the pages that show it (what an editor's change touches)."""
        out: dict[str, set[str]] = {}
        for page, usage in self.pages.items():
            for path in usage.facts:
                out.setdefault(path, set()).add(page)
        return {path: sorted(pages) for path, pages in sorted(out.items())}
