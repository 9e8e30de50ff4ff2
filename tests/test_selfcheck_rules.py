"""The self-check's ranking rules in facts.yaml: their checks of form, their rules of meaning, and
the Python ranking's outweighing.

Failing cases edit one line of a copy of the real facts.yaml and assert the located message; passing
cases edit close to a mistake and assert no message. The clinical scenarios are in
tests/test_selfcheck_scenarios.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from carekb.meaning import selfcheck as rules
from carekb.meaning import selfcheck_words as words
from carekb.load.facts_yaml import load_facts, read_facts
from carekb.meaning.registry import check_meaning
from carekb.meaning.registry import rules as registered_rules
from carekb.model.facts import Facts
from carekb.meaning.selfcheck_rank import by_labels, combinations, page_data, weigh

REPO = Path(__file__).resolve().parents[1]
TEXT = (REPO / "facts.yaml").read_text(encoding="utf-8")


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
     "      fits: {withdrawal: 1, inpatient: 2, op: 4, iop: 2}\n",
     "      fits: {withdrawal: 1, inpatiant: 2, op: 4, iop: 2}\n", "inpatiant",
     "self_check.situations.risky_withdrawal.fits.inpatiant: `inpatiant` is not one of the levels in this file. "
     "Fix: did you mean `inpatient`?"),
    ("an unknown priority",
     "          priority: safety\n          means: [unsafe_home]\n",
     "          priority: urgent\n          means: [unsafe_home]\n",
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
    ("a not-sure answer that moves a level down",
     "          means: [maybe_around_the_clock]\n          suggests: [php, residential]\n",
     "          means: [maybe_around_the_clock]\n          suggests: [php, residential]\n"
     "          moves_down: [early_intervention]\n", "[early_intervention]",
     'self_check.questions.severity.answers[3].moves_down: a "not sure" answer may not rule out or move down a '
     "level: not knowing is never a reason to narrow the list."),
    ("answers-together naming an answer that does not exist",
     '      when: {pregnant: "Yes", opioids: "Yes"}\n', '      when: {pregnant: "Yes", opioids: "Daily"}\n',
     '"Daily"',
     'self_check.together.pregnant_with_opioid_use.when.opioids: the question `opioids` has no answer "Daily". '
     'Fix: use one of its labels: "Yes", "No", "Not sure".'),
    ("an unknown step",
     "          steps: [keep_medicine]\n          pages: [medicines]\n",
     "          steps: [keep_medicines]\n          pages: [medicines]\n", "keep_medicines",
     "self_check.questions.moud.answers[1].steps[1]: `keep_medicines` is not one of the steps in this file. "
     "Fix: did you mean `keep_medicine`?"),
    ("a page that is not a page file",
     '    teens: {title: "Teens, school and privacy", page: teens.md}\n',
     '    teens: {title: "Teens, school and privacy", page: teens}\n', "teens}",
     "self_check.pages.teens.page: `teens` is not the file name of a page."),
    ("an answer of the who question without who",
     "        - label: Another adult\n          who: other\n", "        - label: Another adult\n",
     "label: Another adult",
     "self_check.questions.who.answers[3].who: this question asks who the person answers for, but this answer "
     "does not say `who:`."),
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

SELF_CHECK_RULES = {
    "self-check-answers-agree-with-levels": rules.answers_agree_with_levels,
    "self-check-home-levels-stay-open": rules.home_levels_stay_open,
    "self-check-24-hour-care-first-only-for-danger": rules.day_and_night_first_only_for_danger,
    "self-check-every-level-can-come-first": rules.every_level_can_come_first,
    "self-check-danger-answers-come-first": rules.danger_answers_come_first,
    "self-check-not-sure-never-narrows": rules.not_sure_never_narrows,
    "self-check-answers-show-their-steps": words.answers_show_their_steps,
    "self-check-crisis-help-comes-first": words.crisis_help_comes_first,
    "self-check-worded-for-both": words.worded_for_both,
    "self-check-says-it-once": words.says_it_once,
}


def test_the_real_facts_break_no_self_check_rule(facts) -> None:
    """facts.yaml as committed agrees with every self-check rule of meaning, and each is registered."""
    registered = {r.name: r.check for r in registered_rules()}
    for name, check in SELF_CHECK_RULES.items():
        assert registered.get(name) is check, f"{name} is not registered"
        assert list(check(facts)) == [], name
    assert {n for n in registered if n.startswith("self-check")} == set(SELF_CHECK_RULES)
    assert [p for p in check_meaning(facts) if p.path.startswith("self_check")] == []


# (id, rule, edits of facts.yaml as (old, new), where the problem is as (snippet, token in it), the
#  problem's words after its location, whether they are all of it or how it starts, words it also holds)
BROKEN_RULES = [
    ("an answer suggesting a level without a fits line is located", "answers_agree_with_levels",
     [("      fits: {inpatient: 1}\n      around_the_clock: true\n", "      around_the_clock: true\n")],
     ("          suggests: [inpatient]\n          first: [inpatient]", "[inpatient]"),
     "self_check.questions.danger.answers[1].suggests: `inpatient` is in `suggests`, but no situation this "
     "answer means (`in_danger`) names a line of inpatient's fits list.",
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
     [("      fits: {php: 1, residential: 1}\n", "      fits: {php: 9, residential: 1}\n")],
     ("      fits: {php: 9, residential: 1}\n", "9"),
     "self_check.situations.maybe_around_the_clock.fits.php: php's fits list has 3 line(s), so there is no line 9. "
     "Fix: use the number of the line",
     False, []),
    # The first mistake: withdrawal risk marked home-based levels "less likely".
    ("withdrawal risk marking a home-based level less likely is located", "home_levels_stay_open",
     [("          steps: [medical_check]\n          suggests: [withdrawal, op, iop]\n          first: [withdrawal]\n"
       "          because: >-\n            Stopping",
       "          steps: [medical_check]\n          suggests: [withdrawal, op, iop]\n          first: [withdrawal]\n"
       "          rules_out: [early_intervention]\n          because: >-\n            Stopping")],
     ("          rules_out: [early_intervention]\n", "[early_intervention]"),
     "self_check.questions.withdrawal.answers[1].rules_out: marks `early_intervention` less likely, but people "
     "live at home in that level and this answer is not about a danger that needs care day and night. Fix: use "
     "`moves_down:` to put it lower on the list, or give this answer `priority: safety` and a situation in "
     "`means:` with `around_the_clock: true`, if it really describes such a danger.",
     True, []),
    # The second mistake: an unsafe home (with mild use) put residential first.
    ("an unsafe home putting a 24-hour setting first is located", "day_and_night_first_only_for_danger",
     [("          means: [unsafe_home]\n          suggests: [iop, residential]\n          because: >-\n"
       "            A sober",
       "          means: [unsafe_home]\n          suggests: [iop, residential]\n          first: [residential]\n"
       "          because: >-\n            A sober")],
     ("          first: [residential]\n          because: >-\n            A sober", "[residential]"),
     "self_check.questions.home.answers[2].first: puts `residential` first, a 24-hour setting, but this answer is "
     "not about a danger that needs care day and night. Fix: remove `residential` from `first:` (it can stay in "
     "`suggests:`), or give this answer `priority: safety` and a situation in `means:` with `around_the_clock: "
     "true`, if it really describes such a danger.",
     True, []),
    # Without `first` lists naming inpatient, no combination of answers ranks it first.
    ("a level no answers can put first is named", "every_level_can_come_first",
     [("          suggests: [inpatient]\n          first: [inpatient]\n", ""),
      ("          first: [residential, inpatient]\n", "          first: [residential]\n")],
     ("  questions:\n    who:", "who"),
     "self_check.questions: no combination of answers puts `inpatient` (Medically managed intensive inpatient "
     "care) first. Fix: add `inpatient` to `first:` of an answer whose situation fits it (inpatient's fits lines: "
     "1. \"You have serious medical or mental health problems that need daily doctor care and nursing around the "
     "clock.\"; 2. \"Stopping alcohol or drugs could be dangerous and needs hospital care.\").",
     True, []),
    ("a danger answer that is not a safety answer is located", "danger_answers_come_first",
     [("          priority: safety\n          not_sure: true\n          means: [risky_withdrawal]\n",
       "          priority: need\n          not_sure: true\n          means: [risky_withdrawal]\n")],
     ("          priority: need\n          not_sure: true\n          means: [risky_withdrawal]", "need"),
     "self_check.questions.withdrawal.answers[3].priority: this answer means `risky_withdrawal`, a danger, but its "
     "priority is need, so other answers could push its levels down. Fix: write `priority: safety`.",
     True, []),
    # If wanting to keep working weighed as much as safety, work would push residential care down.
    ("a wish that could push a danger's level down is located", "danger_answers_come_first",
     [("          means: [keep_working]\n", "          priority: safety\n          means: [keep_working]\n")],
     ("          moves_down: [php, residential]\n          because: Outpatient", "[php"),
     "self_check.questions.work_school.answers[1].moves_down: `residential` is put first by the safety answer "
     "self_check.questions.severity.answers[1], and this answer can push it down though it is not about a danger.",
     False, []),
    # The third mistake: "Not sure" about home listed only residential care.
    ("a not-sure answer that leaves one level is located", "not_sure_never_narrows",
     [("          not_sure: true\n          means: [unsafe_home]\n          suggests: [iop, residential]\n",
       "          not_sure: true\n          means: [unsafe_home]\n          suggests: [residential]\n")],
     ('        - label: "Not sure"\n          not_sure: true\n          means: [unsafe_home]', '"Not sure"'),
     'self_check.questions.home.answers[3]: with the answers no other answers, answering "Not sure" leaves only '
     '`residential`.',
     False, []),
    # A "not sure" that an answer-together needs is tried on every combination.
    ("a not-sure answer that turns on a ruling-out answer-together is located", "not_sure_never_narrows",
     [('      when: {pregnant: "Yes", opioids: "Yes"}\n      priority: safety\n',
       '      when: {pregnant: ["Yes", "Not sure"], opioids: "Yes"}\n      priority: safety\n'),
      ("      moves_down: [withdrawal]\n", "      rules_out: [withdrawal]\n")],
     ('        - label: "Not sure"\n          not_sure: true\n          because: If you might', '"Not sure"'),
     "self_check.questions.pregnant.answers[3]: with the answers ",
     False, ['answering "Not sure" takes `withdrawal` off the list.']),
    ("an answer that does not show the step its danger calls for is located", "answers_show_their_steps",
     [("          not_sure: true\n          means: [risky_withdrawal]\n          steps: [medical_check]\n",
       "          not_sure: true\n          means: [risky_withdrawal]\n")],
     ("          not_sure: true\n          means: [risky_withdrawal]\n", "[risky_withdrawal]"),
     "self_check.questions.withdrawal.answers[3].steps: this answer means `risky_withdrawal`, which calls for the "
     "step `medical_check`, but the answer does not show it. Fix: add `medical_check` to this answer's `steps:`.",
     True, []),
    ("a step shown before crisis help is located", "crisis_help_comes_first",
     [("  steps:\n    crisis:\n", "  steps:\n    stay_close:\n      text: Stay close by.\n    crisis:\n")],
     ("    crisis:\n      text: Call", "crisis:"),
     "self_check.steps.crisis: this step shows crisis help, but `stay_close` comes before it, so a result would "
     "show that first. Fix: move this step to the top of `steps:`.",
     True, []),
    ("crisis help naming a service without a number is located", "crisis_help_comes_first",
     [("      crisis: [lifeline, emergency]\n", "      crisis: [lifeline, findtreatment]\n")],
     ("      crisis: [lifeline, findtreatment]\n", "[lifeline"),
     "self_check.steps.crisis.crisis: `findtreatment` (FindTreatment.gov) has no number to call, so the step "
     "cannot show one.",
     False, []),
    ("a question worded only for you is located", "worded_for_both",
     [("      ask: Are you pregnant?\n      ask_them: Are they pregnant?\n", "      ask: Are you pregnant?\n")],
     ("      ask: Are you pregnant?\n", "Are you"),
     "self_check.questions.pregnant.ask: says \"you\" but has no `ask_them:` for someone else. Fix: add "
     "`ask_them:` with the same words for someone else (they, them, their).",
     True, []),
    ("a reason for someone else that does not speak of them is located", "worded_for_both",
     [("          because_them: Bring a list of every medicine they take to the assessment.\n",
       "          because_them: Bring a list of every medicine to the assessment.\n")],
     ("          because_them: Bring a list of every medicine to the assessment.\n", "Bring"),
     "self_check.questions.moud.answers[3].because_them: is for someone else, but says neither \"they\", \"them\" "
     "nor \"their\".",
     False, []),
    ("a sentence that two answers would both say is located", "says_it_once",
     [("          because: Being pregnant can change which care is safest, so the clinician will ask about it.\n",
       "          because: The questions about alcohol and drugs will guide the result.\n")],
     ('          because: The questions about alcohol and drugs will guide the result.\n        - label: "Not sure"'
      "\n          not_sure: true\n          because: If you might", "The questions"),
     "self_check.questions.pregnant.answers[2].because: the sentence \"The questions about alcohol and drugs will "
     "guide the result.\" is also in self_check.questions.mental_health.answers[2].because",
     False, []),
]


@pytest.mark.parametrize("rule, edits, place, message, whole, words_", [c[1:] for c in BROKEN_RULES],
                         ids=[c[0] for c in BROKEN_RULES])
def test_a_broken_self_check_rule_is_located(tmp_path, rule, edits, place, message, whole, words_) -> None:
    """The rule finds one problem in the edited copy of facts.yaml, located where the mistake is written."""
    (old, new), *more = edits
    path, text = edited(tmp_path, old, new)
    for old, new in more:
        assert text.count(old) == 1, f"the test's anchor is not unique in facts.yaml: {old!r}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    check = getattr(rules, rule, None) or getattr(words, rule)
    problems = [str(p) for p in check(loaded(path))]
    expected = f"{where(text, *place)}: {message}"
    assert len(problems) == 1, problems
    assert problems[0] == expected if whole else problems[0].startswith(expected), problems[0]
    for word in words_:
        assert word in problems[0]


def test_every_self_check_rule_has_a_failing_case() -> None:
    """Each rule of meaning about the self-check is broken on purpose at least once above."""
    broken = {c[1] for c in BROKEN_RULES}
    assert {f.__name__ for f in SELF_CHECK_RULES.values()} == broken


# Passing cases: edits that look close to a mistake but keep to the rules.
PASSING = [
    # A danger that needs care day and night may make a level at home less likely.
    ("a day-and-night danger ruling out home levels", "home_levels_stay_open",
     [("          suggests: [residential, inpatient]\n          first: [residential, inpatient]\n"
       "          rules_out: [early_intervention, op, iop, php]\n",
       "          suggests: [residential, inpatient]\n          first: [residential, inpatient]\n"
       "          rules_out: [early_intervention, op, iop, php]\n")]),
    # Moving a level at home down (not out) is fine for any answer.
    ("withdrawal moving a level down", "home_levels_stay_open",
     [("          steps: [medical_check]\n          suggests: [withdrawal, op, iop]\n          first: [withdrawal]\n"
       "          because: >-\n            Stopping",
       "          steps: [medical_check]\n          suggests: [withdrawal, op, iop]\n          first: [withdrawal]\n"
       "          moves_down: [early_intervention]\n          because: >-\n            Stopping")]),
    # A "not sure" answer may suggest more levels.
    ("not sure about home suggesting three levels", "not_sure_never_narrows",
     [("          not_sure: true\n          means: [unsafe_home]\n          suggests: [iop, residential]\n",
       "          not_sure: true\n          means: [unsafe_home]\n          suggests: [iop, residential, op]\n")]),
    # A reason that does not say "you" needs no twin.
    ("a reason without you", "worded_for_both",
     [("          because: A clinician can help you see how much alcohol or drugs affect your life.\n"
       "          because_them: A clinician can help you both see how much alcohol or drugs affect their life.\n",
       "          because: A clinician can help sort out how much alcohol or drugs get in the way.\n")]),
    ("crisis help naming only services with numbers", "crisis_help_comes_first",
     [("      crisis: [lifeline, emergency]\n", "      crisis: [lifeline, helpline, emergency]\n")]),
]


@pytest.mark.parametrize("rule, edits", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_a_near_miss_keeps_to_the_rule(tmp_path, rule, edits) -> None:
    """An edit close to a mistake, but within the rule, is not reported."""
    (old, new), *more = edits
    path, text = edited(tmp_path, old, new)
    check = getattr(rules, rule, None) or getattr(words, rule)
    assert list(check(loaded(path))) == []


# -- the ranking ------------------------------------------------------------------------------------

def test_safety_answers_outweigh_and_say_so(facts) -> None:
    """Work moves full-day care down, but not below what safety needs; the result then says work can be discussed."""
    data = page_data(facts)
    work = next(a for q in data["questions"] if q["id"] == "work_school" for a in q["answers"] if a["label"] == "Yes")
    result = weigh(data, by_labels(data, {"severity": "Yes", "work_school": "Yes"}))
    assert result["safety_first"] and result["discuss"][0] == "residential"
    assert work["if_outweighed"] in result["why"]
    calm = weigh(data, by_labels(data, {"severity": "No", "work_school": "Yes"}))
    assert work["if_outweighed"] not in calm["why"] and not calm["safety_first"]
    assert calm["discuss"][-1] == "php", "PHP is moved down, not out"


def test_every_combination_that_acts_has_a_result(facts) -> None:
    """Every combination of answers that changes the levels ranks without error; no answers give nothing."""
    data = page_data(facts)
    count = 0
    for chosen in combinations(data, acting_only=True):
        result = weigh(data, chosen)
        assert not (set(result["discuss"]) & set(result["unlikely"]))
        assert len(result["discuss"]) == len(set(result["discuss"]))
        count += 1
    assert count > 1000
    assert weigh(data, [])["discuss"] == [] and weigh(data, [])["steps"] == []


def test_the_page_carries_the_data_the_python_ranking_reads(built_site, facts) -> None:
    """The JSON the build writes into the self-check page is exactly `page_data(facts)`."""
    html = (built_site / "self-check" / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="self-check-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(raw) == page_data(facts)
