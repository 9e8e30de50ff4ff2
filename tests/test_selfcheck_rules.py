"""The self-check's ranking rules in facts.yaml: their checks of form, their rules of meaning, and
the Python ranking against the table of profiles (tests/selfcheck_profiles.py).

Failing cases edit one line of a copy of the real facts.yaml and assert the located message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from carekb import rules_selfcheck as rules
from carekb.facts import load_facts, read_facts
from carekb.meaning import check_meaning
from carekb.meaning import rules as registered_rules
from carekb.model import Facts
from carekb.self_check_rank import by_labels, combinations, page_data, weigh
from selfcheck_profiles import PROFILES

REPO = Path(__file__).resolve().parents[1]
TEXT = (REPO / "facts.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def facts() -> Facts:
    loaded, _ = load_facts(REPO / "facts.yaml")
    return loaded


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """A copy of facts.yaml with `old` (which must occur once) replaced by `new`; (path, text)."""
    assert TEXT.count(old) == 1, f"the test's anchor is not unique in facts.yaml: {old!r}"
    text = TEXT.replace(old, new)
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def where(text: str, snippet: str, token: str) -> str:
    """`facts.yaml:line:column` of `token` inside the (unique) `snippet` of `text`."""
    at = text.index(snippet) + snippet.index(token)
    line = text.count("\n", 0, at) + 1
    return f"facts.yaml:{line}:{at - text.rfind(chr(10), 0, at)}"


def loaded(path: Path) -> Facts:
    """Facts valid in form, the rules of meaning not yet applied (each test runs one rule itself)."""
    facts, _ = load_facts(path, meaning=False)
    return facts


# -- checks of form: every new field is validated, with the place and the fix ----------------------

FORM_CASES = [
    ("first names a level it does not suggest",
     "          first: [php, iop]\n", "          first: [php, residential]\n", "[php, residential]",
     "self_check.questions.recent_care.answers[1].first: `residential` is put first but not in `suggests`."),
    ("means names an unknown situation",
     "          means: [stepping_down]\n", "          means: [steping_down]\n", "steping_down]",
     "self_check.questions.recent_care.answers[1].means[1]: `steping_down` is not one of the situations in "
     "this file. Fix: did you mean `stepping_down`?"),
    ("a situation's line map names an unknown level",
     "      fits: {withdrawal: 1, inpatient: 2}\n", "      fits: {withdrawal: 1, inpatiant: 2}\n", "inpatiant",
     "self_check.situations.risky_withdrawal.fits.inpatiant: `inpatiant` is not one of the levels in this file. "
     "Fix: did you mean `inpatient`?"),
    ("an unknown priority",
     "          priority: safety\n          means: [unsafe_home]\n          suggests: [residential]\n          first:",
     "          priority: urgent\n          means: [unsafe_home]\n          suggests: [residential]\n          first:",
     "urgent", "self_check.questions.home.answers[2].priority: `urgent` is not allowed here. Fix: use one of the "
     "priorities: `need`, `preference`, `safety`."),
    ("two answers with one label",
     '        - label: "A lot"\n          means: [serious', '        - label: "A little"\n          means: [serious',
     '"A little"',
     'self_check.questions.how_much.answers[2].label: the label "A little" is used by two answers of this question.'),
    ("a level both suggested and moved down",
     "          moves_down: [php, residential]\n          because: Outpatient",
     "          moves_down: [php, iop]\n          because: Outpatient", "[php, iop]",
     "self_check.questions.work_school.answers[1].moves_down: `iop` is both in `suggests` and in `moves_down`."),
]


@pytest.mark.parametrize("old, new, token, message", [c[1:] for c in FORM_CASES], ids=[c[0] for c in FORM_CASES])
def test_new_fields_are_checked_with_located_messages(tmp_path, old, new, token, message) -> None:
    """A mistake in a ranking field stops the load with one located, plain-words line."""
    path, text = edited(tmp_path, old, new)
    facts, problems = read_facts(path)
    assert facts is None
    found = [str(p) for p in problems if message in str(p)]
    assert len(found) == 1, "\n".join(map(str, problems))
    assert found[0].startswith(where(text, new, token) + ": " + message), found[0]


# -- rules of meaning: one passing and at least one failing case each ----------------------------

def test_the_real_facts_break_no_self_check_rule(facts) -> None:
    """facts.yaml as committed agrees with every self-check rule of meaning."""
    assert list(rules.answers_agree_with_levels(facts)) == []
    assert list(rules.every_level_can_come_first(facts)) == []
    assert list(rules.danger_answers_come_first(facts)) == []
    names = [r.name for r in registered_rules()]
    assert {"self-check-answers-agree-with-levels", "self-check-every-level-can-come-first",
            "self-check-danger-answers-come-first"} <= set(names)
    assert [p for p in check_meaning(facts) if p.path.startswith("self_check")] == []


# (id, rule, edits of facts.yaml as (old, new), where the problem is as (snippet, token in it), the
#  problem's words after its location, whether they are all of it or how it starts, words it also holds)
BROKEN_RULES = [
    ("an answer suggesting a level without a fits line is located", "answers_agree_with_levels",
     [("      fits: {withdrawal: 1, inpatient: 2}\n", "      fits: {withdrawal: 1}\n")],
     ("          suggests: [withdrawal, inpatient]\n          first: [withdrawal, inpatient]",
      "[withdrawal, inpatient]"),
     "self_check.questions.withdrawal.answers[1].suggests: `inpatient` is in `suggests`, but no situation this "
     "answer means (`risky_withdrawal`) names a line of inpatient's fits list.",
     False, ['inpatient\'s fits lines: 1. "You have serious medical']),
    # Home "Yes" cannot suggest residential: residential's fits line 2 is about a home that is not safe.
    ("an answer contradicting a level line is located", "answers_agree_with_levels",
     [("          means: [safe_home]\n          suggests: [iop, op]\n",
       "          means: [safe_home]\n          suggests: [iop, op, residential]\n")],
     ("suggests: [iop, op, residential]", "[iop"),
     "self_check.questions.home.answers[1].suggests: `residential` is in `suggests`, but the opposite situation "
     "`unsafe_home` matches line 2 of residential's fits list, \"Your home is not safe, or it has alcohol or drugs "
     "in it, and you need a place to focus on recovery.\" (levels.residential.fits[2]). Fix: remove `residential` "
     "from `suggests`, or correct this answer's `means:`.",
     True, []),
    # A line number past the end of a level's list is reported where it is written, with the real lines.
    ("a situation naming a line that does not exist is located", "answers_agree_with_levels",
     [("      fits: {iop: 2}\n", "      fits: {iop: 9}\n")], ("      fits: {iop: 9}\n", "9"),
     "self_check.situations.safe_to_stop.fits.iop: iop's fits list has 5 line(s), so there is no line 9. Fix: use "
     "the number of the line",
     False, []),
    # Without `first` lists naming inpatient, no combination of answers ranks it first.
    ("a level no answers can put first is named", "every_level_can_come_first",
     [("          first: [withdrawal, inpatient]\n", "          first: [withdrawal]\n"),
      ("          first: [residential, inpatient]\n", "          first: [residential]\n")],
     ("  questions:\n    withdrawal:", "withdrawal"),
     "self_check.questions: no combination of answers puts `inpatient` (Medically managed intensive inpatient "
     "care) first. Fix: add `inpatient` to `first:` of an answer whose situation fits it (inpatient's fits lines: "
     "1. \"You have serious medical or mental health problems that need daily doctor care and nursing around the "
     "clock.\"; 2. \"Stopping alcohol or drugs could be dangerous and needs hospital care.\").",
     True, []),
    # If "safe between sessions" weighed as much as safety, an unsafe home would lose residential care.
    ("a danger answer whose level is ruled out is located", "danger_answers_come_first",
     [("          means: [safe_between_sessions]\n",
       "          priority: safety\n          means: [safe_between_sessions]\n")],
     ("          first: [residential]\n          rules_out: [op, iop, php]", "[residential]"),
     'self_check.questions.home.answers[2].first: with the answers severity "No", home "No", no level that fits '
     "this danger (residential) is on the list at all. Fix: put a level that fits it in `first:` (one of: "
     "residential), and check what the other answers rule out and the `priority:` they have.",
     True, []),
]


@pytest.mark.parametrize("rule, edits, place, message, whole, words", [c[1:] for c in BROKEN_RULES],
                         ids=[c[0] for c in BROKEN_RULES])
def test_a_broken_self_check_rule_is_located(tmp_path, rule, edits, place, message, whole, words) -> None:
    """The rule finds one problem in the edited copy of facts.yaml, located where the mistake is written."""
    (old, new), *more = edits
    path, text = edited(tmp_path, old, new)
    for old, new in more:
        assert text.count(old) == 1, f"the test's anchor is not unique in facts.yaml: {old!r}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in getattr(rules, rule)(loaded(path))]
    expected = f"{where(text, *place)}: {message}"
    assert len(problems) == 1, problems
    assert problems[0] == expected if whole else problems[0].startswith(expected), problems[0]
    for word in words:
        assert word in problems[0]


# -- the Python ranking, against the one table of profiles -----------------------------------------

@pytest.mark.parametrize("name, answers, first, listed", PROFILES, ids=[p[0] for p in PROFILES])
def test_python_ranking_matches_the_profiles(facts, name, answers, first, listed) -> None:
    """Each profile of answers ranks the expected level first and keeps the expected levels in view."""
    data = page_data(facts)
    found = [d["id"] for d in weigh(data, by_labels(data, answers))["discuss"]]
    assert found[:1] == [first], f"{name}: {found}"
    assert set(listed) <= set(found), f"{name}: {found}"


def test_safety_answers_outweigh_and_say_so(facts) -> None:
    """Work moves full-day care down, but not below what safety needs; the result then says work can be discussed."""
    data = page_data(facts)
    work = next(a for a in data["questions"][4]["answers"] if a["label"] == "Yes")
    result = weigh(data, by_labels(data, {"severity": "Yes", "work_school": "Yes"}))
    assert result["safety_first"] and result["discuss"][0]["id"] == "residential"
    assert work["if_outweighed"] in result["notes"]
    calm = weigh(data, by_labels(data, {"severity": "No", "work_school": "Yes"}))
    assert work["if_outweighed"] not in calm["notes"] and not calm["safety_first"]
    assert [d["id"] for d in calm["discuss"]][-1] == "php", "PHP is moved down, not out"


def test_every_combination_has_a_result_and_ends_with_no_crash(facts) -> None:
    """All combinations of answers (each question answered or not) rank without error; unanswered gives nothing."""
    data = page_data(facts)
    count = 0
    for chosen in combinations(data):
        result = weigh(data, chosen)
        assert not ({d["id"] for d in result["discuss"]} & {d["id"] for d in result["unlikely"]})
        count += 1
    assert count == 4 ** len(data["questions"])
    assert weigh(data, [])["discuss"] == []


def test_the_page_carries_the_data_the_python_ranking_reads(built_site, facts) -> None:
    """The JSON the build writes into the self-check page is exactly `page_data(facts)`."""
    html = (built_site / "self-check" / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="self-check-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(raw) == page_data(facts)
