"""Self-check: the form works with the keyboard alone and ends in a suggestion.

Contract with content/self-check.md: `form#self-check` holds radio inputs (one group per question)
and a submit button; the suggestion appears in `#self-check-result` and links to a level page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

FOCUS = """() => {
    const form = document.getElementById("self-check");
    const el = document.activeElement;
    const radio = el && el.type === "radio";
    return {
        inForm: !!form && form.contains(el),
        radio,
        groupAnswered: radio && !!form.querySelector(`input[type=radio][name="${CSS.escape(el.name)}"]:checked`),
        submit: !!el && ((el.tagName === "BUTTON" && (el.type || "submit") === "submit")
                         || (el.tagName === "INPUT" && el.type === "submit")),
    };
}"""

SUGGESTION_SHOWN = """before => {
    const result = document.getElementById("self-check-result");
    if (!result || !result.checkVisibility()) return false;
    const text = result.innerText.trim();
    return text !== "" && text !== before;
}"""


def test_self_check_by_keyboard_alone_gives_a_suggestion(page, visit) -> None:
    """Tabbing through the self-check, answering with Space and submitting with Enter shows a suggestion."""
    visit(page, "/self-check/")
    form = page.locator("form#self-check")
    assert form.count() == 1, "the self-check page has no form#self-check"
    questions = form.locator("input[type=radio]").evaluate_all("els => new Set(els.map(e => e.name)).size")
    assert questions > 0, "the self-check form has no radio questions"
    result = page.locator("#self-check-result")
    before = result.inner_text().strip() if result.count() else ""

    answered, submitted = 0, False
    for _ in range(600):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if not focus["inForm"]:
            continue
        if focus["radio"] and not focus["groupAnswered"]:
            page.keyboard.press("Space")
            answered += 1
        elif focus["submit"]:
            page.keyboard.press("Enter")
            submitted = True
            break
    assert submitted, "the submit button was never reached with Tab"
    assert answered == questions, f"answered {answered} of {questions} questions by keyboard"

    try:
        page.wait_for_function(SUGGESTION_SHOWN, arg=before, timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail("no suggestion appeared in #self-check-result within 10 s of submitting", pytrace=False)
    suggestion = page.locator("#self-check-result")
    assert suggestion.locator('a[href*="levels/"]').count() > 0, (
        f"the suggestion does not link to a level page: {suggestion.inner_text()!r}"
    )
