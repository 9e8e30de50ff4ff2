"""Issue 20's content, read from the real strict builds: each fact a clinician asked for is on
the page a reader would look for it, taken from facts.yaml (so every page showing it agrees)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from carekb.model.facts import Facts
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def staff_site(built_staff: Path) -> Path:
    return built_staff


def _text(site: Path, page: str) -> str:
    """The article's visible text, footnote markers left out, white space collapsed."""
    doc = (site / page / "index.html").read_text(encoding="utf-8")
    article = doc[doc.index("<article"):doc.index("</article>")]
    article = re.sub(r"<sup.*?</sup>", "", article, flags=re.S)
    article = re.sub(r"</?(?:a|abbr|strong|em|b|i|span|code)\b[^>]*>", "", article)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article))).strip()


def test_withdrawal_page_and_safety_page_show_the_same_overdose_warning(built_site: Path, facts: Facts) -> None:
    """The overdose-after-a-break warning is one fact, shown first on withdrawal management and on
    Staying safe."""
    warning = facts.levels["withdrawal"].warnings[0].text
    assert "Even the amount you used before can stop your breathing" in warning
    withdrawal = _text(built_site, "levels/withdrawal")
    assert withdrawal.index("Stay safe " + warning) < withdrawal.index("What it is")
    assert warning in _text(built_site, "safety")


def test_help_page_gives_every_way_to_reach_988(built_site: Path, facts: Facts) -> None:
    text = _text(built_site, "help")
    for option in facts.crisis["lifeline"].options:
        assert option in text
    for words in ("Text AYUDA to 988", "chat in Spanish", "videophone", "ASL Now", "TTY", "711"):
        assert words in text
    assert "TTY: 1-800-487-4889" in text  # SAMHSA's National Helpline


def test_costs_page_states_medicare_cost_sharing_from_the_facts(built_site: Path, facts: Facts) -> None:
    medicare = facts.payers["medicare"]
    assert (medicare.deductible.min, medicare.deductible.as_of, medicare.coinsurance.min) == (283, 2026, 20)
    text = _text(built_site, "costs")
    assert "First, the Part B deductible: $283 a year (as of 2026)." in text
    assert "Then, your share: 20%." in text


def test_medicare_hours_read_as_a_minimum_never_a_cap(built_site: Path, facts: Facts) -> None:
    """ASAM's 9 to 19 is shown as the guideline; Medicare's 9 as a minimum with no upper limit."""
    assert facts.levels["iop"].medicare_hours.min == 9 and facts.levels["iop"].medicare_hours.max is None
    assert "cms_iop_2024" not in facts.levels["iop"].hours_per_week["adults"].sources
    costs = _text(built_site, "costs")
    assert "Medicare asks for 9 or more hours a week, with no upper limit." in costs
    assert "9 to 19" not in costs[costs.index("Medicare"):costs.index("Medicaid")]
    iop = _text(built_site, "levels/iop")
    assert "Medicare: 9 or more hours a week. A doctor must confirm you need at least this much care." in iop


def test_staff_billing_names_rhc_and_fqhc_bill_types(staff_site: Path) -> None:
    text = _text(staff_site, "staff/billing")
    assert "71X" in text and "rural health clinic (RHC)" in text
    assert "77X" in text and "federally qualified health center (FQHC)" in text
    assert "Weekly hours Medicare requires: 9 or more hours a week. Medicare sets no upper limit." in text


def test_group_sessions_no_longer_speak_for_intensive_outpatient_care_on_other_levels(built_site: Path) -> None:
    for level in ("op", "php", "residential", "early_intervention"):
        assert "core of intensive outpatient care" not in _text(built_site, f"levels/{level}")


def test_home_page_lists_every_page_in_the_navigation(built_site: Path) -> None:
    """"Everything on this site" links every top-level page of mkdocs.yml's navigation."""
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    pages = []
    for entry in config["nav"]:
        target = next(iter(entry.values()))
        pages.append(target[0] if isinstance(target, list) else target)
    index = (REPO_ROOT / "content" / "index.md").read_text(encoding="utf-8")
    listed = index[index.index("## Everything on this site"):]
    missing = [p for p in pages if p != "index.md" and f"]({p})" not in listed]
    assert not missing, f"the home page's list leaves out {missing}"
