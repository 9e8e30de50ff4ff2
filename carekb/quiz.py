""""Check your understanding" questions for the staff handbook, built from the facts.

Every question and answer is made from `facts.yaml`, so when a figure or a code changes the
quiz changes with it and can never teach something stale. A question is plain data: the
question text, and an answer made of parts (plain text, figures, notes, level links and
citations). `render_answer` turns the parts into Markdown through the page renderer, so a
figure in an answer carries its citation and counts towards the page's review date, and a
staff-only fact asked about on a public page fails the build like any other use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from markupsafe import Markup, escape

from carekb import page_filters
from carekb.model import BillingCode, Facts, Figure, Level, Node, Note, StaffOnlyError

if TYPE_CHECKING:
    from carekb.render import Renderer

# Modalities that are delivered as groups; the groups chapter lists them as group types.
GROUP_TYPES = ("group_therapy", "psychoeducation", "specialised_groups", "mutual_support")
# The source behind Medicare's intensive outpatient and partial hospitalization rules.
MEDICARE_SOURCE = "cms_iop_2024"
# Glossary terms each chapter asks about.
INTAKE_TERMS = ("assessment", "tip47_principles")
PRIVACY_TERMS = ("part2", "online_tracking")
KIND_WORDS = {
    "hcpcs": "HCPCS code",
    "condition_code": "condition code",
    "revenue_code": "revenue code",
    "bill_type": "bill type",
}


@dataclass(frozen=True)
class Cite:
    """Citation marks for these sources."""

    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class LevelList:
    """Links to these levels, joined in words ("A, B and C")."""

    levels: tuple[Level, ...]
    none: str = "none"


@dataclass(frozen=True)
class Url:
    """A web address, shown as a link to itself."""

    url: str


Part = Union[str, Figure, Note, Cite, LevelList, Url]


@dataclass
class QuizItem:
    ask: str
    answer: list[Part]
    about: list[Node] = field(default_factory=list)  # the facts the question itself shows


def _levels(facts: Facts, ids: Iterable[str]) -> tuple[Level, ...]:
    return tuple(facts.levels[i] for i in ids if i in facts.levels)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def levels_quiz(facts: Facts) -> list[QuizItem]:
    """ASAM numbers in both editions, and weekly hours for adults and teens."""
    items = []
    for level in facts.levels.values():
        e3, e4 = level.asam.edition3, level.asam.edition4
        items.append(QuizItem(
            f"Which ASAM level is {_lower(level.label)} in the 3rd edition, and which in the 4th?",
            [f"3rd edition (2013): {e3 or 'no level of its own'}. "
             f"4th edition (2023): {e4 or 'no level of its own'}.", Cite(level.asam.sources)],
            [level],
        ))
    for level in facts.core_levels:
        for who, words in (("adults", "adults"), ("adolescents", "teens")):
            hours = level.hours_per_week.get(who)
            if hours is not None:
                items.append(QuizItem(
                    f"How many hours of treatment a week does {_lower(level.label)} give {words}?",
                    ["It gives ", hours], [level]))
    return items


def placement_quiz(facts: Facts) -> list[QuizItem]:
    """Where each level steps down and up to, and the notes on its weekly hours."""
    items = []
    for level in facts.levels.values():
        if level.steps_down_to_ids:
            items.append(QuizItem(
                f"When someone in {_lower(level.label)} improves, which levels can they step down to?",
                [LevelList(_levels(facts, level.steps_down_to_ids)), "."], [level]))
        if level.steps_up_to_ids:
            items.append(QuizItem(
                f"When someone in {_lower(level.label)} needs more care, which levels can they "
                "step up to?",
                [LevelList(_levels(facts, level.steps_up_to_ids)), "."], [level]))
        if level.hours_note is not None:
            items.append(QuizItem(
                f"What should you know about the weekly hours in {_lower(level.label)}?",
                [level.hours_note], [level]))
    return items


def intake_quiz(facts: Facts) -> list[QuizItem]:
    """Glossary terms used at intake, and what the self-check suggests for each first answer."""
    items = _term_items(facts, INTAKE_TERMS)
    if facts.self_check is not None:
        for question in facts.self_check.questions:
            answer = question.answers[0]
            parts: list[Part] = [
                "The self-check suggests: ", LevelList(_levels(facts, answer.suggests),
                                                       none="no level in particular"), ". "]
            if answer.rules_out:
                parts += ["It rules out: ", LevelList(_levels(facts, answer.rules_out)), ". "]
            parts += [_sentence(answer.because), Cite(facts.self_check.sources)]
            items.append(QuizItem(
                f"A client answers \u201c{answer.label}\u201d to \u201c{question.ask}\u201d "
                "Which levels does the self-check point to?",
                parts, [facts.self_check]))
    return items


def groups_quiz(facts: Facts) -> list[QuizItem]:
    """Group size, the group types each level offers, and examples of each group type."""
    items = []
    for fmt in facts.formats.values():
        if fmt.size is not None:
            items.append(QuizItem(f"How many people usually take part in {_lower(fmt.name)}?",
                                  [claim(facts, fmt.size), fmt.size], [fmt]))
    types = group_types(facts)
    for level in facts.core_levels:
        offered = [m for m in types if m.id in level.modality_ids]
        if offered:
            items.append(QuizItem(
                f"Which kinds of groups does {_lower(level.label)} offer?",
                [_upper_first(_join([_lower(m.name) for m in offered])) + ".",
                 Cite(_sources(offered))],
                [level, *offered]))
    for modality in types:
        if modality.examples:
            items.append(QuizItem(
                f"Give examples of {_lower(modality.name)}.",
                [_join(modality.examples) + ".", Cite(modality.sources)], [modality]))
    return items


def billing_quiz(facts: Facts) -> list[QuizItem]:
    """Medicare rules for IOP and PHP, and what each billing code means and who pays it."""
    items = []
    for level in facts.core_levels:
        rules = [n for n in level.coverage if MEDICARE_SOURCE in n.sources]
        adults = level.hours_per_week.get("adults")
        for i, note in enumerate(rules):
            ask = (f"What does Medicare require for {_lower(level.label)}?" if i == 0
                   else f"What else should you know about Medicare and {_lower(level.label)}?")
            answer: list[Part] = [note]
            if i == 0 and adults is not None:
                answer += [" The weekly hours for adults: ", adults]
            items.append(QuizItem(ask, answer, [level]))
    for code in facts.billing_codes.values():
        items.append(billing_item(code))
    return items


def billing_item(code: BillingCode) -> QuizItem:
    kind = KIND_WORDS.get(code.kind, code.kind.replace("_", " "))
    parts: list[Part] = [_sentence(code.meaning), " "]
    if code.paid_by:
        parts.append(f"Who pays: {_sentence(code.paid_by)} ")
    else:
        parts.append("Who pays: our sources name no payer, so check with each payer. ")
    if code.verify:
        parts.append(_sentence(code.verify))
    parts.append(Cite(code.sources))
    ask = f"What is {kind} {code.code} for, and who pays it?"
    return QuizItem(ask, parts, [code])


def privacy_quiz(facts: Facts) -> list[QuizItem]:
    """What the privacy rules staff must know say."""
    return _term_items(facts, PRIVACY_TERMS)


def first_week_quiz(facts: Facts) -> list[QuizItem]:
    """How to reach each crisis service, so new staff can give the numbers without looking."""
    items = []
    for resource in facts.crisis.values():
        ways = []
        if resource.call:
            ways.append(f"call {resource.call}")
        if resource.text:
            ways.append(f"text {resource.text}")
        if resource.tty:
            ways.append(f"TTY {resource.tty}")
        parts: list[Part] = []
        if ways:
            parts.append(_upper_first(_join(ways, "or")) + (", or go to " if resource.url else ". "))
        elif resource.url:
            parts.append("Go to ")
        if resource.url:
            parts += [Url(resource.url), ". "]
        if parts:
            parts += [_sentence(resource.description), Cite(resource.sources)]
            items.append(QuizItem(f"How does someone reach {_lower(resource.name)}?", parts,
                                  [resource]))
    return items


TOPICS: dict[str, Callable[[Facts], list[QuizItem]]] = {
    "levels": levels_quiz,
    "placement": placement_quiz,
    "intake": intake_quiz,
    "groups": groups_quiz,
    "billing": billing_quiz,
    "privacy": privacy_quiz,
    "first_week": first_week_quiz,
}


def questions(facts: Facts, topic: str) -> list[QuizItem]:
    """Every question for one chapter's topic."""
    if topic not in TOPICS:
        raise ValueError(f"quiz: no topic {topic!r}; choose from: {', '.join(TOPICS)}")
    return TOPICS[topic](facts)


def group_types(facts: Facts) -> list[Any]:
    """The modalities delivered as groups, in GROUP_TYPES order."""
    missing = [i for i in GROUP_TYPES if i not in facts.modalities]
    if missing:
        raise ValueError(f"group types: facts.yaml has no modality {', '.join(missing)}; "
                         f"choose from: {', '.join(facts.modalities)}")
    return [facts.modalities[i] for i in GROUP_TYPES]


def _term_items(facts: Facts, term_ids: Iterable[str]) -> list[QuizItem]:
    items = []
    for term_id in term_ids:
        if term_id not in facts.glossary:
            raise ValueError(f"quiz: facts.yaml has no glossary term {term_id!r}; "
                             f"choose from: {', '.join(facts.glossary)}")
        term = facts.glossary[term_id]
        items.append(QuizItem(f"What does \u201c{term.term}\u201d mean?",
                              [_sentence(term.meaning), Cite(term.sources)], [term]))
    return items


# -- rendering ---------------------------------------------------------------------------
def render_answer(item: QuizItem, renderer: Renderer) -> Markup:
    """The answer as one Markdown paragraph, figures and notes cited through `renderer`."""
    for node in item.about:
        if not renderer.visible([node]):
            raise StaffOnlyError(node.path)
        if renderer.usage is not None:
            renderer.usage.use(node)
    out = Markup("")
    for part in item.answer:
        if isinstance(part, str):
            out += escape(part)
        elif isinstance(part, Figure):
            # A figure ends its sentence: with its note when it has one (a provider's claim,
            # an old price), else with a full stop after the citation.
            out += page_filters.figure(renderer, part, note=True)
            if not part.note:
                out += Markup(".")
        elif isinstance(part, Note):
            out += page_filters.note(renderer, part)
        elif isinstance(part, Cite):
            out += page_filters.cite(renderer, *part.source_ids)
        elif isinstance(part, Url):
            out += Markup("<") + escape(part.url) + Markup(">")
        elif isinstance(part, LevelList):
            links = [page_filters.link(renderer, f"levels.{lv.id}") for lv in renderer.visible(part.levels)]
            out += Markup(_join(links)) if links else escape(part.none)
        else:  # pragma: no cover - Part is a closed union
            raise TypeError(f"quiz: cannot show {type(part).__name__}")
    return out


def claim(facts: Facts, figure: Figure) -> str:
    """How to introduce a figure: provider claims are never stated as a rule."""
    kinds = {facts.sources[s].confidence for s in figure.sources if s in facts.sources}
    return "Some programs report " if kinds == {"provider"} else "Usually "


def _join(words: list[Any], last: str = "and") -> str:
    """"a, b and c"; with semicolons when an item has "and" in it."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    sep = "; " if any(" and " in w for w in words) else ", "
    tail = f"{sep.strip()} {last} " if sep == "; " else f" {last} "
    return sep.join(words[:-1]) + tail + words[-1]


def _lower(name: str) -> str:
    """Lower-case a name's first letter unless its first word is a name (IOP, FindTreatment.gov)."""
    first = name.split(" ", 1)[0]
    if first[1:] != first[1:].lower():
        return name
    return name[:1].lower() + name[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources(nodes: Iterable[Any]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for node in nodes:
        for source_id in getattr(node, "sources", ()):
            seen[source_id] = None
    return tuple(seen)
