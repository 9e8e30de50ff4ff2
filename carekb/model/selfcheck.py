"""The self-check's part of the model: its questions, their answers, the situations they describe,
the steps and pages a result can point to, and answers that count only together.

Plain dataclasses, no mkdocs import. `carekb.model.facts` re-exports the main classes; the ranking of
levels from answers is in `self_check_rank.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carekb.model.base import Loc, Node, Reviewed

PRIORITIES = ("safety", "need", "preference")  # self-check answers: the first outweighs the rest
WHO = ("self", "teen", "other")  # who a person answers for (the answers of the "who" question)


@dataclass(eq=False)
class _Located(Node):
    field_locs: dict[str, Loc] = field(default_factory=dict)  # where each field's value is written

    def at(self, name: str) -> Loc:
        """Where field `name` (or `fits.<level>`) is written (the entry itself if it is not)."""
        return self.field_locs.get(name, self.loc)


@dataclass(eq=False)
class Answer(_Located):
    """One answer to a self-check question, and how it ranks the levels (see self_check_rank.py).

    Texts ending in `_them` are the same words for someone else ("they" for "you").
    """

    label: str = ""
    suggests: list[str] = field(default_factory=list)
    rules_out: list[str] = field(default_factory=list)
    because: str = ""
    priority: str = "need"  # one of PRIORITIES
    first: list[str] = field(default_factory=list)  # levels put at the top, in this order
    moves_down: list[str] = field(default_factory=list)  # levels moved to the end of the list
    means: list[str] = field(default_factory=list)  # ids of self_check.situations this answer describes
    if_outweighed: str | None = None  # said when a more urgent answer keeps a level this one moves down
    because_them: str | None = None
    if_outweighed_them: str | None = None
    steps: list[str] = field(default_factory=list)  # ids of self_check.steps the result shows first
    pages: list[str] = field(default_factory=list)  # ids of self_check.pages the result offers
    who: str | None = None  # one of WHO: only the answers of the question about who answers
    not_sure: bool = False  # a "not sure" answer: it never narrows the list


@dataclass(eq=False)
class Together(Answer):
    """What two or more answers mean together (pregnancy and opioid use): an answer of its own,
    counted when every question in `when` has one of the labels it lists."""

    id: str = ""
    when: dict[str, list[str]] = field(default_factory=dict)  # question id -> answer labels


@dataclass(eq=False)
class Situation(_Located):
    """Something an answer says about a person, tied to the lines of levels' lists that say the same.

    `fits` and `not_a_fit` map a level id to a 1-based line of that level's `fits` or `not_a_fit`.
    """

    id: str = ""
    says: str = ""
    fits: dict[str, int] = field(default_factory=dict)
    not_a_fit: dict[str, int] = field(default_factory=dict)
    opposite: str | None = None
    around_the_clock: bool = False  # a danger that needs care day and night
    danger: bool = False  # a danger (also true when around_the_clock is): its answers are safety answers
    steps: list[str] = field(default_factory=list)  # steps every answer meaning this must show


@dataclass(eq=False)
class Step(_Located):
    """A first step a result shows before the levels, worded for "you" and for someone else."""

    id: str = ""
    text: str = ""
    text_them: str | None = None
    page: str | None = None  # id of self_check.pages it links to
    crisis: list[str] = field(default_factory=list)  # ids of crisis services it shows, with numbers


@dataclass(eq=False)
class PageLink(_Located):
    """A page of the site a result can offer, by its file under content/."""

    id: str = ""
    page: str = ""
    title: str = ""  # the words of the link


@dataclass(eq=False)
class Question(_Located):
    id: str = ""
    ask: str = ""
    answers: list[Answer] = field(default_factory=list)
    ask_them: str | None = None
    hint: str | None = None  # a line under the question
    hint_them: str | None = None

    @property
    def sets_who(self) -> bool:
        """The question about who is answering (its answers say `who:`)."""
        return any(a.who for a in self.answers)


@dataclass(eq=False)
class SelfCheck(Reviewed):
    intro: str
    questions: list[Question]
    sources: tuple[str, ...] = ()
    situations: dict[str, Situation] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    pages: dict[str, PageLink] = field(default_factory=dict)
    together: dict[str, Together] = field(default_factory=dict)
    field_locs: dict[str, Loc] = field(default_factory=dict)  # where each field's value is written

    def at(self, name: str) -> Loc:
        """Where field `name` of the self-check is written."""
        return self.field_locs.get(name, self.loc)

    def answers(self) -> list[tuple[str, Answer]]:
        """(where it is, answer) for every answer and every answer-together, in file order."""
        found = [(q.id, a) for q in self.questions for a in q.answers]
        return found + [("together", t) for t in self.together.values()]
