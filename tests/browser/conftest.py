"""Browser harness: the built public site served on 127.0.0.1, driven by Debian's headless chromium.

Every test in this folder is marked `browser` (select with `-m browser`, skip with `-m "not browser"`).
Nothing here downloads anything: the browser is /usr/bin/chromium, axe-core ships inside its package.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# The session's `browser` fixture (one Playwright per pytest process) lives in tests/conftest.py.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# URL schemes that never leave the machine.
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "tel", "mailto", "sms"}

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 667}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def _site_pages(site: Path) -> list[str]:
    """URL paths of every page in a built site ('/', '/levels/iop/', ...), found from its index.html files."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    return paths


def _foreign(urls: list[str]) -> list[str]:
    """The URLs that would leave the machine: any host other than 127.0.0.1 or localhost."""
    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            foreign.append(url)
    return foreign


@pytest.fixture(scope="session")
def pages(built_site: Path) -> list[str]:
    """Every public page's URL path, discovered from the built site."""
    found = _site_pages(built_site)
    assert "/" in found, f"the built site has no home page; found {found[:10]}"
    return found


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (ending in '/') of the built public site, served by http.server on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def bilingual_url(bilingual_site: Path) -> Iterator[str]:
    """Base URL (ending in '/') of both public sites of a project with a complete Spanish
    translation (tests/conftest.py `bilingual_site`): English at it, Spanish at its es/."""
    handler = functools.partial(_QuietHandler, directory=str(bilingual_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="bilingual-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def spanish_pages(bilingual_site: Path) -> list[str]:
    """Every Spanish page's URL path ('/es/', '/es/levels/iop/', ...)."""
    return [f"/es{path}" for path in _site_pages(bilingual_site / "es")]


@pytest.fixture
def request_log() -> list[str]:
    """Every URL the page fixture's browser context requested, in order."""
    return []


@pytest.fixture
def page(browser, request_log: list[str]) -> Iterator[object]:
    """A fresh desktop page; the test fails if anything it loaded came from a host other than localhost."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    context.on("request", lambda request: request_log.append(request.url))
    context.on("websocket", lambda socket: request_log.append(socket.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
    foreign = _foreign(request_log)
    assert not foreign, f"requests left localhost: {foreign}"


@pytest.fixture(scope="session")
def foreign_requests():
    """Function: the URLs in a list that would leave the machine (host not 127.0.0.1/localhost)."""
    return _foreign


@pytest.fixture(scope="session")
def visit(site_url: str):
    """Function `visit(page, path)`: open `path` on the served site, wait for a quiet network, expect 200."""

    def go(page, path: str):
        response = page.goto(site_url.rstrip("/") + path, wait_until="networkidle")
        status = response.status if response is not None else None
        assert status == 200, f"{path}: HTTP {status}"
        return response

    return go


@pytest.fixture(scope="session")
def screenshot_dir(repo_root: Path) -> Path:
    """Where screenshots for reviewers go: $SCREENSHOT_DIR, or artifacts/screenshots/ in the repo."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or repo_root / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Material keeps the colour scheme on <body data-md-color-scheme>: "default" is light, "slate" dark.
SCHEMES = {"light": "default", "dark": "slate"}
# Switch the scheme at once, with transitions off, so what is measured next (axe's contrast
# check, a computed colour) sees the final colours, not a colour halfway through a transition.
# A constructed style sheet, not a <style> element: the pages' Content-Security-Policy
# (style-src 'self') blocks the latter, which left the transitions on.
_SET_SCHEME = """scheme => {
    const still = new CSSStyleSheet();
    still.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
    document.body.setAttribute("data-md-color-scheme", scheme);
    return getComputedStyle(document.body).backgroundColor;
}"""


@pytest.fixture
def set_scheme():
    """`set_scheme(page, "light" | "dark")`: the scheme applied at once; returns the page's
    background colour (CSS) so a test can check it took."""

    def apply(page, scheme: str) -> str:
        page.emulate_media(color_scheme=scheme)
        return page.evaluate(_SET_SCHEME, SCHEMES[scheme])

    return apply

