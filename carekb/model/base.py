"""The model's foundations: where a fact was written (`Loc`), what every fact is (`Node`), what
carries a review date (`Reviewed`), review arithmetic, and the errors templates meet.

Plain dataclasses, no mkdocs import. `carekb.model.facts` re-exports all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
STAFF = "staff"


@dataclass(frozen=True)
class Loc:
    """Where something was written: file, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(eq=False)
class Node:
    """Anything in the fact base that has a path and a place in the file."""

    path: str
    loc: Loc

    # A fact printed without a filter would dump the whole object (staff-only notes and all):
    # printing one is refused with the filter or call to use instead (see carekb/render/language/hints.py).
    def __str__(self) -> str:
        raise ModelPrintError(self.path, self)

    __html__ = __str__

    def __repr__(self) -> str:  # never the dataclass's dump of every field
        return f"<{type(self).__name__} {self.path}>"


@dataclass(eq=False)
class Reviewed(Node):
    """An entity that carries its own review date. `owner` is set on figures and notes."""

    reviewed: dt.date
    review_every_months: int
    audience: str

    @property
    def review_due(self) -> dt.date:
        return add_months(self.reviewed, self.review_every_months)

    @property
    def staff_only(self) -> bool:
        return self.audience == STAFF


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# -- guards: what the sites' templates can and cannot do with the model ----------------------
class ModelPrintError(Exception):
    """A template printed a model object (a fact, a list or a group) without a filter."""

    def __init__(self, path: str, value: Any) -> None:
        # `value` is what was printed; the renderer words the fix (carekb/render/language/hints.py).
        self.path, self.value = path, value
        super().__init__(f"{path} is a fact, never printed whole")


class StaffOnlyError(Exception):
    """A public page tried to show a staff-only fact."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} is staff-only")


class ReadOnlyError(TypeError):
    """Something tried to change the facts while pages were being rendered."""
