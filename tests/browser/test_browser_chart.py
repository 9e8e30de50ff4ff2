"""The continuum chart as a reader sees it: text big enough on a phone, bars that stand out from
the page in the light and dark schemes, and nothing cut off."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"375px": {"width": 375, "height": 667}, "1280px": {"width": 1280, "height": 800}}
CHART_PAGES = ["/", "/levels/"]

MEASURE = """scheme => {
  document.body.setAttribute('data-md-color-scheme', scheme);
  const svg = document.querySelector('svg.kb-chart__svg');
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            left: r.left - box.left, right: box.right - r.right};
  });
  const bars = [...svg.querySelectorAll('rect[class^="kb-chart__bar"]')].map(r => {
    const style = getComputedStyle(r);
    return {cls: r.getAttribute('class'), fill: style.fill, stroke: style.stroke, width: r.getBoundingClientRect().width};
  });
  return {texts, bars, background: getComputedStyle(document.body).backgroundColor};
}"""


def _rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_chart_reads_well_in_both_schemes(browser, visit, width: str, scheme: str) -> None:
    """Chart text is at least 14px and inside the chart; each bar (or a striped bar's outline)
    has at least 3:1 contrast with the page (WCAG 1.4.11)."""
    context = browser.new_context(viewport=VIEWPORTS[width], color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in CHART_PAGES:
            visit(page, path)
            found = page.evaluate(MEASURE, SCHEMES[scheme])
            assert found["bars"] and found["texts"], f"{path}: no chart bars or text"
            for text in found["texts"]:
                if text["px"] < 14 - 0.05:
                    problems.append(f"{path}: {text['text']!r} is {text['px']:.1f}px")
                if min(text["left"], text["right"]) < -0.5:
                    problems.append(f"{path}: {text['text']!r} runs outside the chart")
            for bar in found["bars"]:
                colour = bar["stroke"] if "url(" in bar["fill"] else bar["fill"]
                ratio = _contrast(colour, found["background"])
                if ratio < 3:
                    problems.append(f"{path}: {bar['cls']} has {ratio:.2f}:1 against the page")
                if bar["width"] < 2:
                    problems.append(f"{path}: {bar['cls']} is not drawn")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
