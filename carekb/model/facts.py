"""The typed fact model that `facts.yaml` is loaded into.

Plain dataclasses, no mkdocs import. Every entity knows where it came from (`loc`), its
dotted fact path (`path`, e.g. ``levels.iop``), when it was last reviewed and who may see it
(`audience`). Every figure knows its sources. Relations stored in one direction in the
file (a level lists its modalities and the levels it steps down to) are derived in the other
direction here, so editors never keep two lists in sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from carekb.model.base import (PUBLIC, STAFF, Loc, ModelPrintError, Node, ReadOnlyError, Reviewed, StaffOnlyError,
                         add_months)
from carekb.model.selfcheck import PRIORITIES, Answer, Question, SelfCheck, Situation
from carekb.model.terms import SpanishTerms, TermChoice, TermSource

__all__ = ["PUBLIC", "STAFF", "PRIORITIES", "Loc", "Node", "Reviewed", "Figure", "Note", "Source", "Asam", "Level",
           "Headline", "Format", "Modality", "Condition", "Term", "CrisisResource", "BillingCode", "Payer",
           "Answer", "Situation", "Question", "SelfCheck", "SpanishTerms", "TermChoice", "TermSource", "Facts",
           "add_months", "ModelPrintError", "StaffOnlyError", "ReadOnlyError"]


class _PartOfAFact:
    """A figure or note belongs to a fact (`owner`): it is staff-only when it says so or when
    its owner is."""

    @property
    def staff_only(self) -> bool:
        return self.audience == STAFF or bool(self.owner and self.owner.staff_only)


@dataclass(eq=False)
class Figure(_PartOfAFact, Node):
    """A sourced number or range.

    Reads like speech in the file: ``{min: 9, max: 19}`` is "9 to 19", ``{min: 20}`` is
    "20 or more", ``{under: 9}`` is "fewer than 9", ``{about: 90}`` and ``{median: 41}`` are
    single values.
    """

    min: float | None = None
    max: float | None = None
    under: float | None = None
    about: float | None = None
    median: float | None = None
    unit: str | None = None  # hours, minutes, days, weeks, months, doses, dollars, people, percent
    per: str | None = None  # day, week, month, program, episode
    as_of: int | None = None  # the year a cost was reported in
    read: dt.date | None = None  # for a price on an undated page: the date we read it
    kind: str | None = None  # costs: price | charge | economic_cost (see facts_shared.COST_KINDS)
    measures: str | None = None  # lengths: completed | all_discharges | typical | recommended
    data_year: int | None = None  # a figure from a data set: the (last) year of the data
    data_from: int | None = None  # ... and its first year, when the data span several years
    sources: tuple[str, ...] = ()
    note: str | None = None
    audience: str = PUBLIC
    owner: Reviewed | None = None

    def values(self) -> Iterator[float]:
        """Every number this figure states (used to spot figures typed by hand)."""
        for v in (self.min, self.max, self.under, self.about, self.median):
            if v is not None:
                yield v


@dataclass(eq=False)
class Note(_PartOfAFact, Node):
    """A sourced sentence, such as a coverage note."""

    text: str
    sources: tuple[str, ...] = ()
    audience: str = PUBLIC
    owner: Reviewed | None = None


# Who wrote a source (its `kind:`), and the words pages show for it.
SOURCE_KINDS = {
    "government": "Government source",
    "research": "Research study or data",
    "professional": "Professional or standards body",
    "provider": "Treatment provider's own claim",
    "report": "Report or summary by others",
}
# How directly we read a source (its `confidence:`), in words for the sources page.
READ_WORDS = {
    "authoritative": "We read the source itself.",
    "secondary": "We read part of it, or read it through other sources.",
    "provider": "A program's own claim about itself.",
}


@dataclass(eq=False)
class Source(Reviewed):
    id: str
    title: str
    publisher: str
    year: int | None  # when it was published; None for an undated web page
    confidence: str  # authoritative | secondary | provider: how directly we read it
    kind: str = "government"  # government | research | professional | provider | report: who wrote it
    url: str | None = None
    note: str | None = None
    accessed: dt.date | None = None  # when an undated page was read
    supports: tuple[str, ...] = ()  # the kinds of claim it may be cited for (see rules_facts)

    @property
    def kind_words(self) -> str:
        """Who wrote it, in words: "Government source", "Treatment provider's own claim"..."""
        return SOURCE_KINDS.get(self.kind, self.kind)

    @property
    def read_words(self) -> str:
        """How directly we read it, in words."""
        return READ_WORDS.get(self.confidence, self.confidence)


@dataclass(eq=False)
class Asam(Node):
    """ASAM level numbers in both editions. None means the edition has no such level."""

    edition3: str | None
    edition4: str | None
    sources: tuple[str, ...] = ()


@dataclass(eq=False)
class Level(Reviewed):
    id: str
    name: str
    abbr: str | None
    summary: str
    asam: Asam
    lives: str  # plain words: where the person lives during care
    hours_per_week: dict[str, Figure]  # "adults", "adolescents"
    days_per_week: Figure | None
    session_hours: Figure | None
    length_of_stay: list[Figure]
    cost: list[Figure]
    fits: list[str]
    not_a_fit: list[str]
    modality_ids: list[str]
    format_ids: list[str]
    steps_down_to_ids: list[str]
    coverage: list[Note]
    core: bool = False  # one of the four levels the comparison is about
    hours_note: Note | None = None
    around_the_clock: bool = False  # a 24-hour setting: people live there, care day and night
    in_self_check: bool = True  # false: the self-check never offers it (benchmark copies only)
    headline: Headline | None = None  # the one plain answer to "how long" and "how much"
    medicare_hours: Figure | None = None  # the weekly hours Medicare requires (a minimum, no most)
    warnings: list[Note] = field(default_factory=list)  # safety warnings shown first on its page
    sets_apart_ids: list[str] = field(default_factory=list)  # therapies shown first on its page
    also_called: tuple[str, ...] = ()  # other names people use and search for ("rehab")
    # derived
    steps_up_to_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbr})" if self.abbr else self.name

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source the level's own facts cite, once each, in file order."""
        found: dict[str, None] = dict.fromkeys(self.asam.sources)
        for fact in [*self.hours_per_week.values(), self.days_per_week, self.session_hours,
                     *self.length_of_stay, *self.cost, *self.coverage, self.hours_note,
                     self.medicare_hours, *self.warnings]:
            if fact is not None:
                found.update(dict.fromkeys(fact.sources))
        return tuple(found)

    @property
    def headline_stay(self) -> Figure | None:
        """The length of stay the editor chose as the plain answer, if any."""
        return _pick(self.length_of_stay, self.headline.length_of_stay if self.headline else None)

    @property
    def headline_cost(self) -> Figure | None:
        """The cost the editor chose as the plain answer, if any."""
        return _pick(self.cost, self.headline.cost if self.headline else None)


@dataclass(eq=False)
class Headline(Node):
    """Which sourced length of stay and cost answer "how long, and how much?" (counting from 1),
    each with one short reason that agrees with its own figure. A level with no price to show
    leaves `cost` out and says why in `cost_why`."""

    length_of_stay: int | None
    cost: int | None
    length_why: str | None = None
    cost_why: str | None = None


def _pick(figures: list[Figure], number: int | None) -> Figure | None:
    """Figure `number` (counting from 1) of a list, or None when there is no such figure."""
    if number is None or not 1 <= number <= len(figures):
        return None
    return figures[number - 1]


@dataclass(eq=False)
class Format(Reviewed):
    """A session format: individual, group, family, telehealth, day or evening track…"""

    id: str
    name: str
    description: str
    size: Figure | None = None  # for groups
    sources: tuple[str, ...] = ()
    # derived
    level_ids: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Modality(Reviewed):
    id: str
    name: str
    abbr: str | None
    category: str
    description: str
    sources: tuple[str, ...] = ()
    examples: list[str] = field(default_factory=list)
    session: Note | None = None  # what a session is like
    helps: Note | None = None  # who it helps
    evidence: Note | None = None  # how strong the evidence is
    figures: dict[str, Figure] = field(default_factory=dict)  # named: fact("modalities.x.figures.<id>")
    also_called: tuple[str, ...] = ()  # other names people use and search for ("AA")
    # derived: the levels whose `modalities` list names this one
    level_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbr})" if self.abbr else self.name


@dataclass(eq=False)
class Condition(Reviewed):
    id: str
    name: str
    description: str
    examples: list[str]
    sources: tuple[str, ...] = ()


@dataclass(eq=False)
class Term(Reviewed):
    """A glossary entry. Levels and modalities with an `abbr` join the glossary by themselves."""

    id: str
    term: str
    stands_for: str | None
    meaning: str
    sources: tuple[str, ...] = ()
    figures: dict[str, Figure] = field(default_factory=dict)  # named: fact("glossary.x.figures.<id>")
    also_called: tuple[str, ...] = ()  # other names people use and search for ("Narcan")


@dataclass(eq=False)
class CrisisResource(Reviewed):
    id: str
    name: str
    description: str
    call: str | None = None
    text: str | None = None
    tty: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # the help page lists them: press 1 for veterans, chat, ...
    spanish_press: str | None = None  # for help in Spanish: what to press after calling ("2")
    spanish_text: str | None = None  # for help in Spanish by text: the word to send ("AYUDA")

    @property
    def tel(self) -> str | None:
        """The number as a `tel:` URI target (digits only)."""
        return "".join(ch for ch in self.call if ch.isdigit()) if self.call else None


@dataclass(eq=False)
class Payer(Reviewed):
    """Who pays for care, and what a patient pays under it (Medicare's Part B deductible and
    coinsurance): figures every page about that payer shares."""

    id: str
    name: str
    deductible: Figure | None = None  # dollars a year
    coinsurance: Figure | None = None  # percent of the approved amount
    note: Note | None = None
    sources: tuple[str, ...] = ()

    @property
    def figures(self) -> list[Figure]:
        return [f for f in (self.deductible, self.coinsurance) if f is not None]


@dataclass(eq=False)
class BillingCode(Reviewed):
    """A billing code staff meet. Staff-only unless an editor says otherwise."""

    id: str
    code: str
    kind: str  # hcpcs | condition_code | revenue_code | bill_type
    meaning: str
    paid_by: str | None = None
    verify: str | None = None  # a caution, e.g. "verify against the UB-04 manual"
    sources: tuple[str, ...] = ()


# The groups of entries facts.yaml holds by id, in the order it holds them: the one list of
# groups (the loader's sections, the audience views and the page language's names all use it).
GROUPS = ("sources", "levels", "formats", "modalities", "conditions", "glossary", "crisis",
          "billing_codes", "payers")


@dataclass(eq=False)
class Facts:
    """The whole fact base, validated."""

    file: str
    review_every_months: int
    sources: dict[str, Source]
    levels: dict[str, Level]
    formats: dict[str, Format]
    modalities: dict[str, Modality]
    conditions: dict[str, Condition]
    glossary: dict[str, Term]
    crisis: dict[str, CrisisResource]
    billing_codes: dict[str, BillingCode]
    self_check: SelfCheck | None
    payers: dict[str, Payer] = field(default_factory=dict)
    terms_es: SpanishTerms | None = None  # the Spanish glossary of term choices (model_terms.py)

    @property
    def core_levels(self) -> list[Level]:
        """OP, IOP, PHP and residential: the levels the comparison sets side by side."""
        return [lv for lv in self.levels.values() if lv.core]

    def abbreviations(self, *, staff: bool = False) -> dict[str, str]:
        """Abbreviation → expansion, from levels, modalities and the glossary.

        Staff-only entries are included only for the staff handbook (`staff=True`).
        """
        out: dict[str, str] = {}
        for lv in self.levels.values():
            if lv.abbr and (staff or not lv.staff_only):
                out[lv.abbr] = lv.name
        for m in self.modalities.values():
            if m.abbr and (staff or not m.staff_only):
                out[m.abbr] = m.name
        for t in self.glossary.values():
            if t.stands_for and (staff or not t.staff_only):
                out[t.term] = t.stands_for
        return out

    def reviewed_entities(self) -> Iterator[Reviewed]:
        for group in (self.sources, self.levels, self.formats, self.modalities,
                      self.conditions, self.glossary, self.crisis, self.billing_codes, self.payers):
            yield from group.values()
        if self.self_check:
            yield self.self_check
        if self.terms_es:
            yield self.terms_es

    def figures(self) -> Iterator[Figure]:
        for lv in self.levels.values():
            yield from lv.hours_per_week.values()
            for f in (lv.days_per_week, lv.session_hours):
                if f is not None:
                    yield f
            yield from lv.length_of_stay
            yield from lv.cost
            if lv.medicare_hours is not None:
                yield lv.medicare_hours
        for fm in self.formats.values():
            if fm.size is not None:
                yield fm.size
        for payer in self.payers.values():
            yield from payer.figures
        for entity in (*self.modalities.values(), *self.glossary.values()):
            yield from entity.figures.values()


def _no_dumps() -> None:
    """Every model class repr()s as its path: the dataclass repr would dump every field
    (a staff-only note included) wherever a list of facts is turned into text."""
    todo = [Node]
    while todo:
        cls = todo.pop()
        cls.__repr__ = Node.__repr__  # type: ignore[method-assign]
        todo += cls.__subclasses__()


_no_dumps()
