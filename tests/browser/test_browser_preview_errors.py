"""A failed rebuild shows its located problem in the open preview tab; the fix brings the page back."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser_live_preview import Preview, _wait_for_tab, preview  # noqa: F401 - the fixture

from tests.test_preview_server import inline_code as _inline

pytestmark = pytest.mark.browser
LOCATED_ERROR = re.compile(r"facts\.yaml:\d+:\d+")


def _luminance(css: str) -> float:
    """Relative luminance (WCAG) of a computed `rgb(...)` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _alert_gone(page, timeout: float = 60) -> None:
    """Wait until the tab (reloading itself) no longer shows the error banner."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.locator("[role=alert]#preview-error").count() == 0 \
                    and page.locator("h1").count() > 0:
                return
        except Exception:  # noqa: BLE001 - the page is mid-reload; look again
            pass
        time.sleep(0.3)
    pytest.fail("the error banner stayed after the fix")


def test_broken_saves_show_in_the_tab_and_the_fix_brings_the_page_back(preview: Preview,  # noqa: F811
                                                                       page) -> None:
    costs = preview.project / "content" / "costs.md"
    facts = preview.project / "facts.yaml"
    good_page, good_facts = costs.read_text(encoding="utf-8"), facts.read_text(encoding="utf-8")
    page.goto(preview.url + "costs/", wait_until="load")
    assert page.locator("[role=alert]#preview-error").count() == 0

    # A Jinja mistake in a page: the tab reloads by itself and shows where it is.
    costs.write_text(good_page.replace("# Costs and insurance", "# Costs and insurance "
                                       "{{ levels.iop.no_such_field( }}", 1), encoding="utf-8")
    _wait_for_tab(page, "[role=alert]#preview-error", "content/costs.md:")
    alert = page.locator("[role=alert]#preview-error")
    text = alert.inner_text()
    assert re.search(r"content/costs\.md:\d+", text), text
    assert "last good version" in text and "Fix the problem" in text
    # The last good page is still there under the banner.
    assert "Costs and insurance" in page.locator("h1").first.inner_text()
    colour = alert.evaluate("e => getComputedStyle(e).color")
    background = alert.evaluate("e => getComputedStyle(e).backgroundColor")
    light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, (colour, background)
    # The banner is served, never written: the page as a file holds none.
    status, html = preview.fetch("costs/")
    assert status == 200 and 'id="preview-error"' in html
    folder = re.search(r"Preview pages are built in (\S+) \(", preview.output())
    assert folder, preview.output()[-2000:]
    written = (Path(folder[1]) / "costs" / "index.html").read_text(encoding="utf-8")
    assert "Costs and insurance" in written and "preview-error" not in written

    costs.write_text(good_page, encoding="utf-8")
    _alert_gone(page)
    assert "Costs and insurance" in page.locator("h1").first.inner_text()

    # A broken facts.yaml: file:line:column, the field, and the fix.
    facts.write_text(good_facts.replace("adults: {under: 9, source: asam3}",
                                        "adults: {under: nine, source: asam3}", 1),
                     encoding="utf-8")
    _wait_for_tab(page, "[role=alert]#preview-error", "facts.yaml:")
    text = page.locator("[role=alert]#preview-error").inner_text()
    assert re.search(r"facts\.yaml:\d+:\d+: levels\.\w+\.hours_per_week\.adults", text), text
    assert "Fix" in text
    facts.write_text(good_facts, encoding="utf-8")
    _alert_gone(page)
    assert preview.process.poll() is None


_IN_VIEW = """() => {
    const box = document.getElementById("preview-error");
    if (!box) return null;
    const r = box.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, height: r.height, view: innerHeight,
            focused: document.activeElement === box, scrolled: scrollY,
            hit: document.elementFromPoint(innerWidth / 2, r.top + 5)?.closest("#preview-error") !== null};
}"""


def test_the_box_is_in_view_and_focused_at_any_scroll_position_on_a_phone_and_a_laptop(
        preview: Preview, browser) -> None:  # noqa: F811
    """A save that breaks facts.yaml while tabs are open far down a long page: each tab reloads
    and shows the box inside the window, on top of the page, with the focus on it."""
    from conftest import DESKTOP, MOBILE

    facts = preview.project / "facts.yaml"
    good = facts.read_text(encoding="utf-8")
    tabs = []
    for viewport, where in ((MOBILE, 1.0), (DESKTOP, 0.5), (DESKTOP, 0.0)):
        context = browser.new_context(viewport=viewport, service_workers="block")
        tab = context.new_page()
        tab.goto(preview.url + "glossary/", wait_until="load")
        tab.evaluate("f => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * f)", where)
        tabs.append((context, tab, viewport, where))
    try:
        facts.write_text(good.replace("adults: {under: 9, source: asam3}",
                                      "adults: {under: nine, source: asam3}", 1), encoding="utf-8")
        for _, tab, viewport, where in tabs:
            _wait_for_tab(tab, "[role=alert]#preview-error", "facts.yaml:")
            # The browser puts the scroll position back after load: wait (up to 10 s on a busy
            # machine) until the box is in view and focused, then read what the reader sees.
            try:
                tab.wait_for_function(f"() => {{ const s = ({_IN_VIEW})(); return s && s.top >= 0 && "
                                      f"s.bottom <= s.view && s.height > 40 && s.focused && s.hit && "
                                      f"({'s.scrolled > 0' if where else 'true'}); }}", timeout=10_000)
            except PlaywrightTimeout:
                pass  # the assertions below say what is wrong
            tab.wait_for_timeout(300)  # and it stays there
            seen = tab.evaluate(_IN_VIEW)
            label = f"{viewport['width']} px, {where:.0%} down"
            assert seen["top"] >= 0 and seen["bottom"] <= seen["view"] and seen["height"] > 40, (label, seen)
            assert seen["focused"] and seen["hit"], (label, seen)
            if where:
                assert seen["scrolled"] > 0, (label, "the tab lost its place in the page", seen)
        facts.write_text(good, encoding="utf-8")
        for _, tab, _, _ in tabs:
            _alert_gone(tab)
    finally:
        facts.write_text(good, encoding="utf-8")
        for context, *_ in tabs:
            context.close()


def test_what_the_preview_adds_to_a_page_is_no_inline_code(preview: Preview) -> None:  # noqa: F811
    """The live reload and the box come as files from the preview server (a Content-Security-
    Policy of script-src 'self' lets them run): a served page holds exactly the inline scripts
    and styles its written file holds, and the preview's files are served."""
    folder = re.search(r"Preview pages are built in (\S+) \(", preview.output())
    assert folder, preview.output()[-2000:]
    written = (Path(folder[1]) / "costs" / "index.html").read_text(encoding="utf-8")
    # The preview is not plain `mkdocs serve`: its pages keep the strict policy (hooks/atomic.py).
    assert "script-src 'self';" in written and "unsafe-inline" not in written
    facts = preview.project / "facts.yaml"
    good = facts.read_text(encoding="utf-8")
    try:
        for broken in (False, True):
            if broken:
                mark = len(preview.output())
                facts.write_text(good.replace("source: asam3}", "source: asam3", 1), encoding="utf-8")
                preview.wait_for_output(LOCATED_ERROR, mark)
            status, served = preview.fetch("costs/")
            assert status == 200 and ('id="preview-error"' in served) is broken
            assert _inline(served) == _inline(written), "the preview added inline code"
            assert "/.preview/livereload.js" in served
        for name, kind in (("livereload.js", "javascript"), ("preview.css", "text/css")):
            with urllib.request.urlopen(preview.url + ".preview/" + name, timeout=5) as response:
                assert response.status == 200 and kind in response.headers["Content-Type"]
    finally:
        facts.write_text(good, encoding="utf-8")
