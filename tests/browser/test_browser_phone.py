"""The public reader on a 375 x 812 phone and a 1280 x 800 laptop: tables that fit, quiet
citations, help always in reach, the next step on the first screen (issue #14).

Each test opens the real built site in chromium and measures what a reader would see.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"375px": PHONE, "1280px": LAPTOP}

# Words (split at spaces, hyphens and slashes, where a line may break) whose letters land on two
# lines: a word broken mid-way ("Resid / ential").
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('article table td, article table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\\u2010-\\u2015\\/]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""

# For every visible footnote number: the 24 x 24 box around its centre is all its own (a tap 11px
# from the centre, in each direction, lands on it); and no two numbers sit side by side.
CITATIONS = """() => {
  const refs = [...document.querySelectorAll('article a.footnote-ref')].filter(a => a.getClientRects().length);
  const small = [], adjacent = [], crowded = [];
  for (const a of refs) {
    // Centred as a reader would scroll it into view (sideways too, inside the comparison's box).
    a.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const r = a.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    for (const [dx, dy] of [[0, -11], [0, 11], [-11, 0], [11, 0]]) {
      const hit = document.elementFromPoint(x + dx, y + dy);
      if (!(hit && (hit === a || a.contains(hit)))) { small.push(`${a.textContent} at (${dx}, ${dy})`); break; }
    }
    const sup = a.closest('sup') || a;
    let next = sup.nextSibling;
    while (next && next.nodeType === 3 && !next.data.trim().replace(/[,;]/g, '')) next = next.nextSibling;
    if (next && next.nodeType === 1 && next.querySelector && (next.matches('sup') && next.querySelector('a.footnote-ref')))
      adjacent.push(a.textContent);
  }
  // One citation a cell: a single mark, or the marks of one citation of several sources (.kb-cite).
  for (const cell of document.querySelectorAll('article td, article th')) {
    const n = cell.querySelectorAll('.kb-cite').length
      + [...cell.querySelectorAll('a.footnote-ref')].filter(a => !a.closest('.kb-cite')).length;
    if (n > 1) crowded.push(`${n} citations in "${cell.textContent.trim().slice(0, 40)}"`);
  }
  return {count: refs.length, small, adjacent, crowded};
}"""


@pytest.fixture
def phone_page(page):
    """The shared fresh page (nothing may load from another host), at phone width to start with;
    each test sets the viewport it measures."""
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture(scope="module")
def table_pages(built_site) -> list[str]:
    """URL paths of the built pages whose article holds a table."""
    found = []
    for index in sorted(built_site.rglob("index.html")):
        if "<table" in index.read_text(encoding="utf-8"):
            rel = index.parent.relative_to(built_site).as_posix()
            found.append("/" if rel == "." else f"/{rel}/")
    assert "/compare/" in found and "/costs/" in found, found
    return found


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_comparison_row_headers_stay_in_view_when_scrolled(phone_page, visit, screenshot_dir, width):
    """Scrolled to its far right, the comparison still shows every row header, whole; the cue to
    scroll shows exactly when the table is wider than its box."""
    phone_page.set_viewport_size(VIEWPORTS[width])
    visit(phone_page, "/compare/")
    box = phone_page.locator(".kb-table-scroll").first
    sizes = box.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth})")
    overflows = sizes["scroll"] > sizes["client"] + 1
    cue = phone_page.locator(".kb-scroll-cue").first
    assert cue.is_visible() == overflows, f"{width}: cue visible {cue.is_visible()}, table overflows {overflows}"
    if width == "375px":
        assert overflows, f"the comparison fits a 343px box? {sizes}"
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    headers = phone_page.evaluate("""() => {
      const scroller = document.querySelector('.kb-table-scroll');
      // On a phone the box scrolls down too (it is at most a screen high): it brings each row to
      // its middle, then the page brings the row on screen; the table stays scrolled sideways.
      return [...document.querySelectorAll('.kb-compare th[scope=row]')].map(th => {
        scroller.scrollTop += th.getBoundingClientRect().top - scroller.getBoundingClientRect().top
                              - scroller.clientHeight / 2;
        window.scrollBy({top: th.getBoundingClientRect().top - window.innerHeight / 2, behavior: 'instant'});
        const box = scroller.getBoundingClientRect();
        const r = th.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + 4, r.y + r.height / 2);
        return {text: th.textContent.trim(), left: r.left, right: r.right, boxLeft: box.left,
                boxRight: box.right, onTop: !!hit && (hit === th || th.contains(hit)),
                scrolled: scroller.scrollLeft};
      });
    }""")
    if overflows:
        assert all(h["scrolled"] > 0 for h in headers), headers
    assert len(headers) >= 8, headers
    hidden = [h["text"] for h in headers
              if h["left"] < h["boxLeft"] - 1 or h["right"] > h["boxRight"] + 1 or not h["onTop"]]
    assert not hidden, f"{width}: row headers out of view after scrolling sideways: {hidden}"
    order = [h["text"] for h in headers]
    assert order[0] == "Where you live" and order[-1].startswith("ASAM level"), order
    phone_page.screenshot(path=str(screenshot_dir / f"phone-compare-scrolled-{width}.png"))


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_no_table_cell_breaks_a_word(phone_page, visit, table_pages, width):
    """No word in any table cell on any page is split across two lines."""
    phone_page.set_viewport_size(VIEWPORTS[width])
    problems = []
    for path in table_pages:
        visit(phone_page, path)
        split = phone_page.evaluate(SPLIT_WORDS)
        problems += [f"{path} [{width}]: {', '.join(sorted(set(split))[:6])}"] if split else []
    assert not problems, "words split across lines:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["/levels/iop/", "/levels/residential/", "/compare/", "/glossary/"])
def test_citations_are_quiet_and_easy_to_tap(phone_page, visit, path):
    """Each footnote number has a 24 x 24 px tap area, never sits beside another, and a table
    cell holds at most one."""
    visit(phone_page, path)
    found = phone_page.evaluate(CITATIONS)
    assert found["count"] > 0, f"{path}: no footnote numbers at all"
    assert not found["small"], f"{path}: tap areas under 24px: {found['small'][:5]}"
    assert not found["adjacent"], f"{path}: footnote numbers side by side: {found['adjacent'][:5]}"
    assert not found["crowded"], f"{path}: {found['crowded'][:5]}"


def test_sources_cited_together_have_a_mark_and_a_note_each(phone_page, visit, built_site):
    """A figure with two sources has two marks ("1,3") leading to two notes, each naming one
    source; no note names a source twice or holds two sources."""
    visit(phone_page, "/levels/iop/")
    found = phone_page.evaluate("""() => ({
      groups: [...document.querySelectorAll('article .kb-cite')].map(g =>
        [...g.querySelectorAll('a.footnote-ref')].map(a => a.getAttribute('href'))),
      notes: [...document.querySelectorAll('.footnote li')].map(li =>
        [...li.querySelectorAll('a:not(.footnote-backref)')].map(a => a.getAttribute('href'))
          .filter(h => h.includes('sources/#')))})""")
    assert found["groups"], "no citation of several sources on the IOP page"
    for marks in found["groups"]:
        assert len(marks) >= 2 and len(set(marks)) == len(marks), marks
    targets = [t for links in found["notes"] for t in links]
    assert all(len(links) == 1 for links in found["notes"]), found["notes"]
    assert len(targets) == len(set(targets)), targets


@pytest.fixture(scope="module")
def longest_page(built_site) -> str:
    """The public page with the most HTML: the one where help is furthest away."""
    biggest = max(built_site.rglob("index.html"), key=lambda p: p.stat().st_size)
    rel = biggest.parent.relative_to(built_site).as_posix()
    return "/" if rel == "." else f"/{rel}/"


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_help_in_reach_from_the_bottom_of_the_longest_page(phone_page, visit, longest_page,
                                                           screenshot_dir, width):
    """At the very bottom of the longest page, "Get help now" is on screen, covers nothing of the
    page's last lines, and one tap shows every way to get help, from facts.yaml."""
    phone_page.set_viewport_size(VIEWPORTS[width])
    visit(phone_page, longest_page)
    phone_page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    phone_page.wait_for_timeout(200)
    button = phone_page.locator("a.kb-help-now")
    assert button.count() == 1 and button.is_visible()
    b = button.bounding_box()
    view = VIEWPORTS[width]
    assert b["y"] >= 0 and b["y"] + b["height"] <= view["height"], b
    assert b["height"] >= 24 and b["width"] >= 24, b
    covered = phone_page.evaluate("""(b) => [...document.querySelectorAll('.kb-page-info p, .md-footer-meta .md-copyright, .md-footer__link')]
      .filter(e => { const r = e.getBoundingClientRect();
        return r.width && r.right > b.x && r.left < b.x + b.width && r.bottom > b.y && r.top < b.y + b.height; })
      .map(e => e.textContent.trim().slice(0, 40))""", b)
    assert not covered, f"{longest_page} [{width}]: the help button covers {covered}"
    phone_page.screenshot(path=str(screenshot_dir / f"phone-help-button-{width}.png"))
    button.click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.url.rstrip("/").endswith("/help")
    assert phone_page.locator("article h1").inner_text().strip().rstrip("¶") == "Get help now"
    article = phone_page.locator("article")
    text = article.inner_text()
    for words in ("press 1", "press 2", "Spanish", "Chat online", "TTY", "911"):
        assert words in text, f"the help page does not say {words!r}"
    hrefs = article.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in ("tel:988", "sms:988", "tel:18006624357", "tel:18004874889", "tel:911"):
        assert href in hrefs, f"the help page lacks a {href} link"
    phone_page.screenshot(path=str(screenshot_dir / f"phone-help-page-{width}.png"), full_page=True)


def test_skip_link_leads_to_help(phone_page, visit):
    """A keyboard or screen-reader user reaches the help page from a skip link near the top."""
    visit(phone_page, "/compare/")
    names = []
    for _ in range(3):
        phone_page.keyboard.press("Tab")
        names.append(phone_page.evaluate("() => [document.activeElement.textContent.trim(), "
                                         "document.activeElement.getAttribute('href')]"))
    skip = [href for text, href in names if text == "Skip to all crisis help"]
    assert skip and skip[0].rstrip("/").endswith("help"), names


def test_next_step_is_on_the_first_phone_screen(phone_page, visit, screenshot_dir):
    """On a 375 x 812 phone, the home page shows the self-check and comparison links unscrolled."""
    visit(phone_page, "/")
    for href in ("self-check/", "compare/"):
        link = phone_page.locator(f'article a[href$="{href}"]').first
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE["height"], f"{href} link at {box}"
        assert link.is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "phone-home-first-screen.png"))


def test_glossary_is_a_definition_list_with_jump_links(phone_page, visit, screenshot_dir):
    """The glossary's terms are <dt>s with ids (no heading each), and its A to Z links land."""
    visit(phone_page, "/glossary/")
    terms = phone_page.locator("article dl dt[id]")
    assert terms.count() >= 20
    assert phone_page.locator("article h2").count() < terms.count() / 2
    letters = phone_page.locator("nav.kb-az a")
    assert letters.count() >= 10
    letters.nth(3).click()
    target = letters.nth(3).get_attribute("href")
    heading = phone_page.locator(target)
    box = heading.bounding_box()
    assert box and 0 <= box["y"] < PHONE["height"] / 2, f"{target} at {box}"
    phone_page.goto(phone_page.url.split("#")[0] + "#group")
    assert phone_page.locator("dt#group").is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "phone-glossary.png"))
