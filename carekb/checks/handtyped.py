"""Spot figures typed by hand into a page when the fact base already holds them.

"9 hours a week" typed into a page goes stale the day `levels.iop.hours_per_week` changes.
This scans the page's own text (not its Jinja tags, code or comments) for numbers with a unit,
dollar amounts and crisis phone numbers equal to a fact, and says which fact to use instead.
A Spanish page (`language="es"`) is read for the Spanish phrases: "de 9 a 19 horas por
semana", "20 o más horas", "menos de 9 horas", "unos 90 días", "$250 a $350".
A number written inside a Jinja tag (`{{ "9 to 20 hours" }}`) is the way to keep one on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carekb.render.codespans import FENCE, INLINE_CODE
from carekb.model.facts import Facts, Figure
from carekb.render.wording import unit_of

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS = {
    "hours": "hours", "hour": "hours", "hrs": "hours", "hr": "hours", "h": "hours",
    "days": "days", "day": "days", "weeks": "weeks", "week": "weeks",
    "months": "months", "month": "months", "minutes": "minutes", "minute": "minutes",
    "mins": "minutes", "min": "minutes", "people": "people", "persons": "people",
    "person": "people", "doses": "doses", "dose": "doses",
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_RANGE = r"\s*(?:to|-|–|—|and)\s*"
_MEASURE = re.compile(
    rf"(?<![\w$.,])(?P<a>{_NUM})(?:{_RANGE}(?P<b>{_NUM}))?(?:\s*\+|\s+or more)?[\s-]*"
    rf"(?P<unit>{_UNIT})\b(?P<per>\s+(?:a|an|per|each)\s+(?:week|day|month))?",
    re.I,
)
_DOLLARS = re.compile(rf"\$\s?(?P<a>{_NUM})(?:{_RANGE}\$?\s?(?P<b>{_NUM}))?")
# The same, in Spanish: "de 9 a 19 horas por semana", "20 o más días", "unas 3 horas".
_UNITS_ES = {
    "horas": "hours", "hora": "hours", "hrs": "hours", "h": "hours", "días": "days", "día": "days",
    "dias": "days", "dia": "days", "semanas": "weeks", "semana": "weeks", "meses": "months",
    "mes": "months", "minutos": "minutes", "minuto": "minutes", "min": "minutes",
    "personas": "people", "persona": "people",
}
_PER_ES = {"semana": "week", "día": "day", "dia": "day", "mes": "month"}
_UNIT_ES = "|".join(sorted(_UNITS_ES, key=len, reverse=True))
_RANGE_ES = r"\s*(?:a|-|–|—|y|hasta)\s*"
_MEASURE_ES = re.compile(
    rf"(?<![\w$.,])(?P<a>{_NUM})(?:{_RANGE_ES}(?P<b>{_NUM}))?(?:\s*\+|\s+o\s+más)?[\s-]*"
    rf"(?P<unit>{_UNIT_ES})(?!\w)(?P<per>\s+(?:por|a\s+la|al|cada)\s+(?:semana|día|dia|mes))?",
    re.I,
)
_DOLLARS_ES = re.compile(rf"\$\s?(?P<a>{_NUM})(?:{_RANGE_ES}\$?\s?(?P<b>{_NUM}))?")
_PATTERNS = {"en": (_MEASURE, _UNITS, _DOLLARS, {}), "es": (_MEASURE_ES, _UNITS_ES, _DOLLARS_ES, _PER_ES)}
_PHONE = re.compile(
    r"(?<![\w$.,-])(?:(?:\+?1[-.\s]?)?\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}|\d{3})(?![\w]|[.,]\d)"
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_URL = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<[a-z]+:[^>\s]*>|\bhttps?://\S+|\w+=\"[^\"]*\"")


@dataclass(frozen=True)
class Finding:
    line: int
    text: str  # what the page says, e.g. "9 hours a week"
    fact: str  # the fact path it equals
    use: str  # the page-language call to write instead, e.g. {{ fact("levels.iop.cost[2]") }}

    def message(self, page: str) -> str:
        return (f"{page}:{self.line}: '{self.text}' is typed by hand; it is the fact "
                f"{self.fact}. Fix: write {self.use} instead, so the page changes when "
                "facts.yaml does.")


def blank(markdown: str) -> str:
    """The page's own words: Jinja tags, code, comments, link targets and HTML attribute
    values replaced by spaces (lines kept)."""

    def spaces(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    for pattern in (FENCE, _COMMENT, _JINJA, INLINE_CODE, _URL):
        markdown = pattern.sub(spaces, markdown)
    return markdown


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def suggestion(figure: Figure) -> str:
    """The page-language call that prints exactly this figure, in words with its citation.

    Paths count list items from 1, as facts.yaml messages and `fact()` do: `cost[2]` is the
    second cost.
    """
    return '{{ fact("' + figure.path + '") }}'


def _matches(figure: Figure, a: float, b: float | None) -> int:
    """How well a typed number (or range) matches a figure: 2 exact range, 1 one value, 0 none."""
    if b is not None and figure.min == a and figure.max == b:
        return 2
    values = set(figure.values())
    if a in values and (b is None or b in values):
        return 1
    return 0


def find(markdown: str, facts: Facts, *, line_offset: int = 0, language: str = "en") -> list[Finding]:
    """Every figure in `markdown` typed by hand where a fact exists, in page order (`language`:
    the page's, "en" or "es")."""
    measure, units, dollars, pers = _PATTERNS.get(language, _PATTERNS["en"])
    text = blank(markdown)
    found: list[tuple[int, Finding]] = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1 + line_offset

    def best(unit: str, a: float, b: float | None, per: str | None) -> Figure | None:
        scored = []
        for i, fig in enumerate(facts.figures()):
            fig_unit, fig_per = unit_of(fig)
            score = _matches(fig, a, b) if fig_unit == unit else 0
            if score:
                scored.append((score, per is not None and per == fig_per, -i, fig))
        return max(scored, key=lambda s: s[:3])[3] if scored else None

    taken: list[range] = []
    for m in measure.finditer(text):
        per = None
        if m.group("per"):
            per = m.group("per").split()[-1].lower()
            per = pers.get(per, per)
        unit = units[m.group("unit").lower()]
        b = _value(m.group("b")) if m.group("b") else None
        fig = best(unit, _value(m.group("a")), b, per)
        if fig is not None:
            taken.append(range(m.start(), m.end()))
            found.append((m.start(), Finding(line_of(m.start()), m.group(0).strip(), fig.path,
                                             suggestion(fig))))
    for m in dollars.finditer(text):
        b = _value(m.group("b")) if m.group("b") else None
        fig = best("dollars", _value(m.group("a")), b, None)
        if fig is not None:
            found.append((m.start(), Finding(line_of(m.start()), m.group(0).strip(), fig.path,
                                             suggestion(fig))))
    numbers = _crisis_numbers(facts)
    for m in _PHONE.finditer(text):
        if any(m.start() in r for r in taken):
            continue
        digits = re.sub(r"\D", "", m.group(0))
        key = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        if key in numbers:
            path = numbers[key]
            found.append((m.start(), Finding(line_of(m.start()), m.group(0), path,
                                             '{{ fact("' + path + '") }}')))
    return [f for _, f in sorted(found, key=lambda x: x[0])]


def _crisis_numbers(facts: Facts) -> dict[str, str]:
    """Digits of every crisis phone number -> its fact path."""
    out: dict[str, str] = {}
    for resource in facts.crisis.values():
        for field in ("call", "text", "tty"):
            number = getattr(resource, field)
            if number:
                digits = re.sub(r"\D", "", number)
                if len(digits) == 11 and digits.startswith("1"):
                    digits = digits[1:]
                out.setdefault(digits, f"{resource.path}.{field}")
    return out
