"""Figures in plain words: ``{min: 9, max: 19}`` hours a week reads "9 to 19 hours a week".

Plain text only (no Markdown, no HTML): callers escape and add citations. The same unit
rules are used to spot figures typed by hand, so both live here. `did_you_mean` words the
hint for a misspelt name. Wording that shows facts in pages lives in Jinja macros
(`carekb/templates/macros/wording.md.j2`).
"""

from __future__ import annotations

import datetime as dt
import difflib

from carekb.model import Figure

# A figure's unit when the file leaves it out, from the field that holds it.
IMPLIED_UNITS: dict[str, tuple[str, str | None]] = {
    "hours_per_week": ("hours", "week"),
    "days_per_week": ("days", "week"),
    "session_hours": ("hours", None),
    "medicare_hours": ("hours", "week"),
}

SINGULAR = {"hours": "hour", "days": "day", "weeks": "week", "months": "month",
            "minutes": "minute", "doses": "dose", "people": "person", "years": "year"}

# What a length of stay measures, in words: before its numbers, or after them.
MEASURED_BEFORE = {"typical": "usually "}
MEASURED_AFTER = {"completed": " for people who finished", "all_discharges": " for everyone who left, finished or not",
                  "recommended": " in all, as research advises"}
# Whose stays a median counts, in words a grade-6 reader knows: a median of 50 days for people
# who finished reads "about half of people who finished stayed 50 days or less".
MEDIAN_WHO = {"completed": "people who finished", "all_discharges": "everyone who left, finished or not,"}


def unit_of(figure: Figure) -> tuple[str | None, str | None]:
    """(unit, per) of a figure, falling back on the field it sits in (``days_per_week``)."""
    unit, per = figure.unit, figure.per
    for part in reversed(figure.path.split(".")):
        if part in IMPLIED_UNITS:
            implied_unit, implied_per = IMPLIED_UNITS[part]
            return unit or implied_unit, per or implied_per
    return unit, per


def number(value: float, *, dollars: bool = False) -> str:
    """1944 -> "1,944"; 3.5 -> "3.5"; dollars get a "$" sign."""
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    return f"${text}" if dollars else text


def amount(figure: Figure, unit: str | None) -> tuple[str, bool]:
    """The figure's numbers in words, and whether it reads as exactly one."""
    dollars = unit == "dollars"

    def n(v: float) -> str:
        return number(v, dollars=dollars)

    if figure.min is not None and figure.max is not None:
        if figure.min == figure.max:
            return n(figure.min), figure.min == 1
        return f"{n(figure.min)} to {n(figure.max)}", False
    if figure.min is not None:
        return f"{n(figure.min)} or more", False
    if figure.under is not None:
        return (f"under {n(figure.under)}" if dollars else f"fewer than {n(figure.under)}"), False
    if figure.about is not None:
        return f"about {n(figure.about)}", figure.about == 1
    if figure.median is not None:
        return f"a median of {n(figure.median)}", figure.median == 1
    if figure.max is not None:
        return f"up to {n(figure.max)}", False
    raise ValueError(f"{figure.path}: figure states no number")


def figure_words(figure: Figure, *, unit: str | None = None, per: str | None = None) -> str:
    """The whole figure as a phrase: "3 to 5 days a week", "$250 to $350 a day (2024 prices)",
    "$300 to $450 a day (undated price, read November 2026)", "about $1,944 an episode (what it cost
    programs in 2002, not a price)", "about half of people who finished stayed 50 days or less (2004 data)"."""
    own_unit, own_per = unit_of(figure)
    unit = unit or own_unit
    per = per or own_per
    if figure.median is not None and figure.measures in MEDIAN_WHO and unit in SINGULAR and not per:
        return _plain_median(figure, unit)
    text, one = amount(figure, unit)
    if unit == "percent":
        text += "%"
    elif unit and unit != "dollars":
        text += " " + (SINGULAR.get(unit, unit) if one else unit)
    if per and per[0].isdigit():
        text += f" for {per}"  # "$2,000 for 30 days", not "a 30 days"
    elif per:
        text += f" {'an' if per[0] in 'aeiou' else 'a'} {per}"
    text = MEASURED_BEFORE.get(figure.measures or "", "") + text + MEASURED_AFTER.get(figure.measures or "", "")
    if unit == "dollars":
        return text + _money_date(figure)
    if figure.data_year:
        return f"{text} ({_data_span(figure)})"
    if figure.as_of:
        text += f" (as of {figure.as_of})"
    elif figure.read:
        text += f" (undated figure, read {figure.read:%B %Y})"
    return text


def _plain_median(figure: Figure, unit: str) -> str:
    """A median length of stay counted in a data set, without the word "median": "about half of
    people who finished stayed 50 days or less (2004 data)"."""
    value = figure.median or 0
    text = f"about half of {MEDIAN_WHO[figure.measures or '']} stayed {number(value)} " \
           f"{SINGULAR.get(unit, unit) if value == 1 else unit} or less"
    return f"{text} ({_data_span(figure)})" if figure.data_year else text


def _data_span(figure: Figure) -> str:
    """When the data behind a figure are from: "2004 data", "data from 1993 to 2002"."""
    return f"data from {figure.data_from} to {figure.data_year}" if figure.data_from else f"{figure.data_year} data"


def _money_date(figure: Figure) -> str:
    """When a cost is from, worded by its kind: a research cost never reads as a price."""
    if figure.kind == "economic_cost":
        return f" (what it cost programs{f' in {figure.as_of}' if figure.as_of else ''}, not a price)"
    noun = {"charge": "charge", "price": "price"}.get(figure.kind or "")
    if figure.as_of:
        return f" ({figure.as_of} {noun}s)" if noun else f" (as of {figure.as_of})"
    if figure.read:
        # The page gave no date: say so, and when we read it, rather than pass that off as its year.
        return f" (undated {noun or 'figure'}, read {figure.read:%B %Y})"
    return ""


def long_date(day: dt.date) -> str:
    """2026-11-01 -> "November 1, 2026"."""
    return f"{day:%B} {day.day}, {day.year}"


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    """"Did you mean 'x'? Choose from: …" for a misspelt `name` (difflib)."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    if close:  # keep only the guesses about as close as the best one
        best = difflib.SequenceMatcher(None, name, close[0]).ratio()
        close = [c for c in close if difflib.SequenceMatcher(None, name, c).ratio() > best - 0.05]
    guess = f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"{guess}Choose from: {', '.join(choices) or '(none)'}"
