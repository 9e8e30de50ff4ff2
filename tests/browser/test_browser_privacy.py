"""Privacy: the site loads nothing from anywhere but the machine serving it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_no_request_leaves_localhost_on_any_page(public_tour, foreign_requests) -> None:
    """Loading every public page, scrolled to the bottom, requests nothing from a host other than
    localhost (the session's tour opens each page at 1280 px, its last probe scrolls it to the
    bottom and waits for the network to be quiet)."""
    leg = public_tour["1280px"]
    assert leg.errors("privacy") == []
    for stop, _ in leg.results("privacy"):
        assert stop.status == 200, f"{stop.path}: HTTP {stop.status}"
        assert stop.requests > 0, f"{stop.path}: no request was recorded, so nothing was checked"
    assert foreign_requests(leg.requests) == []
