"""Plain `mkdocs serve` keeps its live reload under the pages' Content-Security-Policy.

MkDocs' own server injects an inline live-reload script into every page it serves. The pages'
policy (overrides/main.html) allows inline scripts only in the pages plain `mkdocs serve` builds
into its temporary folder (hooks/atomic.py); `make serve` injects no inline script and keeps the
strict policy (tests/test_preview_server.py), and published pages always do (test_browser_csp.py).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

_LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective));"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`mkdocs serve --livereload` of the real project, as an editor types it."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=REPO_ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"mkdocs serve did not start:\n{process.stderr.read()[-3000:]}", pytrace=False)
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_plain_mkdocs_serve_reloads_with_no_policy_violation(browser, served: str) -> None:
    """The page served by `mkdocs serve` runs its live-reload script (the reload request is made)
    and the browser reports no policy violation."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(_LISTEN)
    page = context.new_page()
    try:
        with page.expect_request(re.compile(r"/livereload/\d+/\d+")):
            page.goto(served + "faq/")
        meta = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "script-src 'self' 'unsafe-inline'" in meta
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
