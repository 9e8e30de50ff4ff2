"""Rules of meaning about levels, figures, costs and sources (see carekb/meaning/registry.py).

Each rule reports a problem at every fact involved, and each message names where the other
facts are written, so an editor can open either line and see the whole story.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from carekb.meaning.registry import problem, rule
from carekb.model.facts import Facts, Figure, Level, Node
from carekb.base.problems import Problem

# Where a citation sits decides what kind of claim it supports. A source lists these kinds
# under `supports:`; `modalities` there covers every therapy, `modalities.cbt` only CBT.
CLAIM_KINDS = {
    "level_numbers": "ASAM level numbers (a level's `asam:`)",
    "hours": "hours and days of care (`hours_per_week`, `days_per_week`, `session_hours`, `hours_note`)",
    "length_of_stay": "how long care lasts (`length_of_stay`)",
    "cost": "prices and costs (`cost`)",
    "coverage": "insurance and coverage (`coverage`)",
    "formats": "session formats and group sizes (`formats:`)",
    "modalities": "every therapy (`modalities:`); or name one, like modalities.cbt",
    "conditions": "conditions treated (`conditions:`)",
    "glossary": "what words mean (`glossary:`)",
    "crisis": "crisis help (`crisis:`)",
    "safety": "safety warnings (a level's `warnings:`)",
    "billing": "billing codes (`billing_codes:`)",
    "self_check": "the self-check (`self_check:`)",
}
_LEVEL_PARTS = {"asam": "level_numbers", "hours_per_week": "hours", "days_per_week": "hours",
                "session_hours": "hours", "hours_note": "hours", "medicare_hours": "hours",
                "length_of_stay": "length_of_stay", "cost": "cost", "coverage": "coverage", "warnings": "safety"}
_SECTIONS = {"formats": "formats", "conditions": "conditions", "glossary": "glossary", "crisis": "crisis",
             "billing_codes": "billing", "self_check": "self_check", "payers": "coverage"}
_HOURS = {"hours": 1.0, "minutes": 1 / 60}


def _where(node: Node) -> str:
    """`facts.yaml:380:5 (levels.iop.days_per_week)`: how a message points at another fact."""
    return f"{node.loc} ({node.path})"


def _each(nodes: Iterable[Node], message: str, hint: str) -> Iterator[Problem]:
    """One problem at each fact involved; each names where the others are written."""
    nodes = list(nodes)
    for node in nodes:
        others = [_where(o) for o in nodes if o is not node]
        also = f" (See also {', '.join(others)}.)" if others else ""
        yield problem(node.loc, node.path, message + also, hint)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _bounds(fig: Figure) -> tuple[float, float | None]:
    """(lowest, highest) a figure allows; highest is None when it has no upper limit."""
    single = fig.about if fig.about is not None else fig.median
    if single is not None:
        return single, single
    low = fig.min if fig.min is not None else 0.0
    high = fig.max if fig.max is not None else fig.under
    return low, high


def _asam_number(level: Level) -> float:
    """The lowest ASAM level number in either edition ("3.1, 3.5" -> 3.1); 0 when there is none."""
    found = [float(n) for text in (level.asam.edition3, level.asam.edition4) if text
             for n in re.findall(r"\d+(?:\.\d+)?", text)]
    return min(found, default=0.0)


@rule("schedule-fits-week",
      "A level's days a week times its hours a session fit inside its adult hours a week.")
def schedule_fits_week(facts: Facts) -> Iterator[Problem]:
    """Days a week x session length, at both ends of their ranges, inside the weekly hours."""
    for level in facts.levels.values():
        days, session, week = level.days_per_week, level.session_hours, level.hours_per_week.get("adults")
        if days is None or session is None or week is None or level.around_the_clock:
            continue
        per_hour = _HOURS.get(session.unit or "hours")
        if per_hour is None:
            continue  # a session length in days is not a schedule of sessions
        d_low, d_high = _bounds(days)
        s_low, s_high = _bounds(session)
        w_low, w_high = _bounds(week)
        fix = (f"check the sources; correct {days.path} or {session.path} (a usual schedule, such as "
               "{about: 3}), or add a note saying which days go with which session length.")
        if d_high is not None and s_high is not None and w_high is not None:
            most = d_high * s_high * per_hour
            over = most >= w_high if week.under is not None and week.max is None else most > w_high
            if over:
                limit = f"under {_n(w_high)}" if week.max is None else f"at most {_n(w_high)}"
                yield from _each((session, days, week),
                                 f"{_n(d_high)} days a week of {_n(s_high)}-{(session.unit or 'hours')[:-1]} sessions "
                                 f"make {_n(most)} hours a week, but {level.label} is {limit} hours a week.", fix)
        least = d_low * s_low * per_hour
        if least < w_low:
            yield from _each((session, days, week),
                             f"{_n(d_low)} days a week of {_n(s_low)}-{(session.unit or 'hours')[:-1]} sessions "
                             f"make only {_n(least)} hours a week, but {level.label} is at least {_n(w_low)} "
                             "hours a week.", fix)


@rule("levels-step-up",
      "A level that people step down from has at least the weekly hours of the level they step down to, "
      "unless it is a 24-hour setting.")
def levels_step_up(facts: Facts) -> Iterator[Problem]:
    """Compare each level's adult hours with those of every level it steps down to."""
    for higher in facts.levels.values():
        top = higher.hours_per_week.get("adults")
        if top is None or higher.around_the_clock:
            continue
        for lower_id in higher.steps_down_to_ids:
            lower = facts.levels[lower_id]
            low = lower.hours_per_week.get("adults")
            if low is None or lower.around_the_clock:
                continue
            (h_low, h_high), (l_low, l_high) = _bounds(top), _bounds(low)
            less_at_top = h_high is not None and (l_high is None or h_high < l_high)
            if h_low < l_low or less_at_top:
                yield from _each(
                    (top, low),
                    f"{higher.label} steps down to {lower.label}, but its adult hours a week "
                    f"({_range(top)}) are below {lower.label}'s ({_range(low)}).",
                    f"check both figures against their sources; if {higher.label} is really less care, "
                    f"move `{lower_id}` out of {higher.path}.steps_down_to.")


def _range(fig: Figure) -> str:
    low, high = _bounds(fig)
    if high is None:
        return f"{_n(low)} or more"
    return f"{_n(low)} to {_n(high)}" if low != high else _n(low)


@rule("around-the-clock",
      "A level at ASAM level 3 or above says `around_the_clock: true`, so every page, the comparison and the "
      "chart call it a 24-hour setting, not a number of hours a week.")
def around_the_clock(facts: Facts) -> Iterator[Problem]:
    """ASAM 3 and above is lived in: the flag that makes pages say "24-hour setting" must be set."""
    for level in facts.levels.values():
        number = _asam_number(level)
        if number >= 3 and not level.around_the_clock:
            yield problem(level.loc, f"{level.path}.around_the_clock",
                          f"{level.label} is ASAM level {_n(number)} or above, a 24-hour setting, but it does not "
                          "say so: its weekly hours would read as less care than an outpatient program.",
                          f"add `around_the_clock: true` under {level.path}.")
        elif level.around_the_clock and 0 < number < 3:
            yield problem(level.loc, f"{level.path}.around_the_clock",
                          f"{level.label} says it is a 24-hour setting, but its ASAM level ({_n(number)}) is an "
                          "outpatient level.", f"remove `around_the_clock: true`, or correct {level.path}.asam.")


def _figures_by_level(facts: Facts) -> Iterator[tuple[Level, list[Figure]]]:
    for level in facts.levels.values():
        yield level, [*level.hours_per_week.values(),
                      *(f for f in (level.days_per_week, level.session_hours, level.medicare_hours) if f),
                      *level.length_of_stay, *level.cost]


def _numbers(fig: Figure) -> tuple:
    return (fig.min, fig.max, fig.under, fig.about, fig.median)


@rule("one-range-one-meaning",
      "The same range never appears with two different units or `per` values, on one level or from one source.")
def one_range_one_meaning(facts: Facts) -> Iterator[Problem]:
    """A range that is both "a program" and "a month" contradicts itself; so does one source saying both."""
    groups: dict[tuple, list[Figure]] = {}
    for level, figures in _figures_by_level(facts):
        for fig in figures:
            groups.setdefault(("level", level.id, _numbers(fig)), []).append(fig)
            for source in fig.sources:
                groups.setdefault(("source", source, _numbers(fig)), []).append(fig)
    reported: set[tuple[int, ...]] = set()
    for (kind, name, _), figs in groups.items():
        meanings = {(f.unit, f.per) for f in figs}
        ids = tuple(sorted(id(f) for f in figs))
        if len(meanings) < 2 or ids in reported:
            continue
        reported.add(ids)
        said = " and ".join(sorted({_meaning(f) for f in figs}))
        where = f"level {name}" if kind == "level" else f"source `{name}`"
        yield from _each(figs, f"the same range ({_range(figs[0])}) appears for {where} as {said}.",
                         "check the source: keep the figure with the unit and `per` it states, and remove the other.")


def _meaning(fig: Figure) -> str:
    return f"{fig.unit or 'a number'}" + (f" a {fig.per}" if fig.per else "")


@rule("prices-dated",
      "Every price states the year it was published (`as_of`), or, from an undated page, the date it was read "
      "(`read`); an undated page never gets an `as_of` year.")
def prices_dated(facts: Facts) -> Iterator[Problem]:
    """A year shown as "(2026 prices)" must be a publication year, not the day someone read the page."""
    for level in facts.levels.values():
        for fig in level.cost:
            sources = [facts.sources[s] for s in fig.sources]
            dated = [s for s in sources if s.year]
            read = next((s.accessed for s in sources if s.accessed), None)  # for the fix
            if fig.as_of is None and fig.read is None:
                yield problem(fig.loc, f"{fig.path}.as_of", "this price does not say when it is from.",
                              "add `as_of: <year>` (the year the source published it)"
                              + (f", or for an undated page `read: {read}`." if read else "."))
            elif fig.as_of is not None and not dated:
                yield problem(fig.loc, f"{fig.path}.as_of",
                              f"`as_of: {fig.as_of}` would show as \"{fig.as_of} prices\", but "
                              f"{', '.join(f'`{s.id}`' for s in sources)} {'is' if len(sources) == 1 else 'are'} "
                              "undated, so that year is only when we read it.",
                              f"replace `as_of: {fig.as_of}` with `read: {read or '<the date you read it>'}`.")
            elif fig.as_of is not None and fig.as_of > max(s.year for s in dated):
                newest = max(dated, key=lambda s: s.year)
                yield problem(fig.loc, f"{fig.path}.as_of",
                              f"`as_of: {fig.as_of}` is later than {newest.id} was published ({newest.year}).",
                              "write the year the price was reported in the source.")


_ITEM = re.compile(r"\[\d+\]")  # a list item's number in a fact path


def claim_kind(node: Node) -> str:
    """The kind of claim a fact makes, from where it sits: levels.iop.cost[2] -> "cost"."""
    parts = _ITEM.sub("", node.path).split(".")
    if parts[0] == "levels" and len(parts) > 2:
        return _LEVEL_PARTS.get(parts[2], "levels")
    if parts[0] == "modalities" and len(parts) > 1:
        return f"modalities.{parts[1]}"
    return _SECTIONS.get(parts[0], parts[0])


def citations(facts: Facts) -> Iterator[tuple[Node, tuple[str, ...]]]:
    """Every fact that cites sources, with the ids it cites."""
    for level in facts.levels.values():
        yield level.asam, level.asam.sources
    for _, figures in _figures_by_level(facts):
        for fig in figures:
            yield fig, fig.sources
    for level in facts.levels.values():
        for note in [*level.coverage, *level.warnings, *([level.hours_note] if level.hours_note else [])]:
            yield note, note.sources
    for group in (facts.formats, facts.modalities, facts.conditions, facts.glossary, facts.crisis,
                  facts.billing_codes):
        for entity in group.values():
            yield entity, entity.sources
    for fmt in facts.formats.values():
        if fmt.size is not None:
            yield fmt.size, fmt.size.sources
    for entity in (*facts.modalities.values(), *facts.glossary.values()):
        for fig in entity.figures.values():  # named figures: cited for their entry's kind of claim
            yield fig, fig.sources
    for payer in facts.payers.values():
        yield payer, payer.sources
        for part in (*payer.figures, *([payer.note] if payer.note else [])):
            yield part, part.sources
    if facts.self_check is not None:
        yield facts.self_check, facts.self_check.sources


def _known_kind(kind: str, facts: Facts) -> bool:
    if kind.startswith("modalities."):
        return kind.partition(".")[2] in facts.modalities
    return kind in CLAIM_KINDS


@rule("sources-support-claims",
      "Every source cited for a fact lists that kind of claim under its `supports:` (hours, length_of_stay, "
      "cost, coverage, modalities.cbt…), so an article about length of stay is never cited for a therapy.")
def sources_support_claims(facts: Facts) -> Iterator[Problem]:
    """Check each source's `supports:` words, then every citation against them."""
    for source in facts.sources.values():
        for kind in source.supports:
            if not _known_kind(kind, facts):
                choices = [*CLAIM_KINDS, *(f"modalities.{m}" for m in facts.modalities)]
                close = difflib.get_close_matches(kind, choices, n=1)
                yield problem(source.loc, f"{source.path}.supports",
                              f"`{kind}` is not a kind of claim.",
                              (f"did you mean `{close[0]}`? " if close else "")
                              + f"Kinds: {', '.join(CLAIM_KINDS)}, or modalities.<id>.")
    for node, cited in citations(facts):
        kind = claim_kind(node)
        for source_id in cited:
            source = facts.sources[source_id]
            ok = kind in source.supports or (kind.startswith("modalities.") and "modalities" in source.supports)
            if not ok:
                yield from _each(
                    (node, source),
                    f"cites `{source_id}` for `{kind}`, but that source's `supports:` does not list "
                    f"`{kind}`.",
                    f"if {source.title.strip()!r} really says this, add `{kind}` to {source.path}.supports; if not, "
                    f"remove `{source_id}` from {node.path}'s sources and cite one that does.")


@rule("headlines",
      "Each core level names one length of stay as its plain answer (`headline:`), and one price or, with none "
      "to show, says why in `cost_why`; each figure it names exists.")
def headlines(facts: Facts) -> Iterator[Problem]:
    """The comparison and level pages lead with one answer per question: it must be chosen and real."""
    for level in facts.core_levels:
        h = level.headline
        if h is None:
            yield problem(level.loc, f"{level.path}.headline",
                          f"{level.label} has no plain answer to \"how long, and how much?\".",
                          "add `headline: {length_of_stay: <number>, length_why: <one line>, cost: <number>, "
                          "cost_why: <one line>}`, numbering the figures in each list from 1.")
            continue
        for field, figures in (("length_of_stay", level.length_of_stay), ("cost", level.cost)):
            number = getattr(h, field)
            words = field.replace("_", " ")
            if number is None:
                if field == "cost" and h.cost_why:
                    continue  # no price to show, and the reason is given
                yield problem(h.loc, f"{h.path}.{field}", f"the headline does not choose a {words}.",
                              f"add `{field}: <number>` (1 to {len(figures)}) to the headline"
                              + (", or for a level with no price, `cost_why: <why there is none>`." if field == "cost"
                                 else ".") if figures else
                              f"add a sourced figure under {level.path}.{field} first, then choose it here"
                              + (", or write `cost_why: <why there is none>`." if field == "cost" else "."))
            elif number > len(figures):
                yield problem(h.loc, f"{h.path}.{field}",
                              f"there is no {words} number {number}: {level.path}.{field} has "
                              f"{len(figures)}.", f"choose a number from 1 to {len(figures)}.")
            elif figures[number - 1].staff_only and not level.staff_only:
                yield from _each((h, figures[number - 1]),
                                 f"the headline {words} is staff-only, but the level's page is "
                                 "public.", "choose a public figure, or make this one public.")
