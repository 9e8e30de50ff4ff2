"""The Content-Security-Policy, as an HTTP header, breaks nothing: no violation, search and the
self-check work, at phone and desktop widths (issue 19, point 10).

The built site is served with the policy of its own `<meta http-equiv>` (plus frame-ancestors,
which only a header can carry), the header docs/security.md tells hosts to send. Every violation the
browser reports (`securitypolicyviolation`, console errors, uncaught errors) fails the test.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
PAGES = ["/", "/self-check/", "/levels/iop/", "/compare/", "/glossary/", "/faq/", "/no-such-page/"]
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
# Record every violation from the first script on (before any page script runs).
_LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


def policy(site: Path) -> str:
    """The policy every page carries in its meta tag, and the header hosts send (docs/security.md)."""
    found = {m.group(1) for page in site.rglob("*.html") for m in _META.finditer(page.read_text(encoding="utf-8"))}
    assert len(found) == 1, f"pages carry {len(found)} different policies"
    return found.pop() + "; frame-ancestors 'none'"


@pytest.fixture(scope="module")
def csp_url(built_site: Path) -> Iterator[str]:
    """The public site served with the policy as an HTTP header, and Material's 404 page."""
    header = policy(built_site)

    class WithPolicy(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", header)
            super().end_headers()

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                return super().send_error(code, message, explain)
            body = (built_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(WithPolicy, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, name="csp-site", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=[MOBILE, DESKTOP], ids=["375px", "1280px"])
def watched(browser, request) -> Iterator[tuple[object, list[str]]]:
    """A page at one width, and the list of every violation and error it reports."""
    context = browser.new_context(viewport=request.param, service_workers="block")
    context.add_init_script(_LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    try:
        yield page, errors
    finally:
        context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_every_page_loads_under_the_policy_without_a_violation(watched, csp_url: str, built_site: Path,
                                                              repo_root: Path) -> None:
    """No violation and no script error on the pages that use each part of the theme; the
    header sent is the one every page's meta tag carries, and the one docs/security.md documents."""
    page, errors = watched
    assert "script-src 'self'" in policy(built_site) and "unsafe-inline" not in policy(built_site)
    assert f"Content-Security-Policy: {policy(built_site)}\n" in (repo_root / "docs" / "security.md").read_text(encoding="utf-8")
    found = []
    for path in PAGES:
        response = page.goto(csp_url + path, wait_until="networkidle")
        assert response is not None and response.status == (404 if "no-such" in path else 200), path
        assert response.headers.get("content-security-policy") == policy(built_site)
        found += [f"{path}: {v}" for v in _violations(page)]
        # Material's own scripts ran: the palette and the search are set up
        assert page.evaluate("typeof __md_get === 'function' && typeof __md_scope === 'object'"), path
    assert found == [] and [e for e in errors if "404" not in e] == [], found + errors


def test_search_works_under_the_policy(watched, csp_url: str) -> None:
    """Typing a query lists results (the search worker and its index load under the policy)."""
    page, errors = watched
    page.goto(csp_url + "/", wait_until="networkidle")
    if page.viewport_size["width"] < 960:  # on a phone the search opens from the header's button
        page.locator('label.md-header__button[for="__search"]').first.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("partial hospitalization", delay=20)
    result = page.locator('.md-search-result__link[href*="levels/php/"]').first
    result.wait_for(state="visible", timeout=15_000)
    assert _violations(page) == [] and errors == [], _violations(page) + errors


def test_the_self_check_works_under_the_policy(watched, csp_url: str) -> None:
    """Answering every question and submitting shows a suggestion that links to a level."""
    page, errors = watched
    page.goto(csp_url + "/self-check/", wait_until="networkidle")
    form = page.locator("form#self-check")
    assert form.is_visible(), "the self-check tool stayed hidden (its script did not run)"
    names = form.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
    for name in names:
        form.locator(f'input[type=radio][name="{name}"]').first.check()
    form.locator("button[type=submit]").click()
    result = page.locator("#self-check-result")
    result.locator('a[href*="levels/"]').first.wait_for(state="visible", timeout=10_000)
    assert _violations(page) == [] and errors == [], _violations(page) + errors
