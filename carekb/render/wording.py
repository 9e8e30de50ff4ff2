"""Figures in plain words: ``{min: 9, max: 19}`` hours a week reads "9 to 19 hours a week",
and in Spanish (`language="es"`) "de 9 a 19 horas por semana".

Plain text only (no Markdown, no HTML): callers escape and add citations. The same unit
rules are used to spot figures typed by hand, so both live here. `did_you_mean` words the
hint for a misspelt name. Wording that shows facts in pages lives in Jinja macros
(`carekb/templates/macros/wording.md.j2`, and `carekb/templates/es/macros/wording.md.j2`).

One code words a figure in every language: the numbers themselves are written the same way
in both (`number`: 1,944 and 3.5, as US federal Spanish pages write them), so a page and its
Spanish twin show the same numbers; only the words around them change (`_WORDS`).
"""

from __future__ import annotations

import datetime as dt
import difflib

from carekb.model.facts import Figure

# A figure's unit when the file leaves it out, from the field that holds it: `unit_of` is the one
# place that decides a figure's unit (pages, the page language and the hand-typed check ask it).
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

LANGUAGES = ("en", "es")
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre")
# Spanish: each unit's (singular, plural, feminine?) and what a figure's `per` reads as.
_UNITS_ES = {"hours": ("hora", "horas", True), "days": ("día", "días", False),
             "weeks": ("semana", "semanas", True), "months": ("mes", "meses", False),
             "minutes": ("minuto", "minutos", False), "people": ("persona", "personas", True),
             "years": ("año", "años", False), "dollars": ("dólar", "dólares", False)}
_PER_ES = {"day": "día", "week": "semana", "month": "mes", "year": "año", "program": "programa",
           "episode": "episodio de tratamiento"}
_MEASURED_BEFORE_ES = {"typical": "por lo general, "}
# "Terminaron" alone leaves a reader asking what: the median says it ("el tratamiento").
_MEDIAN_WHO_ES = {"completed": "las personas que terminaron el tratamiento",
                  "all_discharges": "todas las personas que salieron del tratamiento, lo terminaran o no,"}
_MEASURED_AFTER_ES = {"completed": " para quienes terminaron",
                      "all_discharges": " para todos los que salieron, terminaran o no",
                      "recommended": " en total, como aconseja la investigación"}


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


def amount(figure: Figure, unit: str | None, language: str = "en") -> tuple[str, bool]:
    """The figure's numbers in words, and whether it reads as exactly one."""
    dollars = unit == "dollars"
    if language == "es":
        return _amount_es(figure, unit)

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


def _amount_es(figure: Figure, unit: str | None) -> tuple[str, bool]:
    """`amount` in Spanish: "de 9 a 19", "20 o más", "menos de 9", "unos 90", "una mediana de 41",
    "hasta 5" (the article of "unos"/"unas" agrees with the unit)."""
    dollars = unit == "dollars"
    feminine = _UNITS_ES.get(unit or "", ("", "", False))[2]

    def n(v: float) -> str:
        return number(v, dollars=dollars)

    if figure.min is not None and figure.max is not None:
        if figure.min == figure.max:
            return n(figure.min), figure.min == 1
        return f"de {n(figure.min)} a {n(figure.max)}", False
    if figure.min is not None:
        return f"{n(figure.min)} o más", False
    if figure.under is not None:
        return f"menos de {n(figure.under)}", False
    if figure.about is not None:
        if figure.about == 1:
            return f"alrededor de {n(figure.about)}", True
        return f"{'unas' if feminine else 'unos'} {n(figure.about)}", False
    if figure.median is not None:
        return f"una mediana de {n(figure.median)}", figure.median == 1
    if figure.max is not None:
        return f"hasta {n(figure.max)}", False
    raise ValueError(f"{figure.path}: figure states no number")


def figure_words(figure: Figure, *, unit: str | None = None, per: str | None = None,
                 language: str = "en") -> str:
    """The whole figure as a phrase: "3 to 5 days a week", "$250 to $350 a day (2024 prices)",
    "$300 to $450 a day (undated price, read November 2026)", "about $1,944 an episode (what it cost
    programs in 2002, not a price)", "about half of people who finished stayed 50 days or less (2004 data)".
    `language="es"`: "de 3 a 5 días por semana", "de $250 a $350 por día (precios de 2024)"."""
    own_unit, own_per = unit_of(figure)
    unit = unit or own_unit
    per = per or own_per
    if figure.median is not None and figure.measures in MEDIAN_WHO and unit in SINGULAR and not per:
        return _plain_median(figure, unit, language)
    if language == "es":
        return _figure_words_es(figure, unit, per)
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


def _plain_median(figure: Figure, unit: str, language: str = "en") -> str:
    """A median length of stay counted in a data set, without the word "median": "about half of
    people who finished stayed 50 days or less (2004 data)"; in Spanish "alrededor de la mitad de
    las personas que terminaron el tratamiento se quedaron 50 días o menos (datos de 2004)"."""
    value = figure.median or 0
    if language == "es":
        singular, plural, _ = _UNITS_ES.get(unit, (unit, unit, False))
        text = f"alrededor de la mitad de {_MEDIAN_WHO_ES[figure.measures or '']} se quedaron " \
               f"{number(value)} {singular if value == 1 else plural} o menos"
        if not figure.data_year:
            return text
        span = (f"datos de {figure.data_from} a {figure.data_year}" if figure.data_from
                else f"datos de {figure.data_year}")
        return f"{text} ({span})"
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


def _figure_words_es(figure: Figure, unit: str | None, per: str | None) -> str:
    """`figure_words` in Spanish, from the same figure: the same numbers, Spanish words."""
    text, one = amount(figure, unit, "es")
    if unit == "percent":
        text += "%"
    elif unit and unit != "dollars":
        singular, plural, _ = _UNITS_ES.get(unit, (unit, unit, False))
        text += " " + (singular if one else plural)
    if per and per[0].isdigit():
        count, _, what = per.partition(" ")
        text += f" por {count} {_UNITS_ES.get(what, (what, what, False))[1]}"  # "por 30 días"
    elif per:
        text += f" por {_PER_ES.get(per, per)}"
    measures = figure.measures or ""
    text = _MEASURED_BEFORE_ES.get(measures, "") + text + _MEASURED_AFTER_ES.get(measures, "")
    if unit == "dollars":
        return text + _money_date_es(figure)
    if figure.data_year:
        span = (f"datos de {figure.data_from} a {figure.data_year}" if figure.data_from
                else f"datos de {figure.data_year}")
        return f"{text} ({span})"
    if figure.as_of:
        text += f" (en {figure.as_of})"
    elif figure.read:
        text += f" (cifra sin fecha, consultada en {month_year(figure.read, 'es')})"
    return text


def _money_date_es(figure: Figure) -> str:
    """`_money_date` in Spanish: "(precios de 2024)", "(precio sin fecha, consultado en noviembre
    de 2026)", "(lo que les costó a los programas en 2002; no es un precio)"."""
    if figure.kind == "economic_cost":
        year = f" en {figure.as_of}" if figure.as_of else ""
        return f" (lo que les costó a los programas{year}; no es un precio)"
    noun = {"charge": ("cargos", "cargo"), "price": ("precios", "precio")}.get(figure.kind or "")
    if figure.as_of:
        return f" ({noun[0]} de {figure.as_of})" if noun else f" (en {figure.as_of})"
    if figure.read:
        read = month_year(figure.read, "es")
        if noun:
            return f" ({noun[1]} sin fecha, consultado en {read})"
        return f" (cifra sin fecha, consultada en {read})"
    return ""


def long_date(day: dt.date, language: str = "en") -> str:
    """2026-11-01 -> "November 1, 2026"; in Spanish "1 de noviembre de 2026"."""
    if language == "es":
        return f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.day}, {day.year}"


def month_year(day: dt.date, language: str = "en") -> str:
    """2026-11-01 -> "November 2026"; in Spanish "noviembre de 2026"."""
    if language == "es":
        return f"{MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B %Y}"


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    """"Did you mean 'x'? Choose from: …" for a misspelt `name` (difflib)."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    if close:  # keep only the guesses about as close as the best one
        best = difflib.SequenceMatcher(None, name, close[0]).ratio()
        close = [c for c in close if difflib.SequenceMatcher(None, name, c).ratio() > best - 0.05]
    guess = f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"{guess}Choose from: {', '.join(choices) or '(none)'}"
