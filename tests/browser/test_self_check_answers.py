"""Self-check in a real browser: a person clicks answers and gets the levels facts.yaml points to.

The expected result of each answer set is worked out here from facts.yaml's `self_check`
rules with the Python ranking (carekb/meaning/selfcheck_rank.py), which the page's script
mirrors: tests/browser/test_browser_self_check_profiles.py compares the two on every
combination of answers. Nothing about the result is typed into this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carekb.model.facts import Facts
from carekb.meaning.selfcheck_rank import page_data, weigh

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SUBMIT = "Show levels to talk about"

STORAGE = """() => ({
    local: Object.keys(localStorage).sort(),
    session: Object.keys(sessionStorage).sort(),
    cookie: document.cookie,
})"""


def expected(facts: Facts, chosen: dict[str, int]) -> dict:
    """The Python ranking's result for answer indexes by question."""
    data = page_data(facts)
    picked = [(i, q["answers"][chosen[q["id"]]]) for i, q in enumerate(data["questions"]) if q["id"] in chosen]
    return weigh(data, picked)


def answer_sets(facts: Facts) -> list[dict[str, int]]:
    """First answers everywhere, second answers everywhere, last answers, a rotation, one question only."""
    questions = facts.self_check.questions
    sets = [
        {q.id: 0 for q in questions},
        {q.id: min(1, len(q.answers) - 1) for q in questions},
        {q.id: len(q.answers) - 1 for q in questions},
        {q.id: i % len(q.answers) for i, q in enumerate(questions)},
        {q.id: (i + 1) % len(q.answers) for i, q in enumerate(questions)},
    ]
    return sets


def level_of(href: str) -> str:
    return href.rstrip("/").split("/")[-1]


def answer(page, facts: Facts, chosen: dict[str, int]) -> None:
    """Click each chosen answer in its question's group, as worded on screen, then the submit button."""
    other = False
    for question in facts.self_check.questions:
        if question.id in chosen:
            ask = question.ask_them if other and question.ask_them else question.ask
            group = page.get_by_role("group", name=ask)
            choice = question.answers[chosen[question.id]]
            group.get_by_role("radio", name=choice.label, exact=True).click()
            if choice.who:
                other = choice.who != "self"
    page.get_by_role("button", name=SUBMIT).click()


def test_answer_sets_give_the_levels_the_facts_point_to(page, visit, facts, request_log) -> None:
    """For several answer sets, the result lists the expected levels in order, with the reasons, then clinician
    and every crisis number once."""
    sets = answer_sets(facts)
    results = {tuple(expected(facts, chosen)["discuss"]) for chosen in sets}
    assert len(results) >= 3, "the answer sets should lead to at least three different results"
    visit(page, "/self-check/")
    # The page's own late requests (Chromium asks for the favicon after `load`) are over before
    # the count starts: from here on, any request is the self-check's.
    page.wait_for_load_state("networkidle")
    storage_before = page.evaluate(STORAGE)
    requests_before = len(request_log)
    crisis = [c for c in facts.crisis.values() if c.call and not c.staff_only]
    for chosen in sets:
        page.get_by_role("button", name="Start again").click()
        answer(page, facts, chosen)
        result = page.locator("#self-check-result")
        result.get_by_role("heading", name="Talk with a clinician").wait_for()
        found = expected(facts, chosen)

        shown = result.locator(".kb-self-check__levels--discuss > li")
        hrefs = [level_of(shown.nth(i).locator("a").first.get_attribute("href"))
                 for i in range(shown.count())]
        assert hrefs == found["discuss"], f"answers {chosen}"
        if found["lead"]:
            assert found["lead"] in shown.first.inner_text()
        result.locator("details").evaluate("d => d.open = true")
        text = result.inner_text()
        for because in found["why"]:
            assert because in text, f"missing reason {because!r}"
        less = result.locator(".kb-self-check__unlikely a")
        assert sorted(level_of(less.nth(i).get_attribute("href")) for i in range(less.count())) \
            == sorted(found["unlikely"])
        # Links work: each one leads to that level's page on this site.
        for i in range(shown.count()):
            assert shown.nth(i).locator("a").first.evaluate("a => a.href").startswith(
                page.url.split("/self-check/")[0] + "/levels/")

        # It always ends with "Talk with a clinician", and shows every crisis number once as a tel: link.
        headings = result.locator("h3").all_inner_texts()
        assert headings[-1] == "Talk with a clinician"
        for resource in crisis:
            link = result.locator(f'a[href="tel:{resource.tel}"]')
            assert link.count() == 1 and link.inner_text() == resource.call

    assert len(request_log) == requests_before, f"the self-check made requests: {request_log[requests_before:]}"
    assert page.evaluate(STORAGE) == storage_before, "the self-check stored something"


def test_skipped_questions_are_said_and_ignored(page, visit, facts) -> None:
    """Answering one question only says how many were left blank and uses that one answer."""
    first = next(q for q in facts.self_check.questions if q.id == "withdrawal")
    chosen = {first.id: len(first.answers) - 1}
    visit(page, "/self-check/")
    answer(page, facts, chosen)
    result = page.locator("#self-check-result")
    result.get_by_role("heading", name="Talk with a clinician").wait_for()
    left = len(facts.self_check.questions) - 1
    result.locator("details").evaluate("d => d.open = true")
    assert f"You left {left} question" in result.inner_text()
    shown = result.locator(".kb-self-check__levels--discuss > li > strong > a")
    assert [level_of(shown.nth(i).get_attribute("href")) for i in range(shown.count())] \
        == expected(facts, chosen)["discuss"]


def test_start_again_clears_the_answers_and_the_result(page, visit, facts) -> None:
    """"Start again" unchecks every answer and empties the result."""
    visit(page, "/self-check/")
    answer(page, facts, {q.id: 0 for q in facts.self_check.questions})
    result = page.locator("#self-check-result")
    result.get_by_role("heading", name="Talk with a clinician").wait_for()
    page.get_by_role("button", name="Start again").click()
    assert page.locator("form#self-check input:checked").count() == 0
    assert result.inner_text().strip() == ""


def test_without_javascript_the_criteria_are_shown_as_lists(browser, site_url, facts) -> None:
    """With JavaScript off the form stays hidden, and every level's criteria and each answer's reason are visible."""
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    try:
        page = context.new_page()
        response = page.goto(site_url + "self-check/")
        assert response is not None and response.status == 200
        assert not page.locator("form#self-check").is_visible()
        assert page.locator("#self-check-nojs").is_visible()
        for level in facts.levels.values():
            if level.staff_only:
                continue
            heading = page.locator(f'h3[data-level="{level.id}"]')
            assert heading.is_visible(), level.id
            assert heading.locator(f'a[href$="levels/{level.id}/"]').count() == 1
            for line in level.fits + level.not_a_fit:
                item = page.get_by_text(line, exact=True)
                assert item.first.is_visible(), line
        for question in facts.self_check.questions:
            assert page.get_by_role("heading", name=question.ask).is_visible()
            for choice in question.answers:
                assert page.get_by_text(choice.because).first.is_visible(), choice.because
        clinician = page.get_by_role("heading", name=re.compile(r"^Talk with a clinician"))
        assert clinician.is_visible()
        for resource in facts.crisis.values():
            if resource.call and not resource.staff_only:
                assert page.locator(f'article a[href="tel:{resource.tel}"]').first.is_visible()
    finally:
        context.close()
