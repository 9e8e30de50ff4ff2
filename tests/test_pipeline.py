"""The rendering pipeline end to end: real `mkdocs build --strict` runs, asserted on the HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from carekb.model.facts import Facts
from carekb.render.wording import figure_words
from tests.sitebuilds import WarmProject

LEVEL_SECTIONS = ["What it is", "Who it fits", "What a week looks like", "How long it lasts",
                  "Cost and coverage", "What's included", "Stepping up and down", "Sources"]


class _Page(HTMLParser):
    """Headings, links, ids and text of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h2: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._h2: list[str] | None = None
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img") and a.get("src"):
            self.links.append(a["src"])
        if tag == "h2":
            self._h2 = []
        if tag in ("code", "pre"):
            self._code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._h2 is not None:
            self.h2.append("".join(self._h2).replace("¶", "").strip())
            self._h2 = None
        if tag in ("code", "pre"):
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if self._h2 is not None:
            self._h2.append(data)
        if not self._code:
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def containing(site: Path, text: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in pages(site)
            if text in p.read_text(encoding="utf-8")}


def test_every_level_page_has_the_same_sections_in_order(built_site: Path, facts: Facts) -> None:
    """Each generated level page has the eight sections, in the same order."""
    public = [lv for lv in facts.levels.values() if not lv.staff_only]
    assert public
    for level in public:
        assert parse(built_site / "levels" / level.id / "index.html").h2 == LEVEL_SECTIONS


def test_comparison_shows_the_four_core_levels_with_their_figures(built_site: Path,
                                                                  facts: Facts) -> None:
    """The compare page has a captioned table with OP, IOP, PHP and residential, their hours and headline costs."""
    html = article(built_site / "compare" / "index.html")
    assert "<caption>" in html and 'scope="row"' in html
    core = facts.core_levels
    assert [lv.id for lv in core] == ["op", "iop", "php", "residential"]
    for level in core:
        assert f'href="../levels/{level.id}/"' in html
        for fig in level.hours_per_week.values():
            assert figure_words(fig, unit="hours", per="week") in html
        # Costs: the headline only (the level page lists every sourced price); a level with no
        # price to compare says why instead.
        if level.headline_cost is not None:
            assert figure_words(level.headline_cost) in html
        else:
            assert level.headline.cost_why.split(".")[0] in html
        for fig in level.cost:
            if fig is not level.headline_cost:
                assert figure_words(fig) not in html
        for fig in (level.days_per_week, level.session_hours):
            if fig is not None:
                assert figure_words(fig) in html
    assert "9 to 19 hours a week" in html


def test_figures_in_the_comparison_are_all_cited(built_site: Path) -> None:
    """Every table cell that states a number with a unit carries a footnote."""
    html = article(built_site / "compare" / "index.html")
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    with_numbers = [c for c in cells
                    if re.search(r"\d\s*(hours?|days?|weeks?|months?|minutes?)\b|\$\d", c)]
    assert with_numbers
    for cell in with_numbers:
        assert 'class="footnote-ref"' in cell, cell


def test_no_raw_jinja_reaches_the_output(built_site: Path) -> None:
    """No `{{` or `{%` appears in any page's text outside code."""
    for path in pages(built_site):
        text = "".join(parse(path).text)
        assert "{{" not in text and "{%" not in text, path


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    """Every relative href/src in the built site points at a file that exists, and an id in it."""
    parsed = {p: parse(p) for p in pages(built_site)}
    broken = []
    for path, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target == built_site / "es" or built_site / "es" in target.parents:
                continue  # the page's Spanish twin: tests/test_spanish_site.py follows those
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(built_site)} -> {link} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_every_page_shows_review_dates(built_site: Path) -> None:
    """Every page says when it was last reviewed and when the next review is due."""
    for path in pages(built_site):
        html = path.read_text(encoding="utf-8")
        assert "Page last reviewed:" in html and "Next review due:" in html, path


def test_sources_page_has_an_anchor_per_source_and_lists_citing_pages(
        built_site: Path, facts: Facts) -> None:
    """Each public source has an anchor equal to its id and names the pages citing it."""
    page = parse(built_site / "sources" / "index.html")
    public = [s for s in facts.sources.values() if not s.staff_only]
    assert {s.id for s in public} <= page.ids
    html = article(built_site / "sources" / "index.html")
    asam = html[html.index('id="asam3"'):]
    asam = asam[:asam.index("<h2", 1)] if "<h2" in asam[1:] else asam
    assert 'href="../levels/iop/"' in asam


def test_sources_page_renders_last_and_names_every_citing_page_by_its_title(
        built_site: Path) -> None:
    """The sources page declares that it renders after every other page (hooks/generated.py),
    so each page citing a source is listed under it, labelled with its title, never its path."""
    report = json.loads((built_site.parent / "build-report" / f"{built_site.name}.json")
                        .read_text(encoding="utf-8"))
    html = article(built_site / "sources" / "index.html")
    listed = 0
    for source_id, citing in report["sources"].items():
        titles = [report["pages"][src]["title"] for src in citing if src != "sources.md"]
        if not titles:
            continue
        section = html[html.index(f'id="{source_id}"'):]
        section = section[:section.index("<h2", 1)] if "<h2" in section[1:] else section
        shown = section[section.index("Pages that use it:"):]
        shown = shown[:shown.index("</span></li>")]
        labels = [re.sub(r"<[^>]+>", "", label) for label in re.findall(r"<a [^>]*>(.*?)</a>", shown)]
        assert labels == titles, source_id
        assert not any(label.endswith(".md") for label in labels)
        listed += 1
    assert listed > 10


def test_text_with_ampersands_is_escaped_exactly_once(built_site: Path, facts: Facts) -> None:
    """A source named with '&' shows as '&' (escaped once), never as '&amp;amp;'."""
    assert any("&" in s.publisher or "&" in s.title for s in facts.sources.values())
    for path in pages(built_site):
        assert "&amp;amp;" not in path.read_text(encoding="utf-8"), path


def test_abbreviations_get_tooltips(built_site: Path) -> None:
    """Short forms such as IOP are marked up with their meaning."""
    html = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Intensive outpatient program">IOP</abbr>' in html


def test_build_report_maps_facts_to_pages_outside_the_site(built_site: Path) -> None:
    """The report lands beside the site folder and maps fact paths to the pages showing them."""
    report = built_site.parent / "build-report" / f"{built_site.name}.json"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["audience"] == "public"
    assert "levels/iop.md" in data["impact"]["levels.iop.hours_per_week.adults"]
    assert not list(built_site.rglob("*report*.json"))


def test_changing_one_figure_changes_exactly_the_pages_that_show_it(
        built_site: Path, warm: WarmProject) -> None:
    """Editing IOP's adult hours in facts.yaml changes every page showing it, and only those."""
    text = warm.read("facts.yaml")
    edited = re.sub(r"(\n      adults: \{min: 9, max: )19,", r"\g<1>18,", text, count=1)
    assert edited != text, "IOP's adult hours line not found in facts.yaml"
    warm.write("facts.yaml", edited)
    warm.write("content/staff/secret-handbook.md", "---\naudience: staff\nreviewed: 2026-11-01\n---\n\n"
                                                   "# Zebra staff handbook\n")
    result = warm.build()
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.site
    before = containing(built_site, "9 to 19 hours a week")
    after = containing(out, "9 to 18 hours a week")
    assert before and after == before
    assert not containing(out, "9 to 19 hours a week")
    # and a staff-only page stays out of the public build entirely
    assert not containing(out, "Zebra staff handbook")
    assert "Zebra" not in (out / "search" / "search_index.json").read_text(encoding="utf-8")


def _build_with_page(warm: WarmProject, body: str) -> str:
    warm.write("content/faq.md", "---\nreviewed: 2026-11-01\n---\n\n# Questions people ask\n\n" + body)
    result = warm.build()
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


def test_misspelt_variable_fails_the_build_with_page_and_line(warm: WarmProject) -> None:
    """A typo in a page's Jinja stops the build and names the file and line."""
    log = _build_with_page(warm, "Intro line.\n\nIOP is {{ levels.iop.hours_per_weak | hours }}.\n")
    assert re.search(r"content/faq\.md:9: .*hours_per_weak", log), log[-2000:]


def test_hand_typed_figure_is_flagged_and_fails_strict(warm: WarmProject) -> None:
    """A figure typed by hand is a warning naming the page and fact; --strict fails on it."""
    log = _build_with_page(warm, "Most programs run 9 to 19 hours a week.\n")
    assert ("content/faq.md:7: '9 to 19 hours a week' is typed by hand; it is the fact "
            "levels.iop.hours_per_week.adults. Fix: write "
            '{{ fact("levels.iop.hours_per_week.adults") }} instead') in log


def test_public_page_using_a_staff_only_fact_fails(warm: WarmProject, facts: Facts) -> None:
    """A public page that shows a staff-only fact fails, naming the page and the fact."""
    staff_figure = next(f for f in facts.figures() if f.staff_only)
    expr = re.sub(r"\[(\d+)\]", r"[\1 - 1]", staff_figure.path)
    log = _build_with_page(warm, f"{{{{ {expr} | figure }}}}\n")
    assert f"{staff_figure.path} is staff-only; page faq.md is public" in log
    assert "content/faq.md:7" in log


def test_crisis_numbers_from_facts_are_tel_links_on_every_page(built_site: Path,
                                                              facts: Facts) -> None:
    """Every page carries the crisis bar with each phone number from facts.yaml as a tel: link."""
    calls = [r for r in facts.crisis.values() if r.call and not r.staff_only]
    assert calls
    for path in pages(built_site):
        html = path.read_text(encoding="utf-8")
        bar = html[html.index('<div class="kb-crisis" role="region" aria-label="Crisis help">'):]
        bar = bar[:bar.index("</div>")]
        for resource in calls:
            assert f'href="tel:{resource.tel}">{resource.call}</a>' in bar, (path, resource.id)


def test_page_without_facts_or_review_date_fails(warm: WarmProject) -> None:
    """A page with no facts and no `reviewed:` date has no review date, which fails the build."""
    warm.write("content/faq.md", "# Questions people ask\n\nSoon.\n")
    result = warm.build()
    assert result.returncode != 0
    assert "content/faq.md: add `reviewed: YYYY-MM-DD` to the front matter" in result.stderr
