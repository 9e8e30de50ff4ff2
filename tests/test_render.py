"""The rendering core without MkDocs: figures in words, citations, escaping, strict names,
staff-only guards, usage and review dates, links, and figures typed by hand."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest

from carekb.load.facts_yaml import load_facts
from carekb.checks.handtyped import find
from carekb.model.facts import Facts
from carekb.pages.generated import expand_nav, generated_pages
from carekb.render.language.filters import relative
from carekb.render.renderer import Renderer, RenderError
from tests.factsamples import RENDER

FACTS = RENDER


def load(tmp_path: Path, text: str = FACTS) -> Facts:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    facts, _ = load_facts(path, today=dt.date(2026, 11, 20))
    return facts


@pytest.fixture
def facts(tmp_path: Path) -> Facts:
    return load(tmp_path)


@pytest.fixture
def public(facts: Facts) -> Renderer:
    return Renderer(facts)


def test_hours_filter_reads_like_speech_and_cites_its_source(public: Renderer) -> None:
    """`| hours` gives the adult range in words followed by its footnote."""
    out = public.render("IOP is {{ levels.iop.hours_per_week | hours }}.", "week.md")
    assert out.startswith("IOP is 9 to 19 hours a week[^asam3].")


def test_teens_open_ranges_and_dollars_in_words(public: Renderer) -> None:
    """Teen hours, "or more", and dated dollar amounts with thousands separators; a research cost
    (`kind: economic_cost`) says it is what care cost programs, never a price."""
    out = public.render(
        "{{ levels.iop.hours_per_week | hours('teens') }} / {{ levels.php.hours_per_week | hours }}"
        " / {{ levels.iop.cost | costs }}", "x.md")
    first = out.splitlines()[0]
    assert first == ("6 to 19 hours a week[^asam3] / 20 or more hours a week[^asam3] / "
                     "$250 to $350 a day (2013 prices)[^asam3]; "
                     "about $1,944 an episode (what it cost programs in 2002, not a price)[^tip47]")


def test_lengths_and_prices_are_worded_by_what_they_are(public: Renderer) -> None:
    """A length says what it measures, with its data year; a cost for a number of days is "for"."""
    from dataclasses import replace
    from carekb.render.wording import figure_words
    stay = public.facts.levels["iop"].length_of_stay[0]
    assert figure_words(stay) == "usually 8 to 12 weeks"
    data = replace(stay, min=None, max=None, median=50, unit="days", measures="completed", data_year=2004)
    # A median in words a grade-6 reader knows (issue 24): "about half ... or less", never "median".
    assert figure_words(data) == "about half of people who finished stayed 50 days or less (2004 data)"
    everyone = replace(data, median=41, measures="all_discharges", data_from=1993)
    assert figure_words(everyone) == ("about half of everyone who left, finished or not, stayed 41 days or less "
                                      "(data from 1993 to 2004)")
    assert figure_words(replace(data, median=1, unit="weeks")) == \
        "about half of people who finished stayed 1 week or less (2004 data)"
    advised = replace(stay, min=3, max=None, unit="months", measures="recommended")
    assert figure_words(advised) == "3 or more months in all, as research advises"
    price = public.facts.levels["iop"].cost[0]
    assert figure_words(replace(price, per="30 days")) == "$250 to $350 for 30 days (2013 prices)"
    assert figure_words(replace(price, kind="charge")) == "$250 to $350 a day (2013 charges)"


def test_footnote_definitions_are_appended_once_per_source(public: Renderer) -> None:
    """Citing a source twice gives one footnote definition linking to the sources page."""
    out = public.render("{{ cite('asam3') }} and {{ levels.iop.hours_per_week | hours }}",
                        "levels/iop.md")
    definitions = re.findall(r"^\[\^asam3\]: .*$", out, re.M)
    assert len(definitions) == 1
    assert "(../sources.md#asam3)" in definitions[0]
    assert "American Society of Addiction Medicine, 2013" in definitions[0]


def test_fact_text_is_escaped_and_never_run_as_a_template(facts: Facts) -> None:
    """Markup and Jinja inside a fact value come out as text (even past the loader's checks)."""
    facts.levels["iop"].summary = "<script>alert(1)</script> {{ 7 * 7 }}"
    out = Renderer(facts).render("{{ levels.iop.summary }}", "x.md")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "{{ 7 * 7 }}" in out and "49" not in out


def test_misspelt_name_fails_with_page_and_line(public: Renderer) -> None:
    """A typo names the page, the line in the file and what exists instead."""
    source = "Intro\n\n{{ levels.iopp.hours_per_week | hours }}\n"
    with pytest.raises(RenderError) as err:
        public.render(source, "faq.md", line_offset=3, name="content/faq.md")
    assert err.value.line == 6
    assert str(err.value).startswith("content/faq.md:6:")
    assert "iopp" in str(err.value) and "iop, php" in str(err.value)


def test_misspelt_field_lists_the_fields_that_exist(public: Renderer) -> None:
    """A wrong field name on a fact says which fields the fact has."""
    with pytest.raises(RenderError, match=r"faq\.md:1: 'levels\.iop' has no 'hours_per_weak'\. "
                                          r"Choose from: .*hours_per_week.*label"):
        public.render("{{ levels.iop.hours_per_weak | hours }}", "faq.md")


def test_template_syntax_error_names_the_line(public: Renderer) -> None:
    """An unclosed tag is reported at its line."""
    with pytest.raises(RenderError, match=r"^faq\.md:2: "):
        public.render("ok\n{{ levels.iop.name\n", "faq.md")


@pytest.mark.parametrize("expression", [
    "levels.iop.__class__.__init__.__globals__",
    "levels.iop.asam.__dict__",
    "levels.iop.hours_per_week.adults.values.__func__.__globals__",  # a fact's method, then inside it
    "levels.iop.hours_per_week.adults.values.__self__",
    "facts.core_levels.__class__",
])
def test_sandbox_blocks_python_internals(public: Renderer, expression: str) -> None:
    """Editors cannot reach Python internals from a page, through facts or their methods (a
    fact's methods are not readable at all: only its fields and properties are)."""
    with pytest.raises(RenderError, match=r"unsafe|has no '(_|values')"):
        public.render("{{ " + expression + " }}", "x.md")


def test_fenced_and_inline_code_are_left_alone(public: Renderer) -> None:
    """Jinja inside code blocks and code spans is shown as written."""
    source = ("Use `{{ levels.iop.hours_per_week | hours }}` like this:\n\n"
              "```jinja\n{{ levels.nope }}\n{% if x %}\n```\n\n{{ levels.iop.name }}\n")
    out = public.render(source, "guide.md")
    assert "`{{ levels.iop.hours_per_week | hours }}`" in out
    assert "```jinja\n{{ levels.nope }}\n{% if x %}\n```" in out
    assert "Intensive outpatient program" in out


def test_heading_anchors_are_not_read_as_jinja_comments(public: Renderer) -> None:
    """`## Costs {#costs}` keeps its anchor; a real `{# comment #}` is still dropped."""
    out = public.render("## Costs {#costs .wide}\n{# editor note #}{{ levels.iop.abbr }}\n",
                        "costs.md")
    assert out == "## Costs {#costs .wide}\nIOP\n"


def test_staff_only_fact_fails_the_public_build_naming_page_and_fact(facts: Facts) -> None:
    """A public page showing a staff-only figure fails; the staff build shows it."""
    source = "Groups have {{ formats.group.size | figure }}."
    with pytest.raises(RenderError) as err:
        Renderer(facts).render(source, "families.md")
    assert "formats.group.size is staff-only" in str(err.value)
    assert "families.md is public" in str(err.value)
    staff = Renderer(facts, audience="staff").render(source, "staff/groups.md")
    assert staff.startswith("Groups have 8 to 15 people[^asam3].")


def test_staff_only_entity_cannot_be_printed_in_public(facts: Facts) -> None:
    """A staff-only billing code cannot reach a public page, even as plain text."""
    with pytest.raises(RenderError, match="billing_codes.h0015 is staff-only"):
        Renderer(facts).render("{{ billing_codes.h0015.code }}", "costs.md")


def test_review_dates_take_the_oldest_fact_used(public: Renderer) -> None:
    """A page is as old as the oldest fact or source it shows, and its own date counts."""
    public.render("{{ levels.iop.days_per_week | figure }}", "week.md")
    dates = public.review_dates("week.md", None)
    assert dates.reviewed == dt.date(2026, 3, 1)  # tip47, cited by days_per_week
    assert dates.due == dt.date(2027, 3, 1)
    public.render("{{ levels.php.name }}", "php.md")
    assert public.review_dates("php.md", None).reviewed == dt.date(2026, 6, 1)
    assert public.review_dates("php.md", dt.date(2025, 1, 2)).reviewed == dt.date(2025, 1, 2)
    assert public.review_dates("plain.md", None) is None
    assert public.review_dates("plain.md", dt.date(2025, 1, 2)).reviewed == dt.date(2025, 1, 2)


def test_review_dates_are_a_query(public: Renderer) -> None:
    """Asking for a page's review dates changes no usage: the same answer every time, no page
    added to the registry, and a page's own date is not kept for the next question."""
    public.render("{{ levels.php.name }}", "php.md")
    before = copy.deepcopy(public.registry)
    assert public.review_dates("php.md", dt.date(2025, 1, 2)).reviewed == dt.date(2025, 1, 2)
    assert public.review_dates("never-rendered.md", dt.date(2025, 1, 2)) is not None
    assert public.registry == before
    assert public.review_dates("php.md", None).reviewed == dt.date(2026, 6, 1)


def test_usage_records_fact_paths_for_the_impact_report(public: Renderer) -> None:
    """The registry maps each fact path to the pages that showed it."""
    public.render("{{ levels.iop.hours_per_week | hours }}", "a.md")
    public.render("{{ levels.iop.days_per_week | figure }}", "b.md")
    impact = public.registry.impact()
    assert impact["levels.iop.hours_per_week.adults"] == ["a.md"]
    assert impact["levels.iop.days_per_week"] == ["b.md"]
    assert public.registry.citing()["tip47"] == ["b.md"]


def test_link_is_relative_to_the_page_and_labelled(public: Renderer) -> None:
    """`link()` gives a checked .md link from wherever the page lives."""
    assert public.render("{{ link('php') }}", "levels/iop.md").strip() == \
        "[Partial hospitalization program (PHP)](php.md)"
    assert public.render("{{ link('cbt', short=True) }}", "faq.md").strip() == \
        "[CBT](modalities/cbt.md)"
    assert relative("levels/iop.md", "sources.md#asam3") == "../sources.md#asam3"
    with pytest.raises(RenderError, match="choose from: cbt, group, iop, php"):
        public.render("{{ link('xyz') }}", "faq.md")


def test_level_pages_link_up_and_down(public: Renderer) -> None:
    """Each level page links to the levels it steps up and down to."""
    iop = public.render('{% set level = levels["iop"] %}{% include "pages/level.md.j2" %}',
                        "levels/iop.md")
    php = public.render('{% set level = levels["php"] %}{% include "pages/level.md.j2" %}',
                        "levels/php.md")
    assert "step up to [Partial hospitalization program (PHP)](php.md)" in iop
    assert "step down to [Intensive outpatient program (IOP)](iop.md)" in php


def test_compare_table_has_caption_headers_and_every_core_level(public: Renderer) -> None:
    """The comparison table has a caption, column and row headers, and cited figures."""
    out = public.render("{{ compare_table() }}", "compare.md")
    assert "<caption>" in out
    assert out.count('<th scope="col"') == 3  # the row-label column + IOP + PHP
    assert "9 to 19 hours a week[^asam3]" in out and "20 or more hours a week[^asam3]" in out


def test_abbreviations_become_markdown_definitions(public: Renderer) -> None:
    """Levels, therapies and glossary terms with a short form get abbr definitions."""
    lines = public.abbreviations().splitlines()
    assert "*[IOP]: Intensive outpatient program" in lines
    assert "*[ASAM]: American Society of Addiction Medicine" in lines


def test_generated_pages_and_nav(facts: Facts) -> None:
    """Every level and therapy gets a page, listed under its index in the nav."""
    pages = generated_pages(facts)
    srcs = [p.src for p in pages]
    assert {"levels/iop.md", "levels/php.md", "modalities/cbt.md", "compare.md",
            "glossary.md"} <= set(srcs)
    assert srcs[-1] == "sources.md"
    nav = expand_nav([{"Levels": ["levels/index.md"]}, {"Home": "index.md"}], pages)
    assert nav[0]["Levels"] == ["levels/index.md",
                                {"Intensive outpatient program (IOP)": "levels/iop.md"},
                                {"Partial hospitalization program (PHP)": "levels/php.md"}]


def test_a_section_with_very_many_pages_lists_only_its_index_in_the_nav() -> None:
    """Past NAV_LIMIT pages a section shows its index only (which lists them all), so the nav
    Material writes into every page does not grow with the fact base."""
    from carekb.pages.generated import NAV_LIMIT, GeneratedPage
    few = [GeneratedPage(f"modalities/m{i}.md", f"M{i}", "") for i in range(NAV_LIMIT)]
    many = few + [GeneratedPage("modalities/extra.md", "Extra", "")]
    nav = [{"Therapies": ["modalities/index.md"]}]
    assert len(expand_nav(nav, few)[0]["Therapies"]) == NAV_LIMIT + 1
    assert expand_nav(nav, many)[0]["Therapies"] == ["modalities/index.md"]


def test_hand_typed_figures_are_found_with_the_fact_to_use(facts: Facts) -> None:
    """Typed hours, dollars and phone numbers equal to facts are flagged; Jinja and code are not."""
    page = ("IOP means 9 to 19 hours a week.\n"
            "It costs $1,944 in old dollars.\n"
            "Call 1-800-662-4357 or 988.\n"
            "Written with facts: {{ levels.iop.hours_per_week | hours }}, `9 hours`.\n"
            "Unrelated: 7 apples, 2013, 42 hours, [a link](https://example.org/988/9-hours).\n"
            '<a href="tel:988" title="9 hours">\n')
    findings = find(page, facts, line_offset=2)
    assert [(f.line, f.text, f.fact) for f in findings] == [
        (3, "9 to 19 hours a week", "levels.iop.hours_per_week.adults"),
        (4, "$1,944", "levels.iop.cost[2]"),
        (5, "1-800-662-4357", "crisis.helpline.call"),
        (5, "988", "crisis.lifeline.call"),
    ]
    assert findings[0].use == '{{ fact("levels.iop.hours_per_week.adults") }}'
    assert findings[1].use == '{{ fact("levels.iop.cost[2]") }}'
    assert ("content/x.md:3: '9 to 19 hours a week' is typed by hand; it is the fact "
            "levels.iop.hours_per_week.adults. Fix: write "
            '{{ fact("levels.iop.hours_per_week.adults") }} instead') \
        in findings[0].message("content/x.md")
    # The suggested call prints exactly the figure that was typed: $1,944 is cost[2].
    assert "$1,944" in Renderer(facts).render(findings[1].use, "x.md")


def test_code_is_code_for_the_renderer_and_the_hand_typed_check_alike(public: Renderer,
                                                                     facts: Facts) -> None:
    """One definition of code in a page: what the renderer shows as written (fenced blocks, code
    spans of any width) the hand-typed-figure check does not read either."""
    page = ("Shown: ``{{ x }} and 9 to 19 hours a week``.\n\n"
            "~~~text\n{{ y }} costs $1,944\n~~~\n\n"
            "Typed: 988.\n")
    assert public.render(page, "code.md") == page  # nothing in code was read as Jinja
    assert [(f.line, f.text) for f in find(page, facts)] == [(7, "988")]


def test_staff_only_abbreviations_only_in_the_staff_build() -> None:
    """Staff-only glossary abbreviations get tooltips in the handbook, never in the public site."""
    facts, _ = load_facts(Path(__file__).resolve().parent.parent / "facts.yaml")
    staff_terms = {t.term for t in facts.glossary.values() if t.staff_only and t.stands_for}
    assert staff_terms
    assert staff_terms <= set(facts.abbreviations(staff=True))
    assert not staff_terms & set(facts.abbreviations())


def test_sources_cited_together_get_one_mark_each_and_one_note_each(public: Renderer) -> None:
    """Sources cited together: one mark per source (a comma between, kept on one line); each
    source has one note on the page however it was cited, and no grouped note."""
    out = public.render("IOP {{ levels.iop.hours_per_week | hours }}. Again {{ cite('asam3', 'tip47', 'asam3') }}.",
                        "levels/iop.md")
    first = out.splitlines()[0]
    assert first.count("[^asam3]") == 2 and first.count("[^tip47]") == 1, first
    assert re.search(r'<span class="kb-cite"[^>]*>\[\^asam3\]<sup class="kb-cite-sep">,</sup>\[\^tip47\]</span>',
                     first), first
    assert re.findall(r"^\[\^([^\]]+)\]:", out, re.M) == ["asam3", "tip47"], out
    assert "sources-" not in out


def test_notes_follow_the_first_marks_in_the_page_not_the_render_order(public: Renderer) -> None:
    """Notes are defined in the order their first marks stand in the page (Python-Markdown numbers
    them that way), even when Jinja renders a later part first; a mark inside code is no mark."""
    out = public.render("{% set later = cite('tip47') %}First {{ cite('asam3') }}, `[^tip47]` then {{ later }}"
                        " and {{ cite('tip47', 'asam3') }}.", "levels/iop.md")
    assert re.findall(r"^\[\^([^\]]+)\]:", out, re.M) == ["asam3", "tip47"], out


def test_a_note_prints_the_sources_web_address(facts: Facts) -> None:
    """On paper a note names the source's title, publisher, year and web address: the address is
    print-only text, and Markdown reads it back unchanged (no emphasis from `_` or `*`)."""
    import markdown

    facts.sources["asam3"].url = "https://example.org/a_b_c/*x*?q=1&r=2"
    out = Renderer(facts).render("See {{ cite('asam3') }}", "levels/iop.md")
    note = re.search(r"^\[\^asam3\]: (.*)$", out, re.M).group(1)
    assert "American Society of Addiction Medicine, 2013." in note
    html = markdown.markdown(out, extensions=["footnotes"])
    assert '<span class="kb-print-only"> https://example.org/a_b_c/*x*?q=1&amp;r=2</span>' in html, html


def test_marks_of_a_citation_stand_in_the_order_of_their_numbers(public: Renderer) -> None:
    """A citation of several sources shows its marks by number ("1,2", never "2,1"): here tip47
    is note 1 (cited first), so it comes first in the later group however it was written."""
    out = public.render("A {{ cite('tip47') }}. B {{ cite('asam3', 'tip47') }}.", "levels/iop.md")
    group = re.search(r'<span class="kb-cite"[^>]*>(.*?)</span>', out).group(1)
    assert re.findall(r"\[\^(\w+)\]", group) == ["tip47", "asam3"], out
    assert re.findall(r"^\[\^([^\]]+)\]:", out, re.M) == ["tip47", "asam3"], out
    assert "\x00" not in out
