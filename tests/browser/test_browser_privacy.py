"""Privacy: the site loads nothing from anywhere but the machine serving it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_no_request_leaves_localhost_on_any_page(page, visit, pages, request_log, foreign_requests) -> None:
    """Loading every public page, scrolled to the bottom, requests nothing from a host other than localhost."""
    for path in pages:
        before = len(request_log)
        visit(page, path)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        assert len(request_log) > before, f"{path}: no request was recorded, so nothing was checked"
    assert foreign_requests(request_log) == []
