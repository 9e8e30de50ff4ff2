"""Rules of meaning about what a figure is (carekb/meaning/figures.py): each passes the sound sample
fact base (tests/samples/meaning-head.yaml) and reports a located, plain-words problem, with the
fix, when one fact is broken; the real fact base keeps them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekb.load.facts_yaml import read_facts
from carekb.meaning.registry import rules
from tests.conftest import REPO_ROOT
from tests.test_meaning import BASE, at, lines, only, problems_of, variant

NEW_RULES = {"economic-cost-is-not-a-price", "comparison-shows-like-prices", "lengths-say-what-they-measure",
             "headline-reasons-match-their-figures", "sources-can-be-checked", "source-kind-fits-publisher"}

IOP_HEADLINE = ("    headline: {length_of_stay: 1, length_why: One program's usual length., cost: 1, cost_why: A price "
                "a day from a page with no date.}\n")


def headline(**fields: str) -> str:
    """The sample IOP headline with some fields replaced (the text is written as given)."""
    parts = {"length_of_stay": "1", "length_why": "One program's usual length.", "cost": "1",
             "cost_why": "A price a day from a page with no date."}
    parts.update(fields)
    return "    headline: {" + ", ".join(f"{k}: {v}" for k, v in parts.items() if v is not None) + "}\n"


def test_the_new_rules_are_registered_and_the_sample_keeps_them(tmp_path: Path) -> None:
    assert NEW_RULES <= {r.name for r in rules()}
    assert IOP_HEADLINE == headline()
    assert lines(problems_of(tmp_path, BASE)) == []


def test_the_real_facts_keep_the_new_rules() -> None:
    _, problems = read_facts(REPO_ROOT / "facts.yaml")
    assert lines(problems) == []


# -- economic-cost-is-not-a-price ---------------------------------------------------------------

def test_a_research_cost_may_be_listed_when_it_is_not_the_headline(tmp_path: Path) -> None:
    """The sample's IOP lists an economic cost beside its price; only the price is the headline."""
    assert "kind: economic_cost" in BASE
    assert not [p for p in problems_of(tmp_path, BASE) if p.path.startswith("levels.iop.")]


def test_an_economic_cost_chosen_as_the_headline_price_is_reported(tmp_path: Path) -> None:
    text = variant(IOP_HEADLINE, headline(cost="2", cost_why="What programs spent."))
    problems = problems_of(tmp_path, text)
    message = only(problems, "levels.iop.headline.cost")
    assert message.startswith(f"{at(text, '{length_of_stay: 1, length_why: One')}: levels.iop.headline.cost: the "
                              "headline cost of Intensive outpatient program (IOP) is an economic cost (what care "
                              "cost programs, from research), but the headline is read as what a person pays.")
    assert f"See also {at(text, '{about: 4445')} (levels.iop.cost[2])" in message
    assert message.endswith("Fix: choose a cost of `kind: price`, or leave `cost` out and say in `cost_why` why "
                            "this level has no price to show.")
    assert only(problems, "levels.iop.cost[2].kind").startswith(at(text, "{about: 4445"))


# -- comparison-shows-like-prices ---------------------------------------------------------------

def test_a_level_with_no_price_says_why_and_passes(tmp_path: Path) -> None:
    """The sample's OP has only a research cost: no headline cost, and `cost_why` says so."""
    assert "cost_why: We have no price to compare." in BASE
    assert not [p for p in problems_of(tmp_path, BASE) if p.path.startswith("levels.op.")]


def test_a_headline_price_for_another_unit_is_reported(tmp_path: Path) -> None:
    text = variant("cost: 1, cost_why: A price a day can be compared.}", "cost: 2, cost_why: A month of care.}")
    message = only(problems_of(tmp_path, text), "levels.residential.headline.cost")
    assert message.startswith(f"{at(text, '{length_of_stay: 1, length_why: The only length we have., cost: 2')}: "
                              "levels.residential.headline.cost: the comparison shows prices a day, but Residential "
                              "treatment's headline cost is a price a month, which cannot be set beside them.")
    assert f"See also {at(text, '{min: 15000')} (levels.residential.cost[2])" in message
    assert message.endswith("Fix: choose a price a day from levels.residential.cost, or leave `cost` out and say in "
                            "`cost_why` why there is none to compare.")


def test_a_level_with_neither_a_price_nor_a_reason_is_reported(tmp_path: Path) -> None:
    text = variant("length_why: The only length we have., cost_why: We have no price to compare.}",
                   "length_why: The only length we have.}")
    message = only(problems_of(tmp_path, text), "levels.op.headline.cost")
    assert "the headline does not choose a cost." in message
    assert "or for a level with no price, `cost_why: <why there is none>`." in message


# -- lengths-say-what-they-measure --------------------------------------------------------------

def test_a_length_from_a_data_set_with_its_year_passes(tmp_path: Path) -> None:
    assert "measures: all_discharges, data_year: 2002" in BASE
    assert not [p for p in problems_of(tmp_path, BASE) if ".length_of_stay" in p.path]


def test_a_median_that_does_not_say_whose_stays_it_counts_is_reported(tmp_path: Path) -> None:
    text = variant("{min: 8, max: 12, unit: weeks, measures: typical, source: seed}",
                   "{median: 50, unit: days, measures: typical, source: seed}")
    message = only(problems_of(tmp_path, text), "levels.iop.length_of_stay[1].measures")
    assert message == (f"{at(text, '{median: 50')}: levels.iop.length_of_stay[1].measures: a median comes from a "
                       "data set, but this one says it measures `typical`, so readers cannot tell whose stays it "
                       "counts. Fix: write `measures: completed` (people who finished) or `measures: all_discharges` "
                       "(everyone who left), with `data_year: <year of the data>`.")


def test_a_length_from_a_data_set_without_its_year_is_reported(tmp_path: Path) -> None:
    text = variant("measures: all_discharges, data_year: 2002, source: nida}", "measures: all_discharges, source: nida}")
    message = only(problems_of(tmp_path, text), "levels.op.length_of_stay[1].data_year")
    assert message == (f"{at(text, '{about: 17')}: levels.op.length_of_stay[1].data_year: this length counts stays "
                       "in a data set (`measures: all_discharges`) but does not say the year of the data, so it "
                       "would read as current. Fix: add `data_year: <year>`, the year the stays were counted.")


def test_data_newer_than_its_source_is_reported(tmp_path: Path) -> None:
    text = variant("data_year: 2002, source: nida}", "data_year: 2009, source: nida}")
    message = only(problems_of(tmp_path, text), "levels.op.length_of_stay[1].data_year")
    assert "`data_year: 2009` is later than its source was published (2005)." in message


# -- headline-reasons-match-their-figures -------------------------------------------------------

def test_a_reason_that_names_the_year_the_price_was_read_passes(tmp_path: Path) -> None:
    text = variant(IOP_HEADLINE, headline(cost_why="A price a day that we read in 2026 on a page with no date."))
    assert not [p for p in problems_of(tmp_path, text) if "headline" in p.path]


def test_a_reason_calling_an_undated_price_recent_is_reported(tmp_path: Path) -> None:
    text = variant(IOP_HEADLINE, headline(cost_why="A recent price for a day."))
    message = only(problems_of(tmp_path, text), "levels.iop.headline.cost_why")
    assert message.startswith(f"{at(text, '{length_of_stay: 1, length_why: One')}: levels.iop.headline.cost_why: "
                              "the reason calls the figure \"recent\", but it has no date (an undated page, read "
                              "later).")
    assert f"See also {at(text, '{min: 250')} (levels.iop.cost[1])" in message
    assert message.endswith("Fix: say what the figure is and when it is from, without calling it recent; or choose "
                            "a figure dated in the last few years.")


def test_a_reason_naming_another_year_than_its_figure_is_reported(tmp_path: Path) -> None:
    text = variant("length_why: The only length we have., cost_why: We have no price to compare.}",
                   "length_why: Data from 2004., cost_why: We have no price to compare.}")
    message = only(problems_of(tmp_path, text), "levels.op.headline.length_why")
    assert "the reason names 2004, but the figure it explains is dated 2002, 2005." in message
    assert message.endswith("Fix: write the year of the figure itself (its `as_of`, `data_year` or source year).")


# -- sources-can-be-checked ---------------------------------------------------------------------

def test_a_named_publisher_passes(tmp_path: Path) -> None:
    assert not [p for p in problems_of(tmp_path, BASE) if p.path.startswith("sources.")]


def test_a_publisher_that_names_no_one_is_reported(tmp_path: Path) -> None:
    text = variant("    publisher: A provider\n", "    publisher: Various treatment providers\n")
    message = only(problems_of(tmp_path, text), "sources.seed.publisher")
    assert message == (f"{at(text, 'seed:')}: sources.seed.publisher: the publisher \"Various treatment "
                       "providers\" names no one, so nobody can check the facts that cite it. Fix: split it into "
                       "one source per publisher, each with its own `url:`, or remove it and show less.")


# -- source-kind-fits-publisher -----------------------------------------------------------------

def test_a_provider_labelled_as_research_is_reported(tmp_path: Path) -> None:
    text = variant("    kind: provider\n", "    kind: research\n")
    message = only(problems_of(tmp_path, text), "sources.seed.kind")
    assert message.startswith(f"{at(text, 'seed:')}: sources.seed.kind: `kind: research` and `confidence: provider` "
                              "disagree: a program's own claim must be both `provider`")


def test_a_journal_article_labelled_as_government_is_reported(tmp_path: Path) -> None:
    text = variant("    url: https://example.org/nida\n",
                   "    url: https://pmc.ncbi.nlm.nih.gov/articles/PMC6007584\n")
    message = only(problems_of(tmp_path, text), "sources.nida.kind")
    assert message == (f"{at(text, 'nida:')}: sources.nida.kind: https://pmc.ncbi.nlm.nih.gov/articles/PMC6007584 "
                       "is a journal article (a government site only stores it), but the source says `kind: "
                       "government`, so pages would call a study an official source. Fix: write `kind: research`.")


@pytest.mark.parametrize("kind", ["research", "report"])
def test_a_journal_article_labelled_as_research_or_a_report_passes(tmp_path: Path, kind: str) -> None:
    text = variant("    url: https://example.org/nida\n    kind: government\n",
                   f"    url: https://pmc.ncbi.nlm.nih.gov/articles/PMC6007584\n    kind: {kind}\n")
    assert not [p for p in problems_of(tmp_path, text) if p.path.startswith("sources.")]
