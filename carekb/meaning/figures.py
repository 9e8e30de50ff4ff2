"""Rules of meaning about what a figure is and where it comes from (see carekb/meaning/registry.py): a
research cost is never a price, the comparison sets only like prices side by side, a length says
what it measures, a headline's reason agrees with its figure's date, and every source can be
checked and is labelled for who wrote it.

Each rule reports a problem at every fact involved, located at the field to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from carekb.meaning.registry import problem, rule
from carekb.model.facts import Facts, Figure, Level, Node
from carekb.base.problems import Problem

# Words that present a figure as current: only a figure dated in the last few years may have them.
_RECENT = re.compile(r"\b(recent(ly)?|current(ly)?|new(est)?|latest|up[- ]to[- ]date|today'?s?|this year)\b", re.I)
RECENT_YEARS = 5  # "recent" means dated within this many years of the level's review
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# A publisher that names no one: "Various treatment providers", "Several websites", "Unknown".
_NO_ONE = re.compile(r"^\W*(various|several|many|multiple|some|unknown|n/?a|none|misc\w*|other)\b", re.I)
# Hosts that publish journal articles: a government address, but research, not a government source.
_JOURNAL_HOSTS = ("pmc.ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov", "doi.org", "www.ncbi.nlm.nih.gov/pmc")
_DATA = ("completed", "all_discharges")


def _where(node: Node) -> str:
    return f"{node.loc} ({node.path})"


def _also(*others: Node) -> str:
    return f" (See also {', '.join(_where(o) for o in others)}.)"


def _cost_words(fig: Figure) -> str:
    return {"price": "a price", "charge": "a charge", "economic_cost": "an economic cost"}.get(fig.kind or "", "a cost")


@rule("economic-cost-is-not-a-price",
      "A cost of kind `economic_cost` (what care cost a program, from research) is never a level's headline "
      "price, so no page or comparison shows it as what a person pays.")
def economic_cost_is_not_a_price(facts: Facts) -> Iterator[Problem]:
    for level in facts.levels.values():
        fig, h = level.headline_cost, level.headline
        if fig is not None and h is not None and fig.kind == "economic_cost":
            yield problem(h.loc, f"{h.path}.cost",
                          f"the headline cost of {level.label} is an economic cost (what care cost programs, "
                          "from research), but the headline is read as what a person pays." + _also(fig),
                          "choose a cost of `kind: price`, or leave `cost` out and say in `cost_why` why this level "
                          "has no price to show.")
            yield problem(fig.loc, f"{fig.path}.kind", "this economic cost is chosen as the headline price of "
                          f"{level.label}." + _also(h), f"choose another figure in {h.path}.cost.")


def _compared(facts: Facts) -> list[tuple[Level, Figure]]:
    return [(lv, lv.headline_cost) for lv in facts.core_levels if lv.headline_cost is not None]


def comparison_unit(facts: Facts) -> str | None:
    """The `per` the comparison's price row is for: the one most core-level headline prices share."""
    pers = [fig.per for _, fig in _compared(facts) if fig.kind == "price" and fig.per]
    return max(pers, key=lambda p: (pers.count(p), -pers.index(p))) if pers else None


@rule("comparison-shows-like-prices",
      "The core levels' headline costs are all prices (`kind: price`) for the same unit (`per`), so the "
      "comparison sets like with like; a core level with no such price leaves `cost` out of its headline and "
      "says why in `cost_why`.")
def comparison_shows_like_prices(facts: Facts) -> Iterator[Problem]:
    unit = comparison_unit(facts)
    chosen = _compared(facts)
    for level, fig in chosen:
        if fig.kind == "economic_cost":
            continue  # economic-cost-is-not-a-price says so
        if fig.kind != "price" or fig.per != unit:
            others = [f for lv, f in chosen if lv is not level and f.kind == "price" and f.per == unit]
            said = f"{_cost_words(fig)} a {fig.per}" if fig.per else _cost_words(fig)
            yield problem(level.headline.loc, f"{level.headline.path}.cost",
                          f"the comparison shows prices a {unit}, but {level.label}'s headline cost is {said}, "
                          "which cannot be set beside them." + (_also(fig, *others[:2]) if others else _also(fig)),
                          f"choose a price a {unit} from {level.path}.cost, or leave `cost` out and say in "
                          "`cost_why` why there is none to compare.")


@rule("lengths-say-what-they-measure",
      "Every length of stay says what it measures (`measures:`); a median, or a length counted in a data set "
      "(`completed` or `all_discharges`), gives the year of its data (`data_year`), no later than its source.")
def lengths_say_what_they_measure(facts: Facts) -> Iterator[Problem]:
    for level in facts.levels.values():
        for fig in level.length_of_stay:
            if fig.median is not None and fig.measures not in _DATA:
                yield problem(fig.loc, f"{fig.path}.measures",
                              f"a median comes from a data set, but this one says it measures "
                              f"`{fig.measures}`, so readers cannot tell whose stays it counts.",
                              "write `measures: completed` (people who finished) or `measures: all_discharges` "
                              "(everyone who left), with `data_year: <year of the data>`.")
            if fig.measures in _DATA and fig.data_year is None:
                yield problem(fig.loc, f"{fig.path}.data_year",
                              f"this length counts stays in a data set (`measures: {fig.measures}`) but does not "
                              "say the year of the data, so it would read as current.",
                              "add `data_year: <year>`, the year the stays were counted.")
            if fig.data_year is None:
                continue
            dated = [facts.sources[s] for s in fig.sources if facts.sources[s].year]
            newest = max((s.year for s in dated), default=None)
            if newest is not None and fig.data_year > newest:
                yield problem(fig.loc, f"{fig.path}.data_year",
                              f"`data_year: {fig.data_year}` is later than its source was published ({newest}).",
                              "write the year of the data the source reports.")
            if fig.data_from is not None and fig.data_from > fig.data_year:
                yield problem(fig.loc, f"{fig.path}.data_from",
                              f"`data_from: {fig.data_from}` is after `data_year: {fig.data_year}`.",
                              "swap them: `data_from` is the first year of the data, `data_year` the last.")


def figure_years(fig: Figure, facts: Facts) -> set[int]:
    """Every year a figure is dated by: its price year, data years, the year it was read, its sources' years."""
    years = {y for y in (fig.as_of, fig.data_year, fig.data_from) if y}
    if fig.read:
        years.add(fig.read.year)
    years.update(facts.sources[s].year for s in fig.sources if facts.sources[s].year)
    return years


def _newest(fig: Figure) -> int | None:
    """The year a figure is from, as a reader takes it (None: undated, as a price read from an undated page)."""
    return fig.as_of or fig.data_year


@rule("headline-reasons-match-their-figures",
      "A headline's reason (`length_why`, `cost_why`) agrees with its own figure: it calls the figure recent or "
      "current only when the figure is dated within five years of the level's review, and any year it names is "
      "a year of that figure or its source.")
def headline_reasons_match(facts: Facts) -> Iterator[Problem]:
    for level in facts.levels.values():
        h = level.headline
        if h is None:
            continue
        for field, fig, reasons in (("length_why", level.headline_stay, h.length_why),
                                    ("cost_why", level.headline_cost, h.cost_why)):
            if not reasons:
                continue
            figs = [fig] if fig is not None else (level.cost if field == "cost_why" else level.length_of_stay)
            if not figs:
                continue
            recent = _RECENT.search(reasons)
            if recent and fig is not None:
                year = _newest(fig)
                if year is None or level.reviewed.year - year > RECENT_YEARS:
                    dated = f"is from {year}" if year else "has no date (an undated page, read later)"
                    yield problem(h.loc, f"{h.path}.{field}",
                                  f"the reason calls the figure \"{recent.group(0)}\", but it {dated}." + _also(fig),
                                  "say what the figure is and when it is from, without calling it recent; or choose "
                                  "a figure dated in the last few years.")
            known = set().union(*(figure_years(f, facts) for f in figs))
            for m in _YEAR.finditer(reasons):
                if int(m.group(0)) not in known:
                    yield problem(h.loc, f"{h.path}.{field}",
                                  f"the reason names {m.group(0)}, but the figure it explains is dated "
                                  f"{', '.join(map(str, sorted(known))) or 'nowhere'}." + _also(*figs[:2]),
                                  "write the year of the figure itself (its `as_of`, `data_year` or source year).")


@rule("sources-can-be-checked",
      "Every source names one publisher (an organisation or an author, not \"various providers\"), so a reader "
      "can check it at its `url`.")
def sources_can_be_checked(facts: Facts) -> Iterator[Problem]:
    for source in facts.sources.values():
        if _NO_ONE.search(source.publisher):
            yield problem(source.loc, f"{source.path}.publisher",
                          f"the publisher \"{source.publisher.strip()}\" names no one, so nobody can check the "
                          "facts that cite it.",
                          "split it into one source per publisher, each with its own `url:`, or remove it and "
                          "show less.")


@rule("source-kind-fits-publisher",
      "A source's `kind` fits who wrote it: a treatment provider's claim is `kind: provider` with "
      "`confidence: provider` (and only then), and a journal article is `research`, never `government`.")
def source_kind_fits_publisher(facts: Facts) -> Iterator[Problem]:
    for source in facts.sources.values():
        provider_kind, provider_read = source.kind == "provider", source.confidence == "provider"
        if provider_kind != provider_read:
            yield problem(source.loc, f"{source.path}.kind",
                          f"`kind: {source.kind}` and `confidence: {source.confidence}` disagree: a program's own "
                          "claim must be both `provider`, so pages say \"some programs report\".",
                          "make both `provider` if the publisher runs treatment programs or sells them; otherwise "
                          "neither.")
        address = (urlsplit(source.url).netloc + urlsplit(source.url).path) if source.url else ""
        if source.kind == "government" and address.startswith(_JOURNAL_HOSTS):
            yield problem(source.loc, f"{source.path}.kind",
                          f"{source.url} is a journal article (a government site only stores it), but the source "
                          "says `kind: government`, so pages would call a study an official source.",
                          "write `kind: research`.")
