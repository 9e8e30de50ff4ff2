"""Crisis help: the crisis bar is on screen at the top of every page, on phones and desktops."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 667}, "1280px": {"width": 1280, "height": 800}}
TEL = re.compile(r"tel:\+?[0-9][0-9-]*")


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
    hrefs = bar.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    if not hrefs:
        problems.append(f"{path}: the crisis bar has no links")
    problems += [f"{path}: crisis link {href!r} is not a tel: link" for href in hrefs if not TEL.fullmatch(href or "")]
    return problems


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_crisis_bar_visible_at_top_with_tel_links(page, visit, pages, width: str) -> None:
    """On every page the crisis bar shows on the first screen, above the title, and its links are tel: links."""
    viewport = VIEWPORTS[width]
    page.set_viewport_size(viewport)
    problems: list[str] = []
    for path in pages:
        visit(page, path)
        problems += _problems(page, path, viewport)
    assert not problems, "\n".join(problems)
