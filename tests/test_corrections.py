"""The fact-check corrections, read from the built public site and staff handbook.

Each test reads the HTML a reader gets, so a later edit that brings back a corrected claim
(in facts.yaml, a page or a template) fails here. Both sites are built once per run.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest


_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_FOOTNOTES = re.compile(r'<div class="footnote">.*?</div>', re.S)
_FOOTNOTE_ID = re.compile(r'<li id="fn:([a-z0-9_]+)"')


@pytest.fixture(scope="module")
def public(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="module")
def staff(built_staff: Path) -> Path:
    return built_staff


def raw(site: Path, page: str) -> str:
    """The HTML of one page, by its folder (`levels/iop`), without scripts and styles."""
    return _SCRIPT.sub(" ", (site / page / "index.html").read_text(encoding="utf-8"))


def text(site: Path, page: str) -> str:
    """The words of one page, tags removed, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", raw(site, page))).split())


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def page_text(path: Path) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", path.read_text(encoding="utf-8")))).split())


# -- Medicare: Part B deductible and daily coinsurance ------------------------------------------

@pytest.mark.parametrize("page", ["levels/iop", "levels/php", "costs"])
def test_medicare_text_names_the_deductible_and_daily_coinsurance(public: Path, page: str) -> None:
    words = text(public, page)
    assert "Part B deductible" in words, page
    assert "coinsurance for each day" in words, page
    assert "Medicare pays for each day of care" not in words, page


def test_staff_billing_says_what_the_patient_pays(staff: Path) -> None:
    words = text(staff, "staff/billing")
    assert "Part B deductible" in words
    assert "coinsurance for each day" in words
    assert "Medicare pays for each day of care" not in words


# -- Medication does not depend on counseling ----------------------------------------------------

_COUNSELING_REQUIRED = re.compile(
    r"work best with counseling|counseling is required|must (?:take part in|attend|go to|have) counseling"
    r"|required to (?:attend|take part in|get) counseling|only (?:with|if you get) counseling", re.I)


@pytest.mark.build  # reads a built site, which it asks for by name
@pytest.mark.parametrize("site_name", ["public", "staff"])
def test_no_page_says_counseling_is_required_for_medicine(site_name: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_name)
    offenders = [str(p.relative_to(site)) for p in all_pages(site) if _COUNSELING_REQUIRED.search(page_text(p))]
    assert not offenders, f"pages that say counseling is required: {offenders}"


def test_medication_page_says_counseling_is_not_required(public: Path) -> None:
    """The 2024 rule binds opioid treatment programs: they must offer counseling, and a patient
    may say no to it and keep the medicine."""
    words = text(public, "modalities/medication")
    assert "an opioid treatment program must offer counseling" in words
    assert "you can say no and keep your medicine" in words
    assert "42 CFR Part 8 Final Rule" in words  # the footnote names the source of the 2024 change


# -- Sources are named in every footnote --------------------------------------------------------

@pytest.mark.parametrize("site_name", ["public", "staff"])
def test_no_footnote_leaves_a_source_unnamed(site_name: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_name)
    bad = []
    for path in all_pages(site):
        for block in _FOOTNOTES.findall(path.read_text(encoding="utf-8")):
            if re.search(r"name not recorded|untitled article", block, re.I):
                bad.append(str(path.relative_to(site)))
    assert not bad, f"footnotes with an unnamed source: {sorted(set(bad))}"
    assert any(_FOOTNOTES.search(p.read_text(encoding="utf-8")) for p in all_pages(site)), "no footnotes at all"


# -- DBT is cited only to sources about DBT ------------------------------------------------------

def test_dbt_page_cites_only_sources_that_cover_dbt(public: Path, facts) -> None:
    blocks = _FOOTNOTES.findall(raw(public, "modalities/dbt"))
    cited = {sid for block in blocks for sid in _FOOTNOTE_ID.findall(block)}
    assert cited, "the DBT page cites nothing"
    for sid in cited:
        source = facts.sources[sid]
        about = f"{source.title} {source.note or ''}".lower()
        assert "dialectical" in about or "dbt" in about, f"{sid} does not cover DBT"
    assert not cited & {"florida_provider", "iop_length_article"}


# -- ASAM is a guideline; parity is not a coverage mandate --------------------------------------

def test_asam_range_is_called_a_guideline_not_the_rule(public: Path, staff: Path) -> None:
    iop = text(public, "levels/iop")
    assert "ASAM's range is the rule" not in iop
    assert "guideline" in iop and "not a law" in iop
    assert "guideline" in text(staff, "staff/clinical-levels")


def test_coverage_text_says_what_parity_and_the_aca_do(public: Path) -> None:
    costs = text(public, "costs")
    assert "does not make a plan cover" in costs
    assert "Affordable Care Act" in costs and "small-group" in costs
    for path in all_pages(public):
        assert "Most health plans cover" not in page_text(path), path


# -- Staff: privacy chapter and billing codes ---------------------------------------------------

def test_privacy_chapter_states_part2_compliance_date_and_tracking_ruling(staff: Path) -> None:
    words = text(staff, "staff/privacy")
    assert "February 16, 2026" in words
    assert "single consent" in words and "breach notification" in words.lower()
    assert "American Hospital Association v. Becerra" in words
    assert "June 20, 2024" in words and "vacated" in words


def test_billing_page_marks_unverified_bill_types(staff: Path) -> None:
    page = text(staff, "staff/billing")
    for code in ("13X", "76X", "85X", "71X", "77X"):
        assert code in page
    # Rural health clinics and FQHCs bill Medicare IOP on their own types of bill; the page says to
    # confirm them with the billing team, and to verify types of bill against the manual.
    assert "Rural health clinics (RHCs) and federally qualified health centers (FQHCs)" in page
    assert "Confirm with the billing team and the current Medicare Claims Processing Manual, chapter 9" in page
    assert "Verify the type of bill against the current UB-04/NUBC manual" in page
