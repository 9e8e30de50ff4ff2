"""A failed rebuild shows its located problem in the open preview tab; the fix brings the page back."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from test_browser_live_preview import Preview, _wait_for_tab, preview  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


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
