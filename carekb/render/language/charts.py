"""The continuum chart: an SVG bar chart of adult hours a week by level, with a data table.

`chart_data` works out the bars from the levels; `continuum_chart` is the page-language macro
that draws them through `carekb/templates/macros/continuum_chart.html.j2`.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from carekb.render.language.context import PageContext



def continuum_chart(r: PageContext) -> Markup:
    """An SVG bar chart of adult hours a week by level, with a data table.

    Example: {{ continuum_chart() }}
    """
    levels = r.visible(r.facts.core_levels)
    for level in levels:  # these decide which bars are 24-hour settings
        r.tracker.use(level.asam, "edition3")
        r.tracker.use(level, "around_the_clock")
    return r.template("macros/continuum_chart.html.j2", chart=chart_data(levels))


def chart_data(levels: list[Any]) -> dict[str, Any]:
    """Bars for the continuum chart: where each level's adult hours a week start and end.

    A level at ASAM level 3 or above is a 24-hour setting (people live there, with care around
    the clock): its weekly treatment hours are a minimum inside that care, not a range of
    sessions, so its bar spans the whole scale and is drawn apart (`around_the_clock`).
    """
    bars = []
    top = 0.0
    for lv in levels:
        fig = lv.hours_per_week.get("adults")
        if fig is None:
            continue
        low = fig.min if fig.min is not None else 0.0
        high = next((v for v in (fig.max, fig.under, fig.about, fig.median) if v is not None), None)
        open_ended = high is None
        high = high if high is not None else low
        if fig.about is not None or fig.median is not None:
            low = 0.0
        # `around_the_clock` in facts.yaml says so; the rule "around-the-clock" keeps it in step
        # with the ASAM number, which still counts here for levels built without the field.
        around_the_clock = bool(getattr(lv, "around_the_clock", False)) or _asam_level(lv) >= 3
        if not around_the_clock:
            top = max(top, high, low)
        bars.append({"level": lv, "figure": fig, "low": low, "high": high, "open": open_ended,
                     "around_the_clock": around_the_clock})
    scale_max = max(10.0, (int(top * 1.4) // 10 + 1) * 10)
    for bar in bars:
        if bar["around_the_clock"]:
            bar["low"], bar["open"] = 0.0, False
        if bar["open"] or bar["around_the_clock"]:
            bar["high"] = scale_max
    ticks = list(range(0, int(scale_max) + 1, 5 if scale_max <= 40 else 10))
    return {"bars": bars, "max": scale_max, "ticks": ticks}


def _asam_level(level: Any) -> float:
    """The lowest ASAM (3rd edition) level number of a level: "3.1, 3.5" -> 3.1; 0 if none."""
    found = re.findall(r"\d+(?:\.\d+)?", getattr(level.asam, "edition3", "") or "")
    return min((float(n) for n in found), default=0.0)
