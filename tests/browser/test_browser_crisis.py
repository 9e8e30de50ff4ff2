"""Crisis help: the crisis bar is on screen at the top of every page, on phones and desktops."""

from __future__ import annotations

import re

import pytest

from pathlib import Path
from carekb.facts import load_facts

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 667}, "1280px": {"width": 1280, "height": 800}}
# Calling is a tel: link; "text 988" is an sms: link, which is what a reader tapping "text" expects.
NUMBER_LINK = re.compile(r"(tel|sms):\+?[0-9][0-9-]*")


def _expected_links() -> set[str]:
    """tel: for every number to call (and TTY), sms: for every number to text, from facts.yaml."""
    facts, _ = load_facts(Path(__file__).resolve().parents[2] / "facts.yaml")
    digits = lambda n: "".join(ch for ch in n if ch.isdigit())  # noqa: E731
    out = set()
    for resource in facts.crisis.values():
        out |= {f"tel:{digits(n)}" for n in (resource.call, resource.tty) if n}
        out |= {f"sms:{digits(resource.text)}"} if resource.text else set()
    return out


EXPECTED = _expected_links()


def _problems(page, path: str, viewport: dict) -> list[str]:
    bar = page.locator(".kb-crisis")
    if bar.count() != 1:
        return [f"{path}: expected one .kb-crisis, found {bar.count()}"]
    problems = []
    if not bar.is_visible():
        return [f"{path}: the crisis bar is not visible"]
    if bar.get_attribute("role") != "region" or not (bar.get_attribute("aria-label") or "").strip():
        problems.append(f"{path}: the crisis bar needs role=region and an aria-label")
    box = bar.bounding_box()
    if box["y"] < 0 or box["y"] + box["height"] > viewport["height"]:
        problems.append(f"{path}: the crisis bar is not fully on the first screen (box {box})")
    title = page.locator("h1").first
    if title.count() and title.is_visible() and title.bounding_box()["y"] < box["y"]:
        problems.append(f"{path}: the page title comes before the crisis bar")
    # The numbers; the bar's one other link leads to the help page with every option.
    hrefs = bar.locator("a.kb-crisis__number").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    more = bar.locator("a.kb-crisis__more")
    if more.count() != 1 or not more.evaluate("a => a.href").endswith("/help/"):
        problems.append(f"{path}: the crisis bar lacks its one link to the help page")
    if not hrefs:
        problems.append(f"{path}: the crisis bar has no links")
    problems += [f"{path}: crisis link {href!r} is not a tel: or sms: link"
                 for href in hrefs if not NUMBER_LINK.fullmatch(href or "")]
    missing = EXPECTED - {(h or "").replace("-", "") for h in hrefs}
    if missing:
        problems.append(f"{path}: the crisis bar lacks {sorted(missing)}")
    return problems


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_crisis_bar_visible_at_top_with_tel_links(page, visit, pages, width: str) -> None:
    """On every page the crisis bar shows on the first screen, above the title, with a tel: link for
    every number to call and an sms: link for every number to text, all taken from facts.yaml."""
    viewport = VIEWPORTS[width]
    page.set_viewport_size(viewport)
    problems: list[str] = []
    for path in pages:
        visit(page, path)
        problems += _problems(page, path, viewport)
    assert not problems, "\n".join(problems)
