"""The facts as the Spanish site shows them: the public view with each text in Spanish.

`spanish(view, entries)` puts each text's current translation (facts.es.yaml,
carekb/i18n/translations.py) in the place of its English, in the view itself (a fresh copy made for
this build: carekb/model/audience.py `view`). A stale or missing text keeps its English, marked
(carekb/i18n/untranslated.py), so the page shows it in English with `lang="en"`, never silently.
Figures, ids, addresses and numbers are untouched: the Spanish pages word the same figures
(carekb/render/wording.py).

The self-check's answers-together name the answers they wait for by label (`when:`); a
translated label is put there too, so the same ranking (carekb/meaning/selfcheck_rank.py,
content/assets/self-check.js) runs on the Spanish page unchanged.
"""

from __future__ import annotations

from typing import Any

from carekb.i18n.translations import Entry, Status, statuses, translatable
from carekb.i18n.untranslated import mark


def spanish(view: Any, entries: dict[str, Entry]) -> list[Status]:
    """Put the Spanish texts into `view` (the public view of one build); return every text's
    status (carekb/i18n/translations.py `statuses`)."""
    texts = translatable(view)
    found = statuses(texts, entries)
    answers = _answer_places(view)
    for status in found:
        text = texts.get(status.path)
        if text is None:
            continue
        value = status.spanish if status.kind == "current" else mark(text.english)
        _put(text.node, text.attr, text.index, value)
    _relabel_together(view, answers)
    return found


def _put(node: Any, attr: str, index: int | None, value: str) -> None:
    """Set a text in the view, past its read-only guards (pages never change facts; we do,
    once, before any page renders)."""
    if index is None:
        object.__setattr__(node, attr, value)
        return
    items = getattr(node, attr)
    if isinstance(items, list):
        list.__setitem__(items, index, value)
    else:  # a tuple: a new one in its place
        object.__setattr__(node, attr, (*items[:index], value, *items[index + 1:]))


def _answer_places(view: Any) -> dict[tuple[str, str], int]:
    """(question id, English label) -> the answer's place in its question, before translation."""
    check = getattr(view, "self_check", None)
    if check is None:
        return {}
    return {(q.id, a.label): i for q in check.questions for i, a in enumerate(q.answers)}


def _relabel_together(view: Any, places: dict[tuple[str, str], int]) -> None:
    """Each answer-together's `when:` names the translated labels of the answers it names."""
    check = getattr(view, "self_check", None)
    if check is None:
        return
    questions = {q.id: q for q in check.questions}
    for together in check.together.values():
        when = {}
        for qid, labels in together.when.items():
            question = questions.get(qid)
            when[qid] = [question.answers[places[(qid, label)]].label
                         if question is not None and (qid, label) in places else label
                         for label in labels]
        object.__setattr__(together, "when", when)
