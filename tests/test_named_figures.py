"""Named figures: a therapy or glossary term carries sourced figures under ids of its own
(`figures:`), so a timing such as "give another dose after 2 to 3 minutes" is a fact, never
typed into a page. Their form, their wording on the real site, the figure typed by hand
they replace, the impact map, review dates and who may see them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from carekb.model.audience import view
from carekb.load.facts_yaml import load_facts, read_facts
from carekb.checks.handtyped import find
from carekb.change.impact import affected_pages, diff, figure_shown, load_yaml_text
from carekb.model.facts import PUBLIC, STAFF, Figure, Loc
from carekb.base.problems import ERROR
from carekb.render.renderer import Renderer, RenderError
from carekb.build.report import default_report_path
from carekb.render.sandbox import readable
from carekb.render.wording import figure_words
from tests.conftest import REPO_ROOT
from tests.factsamples import CHECK
from tests.test_facts import _schema_errors

TODAY = dt.date(2026, 11, 23)
FACTS, _ = load_facts(REPO_ROOT / "facts.yaml")
NALOXONE = "glossary.naloxone.figures.repeat_after"
NALTREXONE = "glossary.naltrexone.figures.wait_after_opioids"

# The small fact base of tests/test_facts.py, with named figures on a glossary term and a therapy.
_TERM = "    meaning: A health condition.\n"
_THERAPY = "    description: Changing thoughts and habits.\n"
GOOD = (CHECK.replace("supports: [level_numbers, hours, modalities, conditions]",
                      "supports: [level_numbers, hours, modalities, conditions, glossary]")
        .replace(_TERM, _TERM + "    figures:\n      wait: {min: 7, max: 10, unit: days, source: asam3}\n"
                 "      doses: {max: 2, unit: doses, source: asam3}\n")
        .replace(_THERAPY, _THERAPY + "    figures:\n      session: {about: 50, unit: minutes, source: asam3}\n"))
assert GOOD.count("figures:") == 2


def _read(tmp_path: Path, text: str):
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return read_facts(path, today=TODAY)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- form --------------------------------------------------------------------------------------
def test_a_term_and_a_therapy_carry_named_figures(tmp_path: Path) -> None:
    facts, problems = _read(tmp_path, GOOD)
    assert problems == [] and facts is not None
    term, therapy = facts.glossary["sud"], facts.modalities["cbt"]
    wait = term.figures["wait"]
    assert (wait.path, wait.min, wait.max, wait.unit, wait.sources) == ("glossary.sud.figures.wait", 7, 10,
                                                                       "days", ("asam3",))
    assert wait.owner is term and therapy.figures["session"].owner is therapy
    assert {wait, term.figures["doses"], therapy.figures["session"]} <= set(facts.figures())
    assert figure_words(term.figures["doses"]) == "up to 2 doses"
    assert _schema_errors(GOOD) == []


@pytest.mark.parametrize("old,new,path,pattern", [
    ("{min: 7, max: 10, unit: days,", "{min: 7, max: 10, unit: seconds,", "glossary.sud.figures.wait.unit",
     r"`seconds` is not allowed here\..*units: `days`, `doses`, `hours`, `minutes`, `months`, `weeks`"),
    ("{min: 7, max: 10, unit: days,", "{min: 7, max: 10,", "glossary.sud.figures.wait.unit",
     r"this figure needs a `unit`"),
    ("unit: days, source: asam3}", "unit: days}", "glossary.sud.figures.wait.source",
     r"`source` is missing.*sources in this file: asam3, seed"),
    ("{about: 50, unit: minutes", "{about: 2000, unit: minutes", "modalities.cbt.figures.session.about",
     r"2000 minutes is more than this figure can be \(at most 1,440 minutes\)"),
    ("{max: 2, unit: doses", "{max: 101, unit: doses", "glossary.sud.figures.doses.max",
     r"101 doses is more than this figure can be \(at most 100 doses\)"),
    ("{min: 7, max: 10, unit: days,", "{min: 7, max: 4000, unit: days,", "glossary.sud.figures.wait.max",
     r"4000 is above the highest allowed value, 1,440 minutes or 744 hours or 3,660 days"),
    ("{min: 7, max: 10, unit: days,", "{min: 10, max: 7, unit: days,", "glossary.sud.figures.wait.min",
     r"min 10 is greater than max 7"),
    ("      wait: {", "      Wait-Time: {", "glossary.sud.figures.Wait-Time", r"`Wait-Time` is not a valid id"),
    ("    figures:\n      wait:", "    figures: [7, 10]\n    old:\n      wait:", "glossary.sud.figures",
     r"should be a block of figures, each under its id"),
])
def test_a_bad_named_figure_gets_a_located_error(tmp_path: Path, old: str, new: str, path: str,
                                                  pattern: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    facts, problems = _read(tmp_path, text)
    assert facts is None
    errors = [p for p in problems if p.severity == ERROR and p.path == path]
    assert errors, [str(p) for p in problems]
    said = errors[0].message + " Fix: " + (errors[0].hint or "")
    assert re.search(pattern, said), said
    needle = new.splitlines()[0].strip()
    assert errors[0].line == _line(text, needle), str(errors[0])


@pytest.mark.parametrize("old,new", [
    ("unit: days,", "unit: seconds,"), ("{min: 7, max: 10, unit: days,", "{min: 7, max: 10,"),
    ("unit: days, source: asam3}", "unit: days}"), ("{about: 50,", "{about: 2000,"),
])
def test_the_editors_schema_flags_the_same_mistakes(old: str, new: str) -> None:
    assert _schema_errors(GOOD.replace(old, new, 1))


def test_a_source_cited_for_a_named_figure_must_support_that_kind_of_claim(tmp_path: Path) -> None:
    """A named figure of a glossary term is a claim about the glossary: its source says so."""
    text = GOOD.replace("conditions, glossary]", "conditions]")
    facts, problems = _read(tmp_path, text)
    assert facts is None
    assert any(p.path == "glossary.sud.figures.wait" and "cites `asam3` for `glossary`" in p.message
               for p in problems), [str(p) for p in problems]


# -- the real pages ----------------------------------------------------------------------------
def test_the_safety_and_medicines_pages_show_the_figures_with_their_citations(built_site: Path) -> None:
    naloxone = FACTS.glossary["naloxone"].figures["repeat_after"]
    naltrexone = FACTS.glossary["naltrexone"].figures["wait_after_opioids"]
    assert figure_words(Figure("x", Loc("f", 1, 1), min=2, max=3, unit="minutes")) == "2 to 3 minutes"
    safety = (built_site / "safety" / "index.html").read_text(encoding="utf-8")
    words = figure_words(naloxone)
    mark = re.search(rf"within {re.escape(words)}<sup id=\"fnref:(\w+)\"><a class=\"footnote-ref\" "
                     r"href=\"#fn:(\w+)\">\d+</a></sup>", safety)
    assert mark and mark[1] == mark[2] == "narcan_label", safety[safety.find("within"):][:300]
    assert f"every {words} until" in " ".join(safety.split())
    note = safety[safety.index('id="fn:narcan_label"'):][:800]
    assert "sources/#narcan_label" in note
    medicines = (built_site / "medicines" / "index.html").read_text(encoding="utf-8")
    # Two sources: one mark each, side by side in one citation; each source has its own note.
    cite = re.search(rf"Wait at least\s+{re.escape(figure_words(naltrexone))}<span class=\"kb-cite\">(.*?)</span>",
                     medicines, re.S)
    assert cite, medicines[medicines.find("Wait at least"):][:300]
    assert re.findall(r'href="#fn:([\w-]+)"', cite[1]) == list(naltrexone.sources), cite[1]
    for source_id in naltrexone.sources:
        note = medicines[medicines.index(f'id="fn:{source_id}"'):][:1500]
        assert f"sources/#{source_id}" in note, source_id


def test_the_old_hand_typed_figures_are_flagged_naming_the_fact_to_use() -> None:
    found = find("If the person does not wake up within 2 to 3 minutes, give another dose.\n\n"
                 "Wait at least 7 to 10 days after your last short-acting opioid.\n",
                 view(FACTS, PUBLIC))
    assert [(f.line, f.text, f.fact, f.use) for f in found] == [
        (1, "2 to 3 minutes", NALOXONE, f'{{{{ fact("{NALOXONE}") }}}}'),
        (3, "7 to 10 days", NALTREXONE, f'{{{{ fact("{NALTREXONE}") }}}}'),
    ]
    for page in ("safety.md", "medicines.md"):
        assert find((REPO_ROOT / "content" / page).read_text(encoding="utf-8"), FACTS) == [], page


def test_a_page_typing_the_figure_again_fails_the_strict_build(warm) -> None:
    text = warm.read("content/safety.md")
    written = '{{ fact("' + NALOXONE + '") }}'
    assert written in text
    warm.write("content/safety.md", text.replace(written, "2 to 3 minutes", 1))
    line = _line(warm.read("content/safety.md"), "better within 2 to 3 minutes")
    result = warm.build()
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert (f"content/safety.md:{line}: '2 to 3 minutes' is typed by hand; it is the fact {NALOXONE}. "
            f'Fix: write {{{{ fact("{NALOXONE}") }}}} instead') in log, log[-2000:]


# -- impact, review dates and audience ----------------------------------------------------------
def test_changing_the_figure_names_the_page_that_shows_it(built_site: Path) -> None:
    report = json.loads(default_report_path(built_site).read_text(encoding="utf-8"))
    usage = {page: info["facts"] for page, info in report["pages"].items()}
    old = load_yaml_text((REPO_ROOT / "facts.yaml").read_text(encoding="utf-8"))
    new = json.loads(json.dumps(old, default=str))
    new["glossary"]["naloxone"]["figures"]["repeat_after"]["max"] = 4
    new["glossary"]["naltrexone"]["figures"]["wait_after_opioids"]["min"] = 8
    changes = diff(json.loads(json.dumps(old, default=str)), new)
    assert [c.path for c in changes] == [f"{NALOXONE}.max", f"{NALTREXONE}.min"]
    touched = affected_pages(changes, usage)
    assert touched == {f"{NALOXONE}.max": ["safety.md"], f"{NALTREXONE}.min": ["medicines.md"]}
    assert [figure_shown(d, f"{NALOXONE}.max") for d in (old, new)] == [
        figure_words(FACTS.glossary["naloxone"].figures["repeat_after"]), "2 to 4 minutes"]


def test_the_impact_command_names_the_safety_page(built_site: Path, copy_project: Callable[..., Path]) -> None:
    project = copy_project()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "facts.yaml"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *args], cwd=project, check=True, capture_output=True)
    facts = project / "facts.yaml"
    old = "repeat_after: {min: 2, max: 3, unit: minutes"
    assert old in facts.read_text(encoding="utf-8")
    facts.write_text(facts.read_text(encoding="utf-8").replace(old, old.replace("max: 3", "max: 4")),
                     encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "carekb.cli.impact", "--report",
                             str(default_report_path(built_site))], cwd=project, capture_output=True,
                            text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stderr
    assert f"{NALOXONE}.max: changed (3 → 4)" in result.stdout
    assert "the site says: 2 to 3 minutes → 2 to 4 minutes" in result.stdout
    assert re.search(r"shown on 1 page: Staying safe", result.stdout), result.stdout


def test_a_page_showing_a_named_figure_is_due_for_review_with_its_entry() -> None:
    renderer = Renderer(FACTS)
    renderer.render(f'Wait {{{{ fact("{NALOXONE}") }}}}.', "new.md")
    term = FACTS.glossary["naloxone"]
    usage = renderer.registry.pages["new.md"]
    assert usage.reviewed[term.path] == (term.reviewed, term.review_due)
    assert f"{NALOXONE}" in usage.facts and "narcan_label" in usage.sources
    late = term.reviewed + dt.timedelta(days=400)
    assert renderer.review_dates("new.md", late).due <= term.review_due


def test_a_staff_only_named_figure_never_reaches_the_public_site(tmp_path: Path) -> None:
    text = GOOD.replace("{max: 2, unit: doses, source: asam3}", "{max: 2, unit: doses, source: asam3, audience: staff}")
    facts, problems = _read(tmp_path, text)
    assert problems == [] and facts is not None
    public, staff = view(facts, PUBLIC), view(facts, STAFF)
    assert list(public.glossary["sud"].figures) == ["wait"]
    assert list(staff.glossary["sud"].figures) == ["wait", "doses"]
    assert public.glossary["sud"].figures["wait"].owner is public.glossary["sud"]
    assert [f.path for f in public.figures()] == [f.path for f in facts.figures() if not f.staff_only]
    page = '{{ fact("glossary.sud.figures.doses") }}'
    with pytest.raises(RenderError, match=r"glossary\.sud\.figures\.doses is staff-only; page x\.md is public"):
        Renderer(facts).render(page, "x.md")
    assert Renderer(facts, audience=STAFF).render(page, "staff/x.md").startswith("up to 2 doses[^asam3]")
    # A term whose only figure is staff-only: reading it by path still says so.
    only = text.replace("      wait: {min: 7, max: 10, unit: days, source: asam3}\n", "")
    facts, _ = _read(tmp_path, only)
    with pytest.raises(RenderError, match=r"glossary\.sud\.figures\.doses is staff-only"):
        Renderer(facts).render(page, "x.md")
    # A staff-only term takes its figures with it.
    hidden, _ = _read(tmp_path, GOOD.replace(_TERM, _TERM + "    audience: staff\n"))
    assert all(f.staff_only for f in hidden.glossary["sud"].figures.values())
    with pytest.raises(RenderError, match=r"glossary\.sud is staff-only"):
        Renderer(hidden).render('{{ fact("glossary.sud.figures.wait") }}', "x.md")


def test_pages_read_named_figures_but_never_their_owner() -> None:
    figure = FACTS.glossary["naloxone"].figures["repeat_after"]
    assert readable(FACTS.glossary["naloxone"], "figures") and readable(FACTS.modalities["cbt"], "figures")
    assert not readable(figure, "owner") and readable(figure, "unit")
    renderer = Renderer(FACTS)
    with pytest.raises(RenderError, match=re.escape(f'fact("{NALOXONE}")')):
        renderer.render("{{ glossary.naloxone.figures }}", "x.md")
    with pytest.raises(RenderError, match=re.escape(f'fact("{NALOXONE}")')):
        renderer.render('{{ fact("glossary.naloxone.figures") }}', "x.md")
    with pytest.raises(RenderError, match="repeat_after"):
        renderer.render('{{ fact("glossary.naloxone.figures.repeat_afer") }}', "x.md")
    with pytest.raises(RenderError, match="has no 'owner'"):
        renderer.render("{{ glossary.naloxone.figures.repeat_after.owner.meaning }}", "x.md")
