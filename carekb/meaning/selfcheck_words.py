"""Rules of meaning about what the self-check says (see carekb/meaning/registry.py): the steps each answer
must show (crisis help first), wording for "you" and for someone else, and never saying a thing
twice. The rules about the ranking are in carekb/meaning/selfcheck.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from carekb.meaning.registry import problem, rule
from carekb.model.facts import Facts
from carekb.base.problems import Problem
from carekb.meaning.selfcheck import answers

_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_THEY = re.compile(r"\b(they|them|their|theirs|themselves)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@rule("self-check-answers-show-their-steps",
      "Every self-check answer shows the steps its situations call for (each situation's `steps:`), such as "
      "crisis help for a danger to life and a medical check before stopping.")
def answers_show_their_steps(facts: Facts) -> Iterator[Problem]:
    """Each answer's `steps` hold every step named by a situation it means."""
    if not facts.self_check:
        return
    situations = facts.self_check.situations
    for answer in answers(facts):
        for sid in answer.means:
            for step in situations[sid].steps if sid in situations else ():
                if step not in answer.steps:
                    yield problem(answer.at("steps" if answer.steps else "means"), f"{answer.path}.steps",
                                  f"this answer means `{sid}`, which calls for the step `{step}`, but the answer "
                                  "does not show it.", f"add `{step}` to this answer's `steps:`.")


@rule("self-check-crisis-help-comes-first",
      "A self-check step that shows crisis numbers comes before every other step (and the result shows steps "
      "before any level), and names only crisis services that have a number to call.")
def crisis_help_comes_first(facts: Facts) -> Iterator[Problem]:
    """In `steps:`, crisis steps come first; each names services with a number."""
    if not facts.self_check:
        return
    steps = list(facts.self_check.steps.values())
    for i, step in enumerate(steps):
        if not step.crisis:
            continue
        before = [s.id for s in steps[:i] if not s.crisis]
        if before:
            yield problem(step.loc, step.path, f"this step shows crisis help, but {', '.join(f'`{s}`' for s in before)} "
                          "comes before it, so a result would show that first.",
                          "move this step to the top of `steps:`.")
        for service in step.crisis:
            resource = facts.crisis.get(service)
            if resource is not None and not resource.call:
                yield problem(step.at("crisis"), f"{step.path}.crisis",
                              f"`{service}` ({resource.name}) has no number to call, so the step cannot show one.",
                              "name crisis services that have `call:`, such as the 988 line and emergency services.")


def _texts(facts: Facts) -> Iterator[tuple[str, object, str, str | None, str | None]]:
    """(group, owner, field, "you" text, "them" text) for every question and text a result can show.

    `group` names what cannot show together with itself: one question's answers, or a step.
    """
    check = facts.self_check
    for question in check.questions:
        if question.sets_who:
            continue  # its words speak to whoever is answering
        yield question.id, question, "ask", question.ask, question.ask_them
        if question.hint:
            yield question.id, question, "hint", question.hint, question.hint_them
        for answer in question.answers:
            yield question.id, answer, "because", answer.because, answer.because_them
            if answer.if_outweighed:
                yield question.id, answer, "if_outweighed", answer.if_outweighed, answer.if_outweighed_them
    for together in check.together.values():
        yield f"together.{together.id}", together, "because", together.because, together.because_them
        if together.if_outweighed:
            yield f"together.{together.id}", together, "if_outweighed", together.if_outweighed, together.if_outweighed_them
    for step in check.steps.values():
        yield f"steps.{step.id}", step, "text", step.text, step.text_them


@rule("self-check-worded-for-both",
      "Every self-check question and every text a result can show that says \"you\" has a `_them` twin for someone "
      "else that says \"they\", \"them\" or \"their\" (the question about who is answering speaks to the answerer).")
def worded_for_both(facts: Facts) -> Iterator[Problem]:
    """A "you" text has a `_them` twin, and the twin speaks of them."""
    if not facts.self_check:
        return
    for _, owner, name, you, them in _texts(facts):
        if not you or not _YOU.search(you):
            continue
        if them is None:
            yield problem(owner.at(name), f"{owner.path}.{name}",
                          f"says \"{_YOU.search(you).group(0)}\" but has no `{name}_them:` for someone else.",
                          f"add `{name}_them:` with the same words for someone else (they, them, their).")
        elif not _THEY.search(them):
            yield problem(owner.at(f"{name}_them"), f"{owner.path}.{name}_them",
                          "is for someone else, but says neither \"they\", \"them\" nor \"their\".",
                          f"write it about the other person, like `{name}:` with they, them and their for you, your.")


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE.split(text.strip()) if s.strip()]


@rule("self-check-says-it-once",
      "No sentence is in two of the texts a self-check result can show together (reasons, notes and steps), so "
      "a result never says the same thing twice.")
def says_it_once(facts: Facts) -> Iterator[Problem]:
    """A sentence belongs to one group of texts (one question's answers, or one step), in each wording."""
    if not facts.self_check:
        return
    reported: set[tuple[str, str]] = set()
    for wording in (0, 1):
        seen: dict[str, tuple[str, object, str]] = {}
        for group, owner, name, you, them in _texts(facts):
            if name in ("ask", "hint"):
                continue  # questions are not part of a result
            field = f"{name}_them" if wording and them else name
            text = (them or you) if wording else you
            for sentence in _sentences(text or ""):
                first = seen.setdefault(sentence.lower(), (group, owner, field))
                if first[0] != group and (f"{owner.path}.{field}", sentence) not in reported:
                    reported.add((f"{owner.path}.{field}", sentence))
                    where = first[1].at(first[2])
                    yield problem(owner.at(field), f"{owner.path}.{field}",
                                  f"the sentence \"{sentence}\" is also in {first[1].path}.{first[2]} "
                                  f"({where}), and a result can show both.",
                                  "say it in one of the two places only.")
