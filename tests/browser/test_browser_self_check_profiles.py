"""Self-check profiles clicked through as a person would, on a phone and a laptop.

Each profile (tests/selfcheck_profiles.py, the same table the Python ranking is tested against)
is answered by clicking the answers' labels; the test reads which level the page ranks first.
The page's ranking is also compared with the Python one on every combination of answers, and
the result heading must be visible below Material's sticky header after submitting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from carekb.self_check_rank import combinations, weigh
from selfcheck_profiles import PROFILES

pytestmark = pytest.mark.browser

SUBMIT = "Show levels to talk about"
WIDTHS = {"phone": {"width": 375, "height": 812}, "laptop": {"width": 1280, "height": 800}}

# Waits until the page has stopped scrolling (two animation frames at the same position).
SETTLED = """() => new Promise(done => {
    const y = window.scrollY;
    requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY === y)));
})"""

# Where the result heading and the sticky header are, and what is drawn at the heading's start.
PLACES = """() => {
    const title = document.getElementById("self-check-result-title");
    const header = document.querySelector(".md-header");
    const t = title.getBoundingClientRect(), h = header.getBoundingClientRect();
    const hit = document.elementFromPoint(t.left + 4, t.top + t.height / 2);
    return {
        title: [t.top, t.bottom], header: [h.top, h.bottom], viewport: window.innerHeight,
        scrolled: window.scrollY, focused: document.activeElement === title,
        drawn: !!hit && (hit === title || title.contains(hit)),
        headerPosition: getComputedStyle(header).position,
    };
}"""

# Every combination of answers, in the order of Python's itertools.product, ranked by the page.
ALL_COMBINATIONS = """() => {
    const data = JSON.parse(document.getElementById("self-check-data").textContent);
    const out = [];
    function walk(i, chosen) {
        if (i === data.questions.length) {
            const found = window.kbSelfCheckWeigh(data, chosen);
            out.push([found.discuss.map(d => d.level.id), found.unlikely.map(d => d.level.id),
                      found.notes, found.safetyFirst]);
            return;
        }
        walk(i + 1, chosen);
        data.questions[i].answers.forEach(a => walk(i + 1, chosen.concat([[i, a]])));
    }
    walk(0, []);
    return out;
}"""


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def sized_page(request, browser, site_url, foreign_requests) -> Iterator[object]:
    """The self-check page in a fresh context at a phone or laptop size; fails on any foreign request."""
    context = browser.new_context(viewport=WIDTHS[request.param], service_workers="block")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(site_url + "self-check/", wait_until="networkidle")
    assert response is not None and response.status == 200
    try:
        yield page
    finally:
        context.close()
    assert not foreign_requests(requests), foreign_requests(requests)


def submit(page, answers: dict[str, str]) -> None:
    """Start again, click each answer by its label inside its question, then the submit button."""
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Start again").click()
    data = json.loads(page.locator("#self-check-data").text_content())
    asks = {q["id"]: q["ask"] for q in data["questions"]}
    for qid, label in answers.items():
        group = page.get_by_role("group", name=asks[qid])
        group.get_by_role("radio", name=label, exact=True).click()
    page.get_by_role("button", name=SUBMIT).click()
    page.locator("#self-check-result").get_by_role("heading", name="Talk with a clinician").wait_for()
    page.wait_for_function(SETTLED)


def ranked(page) -> list[str]:
    """Level ids of the "worth talking about" list, in the order shown."""
    links = page.locator("#self-check-result .kb-self-check__levels--discuss > li > strong > a")
    return [href.rstrip("/").split("/")[-1] for href in links.evaluate_all("els => els.map(a => a.href)")]


def test_each_profile_ranks_the_expected_level_first(sized_page) -> None:
    """Clicking each profile's answers ranks its level first, keeps its levels in view, and ends with help."""
    wrong = []
    for name, answers, first, listed in PROFILES:
        submit(sized_page, answers)
        shown = ranked(sized_page)
        if shown[:1] != [first] or not set(listed) <= set(shown):
            wrong.append(f"{name}: expected {first} first (with {listed}), page shows {shown}")
        headings = sized_page.locator("#self-check-result h3").all_inner_texts()
        assert headings[-1] == "Talk with a clinician", name
    assert not wrong, "\n".join(wrong)


def test_safety_answers_are_said_to_come_first(sized_page) -> None:
    """A danger answer says safety comes first; with work too, the page says work can be talked about."""
    submit(sized_page, {"severity": "Yes", "work_school": "Yes"})
    text = sized_page.locator("#self-check-result").inner_text()
    assert "The levels that can keep you safe come first." in text
    assert "Ask the clinician how treatment can fit with your work or school." in text
    submit(sized_page, {"severity": "No", "work_school": "Yes", "how_much": "A little"})
    text = sized_page.locator("#self-check-result").inner_text()
    assert "keep you safe come first" not in text and "fit with your work or school" not in text


def test_result_heading_is_visible_below_the_sticky_header(sized_page) -> None:
    """After submitting, the result heading is in the viewport, below the sticky header, drawn and focused."""
    submit(sized_page, {"withdrawal": "Yes", "home": "Yes", "work_school": "Yes"})
    at = sized_page.evaluate(PLACES)
    assert at["headerPosition"] in ("sticky", "fixed"), at
    assert at["scrolled"] > 0, f"the page did not scroll to the result: {at}"
    assert at["title"][0] >= at["header"][1], f"the heading is under the header: {at}"
    assert at["title"][1] <= at["viewport"], f"the heading is below the viewport: {at}"
    assert at["drawn"], f"something covers the heading: {at}"
    assert at["focused"], "focus did not move to the result heading"


def test_page_ranking_equals_python_ranking_on_every_combination(page, visit) -> None:
    """The script's ranking and carekb/self_check_rank.py agree on all combinations of answers."""
    visit(page, "/self-check/")
    data = json.loads(page.locator("#self-check-data").text_content())
    page_results = page.evaluate(ALL_COMBINATIONS)
    python_results = []
    for chosen in combinations(data):
        found = weigh(data, chosen)
        python_results.append([[d["id"] for d in found["discuss"]], [d["id"] for d in found["unlikely"]],
                               found["notes"], found["safety_first"]])
    assert len(page_results) == len(python_results) == 4 ** len(data["questions"])
    differ = [i for i, (a, b) in enumerate(zip(page_results, python_results)) if a != b]
    assert not differ, f"{len(differ)} combinations differ, first: page {page_results[differ[0]]} " \
                       f"python {python_results[differ[0]]}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_findings_with_a_result_shown(sized_page, set_scheme, scheme) -> None:
    """axe-core finds no serious or critical violation on the self-check page with a result shown."""
    set_scheme(sized_page, scheme)
    submit(sized_page, {"severity": "Yes", "work_school": "Yes", "recent_care": "Yes"})
    results = Axe().run(sized_page)
    blocking = [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking
