"""Rules of meaning (carekb/meaning/facts.py): each rule passes a sound fact base and reports a
located, plain-words problem at every fact involved in a broken one; the real site leads with
one plain answer per question; reviews give notice early; `carekb.cli.check` exits as publishing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from carekb.cli import check
from carekb.load.facts_yaml import NOTICE, read_facts
from carekb.meaning.registry import rules
from carekb.model.facts import add_months
from carekb.base.problems import ERROR, WARNING
from tests.factsamples import MEANING
from tests.conftest import REPO_ROOT

TODAY = dt.date(2026, 11, 23)

# A small fact base that keeps every rule of meaning (tests/samples/). Variants below break one rule each.
BASE = MEANING


def variant(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once in the fixture"
    return text.replace(old, new)


def problems_of(tmp_path: Path, text: str, today: dt.date = TODAY) -> list:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return read_facts(path, today=today)[1]


def at(text: str, snippet: str) -> str:
    """`facts.yaml:line:column` of the first character of `snippet` in `text`."""
    index = text.index(snippet)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"facts.yaml:{line}:{column}"


def lines(problems: list) -> list[str]:
    return [str(p) for p in problems if p.severity == ERROR]


def only(problems: list, path: str) -> str:
    found = [str(p) for p in problems if p.path == path and p.severity == ERROR]
    assert len(found) == 1, f"expected one problem at {path}, got: {found or lines(problems)}"
    return found[0]


def test_the_base_keeps_every_rule(tmp_path: Path) -> None:
    assert lines(problems_of(tmp_path, BASE)) == []


def test_every_rule_is_declared_once_with_a_plain_sentence() -> None:
    names = [r.name for r in rules()]
    assert len(names) == len(set(names))
    assert {"schedule-fits-week", "levels-step-up", "around-the-clock", "one-range-one-meaning",
            "prices-dated", "sources-support-claims", "headlines"} <= set(names)
    for r in rules():
        assert r.doc.endswith(".") and r.doc[0].isupper(), r.name


def test_the_editors_guide_lists_every_rule() -> None:
    guide = (REPO_ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    for r in rules():
        assert f"`{r.name}`: {r.doc}" in guide, f"docs/editing.md's 'Rules of meaning' is missing {r.name}"


# -- schedule-fits-week ------------------------------------------------------------------------

def test_schedule_at_the_weekly_maximum_passes(tmp_path: Path) -> None:
    text = variant("session_hours: {about: 3, unit: hours, source: seed}",
                   "session_hours: {min: 3, max: 3.8, unit: hours, source: seed}")
    assert lines(problems_of(tmp_path, text)) == []


# -- levels-step-up ----------------------------------------------------------------------------

def test_a_24_hour_setting_may_have_fewer_weekly_hours_than_the_level_below(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, BASE)  # residential (5 or more) steps down to IOP (9 to 19)
    assert not [p for p in problems if p.path.startswith("levels.residential")]


# -- around-the-clock --------------------------------------------------------------------------

def test_a_residential_level_that_does_not_say_24_hours_is_reported(tmp_path: Path) -> None:
    text = variant("    around_the_clock: true\n", "")
    message = only(problems_of(tmp_path, text), "levels.residential.around_the_clock")
    assert message.startswith(at(text, "residential:\n    name: Residential") + ": levels.residential.around_the_clock: "
                              "Residential treatment is ASAM level 3.1 or above, a 24-hour setting, but it "
                              "does not say so")
    assert message.endswith("Fix: add `around_the_clock: true` under levels.residential.")


# -- one-range-one-meaning ---------------------------------------------------------------------

def test_different_ranges_with_different_units_pass(tmp_path: Path) -> None:
    text = variant("      - {about: 4445, per: episode, as_of: 2002, source: nida, kind: economic_cost}\n",
                   "      - {about: 4445, per: episode, as_of: 2002, source: nida, kind: economic_cost}\n"
                   "      - {min: 3000, max: 10000, per: program, read: 2026-11-01, source: seed, kind: price}\n")
    assert lines(problems_of(tmp_path, text)) == []


# -- prices-dated ------------------------------------------------------------------------------

def test_an_undated_price_with_the_date_it_was_read_passes(tmp_path: Path) -> None:
    assert not [p for p in problems_of(tmp_path, BASE) if p.path.endswith(".as_of")]


def test_a_year_on_a_price_from_an_undated_page_is_reported(tmp_path: Path) -> None:
    text = variant("per: day, read: 2026-11-01", "per: day, as_of: 2026")
    message = only(problems_of(tmp_path, text), "levels.iop.cost[1].as_of")
    assert message == (f"{at(text, '{min: 250, max: 350, per: day')}: levels.iop.cost[1].as_of: `as_of: 2026` "
                       "would show as \"2026 prices\", but `seed` is undated, so that year is only when we read "
                       "it. Fix: replace `as_of: 2026` with `read: 2026-11-01`.")


# -- sources-support-claims --------------------------------------------------------------------

def test_a_source_that_supports_every_therapy_may_be_cited_for_one(tmp_path: Path) -> None:
    assert not [p for p in problems_of(tmp_path, BASE) if p.path == "modalities.cbt"]


# -- headlines ---------------------------------------------------------------------------------

def test_a_headline_naming_the_last_figure_passes(tmp_path: Path) -> None:
    assert not [p for p in problems_of(tmp_path, BASE) if "headline" in p.path]


def test_a_core_level_without_a_headline_is_reported(tmp_path: Path) -> None:
    text = variant("    headline: {length_of_stay: 1, length_why: One program's usual length., cost: 1, cost_why: A price "
                   "a day from a page with no date.}\n", "")
    message = only(problems_of(tmp_path, text), "levels.iop.headline")
    assert message.startswith(at(text, "iop:\n    name: Intensive") + ": levels.iop.headline: Intensive outpatient "
                              "program (IOP) has no plain answer to \"how long, and how much?\". Fix: add `headline:")


def test_a_headline_naming_a_missing_figure_is_reported(tmp_path: Path) -> None:
    text = variant("cost: 1, cost_why: A price a day from", "cost: 3, cost_why: A price a day from")
    message = only(problems_of(tmp_path, text), "levels.iop.headline.cost")
    assert message == (f"{at(text, '{length_of_stay: 1, length_why: One program')}: levels.iop.headline.cost: there "
                       "is no cost number 3: levels.iop.cost has 2. Fix: choose a number from 1 to 2.")


def test_a_staff_only_headline_on_a_public_level_is_reported(tmp_path: Path) -> None:
    text = variant("{min: 250, max: 350, per: day, read: 2026-11-01, source: seed, kind: price}",
                   "{min: 250, max: 350, per: day, read: 2026-11-01, source: seed, kind: price, audience: staff}")
    problems = problems_of(tmp_path, text)
    message = only(problems, "levels.iop.headline")
    assert message.startswith(at(text, "{length_of_stay: 1, length_why: One program") + ": levels.iop.headline: the "
                              "headline cost is staff-only, but the level's page is public.")
    assert only(problems, "levels.iop.cost[1]").startswith(at(text, "{min: 250, max: 350, per: day"))


# -- rules that report an error at every fact involved ---------------------------------------

# (id, old text, new text, the facts involved as (field path, snippet it is located at), the first
#  fact's words after its location and path, a pattern the first fact's message matches)
AT_EACH_FACT = [
    ("schedule over the weekly maximum",
     "session_hours: {about: 3, unit: hours, source: seed}",
     "session_hours: {min: 3, max: 4, unit: hours, source: seed}",
     [("levels.iop.session_hours", "{min: 3, max: 4"), ("levels.iop.days_per_week", "{min: 3, max: 5"),
      ("levels.iop.hours_per_week.adults", "{min: 9, max: 19")],
     "5 days a week of 4-hour sessions make 20 hours a week, but Intensive outpatient program (IOP) is at "
     "most 19 hours a week.",
     r"Fix: check the sources; correct levels\.iop\.days_per_week or levels\.iop\.session_hours"),
    ("level below the one it steps down to",
     "adults: {under: 9, source: asam3}", "adults: {min: 20, source: asam3}",
     [("levels.iop.hours_per_week.adults", "{min: 9, max: 19"),
      ("levels.op.hours_per_week.adults", "{min: 20, source")],
     "Intensive outpatient program (IOP) steps down to Outpatient program (OP), but its adult hours a week "
     "(9 to 19) are below Outpatient program (OP)'s (20 or more).",
     r"Fix: check both figures against their sources"),
    ("one range as a day and a month",
     "      - {about: 4445, per: episode, as_of: 2002, source: nida, kind: economic_cost}\n",
     "      - {about: 4445, per: episode, as_of: 2002, source: nida, kind: economic_cost}\n"
     "      - {min: 250, max: 350, per: month, read: 2026-11-01, source: seed, kind: price}\n",
     [("levels.iop.cost[1]", "{min: 250, max: 350, per: day"),
      ("levels.iop.cost[3]", "{min: 250, max: 350, per: month")],
     "the same range (250 to 350) appears for level iop as dollars a day and dollars a month.",
     r"Fix: check the source: keep the figure with the unit and `per` it states, and remove the other\.$"),
    ("citation the source does not support",
     "    description: Changing thoughts and habits.\n    source: asam3",
     "    description: Changing thoughts and habits.\n    source: seed",
     [("modalities.cbt", "cbt:\n    name: Cognitive"), ("sources.seed", "seed:\n    title: An undated")],
     "cites `seed` for `modalities.cbt`, but that source's `supports:` does not list `modalities.cbt`.",
     r"remove `seed` from modalities\.cbt's sources and cite one that does\."),
]


@pytest.mark.parametrize("old,new,facts,says,fix", [c[1:] for c in AT_EACH_FACT], ids=[c[0] for c in AT_EACH_FACT])
def test_a_broken_rule_is_reported_at_each_fact(tmp_path: Path, old: str, new: str, facts: list[tuple[str, str]],
                                                says: str, fix: str) -> None:
    """The first fact's error says what is wrong and how to fix it and points to the second fact; every
    fact involved has its own error, located at it."""
    text = variant(old, new)
    problems = problems_of(tmp_path, text)
    (path, snippet), (other_path, other_snippet) = facts[:2]
    assert only(problems, path).startswith(f"{at(text, snippet)}: {path}: {says}")
    assert f"See also {at(text, other_snippet)} ({other_path})" in only(problems, path)
    assert re.search(fix, only(problems, path))
    for fact_path, fact_snippet in facts[1:]:
        assert only(problems, fact_path).startswith(at(text, fact_snippet))


# -- rules whose message is checked by the words it holds ---------------------------------------

# (id, old text, new text, field path of the one error, words the message holds)
WORDED = [
    ("schedule under the weekly minimum",
     "days_per_week: {min: 3, max: 5, source: seed}", "days_per_week: {min: 2, max: 5, source: seed}",
     "levels.iop.session_hours",
     ["2 days a week of 3-hour sessions make only 6 hours a week", "is at least 9 hours a week"]),
    ("outpatient level claiming 24 hours",
     "    lives: At home\n    hours_per_week:\n      adults: {min: 9",
     "    lives: At home\n    around_the_clock: true\n    hours_per_week:\n      adults: {min: 9",
     "levels.iop.around_the_clock",
     ["says it is a 24-hour setting, but its ASAM level (2.1) is an outpatient level"]),
    ("price with no date", "per: day, read: 2026-11-01", "per: day", "levels.iop.cost[1].as_of",
     ["this price does not say when it is from. Fix: add `as_of: <year>`",
      "or for an undated page `read: 2026-11-01`."]),
    ("unknown kind of claim", "supports: [length_of_stay, cost]", "supports: [length_of_stay, costs]",
     "sources.nida.supports", ["`costs` is not a kind of claim. Fix: did you mean `cost`?"]),
]


@pytest.mark.parametrize("old,new,path,words", [w[1:] for w in WORDED], ids=[w[0] for w in WORDED])
def test_a_broken_rule_is_reported_in_plain_words(tmp_path: Path, old: str, new: str, path: str,
                                                  words: list[str]) -> None:
    message = only(problems_of(tmp_path, variant(old, new)), path)
    for expected in words:
        assert expected in message


# -- the real fact base and the site -----------------------------------------------------------

def test_the_real_facts_keep_every_rule() -> None:
    _, problems = read_facts(REPO_ROOT / "facts.yaml")
    assert lines(problems) == []


def test_review_notice_comes_60_days_early_and_is_not_a_warning(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, BASE, today=dt.date(2027, 9, 5))  # due 2027-11-01: in 57 days
    notices = [p for p in problems if p.severity == NOTICE]
    assert notices and not [p for p in problems if p.severity in (ERROR, WARNING)]
    line, column = at(BASE, "reviewed: 2026-11-01").split(":")[1:]
    assert str(notices[0]).startswith(f"facts.yaml:{line}:{int(column) + len('reviewed: ')}: sources.asam3.reviewed: "
                                      "its review falls due on 2027-11-01, in 57 days. Fix: check these facts")
    assert not [p for p in problems_of(tmp_path, BASE, today=dt.date(2027, 9, 1)) if p.severity == NOTICE]


def test_check_exits_as_publishing_would(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(BASE.replace("reviewed: 2026-11-01", "reviewed: 2024-01-01"), encoding="utf-8")
    assert check.main([str(path)]) == 1  # reviews overdue: warnings, which publishing refuses
    out, err = capsys.readouterr()
    assert "warning: " in err and err.strip().splitlines()[-1].endswith(
        "is NOT ready to publish: publishing refuses warnings. Fix the warning lines above and check again.")
    assert check.main([str(path), "--strict"]) == 1
    capsys.readouterr()
    soon = dt.date.today() - dt.timedelta(days=335)  # a year's review falls due within 60 days
    path.write_text(BASE.replace("reviewed: 2026-11-01", f"reviewed: {soon}"), encoding="utf-8")
    assert check.main([str(path)]) == 0
    out, err = capsys.readouterr()
    assert "notice: " in out and not err
    assert out.strip().splitlines()[-1].startswith(f"{path} is good and ready to publish. ")


def test_build_logs_a_review_notice_and_still_publishes(warm) -> None:
    """A review due in 30 days is an INFO line in the strict build, never a warning."""
    soon = add_months(dt.date.today() + dt.timedelta(days=30), -6)  # the lifeline is reviewed every 6 months
    text = warm.read("facts.yaml")
    old = "    call: \"988\"\n"
    start = text.index(old)
    reviewed = text.index("    reviewed: ", start)
    end = text.index("\n", reviewed)
    warm.write("facts.yaml", text[:reviewed] + f"    reviewed: {soon}" + text[end:])
    result = warm.build()
    assert result.returncode == 0, result.stderr[-3000:]
    notice = [line for line in result.stderr.splitlines() if "its review falls due on" in line]
    assert len(notice) == 1 and notice[0].startswith("INFO"), notice
    assert "crisis.lifeline.reviewed" in notice[0]


@pytest.fixture(scope="module")
def sites(built_site: Path, built_staff: Path) -> dict[str, Path]:
    """The real public site and staff handbook (built once per run)."""
    return {"public": built_site, "staff": built_staff}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<sup.*?</sup>|<[^>]+>", "", html, flags=re.S)).strip()


def test_level_page_leads_with_the_headline_then_every_source(sites: dict[str, Path]) -> None:
    html = (sites["public"] / "levels" / "iop" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="how-long-it-lasts"'):html.index('id="cost-and-coverage"')]
    first = _text(section[:section.index("<details")])
    assert ("In short: about half of people who finished stayed 50 days or less (2004 data). Government source"
            in first)
    assert 'href="#fn:teds_2004"' in section[:section.index("<details")]
    box = section[section.index("<details"):section.index("</details>")]
    assert "What our sources say" in box and box.count("<li>") == 7
    assert "Treatment provider&#39;s own claim" in box and "Government source" in box
    assert "Why we show one first:" in box and "national data from 2004 on people who finished." in _text(box)
    cost = html[html.index('id="cost-and-coverage"'):]
    assert "(undated price, read November 2026)" in cost and "2026 prices" not in html
    assert "Each session:</strong> about 3 hours" in html


def test_comparison_shows_headlines_and_24_hour_settings(sites: dict[str, Path]) -> None:
    html = (sites["public"] / "compare" / "index.html").read_text(encoding="utf-8")
    rows = dict((name, _text(cells)) for name, cells in
                re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', html, re.S))
    price_row = rows["Price a day, before insurance"]
    prices = re.findall(r"\$[\d,]+ to \$[\d,]+ a day \((?:\d{4} prices|undated price, read [A-Z][a-z]+ \d{4})\)",
                        price_row)
    assert len(prices) == 3  # IOP, PHP and residential: prices a day, set side by side
    assert price_row.startswith("We found no price for outpatient care.")  # OP says why it has none
    assert "not a price" not in price_row and "2002" not in price_row  # research costs never shown as prices
    assert rows["Length of stay"] == ("usually 2 to 12 months about half of people who finished stayed 50 days or less "
                                      "(2004 data) usually 2 to 6 weeks usually 1 to 12 months")
    assert "24-hour setting: care day and night, with 5 or more hours a week of treatment" in rows[
        "Hours a week, adults"]
    chart = (sites["public"] / "index.html").read_text(encoding="utf-8")
    assert "kb-chart" in chart
    assert "24-hour setting with care around the clock; treatment: 5 or more hours a week" in _text(chart)


def test_staff_review_queue_lists_facts_by_due_date(sites: dict[str, Path]) -> None:
    page = sites["staff"] / "staff" / "review-queue" / "index.html"
    html = page.read_text(encoding="utf-8")
    dues = re.findall(r"<tr>\s*<td>(\d{4}-\d{2}-\d{2})</td>", html)
    assert len(dues) > 90 and dues == sorted(dues) and len(set(dues)) >= 3
    assert re.search(r'<code>levels\.iop</code>.*?href="../../sources/#teds_2004".*?href="../../levels/iop/"',
                     html, re.S)
    assert 'href="staff/review-queue/"' in (sites["staff"] / "index.html").read_text(encoding="utf-8")
    assert not (sites["public"] / "staff" / "review-queue").exists()
