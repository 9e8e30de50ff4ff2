"""Rules of meaning about the self-check's ranking (see carekb/meaning/registry.py).

The answers' `means` name situations (facts.yaml `self_check.situations`), and each situation
names the lines of the levels' `fits` and `not_a_fit` lists that say the same thing. That is
what lets a program check that an answer agrees with the levels it suggests or rules out.
The ranking rules are checked with the same ranking the page's script uses
(carekb/meaning/selfcheck_rank.py), on the combinations of answers that can break them: the fewest
answers that put each level first, and for "not sure" the combinations that list no level
(each function says why the others cannot); tests/test_selfcheck_scenarios.py tries every
combination that changes the levels. The rules about words and steps are in
carekb/meaning/selfcheck_words.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from carekb.meaning.registry import problem, rule
from carekb.model.facts import Answer, Facts, Level, Situation
from carekb.base.problems import Problem
from carekb.meaning.selfcheck_rank import RANK, acts, by_size, combinations, page_data, rank, with_together

LISTS = {"fits": "fits", "not_a_fit": "not a fit"}


def answers(facts: Facts) -> Iterator[Answer]:
    """Every answer of the self-check, then every answer-together."""
    for _, answer in facts.self_check.answers() if facts.self_check else ():
        yield answer


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
    for answer in answers(facts):
        checks = (("suggests", "fits", "not_a_fit", True), ("rules_out", "not_a_fit", "fits", True),
                  ("moves_down", "not_a_fit", "fits", False))
        for field, backing, against, needed in checks:
            for level in getattr(answer, field):
                if level not in facts.levels:
                    continue
                where, path = answer.at(field), f"{answer.path}.{field}"
                # Lines that do not exist are reported above, at the situation.
                named = _evidence(facts, answer, level, backing)
                good = [e for e in named if _line(facts.levels[level], e[2], e[1])]
                bad = [e for e in _evidence(facts, answer, level, against) if _line(facts.levels[level], e[2], e[1])]
                # A line the opposite situation matches contradicts only what nothing else backs.
                bad = [e for e in bad if not (e[3] and good)]
                for sid, n, kind, opposite in bad:
                    yield problem(where, path, f"`{level}` is in `{field}`, but {_quote(facts, level, sid, n, kind, opposite)}.",
                                  f"remove `{level}` from `{field}`, or correct this answer's `means:`.")
                if needed and not named and not bad:
                    means = ", ".join(f"`{m}`" for m in answer.means) or "none: `means` is empty"
                    yield problem(where, path, f"`{level}` is in `{field}`, but no situation this answer means "
                                  f"({means}) names a line of {level}'s {LISTS[backing]} list.",
                                  f"add to `means:` a situation whose `{backing}` names the line this relies on "
                                  f"({_listing(facts.levels[level], backing)}), or remove `{level}` from `{field}`.")


def _needs_day_and_night(facts: Facts, answer: Answer) -> bool:
    """A safety answer about a danger that needs care day and night."""
    situations = facts.self_check.situations
    return answer.priority == "safety" and any(situations[s].around_the_clock for s in answer.means if s in situations)


_DANGER_HINT = ("give this answer `priority: safety` and a situation in `means:` with `around_the_clock: true`, "
                "if it really describes such a danger")


@rule("self-check-home-levels-stay-open",
      "A self-check answer marks a level where people live at home \"less likely\" only if it is a safety answer "
      "about a danger that needs care day and night (a situation with `around_the_clock: true`).")
def home_levels_stay_open(facts: Facts) -> Iterator[Problem]:
    """`rules_out` names a level that is not a 24-hour setting only on a day-and-night danger answer."""
    for answer in answers(facts):
        home = [lv for lv in answer.rules_out if lv in facts.levels and not facts.levels[lv].around_the_clock]
        if home and not _needs_day_and_night(facts, answer):
            yield problem(answer.at("rules_out"), f"{answer.path}.rules_out",
                          f"marks {', '.join(f'`{lv}`' for lv in home)} less likely, but people live at home in "
                          f"{'that level' if len(home) == 1 else 'those levels'} and this answer is not about a "
                          "danger that needs care day and night.",
                          f"use `moves_down:` to put {'it' if len(home) == 1 else 'them'} lower on the list, or "
                          f"{_DANGER_HINT}.")


@rule("self-check-24-hour-care-first-only-for-danger",
      "A 24-hour setting is put first only by a self-check safety answer about a danger that needs care day and "
      "night; otherwise the least intensive level that is safe comes first.")
def day_and_night_first_only_for_danger(facts: Facts) -> Iterator[Problem]:
    """`first` names a 24-hour level only on a day-and-night danger answer."""
    for answer in answers(facts):
        settings = [lv for lv in answer.first if lv in facts.levels and facts.levels[lv].around_the_clock]
        if settings and not _needs_day_and_night(facts, answer):
            yield problem(answer.at("first"), f"{answer.path}.first",
                          f"puts {', '.join(f'`{lv}`' for lv in settings)} first, a 24-hour setting, but this "
                          "answer is not about a danger that needs care day and night.",
                          f"remove {', '.join(f'`{lv}`' for lv in settings)} from `first:` (it can stay in "
                          f"`suggests:`), or {_DANGER_HINT}.")


def _profile(data: dict, key: tuple) -> str:
    """A set of answers as an editor reads it: question id and answer label."""
    return ", ".join(f'{data["questions"][q]["id"]} "{label}"' for q, label in enumerate(key)
                     if label is not None) or "no other answers"


@rule("self-check-every-level-can-come-first",
      "Every level of care can be the first suggestion of the self-check for some set of answers.")
def every_level_can_come_first(facts: Facts) -> Iterator[Problem]:
    """Each public level is ranked first by at least one combination of answers."""
    if not facts.self_check or not facts.self_check.questions:
        return
    data = page_data(facts)
    wanted = {lv.id for lv in facts.levels.values() if not lv.staff_only and lv.in_self_check}
    firsts: set[str] = set()
    for chosen in by_size(data):  # fewest answers first: usually one answer a level is enough
        order = rank(data, with_together(data, chosen))["discuss"]
        if order:
            firsts.add(order[0])
            if wanted <= firsts:
                break
    for level in facts.levels.values():
        if level.id not in wanted or level.id in firsts:
            continue
        yield problem(facts.self_check.at("questions"), "self_check.questions",
                      f"no combination of answers puts `{level.id}` ({level.label}) first.",
                      f"add `{level.id}` to `first:` of an answer whose situation fits it "
                      f"({_listing(level, 'fits')}).")


def _dangers(facts: Facts) -> set[str]:
    """Situations that are a danger (`danger: true`, or `around_the_clock: true`)."""
    return {s.id for s in facts.self_check.situations.values() if s.danger}


@rule("self-check-danger-answers-come-first",
      "A self-check answer about a danger is a safety answer, and the levels a safety answer puts first are "
      "ruled out or moved down only by another answer about a danger, so they come first whatever else is answered.")
def danger_answers_come_first(facts: Facts) -> Iterator[Problem]:
    """Danger answers have `priority: safety`; only danger answers can outweigh their `first:`."""
    if not facts.self_check:
        return
    situations, dangers = facts.self_check.situations, _dangers(facts)
    about_danger = {id(a) for a in answers(facts) if set(a.means) & dangers}
    for answer in answers(facts):
        if id(answer) in about_danger and answer.priority != "safety":
            sid = next(s for s in answer.means if s in dangers)
            yield problem(answer.at("priority"), f"{answer.path}.priority",
                          f"this answer means `{sid}`, a danger, but its priority is {answer.priority}, so other "
                          "answers could push its levels down.", "write `priority: safety`.")
        if answer.priority == "safety" and answer.first and not any(situations[s].fits for s in answer.means
                                                                   if s in situations):
            yield problem(answer.at("means"), f"{answer.path}.means", "this safety answer puts levels first, but "
                          "no situation it means names a level's fits line, so nothing says which level fits the danger.",
                          "add to `means:` the situation of this danger (its `fits` names the levels that fit it).")
    firsts = [(a, set(a.first)) for a in answers(facts) if a.priority == "safety" and a.first]
    for other in answers(facts):
        if id(other) in about_danger:
            continue
        for field in ("rules_out", "moves_down"):
            for answer, levels in firsts:
                hit = [lv for lv in getattr(other, field) if lv in levels]
                if hit and answer is not other and other.priority == "safety":
                    yield problem(other.at(field), f"{other.path}.{field}",
                                  f"{', '.join(f'`{lv}`' for lv in hit)} {'is' if len(hit) == 1 else 'are'} put first "
                                  f"by the safety answer {answer.path}, and this answer can push "
                                  f"{'it' if len(hit) == 1 else 'them'} down though it is not about a danger.",
                                  "give this answer `priority: need` (a danger outweighs it then), or add to its "
                                  "`means:` the danger it describes.")
                    break


def _listing_nothing(data: dict) -> Iterator[list[tuple[int, dict]]]:
    """Every combination that changes the levels and still lists none.

    An answer is in such a combination only if each level it suggests can be ruled out by an
    answer of another question, at least as urgent, that can itself be in one: the answers left
    after removing the others until none is removed (answers-together count as able to rule out).
    """
    questions = data["questions"]
    acting = [(q, a) for q, question in enumerate(questions) for a in question["answers"] if acts(a)]
    rulers = [(q, a) for q, a in acting if a["rules_out"]] + [(-1, t) for t in data["together"] if t["rules_out"]]
    allowed = {id(a) for _, a in acting}
    changed = True
    while changed:
        changed = False
        for q, a in acting:
            if id(a) in allowed and any(
                    not any(lv in b["rules_out"] and RANK[b["priority"]] <= RANK[a["priority"]] and p != q
                            and (p < 0 or id(b) in allowed) for p, b in rulers) for lv in a["suggests"]):
                allowed.discard(id(a))
                changed = True
    for chosen in combinations(data, acting_only=True, keep=lambda q, a: id(a) in allowed):
        if not rank(data, with_together(data, chosen))["discuss"]:
            yield chosen


@rule("self-check-not-sure-never-narrows",
      "A \"not sure\" answer of the self-check never takes a level off the list and never leaves only one level.")
def not_sure_never_narrows(facts: Facts) -> Iterator[Problem]:
    """Adding a "not sure" answer to any combination keeps every level listed, and never brings the list to one.

    A "not sure" answer rules out and moves down nothing (a check of form), so unless an
    answer-together needs it, adding it only adds levels: it can narrow nothing, and leave one
    level only where the list was empty, so only those combinations are tried. Otherwise every
    combination is.
    """
    if not facts.self_check:
        return
    data = page_data(facts)
    needed = {(q, label) for t in data["together"] for q, labels in t["when"].items() for label in labels}
    empty: list | None = None
    for qi, question in enumerate(facts.self_check.questions):
        built = data["questions"][qi]["answers"]
        for i, answer in enumerate(question.answers):
            if not answer.not_sure or (not acts(built[i]) and (question.id, answer.label) not in needed):
                continue  # it changes no level
            if (question.id, answer.label) in needed or built[i]["rules_out"] or built[i]["moves_down"]:
                found = _narrowing_anywhere(facts, qi, built[i])
            else:
                empty = list(_listing_nothing(data)) if empty is None else empty
                found = next(((chosen, after) for chosen in empty if all(q != qi for q, _ in chosen)
                              for after in [rank(data, with_together(data, sorted([*chosen, (qi, built[i])],
                                                                                 key=lambda pair: pair[0])))["discuss"]]
                              if len(after) == 1), None)
                found = found and (found[0], [], found[1])
            if found:
                chosen, lost, after = found
                key = [None] * len(data["questions"])
                for q, a in chosen:
                    key[q] = a["label"]
                what = (f"takes {', '.join(f'`{lv}`' for lv in lost)} off the list" if lost else
                        f"leaves only `{after[0]}`")
                yield problem(answer.at("label"), f"{answer.path}",
                              f'with the answers {_profile(data, tuple(key))}, answering "{answer.label}" {what}.',
                              "a \"not sure\" answer suggests each level it might point to (at least two), and "
                              "rules out and moves down none.")


def _narrowing_anywhere(facts: Facts, qi: int, answer: dict) -> tuple[list, list[str], list[str]] | None:
    """(answers, levels lost, levels after) of the first combination that `answer` narrows, trying all."""
    data = page_data(facts)
    for chosen in combinations(data, acting_only=True):
        if any(q == qi for q, _ in chosen):
            continue
        before = rank(data, with_together(data, chosen))["discuss"]
        after = rank(data, with_together(data, sorted([*chosen, (qi, answer)], key=lambda pair: pair[0])))["discuss"]
        lost = [lv for lv in before if lv not in after]
        if lost or (len(after) == 1 and len(before) != 1):
            return chosen, lost, after
    return None
