"""The continuum chart without MkDocs: the macro rendered by the core Renderer from the real
facts.yaml, read back as SVG, and rendered again from a changed copy of the facts."""

from __future__ import annotations

import copy
import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from carekb.load.facts_yaml import load_facts
from carekb.model.facts import Facts
from carekb.render.language.charts import chart_data, continuum_chart
from carekb.render.renderer import Renderer
from carekb.render.wording import figure_words

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def real_facts() -> Facts:
    facts, _ = load_facts(REPO / "facts.yaml")
    return facts


@pytest.fixture
def facts(real_facts: Facts) -> Facts:
    """A private copy of the real facts that a test may change."""
    return copy.deepcopy(real_facts)


def render(facts: Facts) -> str:
    renderer = Renderer(facts)
    renderer.begin("index.md")
    return str(continuum_chart(renderer))


def svg_of(html: str) -> ET.Element:
    found = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert found, "no <svg> in the chart"
    return ET.fromstring(found.group(0))


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def rows(svg: ET.Element) -> dict[str, dict[str, object]]:
    """Each row of the chart by its label: the bar's class, x and width, and the row's texts."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "kb-chart__row":
            continue
        texts = {t.get("class"): text_of(t) for t in group.iter(f"{SVG}text")}
        rect = group.find(f"{SVG}rect")
        found[texts["kb-chart__label"]] = {
            "class": rect.get("class").split(), "x": float(rect.get("x")),
            "width": float(rect.get("width")), "texts": texts,
            "arrow": group.find(f"{SVG}polygon") is not None,
        }
    return found


def scale(svg: ET.Element) -> tuple[float, float]:
    """(x of 0 hours, SVG units per hour), read from the axis ticks."""
    ticks = [(float(t.get("x")), int(text_of(t))) for t in svg.iter(f"{SVG}text")
             if t.get("class") == "kb-chart__tick"]
    (x0, h0), (x1, h1) = ticks[0], ticks[-1]
    assert h0 == 0
    return x0, (x1 - x0) / (h1 - h0)


def label(level) -> str:
    return level.abbr or level.name


def test_every_core_level_has_a_bar_with_its_hours_and_where_people_live(real_facts: Facts) -> None:
    """One row per core level: its short name, its adult hours in words and its `lives` text."""
    chart = rows(svg_of(render(real_facts)))
    assert list(chart) == [label(lv) for lv in real_facts.core_levels]
    for level in real_facts.core_levels:
        row = chart[label(level)]
        assert " ".join(level.lives.split()) in row["texts"]["kb-chart__lives"]
        words = figure_words(level.hours_per_week["adults"], unit="hours", per="week")
        assert words in " ".join(row["texts"].values())


def test_bars_are_drawn_from_the_figures(real_facts: Facts) -> None:
    """Ranges start and end at their figures; "fewer than" starts at 0; "or more" runs to the
    end with an arrow; a 24-hour setting spans the whole scale."""
    html = render(real_facts)
    svg = svg_of(html)
    x0, per_hour = scale(svg)
    data = chart_data(real_facts.core_levels)
    chart = rows(svg)
    for level in real_facts.core_levels:
        fig, row = level.hours_per_week["adults"], chart[label(level)]
        start = (row["x"] - x0) / per_hour
        end = (row["x"] + row["width"] - x0) / per_hour
        if level.asam.edition3.startswith("3"):
            assert "kb-chart__bar--around" in row["class"]
            assert start == pytest.approx(0) and end == pytest.approx(data["max"])
            assert "24-hour setting" in row["texts"]["kb-chart__value"]
            assert "around the clock" in row["texts"]["kb-chart__inbar"]
        elif fig.under is not None:
            assert (start, end) == (pytest.approx(0), pytest.approx(fig.under, abs=0.05))
        elif fig.max is not None:
            assert (start, end) == (pytest.approx(fig.min, abs=0.05), pytest.approx(fig.max, abs=0.05))
        else:  # open-ended: from the minimum to the end of the scale, with an arrow
            assert start == pytest.approx(fig.min, abs=0.05) and row["arrow"]
            assert end > fig.min and "kb-chart__bar--open" in row["class"]


def test_axis_has_hour_ticks_and_a_label(real_facts: Facts) -> None:
    """The axis counts hours from 0 past the highest figure and says what it measures."""
    svg = svg_of(render(real_facts))
    ticks = [int(text_of(t)) for t in svg.iter(f"{SVG}text") if t.get("class") == "kb-chart__tick"]
    highest = max(v for lv in real_facts.core_levels if not lv.asam.edition3.startswith("3")
                  for v in lv.hours_per_week["adults"].values())
    assert ticks[0] == 0 and ticks[-1] > highest and ticks == sorted(ticks)
    axis = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "kb-chart__axis-label"]
    assert axis == ["Hours of treatment a week (adults)"]


def test_title_and_description_come_from_facts(real_facts: Facts) -> None:
    """The SVG is an image named by its title and description; the description states every
    level's hours and where people live."""
    svg = svg_of(render(real_facts))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "kb-chart-title kb-chart-desc"
    assert svg.find(f"{SVG}title").get("id") == "kb-chart-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "kb-chart-desc"
    for level in real_facts.core_levels:
        assert level.name in desc.text and level.lives in desc.text
        assert figure_words(level.hours_per_week["adults"], unit="hours", per="week") in desc.text


def test_the_same_data_follows_as_a_table(real_facts: Facts) -> None:
    """After the figure: a table with a caption, column and row headers, and each level's
    link, hours (cited) and where people live."""
    html = render(real_facts)
    table = html[html.index("</figure>"):]
    assert table.lstrip().startswith("</figure>\n\n<table")
    assert "<caption>" in table and table.count('scope="col"') == 3
    assert table.count('scope="row"') == len(real_facts.core_levels)
    for level in real_facts.core_levels:
        row = re.search(rf'<tr[^>]*><th scope="row"[^>]*>\[[^]]*\]\(levels/{level.id}\.md\)</th>(.*?)</tr>',
                        table, re.S)
        assert row, f"no table row for {level.id}"
        words = figure_words(level.hours_per_week["adults"], unit="hours", per="week")
        assert f"{words}[^" in row.group(1) and level.lives in row.group(1)


def test_no_script_and_no_fixed_colours(real_facts: Facts) -> None:
    """The chart needs no script and takes every colour from CSS, so both schemes work."""
    html = render(real_facts)
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group(0)
    assert "<script" not in html and " on" not in re.sub(r'"[^"]*"', '""', svg)
    assert not re.search(r'\b(fill|stroke|style|color)="', svg)


def test_changing_a_figure_changes_the_svg(facts: Facts, real_facts: Facts) -> None:
    """A copy of the facts with IOP at 9 to 15 hours and PHP from 24 hours draws other bars."""
    before = rows(svg_of(render(real_facts)))
    iop = facts.levels["iop"].hours_per_week
    iop["adults"] = dataclasses.replace(iop["adults"], max=15)
    php = facts.levels["php"].hours_per_week
    php["adults"] = dataclasses.replace(php["adults"], min=24)
    html = render(facts)
    svg = svg_of(html)
    after = rows(svg)
    x0, per_hour = scale(svg)
    assert "9 to 15 hours a week" in after["IOP"]["texts"]["kb-chart__value"]
    assert after["IOP"]["width"] == pytest.approx(6 * per_hour, abs=0.1)
    assert after["IOP"]["width"] < before["IOP"]["width"]
    assert after["PHP"]["x"] == pytest.approx(x0 + 24 * per_hour, abs=0.1)
    assert "24 or more hours a week" in svg.find(f"{SVG}desc").text


def test_changing_where_people_live_changes_the_svg(facts: Facts) -> None:
    """A changed `lives` text shows under its bar, in the description and in the table."""
    facts.levels["iop"].lives = "At home. Some people stay in a sober living house nearby"
    html = render(facts)
    svg = svg_of(html)
    lives = rows(svg)["IOP"]["texts"]["kb-chart__lives"]
    assert lives == "At home. Some people stay in a sober living house nearby"
    assert "Some people stay in a sober living house nearby" in svg.find(f"{SVG}desc").text
    assert "Some people stay in a sober living house nearby</td>" in html


def test_long_lives_text_wraps_inside_the_chart(facts: Facts) -> None:
    """Text under a bar breaks into lines (tspans) short enough for the 400-unit viewBox."""
    facts.levels["php"].lives = ("At home, or in sober living, close enough to travel to the program "
                                 "every weekday. You go home each day.")
    svg = svg_of(render(facts))
    lives = next(t for g in svg.iter(f"{SVG}g") if g.get("class") == "kb-chart__row"
                 and text_of(g.find(f"{SVG}text")) == "PHP"
                 for t in g.iter(f"{SVG}text") if t.get("class") == "kb-chart__lives")
    lines = [text_of(span) for span in lives]
    assert len(lines) >= 3 and all(len(line) <= 42 for line in lines)
    assert " ".join(lines) == " ".join(facts.levels["php"].lives.split())


def test_24_hour_setting_does_not_stretch_the_scale(facts: Facts, real_facts: Facts) -> None:
    """Residential hours are a minimum inside 24-hour care: raising them keeps the scale and
    the full-width bar, and the new figure shows in the row's text."""
    residential = facts.levels["residential"].hours_per_week
    residential["adults"] = dataclasses.replace(residential["adults"], min=35)
    assert chart_data(facts.core_levels)["ticks"] == chart_data(real_facts.core_levels)["ticks"]
    row = rows(svg_of(render(facts)))[label(facts.levels["residential"])]
    assert "kb-chart__bar--around" in row["class"]
    assert "35 or more hours a week" in row["texts"]["kb-chart__lives"]


def test_chart_text_is_large_enough_on_a_phone() -> None:
    """Every chart text class is at least 14px once the 400-unit viewBox shrinks to a 375px
    phone's 343px column (the browser test measures the same on the page)."""
    css = (REPO / "overrides" / "assets" / "stylesheets" / "kb.css").read_text(encoding="utf-8")
    sizes = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        size = re.search(r"font-size:\s*([\d.]+)px", body)
        for selector in selectors.split(","):
            name = selector.strip()
            if name.startswith(".kb-chart__") and size:
                sizes[name] = float(size.group(1))
    svg = svg_of(render(copy.deepcopy(load_facts(REPO / "facts.yaml")[0])))
    width = float(svg.get("viewBox").split()[2])
    used = {"." + t.get("class") for t in svg.iter(f"{SVG}text")}
    assert used <= set(sizes), f"text without a size in kb.css: {used - set(sizes)}"
    for name in used:
        assert sizes[name] * 343 / width >= 14, f"{name} is {sizes[name] * 343 / width:.1f}px on a phone"


def test_page_usage_records_what_the_chart_shows(real_facts: Facts) -> None:
    """The impact report learns that a chart page uses each level's hours, `lives` text and the
    ASAM level that makes a bar a 24-hour setting."""
    renderer = Renderer(real_facts)
    usage = renderer.begin("index.md")
    continuum_chart(renderer)
    for level in real_facts.core_levels:
        assert level.hours_per_week["adults"].path in usage.facts
        assert f"{level.path}.lives" in usage.facts
        assert f"{level.asam.path}.edition3" in usage.facts
