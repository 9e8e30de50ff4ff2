"""A title with markup is shown as text in a real browser: no script runs, no element gets onerror.

The site is built with a hostile nav title and a hostile nav section title (both escaped by
hooks/titles.py; the same markup in a front-matter title is refused, tests/test_hostile_input.py),
served on 127.0.0.1 and opened page by page in headless chromium at phone and desktop widths; search results, which show page titles, are opened too.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

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
def hostile_site(tmp_path_factory: pytest.TempPathFactory, project_copier) -> Path:
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
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.hostile.yml", "-d", str(out)],
        cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
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


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["375px", "1280px"])
def test_hostile_titles_run_nothing_on_any_page(browser, hostile_site: Path, hostile_url: str,
                                                viewport: dict) -> None:
    """Every page opens with no dialog and no element carrying onerror or onload; the titles show as text."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    dialogs: list[str] = []
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    problems = []
    try:
        for path in _site_pages(hostile_site):
            response = page.goto(hostile_url + path, wait_until="networkidle")
            assert response is not None and response.status == 200, path
            live = page.locator("[onerror], [onload]").count()
            if live:
                problems.append(f"{path}: {live} elements with onerror/onload")
        page.goto(hostile_url + "/help/", wait_until="networkidle")
        assert page.title().startswith(TITLE), page.title()
        assert TITLE in page.locator(".md-header__topic").last.inner_text()
        assert page.get_by_text(SECTION).count() > 0, "the nav section title is not shown as text"
    finally:
        context.close()
    assert problems == []
    assert dialogs == [], dialogs
    assert all(url.startswith(hostile_url) or url.startswith(("data:", "blob:", "about:")) for url in requests)


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
def test_hovering_every_title_runs_nothing(browser, hostile_site: Path, hostile_url: str, viewport: dict) -> None:
    """Each page of the hostile build, every visible element with a title hovered (Material
    shows titles in tooltips, as HTML): no dialog, no element with a handler, no CSP
    violation, no request to another host."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.add_init_script(_LISTEN)
    requests: list[str] = []
    dialogs: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    problems: list[str] = []
    hovered: list[str] = []
    try:
        for path in _site_pages(hostile_site):
            page.goto(hostile_url + path, wait_until="networkidle")
            for index, key in page.evaluate(_MARK, hovered):
                x, y = page.evaluate(_CENTRE, index)
                page.mouse.move(x, y)  # the pointer on the element, as a reader's would be
                hovered.append(key)
            page.wait_for_timeout(100)
            live = page.locator("[onerror], [onload], [onmouseover]").count()
            problems += [f"{path}: {live} elements with handlers"] if live else []
            problems += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
        page.goto(hostile_url + "/help/", wait_until="networkidle")
        page.locator("abbr", has_text="ZZW").hover()
        tip = page.locator(".md-tooltip2", has_text="<b>")  # the title's text, not bold markup
        tip.first.wait_for(state="visible", timeout=5_000)
        assert page.locator(".md-tooltip2 b").count() == 0
    finally:
        context.close()
    assert len(hovered) > 50, f"only {len(hovered)} titles were hovered"
    assert any("ZZQ" in key or "Zig" in key for key in hovered), "the page's abbreviation was not hovered"
    assert problems == [] and dialogs == [], problems + dialogs
    assert all(url.startswith(hostile_url) or url.startswith(("data:", "blob:", "about:")) for url in requests)
