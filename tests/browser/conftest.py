"""Browser harness: the built public site served on 127.0.0.1, driven by Debian's headless chromium.

Every test in this folder is marked `browser` (select with `-m browser`, skip with `-m "not browser"`;
tests/conftest.py sets it). Nothing here downloads anything: the browser is /usr/bin/chromium,
axe-core ships inside its package. `public_tour` opens every public page once per width and runs
the per-page checks of several tests on it (tests/browser/tour.py, probes.py).
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

from tests.browser import probes
from tests.browser.tour import Leg, tour

# The session's `browser` fixture (one Playwright per pytest process) lives in tests/conftest.py.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# URL schemes that never leave the machine.
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "tel", "mailto", "sms"}

DESKTOP = probes.DESKTOP
MOBILE = probes.MOBILE


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
    """Function `visit(page, path)`: open `path` on the served site, wait until it has loaded (its
    `load` event: style sheets, scripts and images too), expect 200. A test about requests made
    after that waits for a quiet network itself (`wait_until="networkidle"`: half a second more)."""

    def go(page, path: str):
        response = page.goto(site_url.rstrip("/") + path, wait_until="load")
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


SCHEMES = probes.SCHEMES  # "light" and "dark": Material's "default" and "slate"


@pytest.fixture
def set_scheme():
    """`set_scheme(page, "light" | "dark")`: the scheme applied at once; returns the page's
    background colour (CSS) so a test can check it took."""
    return probes.set_scheme


@pytest.fixture(scope="session")
def public_tour(browser, site_url: str, pages: list[str]) -> dict[str, Leg]:
    """Every public page opened once at 1280 px and once at 375 px (tests/browser/tour.py), with
    the checks of the crisis, accessibility, tap-target and privacy tests run on each, in this
    order: {"1280px": Leg, "375px": Leg}. Each test asserts on what its probe found."""
    return tour(browser, site_url, pages, {"1280px": DESKTOP, "375px": MOBILE}, {
        "1280px": [("crisis", probes.crisis), ("axe", probes.axe_schemes), ("tap", probes.tap_targets),
                   ("privacy", probes.scrolled_to_the_bottom)],
        "375px": [("crisis", probes.crisis), ("tap", probes.tap_targets)],
    }, timeout=30_000)


@pytest.fixture(scope="session")
def spanish_tour(browser, bilingual_url: str, spanish_pages: list[str]) -> dict[str, Leg]:
    """Every page of the Spanish site (es/) opened once at 1280 px with axe-core run in each
    scheme, as `public_tour` does for the English pages: {"1280px": Leg}."""
    return tour(browser, bilingual_url, spanish_pages, {"1280px": DESKTOP},
                {"1280px": [("axe", probes.axe_schemes)]}, timeout=30_000)
