"""The safety pages of the public site (overdose, withdrawal, medicines, checking a program,
intake, insurance, mental-health programs, teens), read from the real strict build.

Each page must be built, be in the navigation, cite at least one source, keep its key safety
message and end with help from facts.yaml's crisis numbers.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from carekb.model.facts import Facts

REPO = Path(__file__).resolve().parent.parent

# page -> phrases its article must hold (case and line breaks ignored), and sources it must cite.
PAGES: dict[str, tuple[list[str], list[str]]] = {
    "safety": (
        ["even the amount you used before can stop your breathing and kill you",
         "detox", "residential", "jail or prison", "naloxone", "without a prescription",
         "tell people where it is", "never use alone", "seizures", "benzodiazepines",
         "talk to a doctor or nurse before you stop", "do not mix opioids with alcohol or sedatives",
         "give a second dose if the first does not work", "within 2 to 3 minutes"],
        ["ahrq_overdose_risk", "cdc_naloxone", "fda_naloxone_otc", "fda_benzodiazepines", "narcan_label",
         "fda_opioids_benzodiazepines"],
    ),
    "medicines": (
        ["buprenorphine", "methadone", "naltrexone", "acamprosate", "disulfiram",
         "certified opioid treatment program", "you can say no to counseling and keep your medicine",
         "must still offer counseling", "this rule is for opioid treatment programs",
         "a program should not make you stop", "the mat act", "registered with the dea", "no special waiver",
         "you must be off all opioids first", "7 to 10 days", "sudden, severe withdrawal",
         "stopping it, or missing a dose, raises your risk of overdose",
         "it is not for you if you take methadone, buprenorphine or opioid pain medicine"],
        ["samhsa_part8_2024", "fr_part8_2024", "doj_ada_oud", "niaaa_medications", "samhsa_waiver_elimination",
         "dea_buprenorphine_faq", "samhsa_naltrexone", "naltrexone_label"],
    ),
    "mental-health-programs": (
        ["depression", "anxiety", "eating disorder", "you do not need to have an addiction"],
        ["medicare_iop", "medicare_php", "neda_levels"],
    ),
    "check-a-program": (
        ["license", "accreditation", "the joint commission", "carf", "legitscript",
         "findtreatment.gov", "free travel", "free rent", "pay for your insurance",
         "patient brokering", "decide today", "promises a cure"],
        ["legitscript_addiction", "ekra_2018", "samhsa_quality_signs"],
    ),
    "intake": (
        ["assessment", "photo id", "health insurance card", "list of all your medicines",
         "people to call in an emergency", "questions to ask"],
        ["fda_benzodiazepines"],
    ),
    "insurance": (
        ["prior authorization", "internal appeal", "external review", "department of insurance",
         "employee benefits security administration (ebsa)", "centers for medicare & medicaid services (cms)",
         "medicare does not pay for everything", "part b deductible", "coinsurance"],
        ["healthcare_gov_appeals", "dol_parity_enforcement", "medicare_php", "medicare_iop"],
    ),
    "teens": (
        ["school counselor", "504 plan", "iep", "known as part 2", "written consent",
         "states set different ages and rules"],
        ["ed_ocr_504", "cfr_part2_minors"],
    ),
}


class _Links(HTMLParser):
    """Hrefs inside <nav> elements, and the article's text and headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nav_depth = 0
        self.nav_hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self.nav_depth += 1
        elif tag == "a" and self.nav_depth:
            href = dict(attrs).get("href")
            if href:
                self.nav_hrefs.add(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.nav_depth:
            self.nav_depth -= 1


def _page(site: Path, name: str) -> str:
    path = site / name / "index.html"
    assert path.is_file(), f"{name}.md was not built: {path} is missing"
    return path.read_text(encoding="utf-8")


def _article(page: str) -> str:
    return page[page.index("<article"): page.index("</article>")]


def _text(fragment: str) -> str:
    """Visible text, lower-cased, with runs of white space as one space."""
    # Inline tags (links, tooltips, bold) join their words; block tags separate them.
    fragment = re.sub(r"</?(?:a|abbr|strong|em|b|i|span|code)\b[^>]*>", "", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"\s+", " ", text).strip().lower()


def _cited(article: str) -> set[str]:
    """Every source the page's footnotes name (one note may name several sources)."""
    notes = article[article.find('<div class="footnote">'):]
    return set(re.findall(r'href="\.\./sources/#([a-z0-9_]+)"', notes))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_built_and_in_the_navigation(built_site: Path, name: str) -> None:
    _page(built_site, name)
    parser = _Links()
    parser.feed((built_site / "index.html").read_text(encoding="utf-8"))
    assert f"{name}/" in parser.nav_hrefs, f"{name}.md is not in the navigation (mkdocs.yml nav:)"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_cites_its_sources_and_links_them(built_site: Path, name: str) -> None:
    article = _article(_page(built_site, name))
    cited = _cited(article)
    assert cited, f"{name} cites no source"
    missing = set(PAGES[name][1]) - cited
    assert not missing, f"{name} no longer cites {sorted(missing)}"
    for source_id in cited:
        assert f'href="../sources/#{source_id}"' in article, f"{name}: footnote {source_id} has no link"
        sources_page = _page(built_site, "sources")
        assert f'id="{source_id}"' in sources_page, f"source {source_id} is not on the sources page"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_keeps_its_key_safety_message(built_site: Path, name: str) -> None:
    text = _text(_article(_page(built_site, name)))
    missing = [phrase for phrase in PAGES[name][0] if phrase not in text]
    assert not missing, f"{name} lost its key message: {missing}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_ends_with_help_from_the_crisis_facts(built_site: Path, facts: Facts, name: str) -> None:
    article = _article(_page(built_site, name))
    last = article.split("<h2")[-1]
    assert "Help now" in last, f"{name} does not end with a 'Help now' section"
    assert facts.crisis["lifeline"].call in _text(last), f"{name}: the last section lacks the lifeline number"


def test_withdrawal_warning_links_the_withdrawal_level(built_site: Path) -> None:
    article = _article(_page(built_site, "safety"))
    assert 'href="../levels/withdrawal/"' in article


def test_after_treatment_warns_of_overdose_and_links_safety(built_site: Path) -> None:
    article = _article(_page(built_site, "after-treatment"))
    assert "your tolerance is lower now" in _text(article)
    assert 'href="../safety/"' in article
    assert "ahrq_overdose_risk" in _cited(article)


@pytest.mark.parametrize("modality", ["medication_oud", "medication_aud"])
def test_medicine_pages_list_the_levels_that_offer_them(built_site: Path, facts: Facts,
                                                        modality: str) -> None:
    offering = [lid for lid, level in facts.levels.items() if modality in level.modality_ids]
    assert offering, f"no level lists {modality} in facts.yaml"
    article = _article(_page(built_site, f"modalities/{modality}"))
    for level_id in offering:
        assert f'href="../../levels/{level_id}/"' in article, f"{modality} page does not list {level_id}"
    medicines = _article(_page(built_site, "medicines"))
    assert f'href="../modalities/{modality}/"' in medicines
