"""Crisis help: the crisis bar is on screen at the top of every page, on phones and desktops.

The pages are opened once per width by the session's tour; the checks of each page are
tests/browser/probes.py `crisis`, run first, on the page as loaded."""

from __future__ import annotations

import pytest

from tests.browser.probes import EXPECTED, WIDTHS

pytestmark = pytest.mark.browser

VIEWPORTS = WIDTHS


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_crisis_bar_visible_at_top_with_tel_links(public_tour, foreign_requests, width: str) -> None:
    """On every page the crisis bar shows on the first screen, above the title, with a tel: link for
    every number to call and an sms: link for every number to text, all taken from facts.yaml."""
    leg = public_tour[width]
    assert leg.viewport == VIEWPORTS[width] and EXPECTED
    assert leg.errors("crisis") == []
    problems: list[str] = []
    for stop, found in leg.results("crisis"):
        assert stop.status == 200, f"{stop.path}: HTTP {stop.status}"
        problems += found
    assert not problems, "\n".join(problems)
    assert not foreign_requests(leg.requests), f"requests left localhost: {foreign_requests(leg.requests)}"
