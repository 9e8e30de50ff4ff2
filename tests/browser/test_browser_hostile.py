"""A title with markup is shown as text in a real browser: no script runs, no element gets onerror.

The site is built with a hostile nav title and a hostile nav section title (both escaped by
hooks/titles.py; the same markup in a front-matter title is refused, tests/test_hostile_input.py),
served on 127.0.0.1 and opened page by page in headless chromium at phone and desktop widths (once
per width: each page is checked as loaded, then its titles are hovered; tests/browser/tour.py);
search results, which show page titles, are opened too.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.browser.tour import tour

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}

TITLE = "Help <img src=x onerror=alert(1)>"
SECTION = "More <svg onload=alert(2)>"
# Titles an editor may write (plain text, issue 19): shown by Material's tooltips, which insert
# a title as HTML. Each holds characters that would be markup if it were not escaped twice.
TOOLTIPS = ("ZZQ and the [FAQ](faq.md \"a < b & c\") and <abbr title=\"x &amp;lt;b&amp;gt; y\">ZZW</abbr>.\n"
            "{ title=\"Plain & simple\" }\n\n*[ZZQ]: Zig &amp;lt;i&amp;gt; zag < 3 & more\n")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def _site_pages(site: Path) -> list[str]:
    """URL paths of every page of a built site, from its index.html files."""
    return sorted("/" if p.parent == site else f"/{p.parent.relative_to(site).as_posix()}/"
                  for p in site.rglob("index.html"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, project_copier, build) -> Path:
    """The public site with a hostile nav title and nav section title, built strict."""
    project = project_copier(tmp_path_factory.mktemp("hostile-browser") / "project")
    (project / "content" / "help.md").write_text(
        f"---\nreviewed: 2026-11-01\n---\n\nAsk us for help. We answer fast.\n\n{TOOLTIPS}",
        encoding="utf-8")
    nav = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    (project / "mkdocs.hostile.yml").write_text(
        yaml.safe_dump({"INHERIT": "mkdocs.yml", "nav": [
            *(entry for entry in nav if entry != {"Get help now": "help.md"}),
            {SECTION: [{TITLE: "help.md"}]}]}), encoding="utf-8")
    out = project.parent / "site"
    result = build(project / "mkdocs.hostile.yml", out)  # `mkdocs build --strict`, in this process
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    """The hostile site served by http.server on 127.0.0.1, at a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, name="hostile-site", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _live(page, path: str, viewport: dict) -> int:
    """Elements with onerror or onload on the page as loaded."""
    return page.locator("[onerror], [onload]").count()


def _hover_every_new_title(hovered: list[str]):
    """A probe: hover every visible element with a title not hovered yet on any page (of this
    width); then the elements with handlers and the CSP violations the page reported."""

    def probe(page, path: str, viewport: dict) -> dict:
        new = page.evaluate(_MARK, hovered)
        for index, key in new:
            x, y = page.evaluate(_CENTRE, index)
            page.mouse.move(x, y)  # the pointer on the element, as a reader's would be
            hovered.append(key)
        if new:
            page.wait_for_timeout(100)  # what a hover shows (a tooltip) has time to appear
        return {"live": page.locator("[onerror], [onload], [onmouseover]").count(),
                "csp": page.evaluate("window.__csp")}

    return probe


def _help_page(browser, hostile_url: str, viewport: dict) -> dict:
    """/help/, opened afresh: its title, header and nav as shown; then its ZZW abbreviation
    hovered: the tooltips holding "<b>", and any <b> inside a tooltip."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(hostile_url + "/help/", wait_until="networkidle")
        shown = {"title": page.title(), "topic": page.locator(".md-header__topic").last.inner_text(),
                 "section": page.get_by_text(SECTION).count()}
        page.locator("abbr", has_text="ZZW").hover()
        tip = page.locator(".md-tooltip2", has_text="<b>")  # the title's text, not bold markup
        tip.first.wait_for(state="visible", timeout=5_000)
        shown["bold"] = page.locator(".md-tooltip2 b").count()
    finally:
        context.close()
    return shown


@pytest.fixture(scope="module")
def hostile_tour(browser, hostile_site: Path, hostile_url: str) -> dict[str, tuple[object, list[str], dict]]:
    """Every page of the hostile build opened once per width (tests/browser/tour.py), checked as
    loaded, then every new title on it hovered; then /help/ afresh. {width: (leg, hovered, help)}."""
    widths = {"375px": MOBILE, "1280px": DESKTOP}
    hovered = {name: [] for name in widths}
    legs = tour(browser, hostile_url, _site_pages(hostile_site), widths, {
        name: [("live", _live), ("hover", _hover_every_new_title(hovered[name]))] for name in widths},
        init_script=_LISTEN)
    return {name: (legs[name], hovered[name], _help_page(browser, hostile_url, viewport))
            for name, viewport in widths.items()}


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["375px", "1280px"])
def test_hostile_titles_run_nothing_on_any_page(hostile_tour, hostile_url: str, viewport: dict) -> None:
    """Every page opens with no dialog and no element carrying onerror or onload; the titles show as text."""
    leg, _, shown = hostile_tour[f"{viewport['width']}px"]
    assert leg.errors("live") == []
    problems = []
    for stop, live in leg.results("live"):
        assert stop.status == 200, stop.path
        if live:
            problems.append(f"{stop.path}: {live} elements with onerror/onload")
    assert shown["title"].startswith(TITLE), shown["title"]
    assert TITLE in shown["topic"]
    assert shown["section"] > 0, "the nav section title is not shown as text"
    assert problems == []
    assert leg.dialogs == [], leg.dialogs
    assert all(url.startswith(hostile_url) or url.startswith(("data:", "blob:", "about:")) for url in leg.requests)


def test_search_results_show_the_hostile_title_as_text(browser, hostile_url: str) -> None:
    """Searching for the page lists it with its title as text, and runs nothing."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(hostile_url + "/", wait_until="networkidle")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("answer fast", delay=20)
        result = page.locator('.md-search-result__link[href*="help/"]').first
        result.wait_for(state="visible", timeout=15_000)
        page.wait_for_timeout(300)  # an image that would fire onerror has had time to fail
        assert page.locator("[onerror], [onload]").count() == 0
        assert "onerror=alert(1)" in result.inner_text()
    finally:
        context.close()
    assert dialogs == []


# Number the visible elements with a title not hovered yet on any page, one per title and kind
# (footnote links and the navigation repeat theirs); Material takes the title off an element
# when it mounts its tooltip.
_MARK = """hovered => {
    const seen = new Set(hovered), out = [];
    document.querySelectorAll("[title]").forEach((e, i) => {
        const key = e.tagName + " " + e.className + " " + e.title;
        if (seen.has(key) || !e.checkVisibility()) return;
        seen.add(key); e.dataset.kbHover = i; out.push([i, key]);
    });
    return out;
}"""
_CENTRE = """i => {
    const e = document.querySelector(`[data-kb-hover="${i}"]`);
    e.scrollIntoView({block: "center", inline: "center"});
    const r = e.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
}"""
_LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["375px", "1280px"])
def test_hovering_every_title_runs_nothing(hostile_tour, hostile_url: str, viewport: dict) -> None:
    """Each page of the hostile build, every visible element with a title hovered (Material
    shows titles in tooltips, as HTML): no dialog, no element with a handler, no CSP
    violation, no request to another host."""
    leg, hovered, shown = hostile_tour[f"{viewport['width']}px"]
    assert leg.errors("hover") == []
    problems: list[str] = []
    for stop, found in leg.results("hover"):
        problems += [f"{stop.path}: {found['live']} elements with handlers"] if found["live"] else []
        problems += [f"{stop.path}: {v}" for v in found["csp"]]
    assert shown["bold"] == 0
    assert len(hovered) > 50, f"only {len(hovered)} titles were hovered"
    assert any("ZZQ" in key or "Zig" in key for key in hovered), "the page's abbreviation was not hovered"
    assert problems == [] and leg.dialogs == [], problems + leg.dialogs
    assert all(url.startswith(hostile_url) or url.startswith(("data:", "blob:", "about:")) for url in leg.requests)
