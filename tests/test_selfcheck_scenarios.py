"""The self-check's Python ranking against the clinical scenario table (tests/selfcheck_scenarios.yaml),
and what every result must hold whatever the answers: it says nothing twice, shows crisis help
for a danger, and a "not sure" answer never narrows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carekb.meaning.selfcheck_rank import by_labels, combinations, page_data, weigh
from selfcheck_profiles import FIELDS, PRINCIPLES, SCENARIOS, mismatches, repeated, shown_text

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(facts) -> dict:
    return page_data(facts)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_python_ranking_meets_the_scenario(data, scenario) -> None:
    """Each scenario's answers give its first level, steps, open levels, pages and words."""
    result = weigh(data, by_labels(data, scenario["answers"]))
    assert mismatches(result, scenario) == [], scenario["name"]
    assert repeated(shown_text(result)) == []


def test_the_table_is_complete_and_each_scenario_names_a_sourced_principle(facts) -> None:
    """At least 40 scenarios, the kinds the issue names among them, each with a principle whose sources exist."""
    assert len(SCENARIOS) >= 40
    names = " | ".join(s["name"] for s in SCENARIOS)
    for kind in ("methadone", "buprenorphine", "pregnant with opioid use", "daily drinker unsure about withdrawal",
                 "benzodiazepine", "suicidal thoughts", "unsafe home with mild use", "teen with depression who vapes",
                 "parent answering for an adult child", "full-time worker with moderate drinking",
                 "not sure to every question", "not sure about home, nothing else"):
        assert kind in names, kind
    assert len({s["name"] for s in SCENARIOS}) == len(SCENARIOS)
    for scenario in SCENARIOS:
        assert set(scenario) <= FIELDS, scenario["name"]
        assert scenario["principle"] in PRINCIPLES, scenario["name"]
    levels = set(facts.levels)
    for scenario in SCENARIOS:
        named = {scenario["first"], *scenario.get("open", []), *scenario.get("less_likely", []),
                 *(lv for pair in scenario.get("above", []) for lv in pair)} - {None}
        assert named <= levels, scenario["name"]
        assert set(scenario.get("steps", [])) <= set(facts.self_check.steps), scenario["name"]
        assert set(scenario.get("pages", [])) <= set(facts.self_check.pages), scenario["name"]
    for pid, principle in PRINCIPLES.items():
        assert principle["says"] and principle["sources"], pid
        for sid in principle["sources"]:
            source = facts.sources[sid]
            assert source.url and source.publisher, f"{pid}: {sid} has no url or publisher"
    used = {s["principle"] for s in SCENARIOS}
    assert used == set(PRINCIPLES), f"principles no scenario checks: {set(PRINCIPLES) - used}"


def test_the_editors_guide_states_each_principle_with_its_sources() -> None:
    """docs/editing.md's "The self-check's ranking" names every principle's sources."""
    guide = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    section = guide[guide.index("\n## The self-check's ranking"):]
    section = re.split(r"\n##? ", section[1:], maxsplit=1)[0]
    for pid, principle in PRINCIPLES.items():
        for sid in principle["sources"]:
            assert f"`{sid}`" in section, f"{pid}: docs/editing.md's self-check section does not cite `{sid}`"


def test_no_result_says_a_sentence_twice_and_danger_shows_crisis_help_first(data) -> None:
    """On every combination that changes the levels, in both wordings: no repeated sentence; crisis first."""
    danger = {a["label"] for q in data["questions"] if q["id"] == "danger" for a in q["answers"] if a["steps"]}
    who = next(i for i, q in enumerate(data["questions"]) if q["id"] == "who")
    other = next(a for a in data["questions"][who]["answers"] if a["who"] == "other")
    count = 0
    for chosen in combinations(data, acting_only=True):
        for answers in (chosen, sorted([*chosen, (who, other)], key=lambda pair: pair[0])):
            result = weigh(data, answers)
            assert repeated(shown_text(result)) == [], answers
            labels = {data["questions"][q]["id"]: a["label"] for q, a in answers}
            if labels.get("danger") in danger:
                assert result["steps"][0]["crisis"], answers
            count += 1
    assert count > 1000


def test_a_not_sure_answer_never_narrows_the_list(data) -> None:
    """Adding any "not sure" answer to any combination keeps every level and never leaves exactly one."""
    for chosen in combinations(data, acting_only=True):
        answered = {q for q, _ in chosen}
        before = weigh(data, chosen)["discuss"]
        for qi, question in enumerate(data["questions"]):
            unsure = [a for a in question["answers"] if a["not_sure"]]
            if qi in answered or not unsure:
                continue
            after = weigh(data, sorted([*chosen, (qi, unsure[0])], key=lambda pair: pair[0]))["discuss"]
            assert set(before) <= set(after), (chosen, question["id"])
            assert len(after) != 1 or len(before) == 1, (chosen, question["id"])


def test_only_a_danger_needing_day_and_night_care_makes_home_levels_less_likely(facts, data) -> None:
    """Whatever the answers, a level where people live at home is less likely only with "care around the clock"."""
    home = {lv.id for lv in facts.levels.values() if not lv.around_the_clock}
    severity = next(i for i, q in enumerate(data["questions"]) if q["id"] == "severity")
    for chosen in combinations(data, acting_only=True):
        result = weigh(data, chosen)
        if set(result["unlikely"]) & home:
            assert any(q == severity and a["label"] == "Yes" for q, a in chosen), chosen
        if result["discuss"] and result["discuss"][0] in {"residential", "inpatient"}:
            assert any(a["priority"] == "safety" and a["first"] for _, a in chosen), chosen


def test_the_wording_follows_who_is_answering(data) -> None:
    """Answering for someone else turns every text that says "you" into one that says "they"."""
    who = next(i for i, q in enumerate(data["questions"]) if q["id"] == "who")
    for label in ("My teen (under 18)", "Another adult"):
        answers = {"who": label, **{q["id"]: "Not sure" for q in data["questions"] if q["id"] != "who"}}
        result = weigh(data, by_labels(data, answers))
        assert result["who"] in ("teen", "other")
        for text in shown_text(result):
            assert not re.search(r"\b(your|yourself)\b", text), text
    mine = weigh(data, by_labels(data, {"who": "Myself", "withdrawal": "Yes"}))
    assert mine["who"] == "self" and "Get a medical check before you stop." in shown_text(mine)
    assert who == 0, "the question about who is answering comes first, so the others can use its words"
