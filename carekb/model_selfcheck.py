"""The self-check's part of the model: its questions, their answers and the situations they describe.

Plain dataclasses, no mkdocs import. `carekb.model` re-exports all of it; the ranking of levels
from answers is in `self_check_rank.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model_base import Loc, Node, Reviewed

PRIORITIES = ("safety", "need", "preference")  # self-check answers: the first outweighs the rest


@dataclass(eq=False)
class Answer(Node):
    """One answer to a self-check question, and how it ranks the levels (see self_check_rank.py)."""

    label: str
    suggests: list[str]
    rules_out: list[str]
    because: str
    priority: str = "need"  # one of PRIORITIES
    first: list[str] = field(default_factory=list)  # levels put at the top, in this order
    moves_down: list[str] = field(default_factory=list)  # levels moved to the end of the list
    means: list[str] = field(default_factory=list)  # ids of self_check.situations this answer describes
    if_outweighed: str | None = None  # said when a more urgent answer keeps a level this one moves down
    field_locs: dict[str, Loc] = field(default_factory=dict)  # where each field's value is written

    def at(self, name: str) -> Loc:
        """Where field `name` of this answer is written (the answer itself if it is not)."""
        return self.field_locs.get(name, self.loc)


@dataclass(eq=False)
class Situation(Node):
    """Something an answer says about a person, tied to the lines of levels' lists that say the same.

    `fits` and `not_a_fit` map a level id to a 1-based line of that level's `fits` or `not_a_fit`.
    """

    id: str
    says: str
    fits: dict[str, int]
    not_a_fit: dict[str, int]
    opposite: str | None = None
    field_locs: dict[str, Loc] = field(default_factory=dict)  # "fits.op" -> where `op: 2` is written

    def at(self, name: str) -> Loc:
        """Where field `name` (or `fits.<level>`) of this situation is written."""
        return self.field_locs.get(name, self.loc)


@dataclass(eq=False)
class Question(Node):
    id: str
    ask: str
    answers: list[Answer]


@dataclass(eq=False)
class SelfCheck(Reviewed):
    intro: str
    questions: list[Question]
    sources: tuple[str, ...] = ()
    situations: dict[str, Situation] = field(default_factory=dict)
    field_locs: dict[str, Loc] = field(default_factory=dict)  # where each field's value is written

    def at(self, name: str) -> Loc:
        """Where field `name` of the self-check is written."""
        return self.field_locs.get(name, self.loc)
