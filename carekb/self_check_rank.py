"""How the self-check ranks levels: the Python twin of `weigh` in content/assets/self-check.js.

Both work on the same data: the JSON the build writes into the self-check page (`page_data`).
The rules, applied to the answers a person chose:

1. A level is suggested by the answers that list it in `suggests`.
2. Priorities: `safety` outweighs `need`, which outweighs `preference`. An answer cannot rule out
   or move down a level that an answer of a higher priority suggests; then its `if_outweighed`
   text is shown instead.
3. A level is worth discussing when it is suggested and not ruled out.
4. Order: levels not moved down before levels moved down; then levels put `first` by a safety
   answer, then by a need answer, then by a preference answer, then the rest. Among levels put
   first at the same priority: named first by more answers, then by the earlier question, then
   earlier in that answer's `first` list. Then: suggested by more answers, then the less intensive.

tests/selfcheck_profiles.py holds the table of answer profiles both implementations are tested
against, and the browser test compares them on every combination of answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Any

from .model import PRIORITIES, Facts

RANK = {name: i for i, name in enumerate(PRIORITIES)}
NOT_FIRST = len(PRIORITIES)


def page_data(facts: Facts) -> dict[str, Any]:
    """The rules as the page carries them (carekb/templates/macros/self_check.html.j2 writes the same)."""
    levels = [lv for lv in facts.levels.values() if not lv.staff_only]
    ids = [lv.id for lv in levels]

    def shown(items: list[str]) -> list[str]:
        return [i for i in items if i in ids]

    return {
        "levels": [{"id": lv.id, "label": lv.label, "abbr": lv.abbr} for lv in levels],
        "questions": [{"id": q.id, "ask": q.ask, "answers": [
            {"label": a.label, "priority": a.priority, "suggests": shown(a.suggests), "first": shown(a.first),
             "rules_out": shown(a.rules_out), "moves_down": shown(a.moves_down), "because": a.because,
             "if_outweighed": a.if_outweighed} for a in q.answers]} for q in facts.self_check.questions],
    }


def weigh(data: dict[str, Any], chosen: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """Levels to discuss (in order, with reasons), levels less likely, and notes.

    `chosen` lists (question index, answer) for the questions answered, in question order.
    """
    suggested: dict[str, list[str]] = {}
    strongest: dict[str, int] = {}
    for _, a in chosen:
        for lv in a["suggests"]:
            suggested.setdefault(lv, []).append(a["because"])
            strongest[lv] = min(strongest.get(lv, NOT_FIRST), RANK[a["priority"]])
    ruled_out: dict[str, list[str]] = {}
    moved_down: set[str] = set()
    notes: list[str] = []
    for _, a in chosen:
        outweighed = False
        for key in ("rules_out", "moves_down"):
            for lv in a[key]:
                if strongest.get(lv, NOT_FIRST) < RANK[a["priority"]]:
                    outweighed = True
                elif key == "rules_out":
                    ruled_out.setdefault(lv, []).append(a["because"])
                else:
                    moved_down.add(lv)
        if not a["suggests"] and not a["rules_out"] and not a["moves_down"]:
            notes.append(a["because"])
        if outweighed and a.get("if_outweighed"):
            notes.append(a["if_outweighed"])
    discuss = _in_level_order(data, {lv for lv in suggested if lv not in ruled_out})

    def key(lv: str) -> tuple[int, ...]:
        named = [(RANK[a["priority"]], q, a["first"].index(lv)) for q, a in chosen if lv in a["first"]]
        tier = min((n[0] for n in named), default=NOT_FIRST)
        at_tier = [n for n in named if n[0] == tier]
        q, pos = min(((n[1], n[2]) for n in at_tier), default=(0, 0))
        return (lv in moved_down, tier, -len(at_tier), q, pos, -len(suggested[lv]))

    keys = {lv: key(lv) for lv in discuss}
    discuss.sort(key=keys.__getitem__)  # stable: levels that tie stay in the order of `levels:`
    return {
        "discuss": [{"id": lv, "reasons": _unique(suggested[lv])} for lv in discuss],
        "unlikely": [{"id": lv, "reasons": _unique(ruled_out[lv])} for lv in _in_level_order(data, set(ruled_out))],
        "notes": _unique(notes),
        "safety_first": bool(discuss) and keys[discuss[0]][:2] == (False, RANK["safety"]),
    }


def _in_level_order(data: dict[str, Any], ids: set[str]) -> list[str]:
    """The levels of `data` among `ids`, in the order of `levels:` (reading no further than the last)."""
    out: list[str] = []
    if ids:
        for level in data["levels"]:
            if level["id"] in ids:
                out.append(level["id"])
                if len(out) == len(ids):
                    break
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def acts(answer: dict[str, Any]) -> bool:
    """Whether an answer changes which levels are listed or their order (not only the notes)."""
    return any(answer[key] for key in ("suggests", "first", "rules_out", "moves_down"))


def combinations(data: dict[str, Any], *, acting_only: bool = False) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Every way to answer the questions, each question answered or left blank.

    With `acting_only`, answers that change no level are left out: for the list of levels they
    are the same as a blank, and the checks of every combination run several times faster.
    """
    choices = [[None, *(a for a in q["answers"] if not acting_only or acts(a))] for q in data["questions"]]
    for picked in product(*choices):
        yield [(i, a) for i, a in enumerate(picked) if a is not None]


def first_level(data: dict[str, Any], chosen: list[tuple[int, dict[str, Any]]]) -> str | None:
    """The level ranked first for these answers, if any."""
    found = weigh(data, chosen)["discuss"]
    return found[0]["id"] if found else None


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
