"""The self-check's clinical scenarios clicked through as a person would, on a phone and a laptop.

Each scenario of tests/selfcheck_scenarios.yaml (the table the Python ranking is tested against)
is answered by clicking the answers' labels, once the page has been loaded once per screen size
("Start again" between scenarios). What the page shows is compared with the Python ranking
(carekb/meaning/selfcheck_rank.py) and with what the scenario expects; every result must also say
nothing twice, fit 1.5 phone screens before its folded part, show crisis help before any level
when there is a danger, and link the next step. The page's ranking is also compared with the
Python one on every combination of answers that changes the levels. Layout shift after load is
measured in Chromium (CLS <= 0.05), and axe-core finds no serious issue in either colour scheme.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.browser.probes import axe_run

from carekb.meaning.selfcheck_rank import by_labels, combinations, weigh
from selfcheck_profiles import SCENARIOS, mismatches, repeated

pytestmark = pytest.mark.browser

SUBMIT = "Show levels to talk about"
WIDTHS = {"phone": {"width": 375, "height": 667}, "laptop": {"width": 1280, "height": 800}}
SCREENS_BEFORE_MORE = 1.5

# Waits until the page has stopped scrolling (two animation frames at the same position).
SETTLED = """() => new Promise(done => {
    const y = window.scrollY;
    requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY === y)));
})"""

# What the result shows, read from the page as a person sees it.
READ = """() => {
    const result = document.getElementById("self-check-result");
    const pageOf = {};
    document.querySelectorAll("article a[data-page][href]").forEach(a => { pageOf[a.href] = a.dataset.page; });
    const level = a => a.href.replace(/\\/$/, "").split("/").pop();
    const own = el => Array.from(el.childNodes).filter(n => n.nodeName !== "A" && n.nodeName !== "UL")
        .map(n => n.textContent).join("").trim();
    const steps = Array.from(result.querySelectorAll(".kb-self-check__now > p, .kb-self-check__steps > li"))
        .map(el => { const a = el.querySelector("a"); return {text: own(el), page: a ? pageOf[a.href] || a.href : null}; });
    const more = result.querySelector(".kb-self-check__more");
    if (more) more.open = true;
    const title = document.getElementById("self-check-result-title").getBoundingClientRect();
    const summary = more ? more.querySelector("summary").getBoundingClientRect() : null;
    const list = result.querySelector(".kb-self-check__levels--discuss");
    const now = result.querySelector(".kb-self-check__now");
    const out = {
        discuss: Array.from(result.querySelectorAll(".kb-self-check__levels--discuss > li > strong > a")).map(level),
        unlikely: Array.from(result.querySelectorAll(".kb-self-check__unlikely a")).map(level),
        steps,
        pages: Array.from(result.querySelectorAll(".kb-self-check__pages a")).map(a => pageOf[a.href] || a.href),
        lead: (result.querySelector(".kb-self-check__lead") || {}).textContent || null,
        why: Array.from(result.querySelectorAll(".kb-self-check__more li")).map(li => li.textContent),
        text: result.innerText,
        headings: Array.from(result.querySelectorAll("h3")).map(h => h.textContent),
        beforeMore: summary ? summary.bottom - title.top : result.getBoundingClientRect().bottom - title.top,
        crisisBeforeLevels: !now || !list || !!(now.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING),
        tel: Array.from(result.querySelectorAll('a[href^="tel:"]')).map(a => a.getAttribute("href")),
        levelLinks: Array.from(result.querySelectorAll(".kb-self-check__levels--discuss a"))
            .every(a => a.href.includes("/levels/")),
        intake: (result.querySelector('a[href*="intake"]') || {}).href || null,
    };
    if (more) more.open = false;
    return out;
}"""

# The page's ranking on many sets of answers, given as [question index, answer index] pairs; one
# JSON text per line (a string crosses to Python several times faster than as many objects).
PAGE_WEIGH = """sets => {
    const data = JSON.parse(document.getElementById("self-check-data").textContent);
    return sets.map(set => JSON.stringify(window.kbSelfCheckWeigh(data,
        set.map(([q, a]) => [q, data.questions[q].answers[a]])))).join("\\n");
}"""

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

# Cumulative layout shift of the page so far (entries are buffered from the start of the load).
CLS = """() => new Promise(done => {
    let total = 0;
    const seen = [];
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
            if (!e.hadRecentInput) { total += e.value; seen.push(e.value); }
        }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => done({total, seen}), 500);
})"""


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def sized_page(request, browser, site_url, foreign_requests) -> Iterator[object]:
    """The self-check page, loaded once in a fresh context at a phone or laptop size; fails on any
    foreign request."""
    context = browser.new_context(viewport=WIDTHS[request.param], service_workers="block")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(site_url + "self-check/", wait_until="networkidle")
    assert response is not None and response.status == 200
    page.kb_size = request.param
    try:
        yield page
    finally:
        context.close()
    assert not foreign_requests(requests), foreign_requests(requests)


@pytest.fixture(scope="module")
def data(sized_page) -> dict:
    return json.loads(sized_page.locator("#self-check-data").text_content())


def submit(page, data: dict, answers: dict[str, str]) -> None:
    """Start again, then click each answer by its label inside its question, as worded on screen
    (who is answering first, so the others read "they" when it is someone else), then submit."""
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Start again").click()
    other = False
    ordered = sorted(answers.items(), key=lambda item: item[0] != "who")
    for qid, label in ordered:
        question = next(q for q in data["questions"] if q["id"] == qid)
        ask = question["ask_them"] if other and question["ask_them"] else question["ask"]
        group = page.get_by_role("group", name=ask)
        group.get_by_role("radio", name=label, exact=True).click()
        if qid == "who":
            other = next(a for a in question["answers"] if a["label"] == label)["who"] != "self"
    page.get_by_role("button", name=SUBMIT).click()
    page.locator("#self-check-result").get_by_role("heading", name="Talk with a clinician").wait_for()
    page.wait_for_function(SETTLED)


def as_result(shown: dict, expected: dict) -> dict:
    """What the page shows, in the shape of `weigh` (step ids taken from the Python result's texts)."""
    ids = {s["text"]: s["id"] for s in expected["steps"]}
    return {"discuss": shown["discuss"], "unlikely": shown["unlikely"], "lead": shown["lead"], "why": shown["why"],
            "steps": [{"id": ids.get(s["text"], s["text"]), "text": s["text"], "page": s["page"]}
                      for s in shown["steps"]],
            "pages": shown["pages"]}


def test_each_scenario_clicked_matches_python_and_the_table(sized_page, data) -> None:
    """Clicking each scenario shows what the Python ranking gives and what the scenario expects, within
    1.5 phone screens before "Why these levels", saying nothing twice, with the next step linked."""
    wrong: list[str] = []
    for scenario in SCENARIOS:
        submit(sized_page, data, scenario["answers"])
        shown = sized_page.evaluate(READ)
        expected = weigh(data, by_labels(data, scenario["answers"]))
        page = as_result(shown, expected)
        name = scenario["name"]
        for key in ("discuss", "unlikely", "lead", "why", "pages"):
            if page[key] != expected[key]:
                wrong.append(f"{name}: {key} on the page {page[key]}, Python {expected[key]}")
        python_steps = [(s["id"], s["text"], s["page"]) for s in expected["steps"]]
        if [(s["id"], s["text"], s["page"]) for s in page["steps"]] != python_steps:
            wrong.append(f"{name}: steps on the page {page['steps']}, Python {python_steps}")
        wrong += [f"{name}: {m}" for m in mismatches(page, scenario)]
        if repeated([shown["text"]]):
            wrong.append(f"{name}: says twice {repeated([shown['text']])}")
        if sized_page.kb_size == "phone" and shown["beforeMore"] > SCREENS_BEFORE_MORE * WIDTHS["phone"]["height"]:
            wrong.append(f"{name}: {shown['beforeMore']:.0f} px before the folded part on a phone")
        if not shown["crisisBeforeLevels"]:
            wrong.append(f"{name}: crisis help comes after the levels")
        if shown["headings"][-1] != "Talk with a clinician":
            wrong.append(f"{name}: ends with {shown['headings'][-1]!r}")
        if not shown["levelLinks"] or not shown["intake"]:
            wrong.append(f"{name}: a level or the assessment is not linked")
        if len(shown["tel"]) != len(set(shown["tel"])) or not {"tel:988", "tel:911"} <= set(shown["tel"]):
            wrong.append(f"{name}: crisis numbers {shown['tel']}")
    assert not wrong, "\n".join(wrong)


def test_page_ranking_equals_python_ranking_on_every_combination(page, visit) -> None:
    """The script's ranking and carekb/meaning/selfcheck_rank.py agree on every combination that changes the
    levels (for oneself, and for someone else), and on each answer alone (once: it does not depend
    on the screen size)."""
    visit(page, "/self-check/")
    data = json.loads(page.locator("#self-check-data").text_content())
    index = {(q["id"], a["label"]): (i, j) for i, q in enumerate(data["questions"])
             for j, a in enumerate(q["answers"])}
    who = next(i for i, q in enumerate(data["questions"]) if q["id"] == "who")
    other = next(j for j, a in enumerate(data["questions"][who]["answers"]) if a["who"] == "other")
    sets = []
    for chosen in combinations(data, acting_only=True):
        pairs = [index[data["questions"][q]["id"], a["label"]] for q, a in chosen]
        sets.append(pairs)
        if len(sets) % 3 == 0:
            sets.append(sorted([*pairs, (who, other)]))
    for i, q in enumerate(data["questions"]):
        for j in range(len(q["answers"])):
            sets += [[(i, j)]] + ([sorted([(i, j), (who, other)])] if i != who else [])
    differ = []
    for start in range(0, len(sets), 1500):
        chunk = sets[start:start + 1500]
        on_page = page.evaluate(PAGE_WEIGH, [[list(p) for p in s] for s in chunk]).split("\n")
        for pairs, got in zip(chunk, map(json.loads, on_page), strict=True):
            want = weigh(data, [(q, data["questions"][q]["answers"][a]) for q, a in pairs])
            if got != want:
                differ.append((pairs, got, want))
    assert len(sets) > 5000
    assert not differ, f"{len(differ)} of {len(sets)} differ, first: {differ[0]}"


def test_result_heading_is_visible_below_the_sticky_header(sized_page, data) -> None:
    """After submitting, the result heading is in the viewport, below the sticky header, drawn and focused."""
    submit(sized_page, data, {"withdrawal": "Yes", "home": "Yes", "work_school": "Yes"})
    at = sized_page.evaluate(PLACES)
    assert at["headerPosition"] in ("sticky", "fixed"), at
    assert at["scrolled"] > 0, f"the page did not scroll to the result: {at}"
    assert at["title"][0] >= at["header"][1], f"the heading is under the header: {at}"
    assert at["title"][1] <= at["viewport"], f"the heading is below the viewport: {at}"
    assert at["drawn"], f"something covers the heading: {at}"
    assert at["focused"], "focus did not move to the result heading"


def test_the_questions_speak_of_them_when_answering_for_someone_else(sized_page, data) -> None:
    """Choosing "Another adult" turns the questions to "they"; "Start again" turns them back."""
    question = next(q for q in data["questions"] if q["id"] == "withdrawal")
    group = sized_page.get_by_role("group", name="Who are you answering for?")
    sized_page.evaluate("window.scrollTo(0, 0)")
    sized_page.get_by_role("button", name="Start again").click()
    assert sized_page.get_by_role("group", name=question["ask"]).count() == 1
    group.get_by_role("radio", name="Another adult", exact=True).click()
    assert sized_page.get_by_role("group", name=question["ask"]).count() == 0
    assert sized_page.get_by_role("group", name=question["ask_them"]).count() == 1
    sized_page.get_by_role("button", name="Start again").click()
    assert sized_page.get_by_role("group", name=question["ask"]).count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_findings_with_a_result_shown(sized_page, data, set_scheme, scheme) -> None:
    """axe-core finds no serious or critical violation (contrast included) with a full result shown and unfolded."""
    set_scheme(sized_page, scheme)
    submit(sized_page, data, {"danger": "Yes", "withdrawal": "Yes", "severity": "Yes", "mental_health": "Yes",
                              "opioids": "Yes", "moud": "Yes", "work_school": "Yes"})
    sized_page.evaluate("document.querySelector('#self-check-result details').open = true")
    blocking = [f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                for v in axe_run(sized_page)["violations"] if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_nothing_jumps_after_the_page_appears(browser, site_url, size) -> None:
    """The layout shift of loading the self-check page (Chromium's layout-shift entries) stays at most 0.05."""
    context = browser.new_context(viewport=WIDTHS[size], service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_url + "self-check/", wait_until="networkidle")
        shift = page.evaluate(CLS)
        assert page.locator("form#self-check").is_visible()
        assert not page.locator("#self-check-nojs").is_visible()
        assert shift["total"] <= 0.05, shift
    finally:
        context.close()
