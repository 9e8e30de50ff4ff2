"""Which facts and sources each page used, and the review dates that follow from them.

A page that states its own `reviewed:` date (its front matter) was last reviewed then: that is
the date it shows, whatever the facts it uses say. A page without one (a page generated from
the facts) is only as fresh as the oldest fact it shows: its "last reviewed" date is the
oldest review among the facts and sources it used. Either way its "next review due" date is
the earliest due date among its own and those of everything it shows, so a fact falling due
brings the page up for review too. `review_dates` is a query: it reads the usage and the
page's own date, and changes nothing.

`Tracker` records, while a page renders, each fact and source it uses (once each) into the
build's `Registry`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from carekb.model.facts import Node, Reviewed, add_months


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

    def review_dates(self, review_every_months: int,
                     own: dt.date | None = None) -> ReviewDates | None:
        """The page's review dates (see `review_dates`)."""
        return review_dates(self, own, review_every_months)


def review_dates(usage: PageUsage | None, own: dt.date | None,
                 review_every_months: int) -> ReviewDates | None:
    """A page's review dates from what it used (`usage`, None if it used nothing) and its own
    `reviewed:` date, due again `review_every_months` after that (see the module docstring).
    None when the page neither uses facts nor states a date."""
    dates = dict(usage.reviewed) if usage is not None else {}
    if own is not None:
        due = min([add_months(own, review_every_months), *(d for _, d in dates.values())])
        return ReviewDates(own, due, "page")
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

    def impact(self) -> dict[str, list[str]]:
        """fact path -> the pages that show it (what an editor's change touches)."""
        out: dict[str, set[str]] = {}
        for page, usage in self.pages.items():
            for path in usage.facts:
                out.setdefault(path, set()).add(page)
        return {path: sorted(pages) for path, pages in sorted(out.items())}


class Tracker:
    """The page being rendered, and what it used: each fact and source recorded once (a page
    reads the same facts many times, and recording one again changes nothing)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.page: str | None = None  # its src path
        self.usage: PageUsage | None = None  # None between pages: nothing is recorded
        self._recorded: set[tuple[int, str | None]] = set()  # (id of a fact, attribute)
        self._cited: set[str] = set()  # source ids
        self._citing: dict[str, list[str]] | None = None

    def begin(self, page: str) -> PageUsage:
        """Start recording for `page`, replacing what an earlier render of it recorded."""
        self.page = page
        self.usage = self.registry.start(page)
        self._recorded, self._cited, self._citing = set(), set(), None
        return self.usage

    def use(self, node: Node, attribute: str | None = None) -> None:
        """Record that the page used `node` (or one of its attributes)."""
        key = (id(node), attribute)
        if self.usage is not None and key not in self._recorded:
            self._recorded.add(key)
            self.usage.use(node, attribute)

    def cite(self, source: Reviewed, source_id: str) -> None:
        """Record that the page cited `source`."""
        if self.usage is not None and source_id not in self._cited:
            self._cited.add(source_id)
            self.usage.cite(source, source_id)

    def citing(self) -> dict[str, list[str]]:
        """`Registry.citing()` as it stands when the page first asks: the sources page asks once
        per source, and indexing once per page keeps that from growing with sources x pages."""
        if self._citing is None:
            self._citing = self.registry.citing()
        return self._citing
