"""Tap targets of at least 24x24 px (WCAG 2.2 SC 2.5.8) on every public page, phone and desktop.

axe's `target-size` rule is off by default, so the accessibility test does not run it: this test
turns it on alone. axe treats links inside sentences as exempt, so footnote numbers and the
"back" arrows after footnotes are measured here directly: each one's centre is at least 24px
from its neighbour's, and a tap a little beside a number still lands on it. The pages are
opened once per width by the session's tour (tests/browser/probes.py `tap_targets`).
"""

from __future__ import annotations

import pytest

from tests.browser.probes import WIDTHS

pytestmark = pytest.mark.browser

VIEWPORTS = WIDTHS


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_tap_targets_are_at_least_24px(public_tour, width: str) -> None:
    """axe's target-size rule finds nothing, and footnote numbers and arrows have 24px of room."""
    leg = public_tour[width]
    assert leg.viewport == VIEWPORTS[width]
    assert leg.errors("tap") == []
    problems: list[str] = []
    for stop, found in leg.results("tap"):
        assert stop.status == 200, f"{stop.path}: HTTP {stop.status}"
        for violation in found["violations"]:
            problems.append(f"{stop.path} [{width}] {violation['id']}: {'; '.join(violation['targets'])}")
        problems += [f"{stop.path} [{width}] footnote links too close: {c}" for c in found["close"][:3]]
        problems += [f"{stop.path} [{width}] tap missed {m}" for m in found["missed"][:3]]
    assert not problems, f"{len(problems)} tap-target problems:\n" + "\n".join(problems)
