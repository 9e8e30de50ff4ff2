"""Every translation knows what it was translated from (issue 22 point 3), and the Spanish site
never shows a stale text silently, nor publishes a stale crisis, safety, medicine or self-check
text.

Scenario: edit the English -> the translation is listed as stale (file:line, field, the English
now) -> publishing refuses a stale crisis text and leaves the live site alone -> update and mark
it translated -> it publishes, both languages in one swap. A stale text of another kind
publishes in English, marked `lang="en"` with a Spanish notice; a stale page shows its English
page the same way, out of the Spanish search. `carekb-translate mark` rewrites one entry's `en:`
or one page's record and nothing else.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carekb.i18n.page_translations import english_hash, page_statuses
from carekb.cli.translate import main as translate, set_english, set_record
from carekb.i18n.translations import critical, parse_translations
from carekb.i18n.untranslated import mark, to_html

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=project, env=ENV, capture_output=True, text=True)


def publish(project: Path) -> subprocess.CompletedProcess[str]:
    return run(project, "scripts/publish.py", "public")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- facts.es.yaml ---------------------------------------------------------------------------------
def test_entries_are_read_with_their_lines_and_wrong_ones_are_located():
    entries, problems = parse_translations(
        "a.b:\n  en: One\n  es: Uno\nc.d:\n  es: <b>dos</b>\nc.d:\n  en: x\ne.f: no\n")
    assert entries["a.b"].line == 1 and entries["a.b"].en_line == 2 and entries["a.b"].es == "Uno"
    said = [str(p) for p in problems]
    assert any(s.startswith("facts.es.yaml:5:1: c.d.es: contains HTML code") for s in said), said
    assert any(s.startswith("facts.es.yaml:6:1: c.d: is given twice") for s in said), said
    assert any(s.startswith("facts.es.yaml:8:1: e.f: should hold `en:` and `es:`") for s in said), said


def test_the_critical_set_is_crisis_safety_medicine_and_self_check():
    assert critical("crisis.lifeline.options[2]") and critical("self_check.questions.who.ask")
    assert critical("levels.withdrawal.warnings[1].text") and critical("modalities.medication_oud.name")
    assert not critical("levels.iop.summary") and not critical("glossary.asam.meaning")


def test_mark_rewrites_one_en_and_keeps_everything_else_byte_for_byte():
    source = ("# comment\n\nx.a:   # keep\n  en: Old words\n  es: Palabras\n\n"
              "x.b:\n  en: >-\n    Long old\n    text\n  es: Texto\n")
    changed = set_english(source, "x.b", "New text " * 20)
    assert changed.startswith("# comment\n\nx.a:   # keep\n  en: Old words\n  es: Palabras\n\nx.b:\n  en: >-\n")
    assert changed.endswith("  es: Texto\n")
    entries, problems = parse_translations(changed)
    assert not problems and " ".join(entries["x.b"].en.split()) == ("New text " * 20).strip()
    assert set_english(source, "x.a", "New") == source.replace("  en: Old words", "  en: New")


def test_a_page_record_is_written_in_its_front_matter_only():
    page = "---\ntitle: Hola\nreviewed: 2026-11-29\n---\n\n# Hola\n\nTexto.\n"
    once = set_record(page, ["translation:", "  of: x.md", '  hash: "abc"', "  reviewed: 2026-12-01"])
    assert once == ("---\ntitle: Hola\nreviewed: 2026-11-29\ntranslation:\n  of: x.md\n  hash: \"abc\"\n"
                    "  reviewed: 2026-12-01\n---\n\n# Hola\n\nTexto.\n")
    twice = set_record(once, ["translation:", "  of: x.md", '  hash: "def"', "  reviewed: 2026-12-02"])
    assert twice == once.replace('"abc"', '"def"').replace("2026-12-01", "2026-12-02")


def test_the_hash_ignores_wrapping_and_the_review_date():
    a = "---\ntitle: T\nreviewed: 2026-01-01\n---\n\nOne two\nthree.\n"
    b = "---\ntitle: T\nreviewed: 2026-12-01\n---\n\nOne two three.\n"
    assert english_hash(a) == english_hash(b) != english_hash(a.replace("three", "four"))


def test_marked_english_becomes_a_lang_en_span_in_text_and_plain_in_attributes():
    html = f'<p title="{mark("tip")}">Hola {mark("Detox <abbr>SUD</abbr>")}</p><title>{mark("T")}</title>'
    out, count = to_html(html)
    assert count == 1
    assert out == ('<p title="tip">Hola <span lang="en" class="kb-untranslated">Detox <abbr>SUD</abbr>'
                   '</span></p><title>T</title>')


# -- the scenario, on a project copy with a complete translation ---------------------------------
def test_a_stale_crisis_text_is_listed_refuses_publishing_and_publishes_once_marked(copy_spanish_project):
    project = copy_spanish_project()
    assert publish(project).returncode == 0, "the complete translation publishes"
    live = project / "publish" / "public"
    before = (live / "es" / "help" / "index.html").read_bytes()
    assert (live / "index.html").is_file() and (live / "es" / ".carekb-site").is_file()

    replace(project / "facts.yaml", "Call or text any time if you are thinking about suicide",
            "Call or text at any hour if you are thinking about suicide")
    status = run(project, "-m", "carekb.cli.translate", "status")
    assert status.returncode == 1
    line = next(ln for ln in status.stdout.splitlines() if "crisis.lifeline.description" in ln)
    assert re.match(r"warning: facts\.es\.yaml:\d+: crisis\.lifeline\.description: the English changed", line)
    assert 'English now: "Call or text at any hour' in line

    refused = publish(project)
    assert refused.returncode == 1 and "Not published" in refused.stderr
    assert "crisis.lifeline.description" in refused.stdout + refused.stderr
    assert (live / "es" / "help" / "index.html").read_bytes() == before, "the live site is left alone"

    replace(project / "facts.es.yaml", "Llame o envíe un mensaje de texto a cualquier hora",
            "Llame o envíe un mensaje de texto en cualquier momento")
    assert translate(["--project", str(project), "mark", "crisis.lifeline.description"]) == 0
    published = publish(project)
    assert published.returncode == 0, published.stderr[-2000:]
    assert "en cualquier momento" in (live / "es" / "help" / "index.html").read_text(encoding="utf-8")
    assert "at any hour" in (live / "help" / "index.html").read_text(encoding="utf-8")


def test_other_stale_texts_and_pages_show_in_english_marked_never_silently(copy_spanish_project, build):
    project = copy_spanish_project()
    replace(project / "facts.yaml", "Several hours of treatment on several days each week",
            "Several hours of care on several days each week")
    replace(project / "content" / "teens.md", "This page covers two things", "This page is about two things")
    out = project / "site"
    for config, dest in (("mkdocs.yml", out), ("mkdocs.es.yml", out / "es")):
        result = build(project / config, dest)
        assert result.returncode == 0, result.stderr[-3000:]  # not critical: they publish, marked
        if config == "mkdocs.es.yml":
            assert "levels.iop.summary: the English changed" in result.stderr  # news in the log
    level = (out / "es" / "levels" / "iop" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" class="kb-untranslated">Several hours of care on several days' in level
    assert "Partes de esta página aún no están traducidas: se muestran en inglés." in level
    teens = (out / "es" / "teens" / "index.html").read_text(encoding="utf-8")
    assert '<div lang="en" class="kb-untranslated-page">' in teens and "This page is about two things" in teens
    assert "Esta página aún no está traducida" in teens
    alternate = '<link rel="alternate" hreflang='  # an untranslated page is no translation
    assert alternate not in teens and alternate not in (out / "teens" / "index.html").read_text(encoding="utf-8")
    index = (out / "es" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "This page is about two things" not in index and "\\u000e" not in index
    kinds = {s.src: s.kind for s in page_statuses(project / "content", project / "content" / "es", project)}
    assert kinds["teens.md"] == "stale"


def test_make_check_lists_each_stale_translation_with_its_line(copy_spanish_project):
    project = copy_spanish_project()
    replace(project / "facts.yaml", "Call or text any time if you are thinking about suicide",
            "Call or text at any hour if you are thinking about suicide")
    result = run(project, "-m", "carekb.cli.check", "facts.yaml")
    assert result.returncode == 1
    assert re.search(r"warning: facts\.es\.yaml:\d+: crisis\.lifeline\.description: the English changed",
                     result.stderr), result.stderr[-3000:]
    assert "Publishing would refuse this" in result.stderr


@pytest.mark.parametrize("language", ["es"])
def test_the_staff_translation_queue_shows_the_english_before_and_after(copy_spanish_project, build, language):
    project = copy_spanish_project()
    replace(project / "facts.yaml", "Several hours of treatment on several days each week",
            "Several hours of care on several days each week")
    replace(project / "content" / "teens.md", "This page covers two things", "This page is about two things")
    result = build(project / "mkdocs.staff.yml", project / "site-staff")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (project / "site-staff" / "staff" / "translation-queue" / "index.html").read_text(encoding="utf-8")
    assert "levels.iop.summary" in page and "English before:" in page and "English now:" in page
    assert "Several hours of treatment on several days" in page and "Several hours of care on several" in page
    assert "content/es/teens.md" in page and "This page is about two things" in page
