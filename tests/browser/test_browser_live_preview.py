"""Live preview: `make serve` on a copy of the project refreshes the open tab and survives mistakes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LOCATED = re.compile(r"facts\.yaml:\d+|\.md:\d+|line \d+")


class Preview:
    """A running `make serve` in a project folder, with its terminal output in a file."""

    def __init__(self, project: Path, process: subprocess.Popen, log: Path, url: str) -> None:
        self.project, self.process, self.log, self.url = project, process, log, url

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def fetch(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=5) as response:
                return response.status, response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def wait_for_output(self, pattern: re.Pattern[str], start: int, timeout: float = 60) -> str:
        """Wait for terminal output after offset `start` to match `pattern`; return that new output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self.output()[start:]
            if pattern.search(new):
                return new
            assert self.process.poll() is None, f"the preview stopped:\n{self.output()[-3000:]}"
            time.sleep(0.3)
        pytest.fail(f"no {pattern.pattern!r} in the preview's output:\n{self.output()[start:][-3000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview(copy_project, tmp_path: Path) -> Iterator[Preview]:
    """`make serve` (the editors' command, not re-installing anything) on a copy of the project."""
    project = copy_project()
    venv = Path(sys.prefix)
    if not (venv / "bin" / "mkdocs").exists():
        pytest.fail(f"run the tests from the project's virtual environment (no mkdocs in {venv})", pytrace=False)
    port = _free_port()
    log = tmp_path / "serve.log"
    command = ["make", "-C", str(project), "-o", f"{venv}/.installed", "serve", f"VENV={venv}",
               f"ADDR=127.0.0.1:{port}"]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    running = Preview(project, process, log, f"http://127.0.0.1:{port}/")
    try:
        running.wait_for_output(re.compile(r"Serving on http://127\.0\.0\.1"), 0, timeout=120)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for_tab(page, selector: str, text: str, timeout: float = 60) -> None:
    """Wait, without touching the tab, until `selector` in it shows `text` (the tab reloads itself)."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        try:
            seen = page.locator(selector).first.inner_text(timeout=1_000)
            if text in seen:
                return
        except Exception:  # noqa: BLE001 - the page is mid-reload; look again
            pass
        time.sleep(0.3)
    pytest.fail(f"the open tab never showed {text!r} in {selector} (last seen {seen!r})")


def _rename_iop(facts: str, new_name: str) -> str:
    """facts.yaml text with the IOP level's name replaced."""
    block = re.search(r"(?m)^  iop:\n(?:(?:    .*|\s*)\n)*?    name: (.+)$", facts)
    assert block, "no levels.iop.name in facts.yaml"
    start, end = block.span(1)
    return facts[:start] + new_name + facts[end:]


def test_facts_edit_refreshes_tab_and_mistake_keeps_last_good_preview(preview: Preview, page) -> None:
    """Saving facts.yaml reloads the open tab; a broken file shows a located error, keeps the page, and a fix recovers."""
    facts = preview.project / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    page.goto(preview.url + "levels/iop/", wait_until="load")  # live reload long-polls: never idle

    facts.write_text(_rename_iop(original, "Intensive outpatient program, first edit"), encoding="utf-8")
    _wait_for_tab(page, "h1", "first edit")

    mark = len(preview.output())
    facts.write_text(original + "\nlevels: [unclosed\n", encoding="utf-8")
    preview.wait_for_output(LOCATED, mark)
    time.sleep(2)  # let a (wrong) rebuild finish, if one were to replace the site
    status, html = preview.fetch("levels/iop/")
    assert status == 200 and "first edit" in html, "the last good preview did not stay up"
    assert "first edit" in page.locator("h1").first.inner_text()

    facts.write_text(_rename_iop(original, "Intensive outpatient program, fixed"), encoding="utf-8")
    _wait_for_tab(page, "h1", "fixed")
    assert preview.process.poll() is None


def test_page_mistake_keeps_last_good_preview_and_fix_recovers(preview: Preview, page) -> None:
    """A Jinja typo in a page shows a located error and keeps the last good page; fixing it refreshes the tab."""
    home = preview.project / "content" / "index.md"
    original = home.read_text(encoding="utf-8")
    page.goto(preview.url, wait_until="load")  # live reload long-polls: never idle
    assert "Edited live" not in page.content()

    mark = len(preview.output())
    home.write_text(original + "\n\nEdited live {{ levels.iop.no_such_field }}\n", encoding="utf-8")
    preview.wait_for_output(re.compile(r"ERROR|Error"), mark)
    time.sleep(2)
    status, html = preview.fetch("")
    assert status == 200 and "<h1" in html, "the last good preview did not stay up"
    assert "no_such_field" in preview.output()[mark:], "the error does not name the mistake"

    home.write_text(original + "\n\nEdited live, now fixed.\n", encoding="utf-8")
    _wait_for_tab(page, "article", "Edited live, now fixed.")
    assert preview.process.poll() is None
