"""Generated pages: one Jinja source per kind of page, rendered with the entity each page is about, front matter that reads back exactly; and the build report written exactly as json would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from carekb.model.facts import Facts
from carekb.pages.generated import _front_matter, generated_pages
from carekb.render.renderer import Renderer

REPO = Path(__file__).resolve().parent.parent
# MkDocs reads front matter with PyYAML's (C) safe loader.
FRONT_MATTER_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def body(source: str) -> str:
    return source.split("---\n", 2)[2]


def test_pages_of_one_kind_share_one_source(facts: Facts) -> None:
    """Every level page has the same Jinja body, so it is compiled once; each names its own level."""
    levels = [p for p in generated_pages(facts) if p.about and p.about[0] == "level"]
    assert len(levels) >= 2
    assert len({body(p.source) for p in levels}) == 1
    assert {p.about[2] for p in levels} == {lv.id for lv in facts.levels.values() if not lv.staff_only}


def test_each_page_renders_the_entity_it_is_about(facts: Facts) -> None:
    """The shared source shows each page's own level and records that level as used by that page."""
    renderer = Renderer(facts)
    pages = {p.src: p for p in generated_pages(facts)}
    out = {}
    for src in ("levels/iop.md", "levels/php.md"):
        page = pages[src]
        out[src] = renderer.render(body(page.source), src, about=page.about)
    assert facts.levels["iop"].name in out["levels/iop.md"]
    assert facts.levels["php"].name in out["levels/php.md"]
    assert out["levels/iop.md"] != out["levels/php.md"]
    used = {src: renderer.registry.pages[src].facts for src in out}
    assert "levels.iop.hours_per_week" in used["levels/iop.md"] - used["levels/php.md"]
    assert "levels.php.hours_per_week" in used["levels/php.md"] - used["levels/iop.md"]


@pytest.mark.parametrize("title", ["Intensive outpatient program (IOP)", 'A "quoted": title # not a comment',
                                   "- starts like a list", "yes", "null", "12:30", "Café \\ naïve 🙂", "",
                                   "line\u2028separator", "tab\there", "bom\ufeff"])
def test_front_matter_reads_back_as_the_same_title(title: str) -> None:
    """Titles with YAML-special characters, words YAML reads as other types, and unprintable text read back unchanged."""
    meta = yaml.load(_front_matter(title), Loader=FRONT_MATTER_LOADER)
    assert meta == {"title": title, "generated": True}


def test_front_matter_is_written_without_yaml_for_printable_titles() -> None:
    """A printable title is written as a JSON string (cheap); the YAML emitter is kept for the rest."""
    assert _front_matter("Glossary") == f"title: {json.dumps('Glossary')}\ngenerated: true\n"


def test_sets_apart_names_only_therapies_the_level_offers(tmp_path: Path) -> None:
    """A `sets_apart:` therapy missing from the level's `modalities:` stops the build, naming the
    level, the item and the fix."""
    from carekb.load.facts_yaml import read_facts
    from carekb.base.problems import ERROR

    text = (Path(__file__).resolve().parents[1] / "facts.yaml").read_text(encoding="utf-8")
    old = "    sets_apart: [psychoeducation, motivational]\n"
    assert old in text
    (tmp_path / "facts.yaml").write_text(text.replace(old, "    sets_apart: [psychoeducation, cbt]\n"),
                                         encoding="utf-8")
    facts, problems = read_facts(tmp_path / "facts.yaml")
    errors = [p for p in problems if p.severity == ERROR]
    assert facts is None and errors
    assert any(p.path == "levels.early_intervention.sets_apart[2]" and "`cbt`" in p.message
               and "modalities" in (p.hint or "") for p in errors), [str(p) for p in errors]


def test_level_page_lists_what_sets_it_apart_not_every_therapy(facts: Facts) -> None:
    """"What's included" on a level page names its `sets_apart` therapies and no other."""
    level = facts.levels["iop"]
    renderer = Renderer(facts)
    assert level.sets_apart_ids and len(level.sets_apart_ids) < len(level.modality_ids)
    out = renderer.render((Path(__file__).resolve().parents[1] / "carekb/templates/pages/level.md.j2")
                          .read_text(encoding="utf-8"), "levels/iop.md", about=("level", "levels", "iop"))
    included = out.split("## What's included", 1)[1].split("\n## ", 1)[0]
    shown = {mid for mid in level.modality_ids if f"(../modalities/{mid}.md)" in included}
    assert shown == set(level.sets_apart_ids), included


def test_therapy_page_says_what_it_is_session_who_where_and_evidence(facts: Facts) -> None:
    """A therapy page has its five parts; each sourced part carries a footnote, and a therapy
    without a sourced rating says the sources do not rate it instead of guessing."""
    template = (Path(__file__).resolve().parents[1] / "carekb/templates/pages/modality.md.j2").read_text(
        encoding="utf-8")
    out = Renderer(facts).render(template, "modalities/cbt.md", about=("modality", "modalities", "cbt"))
    parts = dict(part.split("\n", 1) for part in out.split("\n## ")[1:])
    for heading in ("What it is", "What a session is like", "Who it helps", "How strong the evidence is"):
        assert "[^" in parts[heading], (heading, parts[heading])
    assert "Where it is offered" in parts
    bare = next(m for m in facts.modalities.values() if m.evidence is None)
    out = Renderer(facts).render(template, f"modalities/{bare.id}.md", about=("modality", "modalities", bare.id))
    assert "do not rate the research" in out.split("## How strong the evidence is", 1)[1]


def _level_page(facts: Facts, level_id: str) -> str:
    """The level page's Markdown as the build renders it, before MkDocs."""
    renderer = Renderer(facts)
    page = {p.src: p for p in generated_pages(facts)}[f"levels/{level_id}.md"]
    return renderer.render(body(page.source), page.src, about=page.about)


def test_level_page_opens_with_the_plain_answers_each_with_its_own_reason(facts: Facts) -> None:
    """Issue 24, point 4: right under its title, before its summary, a core level's "In short"
    box answers how long, how much and how many hours, in plain words (a median reads "about
    half of people who finished stayed 50 days or less", never "median"), each answer followed by
    its own figure's reason: `length_why` under the length, `cost_why` under the price (alone
    when there is no price), the hours figure's note (or that the ASAM Criteria set the hours)
    under the hours. A level with no headline has no box."""
    from markupsafe import escape

    from carekb.render.wording import figure_words

    core = facts.core_levels
    assert [lv.id for lv in core] == ["op", "iop", "php", "residential"]
    medians = 0
    for level in core:
        out = _level_page(facts, level.id)
        assert "\n# " + level.label in "\n" + out
        start = out.index('<div class="kb-in-short"')
        box = out[start:out.index("</div>", start)]
        assert out.index("\n# ") < start < out.index(str(escape(" ".join(level.summary.split()))[:40]))
        assert "median" not in box.lower(), box
        labels = [box.index(label) for label in ("How long:", "Price, before insurance:", "Hours a week:")]
        assert labels == sorted(labels), box
        long_part, price_part, hours_part = (box[labels[0]:labels[1]], box[labels[1]:labels[2]],
                                             box[labels[2]:])
        stay, h = level.headline_stay, level.headline
        said = figure_words(stay)
        assert said[:1].upper() + said[1:] + "." in long_part
        assert f"Why this one: {escape(h.length_why)}" in long_part
        medians += "about half of" in said
        if level.headline_cost is not None:
            said = figure_words(level.headline_cost)
            assert said[:1].upper() + said[1:] + "." in price_part
            assert f"Why this one: {escape(h.cost_why)}" in price_part
        else:  # no price to show: the reason is the answer, and there is no second reason
            assert str(escape(h.cost_why)) in price_part and "Why this one" not in price_part
        # Each reason is under its own figure only.
        assert str(escape(h.cost_why)) not in long_part and str(escape(h.length_why)) not in price_part
        adults = level.hours_per_week["adults"]
        said = figure_words(adults, unit="hours", per="week") + " of treatment for adults."
        assert said in hours_part or said[:1].upper() + said[1:] in hours_part, hours_part
        reason = (adults.note and " ".join(adults.note.split())) or "The ASAM Criteria set these hours for this level."
        assert f"Why this one: {escape(reason)}" in hours_part, hours_part
        if level.around_the_clock:
            assert "You live there, with care day and night" in hours_part
        for part in (long_part, price_part if level.headline_cost else "[^", hours_part):
            assert "[^" in part, part  # each figure carries its citation
    assert medians >= 1  # IOP's headline is a median: the plain wording is what is tested
    for level in facts.levels.values():
        if level.headline is None and not level.staff_only:
            assert "kb-in-short" not in _level_page(facts, level.id)
