"""What the preview server (engine/serve.py) adds to a page is no inline code: its live reload
and error box are files it serves under /.preview/, so a page's Content-Security-Policy
(`script-src 'self'`, no inline styles) lets them work. In-process: no browser, no build.
(tests/browser/test_browser_preview_errors.py checks the same of a running `make serve`, and
that the box shows in view.)"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from engine.serve import ASSETS, ASSETS_URL, PreviewServer

PAGE = (b'<!doctype html><html><head><meta charset="utf-8"><title>T</title>'
        b'<script src="/assets/x.js"></script></head><body><h1>T</h1><p>Text</p></body></html>')


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        self.found += [f"<{tag} {n}=>" for n in sorted(names) if n.startswith("on") or n == "style"]
        if tag == "style" or (tag == "script" and "src" not in names):
            self.found.append(f"<{tag}> without src")
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._in and data.strip():
            self.found.append(f"<{self._in}> body {data.strip()[:40]!r}")

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def inline_code(page: str | bytes) -> list[str]:
    """Inline scripts, inline styles and event-handler attributes in an HTML page: what a strict
    Content-Security-Policy blocks."""
    parser = _Inline()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    return parser.found


@pytest.fixture
def server(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(PAGE)
    running = PreviewServer(SimpleNamespace(site_dir=site), "127.0.0.1", 0)
    running._watched_paths[str(tmp_path)] = 1  # as when watching files: pages get the script
    try:
        yield running
    finally:
        running.server_close()


def _get(server: PreviewServer, path: str) -> tuple[str, dict[str, str], bytes]:
    said: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        said.update(status=status, headers=dict(headers))

    body = b"".join(server.serve_request({"PATH_INFO": path, "wsgi.input": io.BytesIO()},
                                         start_response))
    return said["status"], said["headers"], body


def test_the_page_is_served_with_the_live_reload_as_a_script_file(server) -> None:
    status, _, body = _get(server, "/")
    assert status == "200 OK"
    assert inline_code(body) == [] and inline_code(PAGE) == []
    assert b'<script src="/.preview/livereload.js" data-epoch="' in body
    assert body.count(b"<script") == 2 and b"preview-error" not in body


def test_a_failed_rebuild_adds_the_box_and_its_style_sheet_and_no_inline_code(server) -> None:
    server.problems = ['facts.yaml:3:5: levels.iop: `<b>` is "wrong". Fix: this.']
    status, _, body = _get(server, "/")
    assert status == "200 OK" and inline_code(body) == []
    text = body.decode()
    assert text.index('id="preview-error"') < text.index("<h1>")  # first in the page
    assert 'role="alert"' in text and 'tabindex="-1"' in text
    assert '`&lt;b&gt;` is &quot;wrong&quot;' in text  # the messages are text
    assert text.index('href="/.preview/preview.css"') < text.index("</head>")
    # The 404 page of a missing address carries it too.
    status, _, body = _get(server, "/no/such/page/")
    assert status.startswith("404") and b'id="preview-error"' in body and inline_code(body) == []


@pytest.mark.parametrize("name,kind", [("livereload.js", "text/javascript"), ("preview.css", "text/css")])
def test_the_preview_serves_its_own_files_under_a_path_no_site_has(server, name, kind) -> None:
    status, headers, body = _get(server, ASSETS_URL + name)
    assert status == "200 OK" and headers["Content-Type"].startswith(kind)
    assert body == (ASSETS / name).read_bytes()
    assert ASSETS_URL.startswith("/.")  # MkDocs never publishes a name that starts with a dot


@pytest.mark.parametrize("path", ["/.preview/../serve.py", "/.preview/missing.js", "/.preview/"])
def test_nothing_else_is_served_from_the_preview_path(server, path) -> None:
    status, _, body = _get(server, path)
    assert status.startswith("404") and b"def " not in body


def test_the_script_reloads_and_focuses_the_box_without_inline_handlers() -> None:
    script = (ASSETS / "livereload.js").read_text(encoding="utf-8")
    assert "location.reload()" in script and '"/livereload/"' in script
    assert 'getElementById("preview-error")' in script and ".focus(" in script
    assert "document.currentScript" in script and "data-epoch" in script
    css = (ASSETS / "preview.css").read_text(encoding="utf-8")
    assert "position: fixed" in css and "max-height" in css
