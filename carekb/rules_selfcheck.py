"""Rules of meaning about the self-check (see carekb/meaning.py).

The answers' `means` name situations (facts.yaml `self_check.situations`), and each situation
names the lines of the levels' `fits` and `not_a_fit` lists that say the same thing. That is
what lets a program check that an answer agrees with the levels it suggests or rules out.
The ranking rules are checked on every combination of answers (a few thousand), with the
same ranking the page's script uses (carekb/self_check_rank.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from .meaning import problem, rule
from .model import Answer, Facts, Level, Situation
from .problems import Problem
from .self_check_rank import combinations, page_data, weigh

LISTS = {"fits": "fits", "not_a_fit": "not a fit"}


def _answers(facts: Facts) -> Iterator[tuple[int, Answer]]:
    """(question index, answer) for every answer of the self-check."""
    for qi, question in enumerate(facts.self_check.questions if facts.self_check else ()):
        for answer in question.answers:
            yield qi, answer


def _line(level: Level, kind: str, n: int) -> str | None:
    """Line `n` (1 = first) of the level's `fits` or `not_a_fit` list, or None if there is none."""
    lines = getattr(level, kind)
    return lines[n - 1] if 1 <= n <= len(lines) else None


def _listing(level: Level, kind: str) -> str:
    """The level's list, numbered, for a hint."""
    lines = getattr(level, kind)
    if not lines:
        return f"{level.id} has no `{kind}` lines yet"
    return f"{level.id}'s {LISTS[kind]} lines: " + "; ".join(f'{i}. "{t}"' for i, t in enumerate(lines, 1))


def _opposites(facts: Facts, sit: Situation) -> list[Situation]:
    """Situations that say the opposite of `sit` (`opposite:` is read both ways)."""
    found = facts.self_check.situations
    out = [found[sit.opposite]] if sit.opposite in found else []
    return out + [s for s in found.values() if s.opposite == sit.id and s not in out]


def _evidence(facts: Facts, answer: Answer, level: str, kind: str) -> list[tuple[str, int, str, bool]]:
    """(situation id, line number, list, through an opposite?) where the answer's situations match `level`'s `kind` list.

    A situation matches a level's fits line directly, or its not-a-fit line through its opposite.
    """
    other = "not_a_fit" if kind == "fits" else "fits"
    found = []
    for sid in answer.means:
        sit = facts.self_check.situations.get(sid)
        if sit is None:
            continue
        if level in getattr(sit, kind):
            found.append((sit.id, getattr(sit, kind)[level], kind, False))
        for opp in _opposites(facts, sit):
            if level in getattr(opp, other):
                found.append((opp.id, getattr(opp, other)[level], other, True))
    return found


def _quote(facts: Facts, level: str, sid: str, n: int, kind: str, opposite: bool) -> str:
    """Which situation matches which line of a level's list, quoting the line."""
    text = _line(facts.levels[level], kind, n)
    who = f"the opposite situation `{sid}`" if opposite else f"its situation `{sid}`"
    return f'{who} matches line {n} of {level}\'s {LISTS[kind]} list, "{text}" (levels.{level}.{kind}[{n}])'


@rule("self-check-answers-agree-with-levels",
      "Every level a self-check answer suggests or rules out is backed by a line of that level's "
      "fits or not-a-fit list, through the situations the answer means, and none says the opposite.")
def answers_agree_with_levels(facts: Facts) -> Iterator[Problem]:
    """Situations point at real lines; answers' suggests/rules_out/moves_down agree with those lines."""
    if not facts.self_check:
        return
    for sit in facts.self_check.situations.values():
        for kind in LISTS:
            for level, n in getattr(sit, kind).items():
                if level in facts.levels and _line(facts.levels[level], kind, n) is None:
                    count = len(getattr(facts.levels[level], kind))
                    yield problem(sit.at(f"{kind}.{level}"), f"{sit.path}.{kind}.{level}",
                                  f"{level}'s {LISTS[kind]} list has {count} line(s), so there is no line {n}.",
                                  f"use the number of the line that says this situation: {_listing(facts.levels[level], kind)}.")
        if sit.opposite == sit.id:
            yield problem(sit.at("opposite"), f"{sit.path}.opposite", "a situation cannot be its own opposite.",
                          "name the situation that says the opposite, or remove `opposite:`.")
    for _, answer in _answers(facts):
        checks = (("suggests", "fits", "not_a_fit", True), ("rules_out", "not_a_fit", "fits", True),
                  ("moves_down", "not_a_fit", "fits", False))
        for field, backing, against, needed in checks:
            for level in getattr(answer, field):
                if level not in facts.levels:
                    continue
                where, path = answer.at(field), f"{answer.path}.{field}"
                # Lines that do not exist are reported above, at the situation.
                good = [e for e in _evidence(facts, answer, level, backing) if _line(facts.levels[level], e[2], e[1])]
                bad = [e for e in _evidence(facts, answer, level, against) if _line(facts.levels[level], e[2], e[1])]
                for sid, n, kind, opposite in bad:
                    yield problem(where, path, f"`{level}` is in `{field}`, but {_quote(facts, level, sid, n, kind, opposite)}.",
                                  f"remove `{level}` from `{field}`, or correct this answer's `means:`.")
                if needed and not good and not bad:
                    means = ", ".join(f"`{m}`" for m in answer.means) or "none: `means` is empty"
                    yield problem(where, path, f"`{level}` is in `{field}`, but no situation this answer means "
                                  f"({means}) names a line of {level}'s {LISTS[backing]} list.",
                                  f"add to `means:` a situation whose `{backing}` names the line this relies on "
                                  f"({_listing(facts.levels[level], backing)}), or remove `{level}` from `{field}`.")


_memo: list = []  # [(facts, rankings)]: the two rules below share one pass over the combinations


def _rankings(facts: Facts) -> list[tuple[list, list[str]]]:
    """(chosen answers, levels to discuss in order) for every combination of answers that act."""
    if _memo and _memo[0][0] is facts:
        return _memo[0][1]
    data = page_data(facts)
    found = [(chosen, [d["id"] for d in weigh(data, chosen)["discuss"]])
             for chosen in combinations(data, acting_only=True)]
    _memo[:] = [(facts, found)]
    return found


@rule("self-check-every-level-can-come-first",
      "Every level of care can be the first suggestion of the self-check for some set of answers.")
def every_level_can_come_first(facts: Facts) -> Iterator[Problem]:
    """Each public level is ranked first by at least one combination of answers."""
    if not facts.self_check or not facts.self_check.questions:
        return
    firsts = {order[0] for _, order in _rankings(facts) if order}
    for level in facts.levels.values():
        if level.staff_only or not level.in_self_check or level.id in firsts:
            continue
        yield problem(facts.self_check.at("questions"), "self_check.questions",
                      f"no combination of answers puts `{level.id}` ({level.label}) first.",
                      f"add `{level.id}` to `first:` of an answer whose situation fits it "
                      f"({_listing(level, 'fits')}).")


def _profile(facts: Facts, chosen: list) -> str:
    """A set of answers as an editor reads it: question id and answer label."""
    questions = facts.self_check.questions
    return ", ".join(f'{questions[qi].id} "{a["label"]}"' for qi, a in chosen)


@rule("self-check-danger-answers-come-first",
      "A self-check answer about a danger always puts a level that fits that danger at the top of the list.")
def danger_answers_come_first(facts: Facts) -> Iterator[Problem]:
    """With a safety answer that has `first:`, a level fitting its danger comes before every level fitting no danger."""
    if not facts.self_check:
        return
    situations = facts.self_check.situations

    def fitting(answer: Answer) -> set[str]:
        """The levels whose fits lines match one of the answer's situations."""
        return {lv for sid in answer.means if sid in situations for lv in situations[sid].fits}

    dangers = {id(a): (qi, a) for qi, a in _answers(facts) if a.priority == "safety" and a.first}
    reported: set[int] = set()
    for qi, answer in dangers.values():
        if not fitting(answer):
            reported.add(id(answer))
            yield problem(answer.at("means"), f"{answer.path}.means", "this safety answer puts levels first, but "
                          "no situation it means names a level's fits line, so nothing says which level fits the danger.",
                          "add to `means:` the situation of this danger (its `fits` names the levels that fit it).")
    for chosen, order in _rankings(facts):
        labels = {(qi, a["label"]) for qi, a in chosen}
        picked = [a for qi, a in dangers.values() if (qi, a.label) in labels and id(a) not in reported]
        if not picked:
            continue
        any_danger = set().union(*(fitting(a) for a in picked))
        other = next((i for i, lv in enumerate(order) if lv not in any_danger), len(order))
        for answer in picked:
            fit = sorted(fitting(answer))
            top = next((i for i, lv in enumerate(order) if lv in fit), None)
            if top is not None and top < other:
                continue
            reported.add(id(answer))  # one located problem per answer is enough to fix it
            if top is None:
                what = f"no level that fits this danger ({', '.join(fit)}) is on the list at all"
            else:
                what = f"`{order[other]}` comes before every level that fits this danger ({', '.join(fit)})"
            yield problem(answer.at("first"), f"{answer.path}.first",
                          f"with the answers {_profile(facts, chosen)}, {what}.",
                          f"put a level that fits it in `first:` (one of: {', '.join(fit)}), and check what "
                          "the other answers rule out and the `priority:` they have.")
