""""Check your understanding" questions for the staff handbook, picked from the facts.

Every question and answer is made from `facts.yaml`, so when a figure or a code changes the
quiz changes with it and can never teach something stale. This module only picks which facts
each chapter asks about; the wording of every kind of question is in
`carekb/templates/staff/quiz_questions.md.j2` (macros `ask_<kind>` and `answer_<kind>`).
`render_answer` renders an answer through the page renderer (staff/quiz.md.j2 asks the
question), so a figure in an answer carries its citation and counts towards the page's review
date, and a staff-only fact asked about on a public page fails the build like any other use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from carekb.model.facts import Facts, Level, Node, StaffOnlyError

if TYPE_CHECKING:
    from carekb.render.renderer import Renderer

QUESTIONS = "staff/quiz_questions.md.j2"
# Modalities that are delivered as groups; the groups chapter lists them as group types.
GROUP_TYPES = ("group_therapy", "psychoeducation", "specialised_groups", "mutual_support")
# The source behind Medicare's intensive outpatient and partial hospitalization rules.
MEDICARE_SOURCE = "cms_iop_2024"
# Glossary terms each chapter asks about.
INTAKE_TERMS = ("assessment", "tip47_principles")
PRIVACY_TERMS = ("part2", "online_tracking")


@dataclass(frozen=True)
class QuizItem:
    """One question: its `kind` names its macros in QUESTIONS, which get `facts` by name."""

    kind: str
    facts: Mapping[str, Any]
    about: tuple[Node, ...]  # the facts the question itself is about


def _levels(facts: Facts, ids: Iterable[str]) -> tuple[Level, ...]:
    return tuple(facts.levels[i] for i in ids if i in facts.levels)


def levels_quiz(facts: Facts) -> list[QuizItem]:
    """ASAM numbers in both editions, and weekly hours for adults and teens."""
    items = [QuizItem("asam", {"level": level}, (level,)) for level in facts.levels.values()]
    for level in facts.core_levels:
        for who in ("adults", "adolescents"):
            hours = level.hours_per_week.get(who)
            if hours is not None:
                items.append(QuizItem("hours", {"level": level, "who": who, "hours": hours},
                                      (level,)))
    return items


def placement_quiz(facts: Facts) -> list[QuizItem]:
    """Where each level steps down and up to, and the notes on its weekly hours."""
    items = []
    for level in facts.levels.values():
        if level.steps_down_to_ids:
            items.append(QuizItem("step_down", {
                "level": level, "levels": _levels(facts, level.steps_down_to_ids)}, (level,)))
        if level.steps_up_to_ids:
            items.append(QuizItem("step_up", {
                "level": level, "levels": _levels(facts, level.steps_up_to_ids)}, (level,)))
        if level.hours_note is not None:
            items.append(QuizItem("hours_note", {"level": level}, (level,)))
    return items


def intake_quiz(facts: Facts) -> list[QuizItem]:
    """Glossary terms used at intake, and what the self-check suggests for the first answer of each
    question that points to a level."""
    items = _term_items(facts, INTAKE_TERMS)
    if facts.self_check is not None:
        for question in facts.self_check.questions:
            answer = next((a for a in question.answers if a.suggests), None)
            if answer is None:  # an answer that points to no level makes no question
                continue
            items.append(QuizItem("self_check", {
                "question": question, "answer": answer,
                "suggests": _levels(facts, answer.suggests),
                "rules_out": _levels(facts, answer.rules_out) if answer.rules_out else None,
            }, (facts.self_check,)))
    return items


def groups_quiz(facts: Facts) -> list[QuizItem]:
    """Group size, the group types each level offers, and examples of each group type."""
    items = [QuizItem("group_size", {"format": fmt}, (fmt,))
             for fmt in facts.formats.values() if fmt.size is not None]
    types = group_types(facts)
    for level in facts.core_levels:
        offered = tuple(m for m in types if m.id in level.modality_ids)
        if offered:
            items.append(QuizItem("group_kinds", {"level": level, "offered": offered},
                                  (level, *offered)))
    items += [QuizItem("group_examples", {"modality": m}, (m,)) for m in types if m.examples]
    return items


def billing_quiz(facts: Facts) -> list[QuizItem]:
    """Medicare rules for IOP and PHP, and what each billing code means and who pays it."""
    items = []
    for level in facts.core_levels:
        rules = [n for n in level.coverage if MEDICARE_SOURCE in n.sources]
        for i, rule in enumerate(rules):
            adults = level.hours_per_week.get("adults") if i == 0 else None
            items.append(QuizItem("medicare", {"level": level, "rule": rule, "first": i == 0,
                                               "adults": adults}, (level,)))
    items += [QuizItem("billing_code", {"code": code}, (code,))
              for code in facts.billing_codes.values()]
    return items


def privacy_quiz(facts: Facts) -> list[QuizItem]:
    """What the privacy rules staff must know say."""
    return _term_items(facts, PRIVACY_TERMS)


def first_week_quiz(facts: Facts) -> list[QuizItem]:
    """How to reach each crisis service, so new staff can give the numbers without looking."""
    return [QuizItem("crisis", {"resource": resource}, (resource,))
            for resource in facts.crisis.values()
            if resource.call or resource.text or resource.tty or resource.url]


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
        items.append(QuizItem("term", {"term": term}, (term,)))
    return items


# -- rendering ---------------------------------------------------------------------------
def render_answer(item: QuizItem, renderer: Renderer) -> Markup:
    """The answer as one Markdown paragraph, figures and notes cited through `renderer`."""
    for node in item.about:
        if not renderer.visible([node]):
            raise StaffOnlyError(node.path)
        renderer.tracker.use(node)
    answer = getattr(renderer.env.get_template(QUESTIONS).module, f"answer_{item.kind}")
    return answer(**item.facts)
