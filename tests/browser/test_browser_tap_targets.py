"""Tap targets of at least 24x24 px (WCAG 2.2 SC 2.5.8) on every public page, phone and desktop.

axe's `target-size` rule is off by default, so the accessibility test does not run it: this test
turns it on alone. axe treats links inside sentences as exempt, so footnote numbers and the
"back" arrows after footnotes are measured here directly: each one's centre is at least 24px
from its neighbour's, and a tap a little beside a number still lands on it.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 667}, "1280px": {"width": 1280, "height": 800}}
ONLY_TARGET_SIZE = {"runOnly": {"type": "rule", "values": ["target-size"]}, "resultTypes": ["violations"]}

# Pairs of footnote links whose centres are closer than 24px, and whether a tap 10px above,
# below, left and right of each number's centre reaches that number.
FOOTNOTE_TARGETS = """() => {
  const links = [...document.querySelectorAll('article a.footnote-ref, article a.footnote-backref')]
    .filter(a => a.getClientRects().length);
  const centre = a => { const r = a.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
  const close = [];
  for (let i = 0; i < links.length; i++) {
    for (let j = i + 1; j < links.length; j++) {
      const [x1, y1] = centre(links[i]), [x2, y2] = centre(links[j]);
      const d = Math.hypot(x1 - x2, y1 - y2);
      if (d < 24) close.push(`${links[i].textContent} and ${links[j].textContent} ${d.toFixed(1)}px apart`);
    }
  }
  const missed = [];
  for (const a of links.filter(a => a.classList.contains('footnote-ref')).slice(0, 5)) {
    a.scrollIntoView({block: 'center', behavior: 'instant'});
    const [x, y] = centre(a);
    for (const [dx, dy] of [[0, -10], [0, 10], [-10, 0], [10, 0]]) {
      const hit = document.elementFromPoint(x + dx, y + dy);
      if (!(hit && (hit === a || a.contains(hit)))) missed.push(`footnote ${a.textContent} at (${dx}, ${dy})`);
    }
  }
  return {close, missed};
}"""


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_tap_targets_are_at_least_24px(browser, visit, pages, width: str) -> None:
    """axe's target-size rule finds nothing, and footnote numbers and arrows have 24px of room."""
    context = browser.new_context(viewport=VIEWPORTS[width], service_workers="block")
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    try:
        for path in pages:
            visit(page, path)
            for violation in axe.run(page, options=ONLY_TARGET_SIZE).response["violations"]:
                targets = "; ".join(" ".join(map(str, n["target"])) for n in violation["nodes"][:5])
                problems.append(f"{path} [{width}] {violation['id']}: {targets}")
            found = page.evaluate(FOOTNOTE_TARGETS)
            problems += [f"{path} [{width}] footnote links too close: {c}" for c in found["close"][:3]]
            problems += [f"{path} [{width}] tap missed {m}" for m in found["missed"][:3]]
    finally:
        context.close()
    assert not problems, f"{len(problems)} tap-target problems:\n" + "\n".join(problems)
