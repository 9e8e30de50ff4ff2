"""How the self-check ranks levels: the Python twin of `weigh` in content/assets/self-check.js.

Both work on the same data: the JSON the build writes into the self-check page (`page_data`).
The rules (their principles and sources are in docs/editing.md, "The self-check's ranking"), applied
to the answers a person chose, plus each answer-together (`together:`) whose `when` they meet:

1. A level is suggested by the answers that list it in `suggests`.
2. Priorities: `safety` outweighs `need`, which outweighs `preference`. An answer cannot rule out
   or move down a level that an answer of a higher priority suggests; then its `if_outweighed`
   text is shown instead.
3. A level is worth discussing when it is suggested and not ruled out.
4. Order: levels not moved down before levels moved down; then levels put `first` by a safety
   answer; then levels where people live at home before 24-hour settings; then levels put first
   by a need answer, then by a preference answer, then the rest. Among levels put first at the
   same priority: named first by more answers, then by the earlier question, then earlier in that
   answer's `first` list. Then: suggested by more answers, then the order of `levels:`.
5. Steps (what to do first) come in the order of `steps:`; pages in the order of `pages:`. A page
   is linked once: by the first step that names it, else in the pages offered.
6. Words: "you" texts, or their `_them` twins when the person answers for someone else.
   `lead` is the reason of the answer that put the first level there; `why` holds every other
   reason once (the result never says one sentence twice).

tests/selfcheck_scenarios.yaml holds the clinical scenarios both implementations are tested
against; the browser test also compares them on every combination of answers that acts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from itertools import product
from typing import Any

from carekb.model.facts import PRIORITIES, Facts

RANK = {name: i for i, name in enumerate(PRIORITIES)}
NOT_FIRST = len(PRIORITIES)
ACTS = ("suggests", "first", "rules_out", "moves_down")


def page_data(facts: Facts) -> dict[str, Any]:
    """The rules as the page carries them (carekb/templates/macros/self_check.html.j2 writes the same)."""
    levels = [lv for lv in facts.levels.values() if not lv.staff_only]
    ids = [lv.id for lv in levels]
    check = facts.self_check

    def shown(items: list[str]) -> list[str]:
        return [i for i in items if i in ids]

    def answer(a: Any) -> dict[str, Any]:
        return {"label": a.label, "priority": a.priority, "suggests": shown(a.suggests), "first": shown(a.first),
                "rules_out": shown(a.rules_out), "moves_down": shown(a.moves_down), "because": a.because,
                "because_them": a.because_them, "if_outweighed": a.if_outweighed,
                "if_outweighed_them": a.if_outweighed_them, "steps": list(a.steps), "pages": list(a.pages),
                "who": a.who, "not_sure": a.not_sure}

    return {
        "levels": [{"id": lv.id, "label": lv.label, "abbr": lv.abbr, "day_and_night": lv.around_the_clock}
                   for lv in levels],
        "questions": [{"id": q.id, "ask": q.ask, "ask_them": q.ask_them, "answers": [answer(a) for a in q.answers]}
                      for q in check.questions],
        "together": [{**answer(t), "id": t.id, "when": {k: list(v) for k, v in t.when.items()}}
                     for t in check.together.values()],
        "steps": [{"id": s.id, "text": s.text, "text_them": s.text_them, "page": s.page, "crisis": list(s.crisis)}
                  for s in check.steps.values()],
        "pages": list(check.pages),
    }


def with_together(data: dict[str, Any], chosen: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """`chosen`, then each answer-together whose `when` the chosen answers meet (numbered after the questions)."""
    labels = {data["questions"][q]["id"]: a["label"] for q, a in chosen}
    extra = [(len(data["questions"]) + i, t) for i, t in enumerate(data["together"])
             if all(labels.get(q) in wanted for q, wanted in t["when"].items())]
    return chosen + extra


def rank(data: dict[str, Any], chosen: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """The order alone: levels to discuss, levels less likely, and what outweighed what.

    `chosen` already holds the answers-together (`with_together`). `keys` holds each listed
    level's sort key: (moved down, not put first by safety, a 24-hour setting not put first by
    safety, priority put first at, -answers naming it first there, question, place, -answers
    suggesting it, place in `levels:`).
    """
    suggested: dict[str, int] = {}
    strongest: dict[str, int] = {}
    named: dict[str, list[tuple[int, int, int]]] = {}
    for q, a in chosen:
        r = RANK[a["priority"]]
        for lv in a["suggests"]:
            suggested[lv] = suggested.get(lv, 0) + 1
            if r < strongest.get(lv, NOT_FIRST):
                strongest[lv] = r
        for pos, lv in enumerate(a["first"]):
            named.setdefault(lv, []).append((r, q, pos))
    ruled_out: set[str] = set()
    moved_down: set[str] = set()
    outweighed: list[dict[str, Any]] = []
    for _, a in chosen:
        if not (a["rules_out"] or a["moves_down"]):
            continue
        r = RANK[a["priority"]]
        kept = False
        for lv in a["rules_out"]:
            if strongest.get(lv, NOT_FIRST) < r:
                kept = True
            else:
                ruled_out.add(lv)
        for lv in a["moves_down"]:
            if strongest.get(lv, NOT_FIRST) < r:
                kept = True
            else:
                moved_down.add(lv)
        if kept:
            outweighed.append(a)
    keys = {}
    for i, level in enumerate(data["levels"]):
        lv = level["id"]
        if lv not in suggested or lv in ruled_out:
            continue
        found = named.get(lv)
        if found:
            best = min(found)  # (priority, question, place): the strongest, then the earliest
            tier, q, pos = best
            count = sum(1 for n in found if n[0] == tier)
        else:
            tier, q, pos, count = NOT_FIRST, 0, 0, 0
        safety = tier == 0
        keys[lv] = (lv in moved_down, not safety, level["day_and_night"] and not safety, tier, -count, q, pos,
                    -suggested[lv], i)
    return {"discuss": sorted(keys, key=keys.__getitem__), "keys": keys, "outweighed": outweighed,
            "unlikely": [level["id"] for level in data["levels"] if level["id"] in ruled_out]}


def weigh(data: dict[str, Any], chosen: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """Levels to discuss (in order), levels less likely, the steps, pages and reasons to show.

    `chosen` lists (question index, answer) for the questions answered, in question order.
    """
    who = next((a["who"] for _, a in chosen if a.get("who")), "self")

    def say(item: dict[str, Any], key: str) -> str | None:
        them = item.get(key + "_them")
        return them if who != "self" and them else item.get(key)

    chosen = with_together(data, chosen)
    ranked = rank(data, chosen)
    discuss, keys = ranked["discuss"], ranked["keys"]
    why: list[str | None] = []
    for _, a in chosen:
        why.append(say(a, "because"))
        if any(a is o for o in ranked["outweighed"]) and a.get("if_outweighed"):
            why.append(say(a, "if_outweighed"))
    lead = _lead(chosen, discuss[0], keys[discuss[0]]) if discuss else None
    lead_text = say(lead, "because") if lead else None
    steps = {s for _, a in chosen for s in a["steps"]}
    pages = {p for _, a in chosen for p in a["pages"]}
    shown, linked = [], set()
    for s in data["steps"]:
        if s["id"] in steps:  # a page is linked once: by the first step that names it
            shown.append({"id": s["id"], "text": say(s, "text"), "page": s["page"] if s["page"] not in linked else None,
                          "crisis": s["crisis"]})
            linked.add(s["page"])
    return {
        "discuss": discuss,
        "unlikely": ranked["unlikely"],
        "lead": lead_text,
        "why": [text for text in _unique(why) if text != lead_text],
        "steps": shown,
        "pages": [p for p in data["pages"] if p in pages and p not in linked],
        "who": who,
        "safety_first": bool(discuss) and keys[discuss[0]][:2] == (False, False),
    }


def _lead(chosen: list[tuple[int, dict[str, Any]]], level: str, key: tuple[int, ...]) -> dict[str, Any] | None:
    """The answer that put `level` first (at its best place), else the first that suggested it."""
    tier, q, pos = key[3], key[5], key[6]
    for question, a in chosen:
        if tier < NOT_FIRST and question == q and RANK[a["priority"]] == tier and a["first"][pos:pos + 1] == [level]:
            return a
    return next((a for _, a in chosen if level in a["suggests"]), None)


def _unique(items: list[str | None]) -> list[str]:
    return [i for i in dict.fromkeys(items) if i]


def acts(answer: dict[str, Any]) -> bool:
    """Whether an answer changes which levels are listed or their order (not only the words)."""
    return any(answer[key] for key in ACTS)


def _effect(answer: dict[str, Any]) -> tuple:
    return (answer["priority"], *(tuple(answer[k]) for k in ACTS))


def combinations(data: dict[str, Any], *, acting_only: bool = False,
                 keep: Callable[[int, dict[str, Any]], bool] | None = None) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Every way to answer the questions, each question answered or left blank.

    With `acting_only`, answers that change no level are left out (for the list of levels they
    are the same as a blank), and of two answers of one question with the same effect on the
    levels only the first is tried (`keep(question index, answer)` can leave out more). Each
    answer-together is tried off and on (its `when` met by the first label it names for each
    question left blank). The checks of every combination run many times faster.
    """
    if not acting_only:
        for picked in product(*([None, *q["answers"]] for q in data["questions"])):
            yield [(i, a) for i, a in enumerate(picked) if a is not None]
        return
    choices = []
    for qi, q in enumerate(data["questions"]):
        seen: set[tuple] = set()
        kept: list[dict[str, Any] | None] = [None]
        for a in q["answers"]:
            if acts(a) and _effect(a) not in seen and (keep is None or keep(qi, a)):
                kept.append(a)
                seen.add(_effect(a))
        choices.append(kept)
    index = {q["id"]: i for i, q in enumerate(data["questions"])}
    tried = [{a["label"] for a in kept if a is not None} for kept in choices]
    for picked in product(*choices):
        variants = [{i: a for i, a in enumerate(picked) if a is not None}]
        for together in data["together"]:
            more = []
            for base in variants:
                on = dict(base)
                for qid, labels in together["when"].items():
                    i = index[qid]
                    if i in on:
                        if on[i]["label"] not in labels:
                            break
                    elif tried[i] & set(labels):
                        break  # the set with that answer is tried on its own
                    else:
                        on[i] = next(a for a in data["questions"][i]["answers"] if a["label"] == labels[0])
                else:
                    if on != base:
                        more.append(on)
            variants += more
        for variant in variants:
            yield sorted(variant.items(), key=lambda pair: pair[0])


def by_size(data: dict[str, Any]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Sets of answers that act (or that an answer-together needs), one answer or none a question,
    fewest answers first: a search for one set that does something stops early."""
    needed = {(q, label) for t in data["together"] for q, labels in t["when"].items() for label in labels}
    options = [[a for a in q["answers"] if acts(a) or (q["id"], a["label"]) in needed] for q in data["questions"]]
    asked = [i for i, found in enumerate(options) if found]
    for size in range(1, len(asked) + 1):
        for questions in itertools.combinations(asked, size):
            for picked in product(*(options[i] for i in questions)):
                yield list(zip(questions, picked))


def by_labels(data: dict[str, Any], answers: dict[str, str]) -> list[tuple[int, dict[str, Any]]]:
    """`chosen` for {question id: answer label}; KeyError names a question or label that does not exist."""
    index = {q["id"]: i for i, q in enumerate(data["questions"])}
    chosen = []
    for qid, label in answers.items():
        question = data["questions"][index[qid]]
        match = [a for a in question["answers"] if a["label"] == label]
        if not match:
            raise KeyError(f"question {qid!r} has no answer {label!r}")
        chosen.append((index[qid], match[0]))
    return sorted(chosen, key=lambda pair: pair[0])
