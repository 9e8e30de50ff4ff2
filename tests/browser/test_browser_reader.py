"""The reader's details in the browser (issue 24): the real search box finds what people type, the
"Get help now" button covers no link or control in any panel, a level page prints as a real
document, and search results keep their contrast in light and dark. Screenshots of each go to
$SCREENSHOT_DIR (artifacts/screenshots/)."""

from __future__ import annotations

import re

import pytest

from tests.browser.probes import axe_run

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 667}, "1280px": {"width": 1280, "height": 800}}

# What people type, and the page that should come first. Brand names, lay words and short forms
# find their page through facts.yaml's also_called names and short forms (carekb/render/searchindex.py).
QUERIES = {
    "suboxone": "modalities/medication_oud/",
    "narcan": "safety/",
    "naloxone": "safety/",
    "overdose": "safety/",
    "AA": "modalities/mutual_support/",
    "NA": "modalities/mutual_support/",
    "12-step": "modalities/mutual_support/",
    "support group": "modalities/mutual_support/",
    "rehab": "levels/residential/",
    "residential": "levels/residential/",
    "detox": "levels/withdrawal/",
    "withdrawal": "levels/withdrawal/",
    "methadone": "modalities/medication_oud/",
    "MAT": "modalities/medication/",
    "Medicaid": "costs/",
    "cost": "costs/",
    "insurance": "insurance/",
    "appeal": "insurance/",
    "teen": "teens/",
    "families": "families/",
    "family therapy": "modalities/family_therapy/",
    "relapse": "after-treatment/",
    "sober living": "after-treatment/",
    "sober house": "after-treatment/",
    "988": "help/",
    "suicide": "help/",
    "crisis": "help/",
    "counseling": "modalities/individual_counseling/",
    "talk therapy": "modalities/individual_counseling/",
    "therapy": "modalities/individual_counseling/",
    "group therapy": "modalities/group_therapy/",
    "CBT": "modalities/cbt/",
    "DBT": "modalities/dbt/",
    "day program": "levels/php/",
    "PHP": "levels/php/",
    "inpatient": "levels/inpatient/",
    "outpatient": "levels/op/",
    "IOP": "levels/iop/",
    "assessment": "intake/",
    "intake": "intake/",
    "depression": "mental-health-programs/",
    "case manager": "modalities/case_management/",
}

_EMPTY = "Type to start searching"  # Material's line in the results box when the query is empty
_META = "document.querySelector('.md-search-result__meta').textContent.trim()"
# The first result: its page (without the ?h= highlight) and its excerpt.
_FIRST = """() => { const a = document.querySelector('.md-search-result__item > .md-search-result__link');
  return a ? [new URL(a.href).pathname, a.innerText] : null; }"""


def _search(page, box, query: str):
    """Type `query` into Material's search box as one edit and return the first result."""
    box.fill("")
    box.press("End")  # Material reads the box on keyup
    page.wait_for_function(f"() => {_META} === {_EMPTY!r}")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"() => {_META} !== {_EMPTY!r}")
    return page.evaluate(_FIRST)


def test_search_finds_what_people_type(page, visit, site_url) -> None:
    """Each lay query typed into the real search box of the built site has the expected page as
    its first result, and no excerpt shows a footnote number's back arrow."""
    visit(page, "/")
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(f"() => !/Initializing/i.test({_META})")
    base = re.sub(r"^https?://[^/]+", "", site_url)
    wrong = []
    for query, expected in QUERIES.items():
        first = _search(page, box, query)
        got = first[0].removeprefix(base) if first else None
        if got != expected:
            wrong.append(f"{query!r}: first result {got!r}, expected {expected!r}")
        elif "\u21a9" in first[1]:
            wrong.append(f"{query!r}: the excerpt shows a footnote's back arrow: {first[1][:120]!r}")
    assert len(QUERIES) >= 30
    assert not wrong, "\n".join(wrong)


# The links and controls under "Get help now": at points 4px apart across its box, the topmost
# element under it (the button itself left out) and the link or control that element is part of.
# Material's overlays (the dimmed page behind the open drawer or search, tapped to close it) are
# backdrops, not controls.
_COVERED = """() => {
  const help = document.querySelector('.kb-help-now');
  if (!help || !help.getClientRects().length) return null;
  const box = help.getBoundingClientRect();
  const found = new Set();
  for (let x = box.left + 1; x < box.right - 1; x += 4) {
    for (let y = box.top + 1; y < box.bottom - 1; y += 4) {
      const under = document.elementsFromPoint(x, y).find(e => e !== help && !help.contains(e));
      const control = under && under.closest(
        'a[href], button, input, select, textarea, summary, label, [role="button"], [tabindex]:not([tabindex="-1"])');
      if (control && !control.matches('.md-overlay, .md-search__overlay'))
        found.add(`${control.tagName.toLowerCase()} "${(control.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}"`);
    }
  }
  return [...found];
}"""


def _scroll(page, selector: str, to_end: bool) -> None:
    """Scroll the panel `selector`, and every box inside it that scrolls (the drawer's menu
    scrolls in a list inside it), to its start or its end."""
    page.evaluate("""([s, end]) => document.querySelectorAll(s).forEach(panel =>
        [panel, ...panel.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 1
          && /(auto|scroll)/.test(getComputedStyle(e).overflowY))
        .forEach(e => { e.scrollTop = end ? e.scrollHeight : 0; }))""", [selector, to_end])
    page.wait_for_timeout(150)


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_help_button_covers_no_link_or_control(browser, visit, screenshot_dir, width: str) -> None:
    """With each panel scrolled to its start and its end (the page, the table of contents, the
    navigation drawer, the search results), nothing under "Get help now" is a link or a control."""
    view = VIEWPORTS[width]
    context = browser.new_context(viewport=view, service_workers="block")
    page = context.new_page()
    problems: list[str] = []

    def check(state: str) -> None:
        covered = page.evaluate(_COVERED)
        assert covered is not None, f"[{width}] {state}: the help button is not shown"
        problems.extend(f"[{width}] {state}: covers {c}" for c in covered)

    try:
        visit(page, "/faq/")  # the longest table of contents
        for end in (False, True):
            page.evaluate(f"window.scrollTo(0, {'document.documentElement.scrollHeight' if end else 0})")
            for panel in (".md-sidebar--secondary .md-sidebar__scrollwrap", ".md-sidebar--primary .md-sidebar__scrollwrap"):
                for panel_end in (False, True):
                    _scroll(page, panel, panel_end)
                    check(f"page {'end' if end else 'top'}, {panel.split()[0]} {'end' if panel_end else 'top'}")
        page.evaluate("window.scrollTo(0, 0)")
        if view["width"] < 1220:  # the navigation drawer
            page.locator("label.md-header__button[for='__drawer']").click()
            page.wait_for_timeout(400)
            for panel_end in (False, True):
                _scroll(page, ".md-sidebar--primary .md-sidebar__scrollwrap", panel_end)
                check(f"drawer {'end' if panel_end else 'top'}")
            page.evaluate("document.getElementById('__drawer').checked = false")
            page.wait_for_timeout(400)
        opener = page.locator("label.md-header__button[for='__search']")
        (opener if opener.is_visible() else page.locator("input.md-search__input")).click()
        box = page.locator("input.md-search__input")
        box.fill("care")  # a word on nearly every page: the longest list of results
        box.press("End")
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 3")
        for panel_end in (False, True):
            _scroll(page, ".md-search__scrollwrap", panel_end)
            check(f"search results {'end' if panel_end else 'top'}")
        page.screenshot(path=str(screenshot_dir / f"reader-help-search-end-light-{width}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def _pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote: its page objects (`/Type /Page`, not `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


_PRINTED = """() => {
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const boxes = [...document.querySelectorAll('article details')].map(d => ({
    summary: d.querySelector('summary').textContent.trim(),
    height: [...d.children].filter(c => c.tagName !== 'SUMMARY' && shown(c))
      .reduce((h, c) => h + c.getBoundingClientRect().height, 0),
    text: [...d.children].filter(c => c.tagName !== 'SUMMARY').map(c => c.innerText).join(' ').trim()}));
  const addresses = [...document.querySelectorAll('.footnote .kb-print-only')].filter(shown).map(e => e.innerText.trim());
  const hidden = ['.kb-help-now', '.md-header', '.md-sidebar--primary', '.md-footer']
    .filter(s => document.querySelector(s) && shown(document.querySelector(s)));
  return {boxes, addresses, hidden, banner: shown(document.querySelector('.md-banner'))};
}"""


@pytest.mark.parametrize("path", ["/levels/iop/", "/levels/php/", "/levels/residential/", "/levels/op/"])
def test_a_level_page_prints_as_a_real_document(page, visit, screenshot_dir, path: str) -> None:
    """Chromium's print PDF of a level page is at most 5 Letter pages. On paper every "What our
    sources say" box is open with its text, each note shows its source's web address, the crisis
    numbers stay, and the menus, the help button and the footer are gone."""
    visit(page, path)
    page.emulate_media(media="print")
    pages = _pdf_pages(page.pdf(format="Letter"))
    assert 1 <= pages <= 5, f"{path} prints on {pages} Letter pages"
    printed = page.evaluate(_PRINTED)
    assert printed["boxes"], f"{path}: no collapsible box to check"
    for box in printed["boxes"]:
        assert box["height"] > 20 and len(box["text"]) > 20, f"{path}: {box['summary']!r} prints empty: {box}"
    assert printed["addresses"] and all(a.startswith("https://") for a in printed["addresses"]), printed["addresses"]
    assert printed["banner"], f"{path}: the crisis numbers are not printed"
    assert not printed["hidden"], f"{path}: printed, though paper cannot use it: {printed['hidden']}"
    if path == "/levels/iop/":
        page.screenshot(path=str(screenshot_dir / "reader-print-iop-light-1280px.png"), full_page=True)
    page.emulate_media(media="screen")
    on_screen = page.evaluate(_PRINTED)
    assert not on_screen["addresses"], "web addresses in notes are for paper only"


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_what_changed_keeps_its_contrast(browser, visit, set_scheme, screenshot_dir, scheme: str,
                                         width: str) -> None:
    """axe finds no contrast issue, in light and dark, on a phone and a laptop, in each view this
    work changed: a level page's "Also called" line, citations of several sources, search open on
    results that show a page's other names, and the help button beside the open drawer (phone)
    or the table of contents scrolled to its end (laptop). Each view is saved as a screenshot."""
    view = VIEWPORTS[width]
    context = browser.new_context(viewport=view, service_workers="block")
    page = context.new_page()
    options = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]}
    problems: list[str] = []

    def check(name: str) -> None:
        problems.extend(f"{name}: {n['target']} {n.get('failureSummary', '')[:160]}"
                        for v in axe_run(page, options)["violations"] for n in v["nodes"])
        page.screenshot(path=str(screenshot_dir / f"reader-{name}-{scheme}-{width}.png"))

    try:
        visit(page, "/levels/residential/")
        set_scheme(page, scheme)
        check("also-called")
        visit(page, "/levels/iop/")
        set_scheme(page, scheme)
        page.locator("article .kb-cite").first.scroll_into_view_if_needed()
        check("citations")
        opener = page.locator("label.md-header__button[for='__search']")
        (opener if opener.is_visible() else page.locator("input.md-search__input")).click()
        box = page.locator("input.md-search__input")
        box.fill("rehab")
        box.press("End")
        page.wait_for_selector(".md-search-result__item .md-tag")
        check("search")
        visit(page, "/faq/")
        set_scheme(page, scheme)
        if view["width"] < 1220:
            page.locator("label.md-header__button[for='__drawer']").click()
            page.wait_for_timeout(400)
            _scroll(page, ".md-sidebar--primary .md-sidebar__scrollwrap", True)
            check("help-drawer")
        else:
            _scroll(page, ".md-sidebar--secondary .md-sidebar__scrollwrap", True)
            check("help-toc-end")
    finally:
        context.close()
    assert not problems, f"[{scheme} {width}] " + "\n".join(problems)
