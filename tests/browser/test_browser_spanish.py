"""The Spanish site in Chromium (issue 22): its own search box finds Spanish pages only, the
self-check's clinical scenarios clicked in Spanish at 375 and 1280 px give what the one ranking
gives, the language switch leads to the page's twin, and crisis help is there in Spanish.

Served as `make build` lays it out (English at /, Spanish at /es/), from a project with a complete
translation (tests/spanish_samples.py). The scenarios' answers are clicked by their place in their
question (the table names them by their English labels), so they hold whatever the translation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from carekb.meaning.selfcheck_rank import weigh
from selfcheck_profiles import SCENARIOS, mismatches, repeated
from tests.browser.test_browser_self_check_profiles import (READ, SCREENS_BEFORE_MORE, SETTLED, WIDTHS,
                                                            as_result)

pytestmark = pytest.mark.browser

SUBMIT = "Ver los niveles para hablar"
AGAIN = "Empezar de nuevo"
END = "Hable con un profesional clínico"


@pytest.mark.parametrize("query", ["desintoxicación", "costo", "Medicaid", "naloxona"])
def test_spanish_search_returns_spanish_pages(page, bilingual_url, query) -> None:
    """The Spanish site's search box (Spanish stemming, its own index) lists Spanish pages only."""
    page.goto(bilingual_url + "es/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    assert box.get_attribute("placeholder") == "Búsqueda"  # Material's Spanish interface
    box.click()
    box.press_sequentially(query, delay=20)
    links = page.locator(".md-search-result__link")
    links.first.wait_for(state="visible", timeout=15_000)
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        assert urlsplit(href).path.startswith("/es/"), f"{query}: {href} is not a Spanish page"
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert titles and not any(t in ("Glossary", "Sources", "Compare levels of care") for t in titles)


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def spanish_check(request, browser, bilingual_url, foreign_requests) -> Iterator[object]:
    context = browser.new_context(viewport=WIDTHS[request.param], service_workers="block")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(bilingual_url + "es/self-check/", wait_until="networkidle")
    assert response is not None and response.status == 200
    page.kb_size = request.param
    try:
        yield page
    finally:
        context.close()
    assert not foreign_requests(requests), foreign_requests(requests)


@pytest.fixture(scope="module")
def english_places(spanish_project) -> dict[tuple[str, str], tuple[int, int]]:
    """(question id, English label) -> (question, answer) places: the scenario table's names."""
    from carekb.load.facts_yaml import load_facts
    from carekb.meaning.selfcheck_rank import page_data

    data = page_data(load_facts(spanish_project / "facts.yaml")[0])
    return {(q["id"], a["label"]): (i, j) for i, q in enumerate(data["questions"])
            for j, a in enumerate(q["answers"])}


def submit(page, places, answers: dict[str, str]) -> list[tuple[int, int]]:
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name=AGAIN).click()
    chosen = []
    for qid, label in sorted(answers.items(), key=lambda item: item[0] != "who"):
        q, a = places[(qid, label)]
        page.locator(f'input[name="{qid}"][value="{a}"]').check()
        chosen.append((q, a))
    page.get_by_role("button", name=SUBMIT).click()
    page.locator("#self-check-result").get_by_role("heading", name=END).wait_for()
    page.wait_for_function(SETTLED)
    return sorted(chosen)


def test_each_scenario_clicked_in_spanish_matches_the_one_ranking(spanish_check, english_places) -> None:
    """What the Spanish page shows is what the Python ranking gives on the Spanish page's own
    data, and holds what each scenario expects of levels, steps and pages."""
    page = spanish_check
    data = json.loads(page.locator("#self-check-data").text_content())
    words = json.loads(page.locator("#self-check-words").text_content())
    assert words["result_title"] == "Niveles para hablar con un profesional clínico"
    wrong: list[str] = []
    for scenario in SCENARIOS:
        chosen = submit(page, english_places, scenario["answers"])
        shown = page.evaluate(READ)
        expected = weigh(data, [(q, data["questions"][q]["answers"][a]) for q, a in chosen])
        result = as_result(shown, expected)
        name = scenario["name"]
        for key in ("discuss", "unlikely", "lead", "why", "pages"):
            if result[key] != expected[key]:
                wrong.append(f"{name}: {key} on the page {result[key]}, Python {expected[key]}")
        if [(s["id"], s["text"]) for s in result["steps"]] != [(s["id"], s["text"]) for s in expected["steps"]]:
            wrong.append(f"{name}: steps {result['steps']}, Python {expected['steps']}")
        wrong += [f"{name}: {m}" for m in mismatches(result, {k: v for k, v in scenario.items() if k != "says"})]
        if repeated([shown["text"]]):
            wrong.append(f"{name}: says twice {repeated([shown['text']])}")
        if page.kb_size == "phone" and shown["beforeMore"] > SCREENS_BEFORE_MORE * WIDTHS["phone"]["height"]:
            wrong.append(f"{name}: {shown['beforeMore']:.0f} px before the folded part on a phone")
        if not shown["crisisBeforeLevels"] or shown["headings"][-1] != END:
            wrong.append(f"{name}: crisis help after the levels, or ends with {shown['headings'][-1]!r}")
        if not {"tel:988", "tel:911"} <= set(shown["tel"]):
            wrong.append(f"{name}: crisis numbers {shown['tel']}")
        if shown["headings"][0] != words["result_title"]:
            wrong.append(f"{name}: the result's heading is {shown['headings'][0]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_language_switch_leads_to_the_twin_both_ways(page, bilingual_url) -> None:
    page.goto(bilingual_url + "levels/iop/", wait_until="networkidle")
    page.get_by_role("link", name="This page in Spanish").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/es/levels/iop/"
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Esta página en inglés").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/levels/iop/"


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_crisis_help_in_spanish_is_in_reach(browser, bilingual_url, size) -> None:
    """On a Spanish page: the crisis bar says how to get help in Spanish, the skip link is first,
    and "Obtener ayuda ahora" stays in view at any scroll position."""
    context = browser.new_context(viewport=WIDTHS[size], service_workers="block")
    try:
        page = context.new_page()
        page.goto(bilingual_url + "es/compare/", wait_until="networkidle")
        bar = page.get_by_role("region", name="Ayuda en caso de crisis")
        assert "marque 2 para español" in bar.inner_text() and "AYUDA" in bar.inner_text()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Ir a toda la ayuda en caso de crisis"
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        button = page.locator("a.kb-help-now")
        assert button.inner_text().strip() == "Obtener ayuda ahora"
        assert button.is_visible()
        assert urlsplit(urljoin(page.url, button.get_attribute("href"))).path == "/es/help/"
    finally:
        context.close()
