"""Screenshots of key pages for reviewers, saved as CI artifacts ($SCREENSHOT_DIR or artifacts/screenshots/)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "compare": "/compare/", "iop": "/levels/iop/"}
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 667}}


@pytest.mark.parametrize("device", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_screenshot_saved(page, visit, screenshot_dir, name: str, device: str) -> None:
    """A full-page screenshot of the page is written as a real PNG for a reviewer to look at."""
    page.set_viewport_size(WIDTHS[device])
    visit(page, PAGES[name])
    target = screenshot_dir / f"{name}-{device}.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=str(target), full_page=True)
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 5_000, f"{target} is suspiciously small ({len(data)} bytes)"
