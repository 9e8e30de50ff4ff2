"""What an editor does, as real strict builds in a copy of the project: add a therapy, change a
figure, add a page, and each common mistake, asserting the message's file, line, wording and fix.

The builds are the preview's (the warm copy of the project, tests/sitebuilds.py): each edit is
built as a save would be, and undone after its test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sitebuilds import Built, WarmProject

MEDICARE_TITLE = "    title: Mental health care (partial hospitalization)\n"  # facts.yaml line 29


def _edit(warm: WarmProject, rel: str, old: str, new: str) -> None:
    text = warm.read(rel)
    assert text.count(old) == 1, f"{old!r} is not once in {rel}"
    warm.write(rel, text.replace(old, new))


def _line(warm: WarmProject, rel: str, number: int, new: str) -> None:
    """Replace line `number` (1-based) of `rel`, checking it is the line we meant."""
    lines = warm.read(rel).splitlines(keepends=True)
    assert lines[number - 1] == MEDICARE_TITLE or number != 29, "facts.yaml line 29 moved"
    lines[number - 1] = new
    warm.write(rel, "".join(lines))


def _ok(warm: WarmProject, config: str = "mkdocs.yml") -> Path:
    result = warm.build(config)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.site


def _fails(warm: WarmProject, config: str = "mkdocs.yml") -> str:
    result: Built = warm.build(config)
    assert result.returncode != 0, "the build should have failed"
    return " ".join((result.stdout + result.stderr).split())


def _text(html_file: Path) -> str:
    html = html_file.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", "", html[html.index("<article"):]).split())


# -- things editors do ------------------------------------------------------------------------
def test_add_a_therapy_and_link_it_to_a_level(warm: WarmProject) -> None:
    _edit(warm, "facts.yaml", "\nmodalities:\n", """
modalities:
  art_therapy:
    name: Art therapy
    category: psychotherapy
    description: >-
      Uses drawing, painting and other art to help you express what is hard to say.
    source: tip47
    reviewed: 2026-11-01
""")
    text = warm.read("facts.yaml")
    at = text.index("    modalities: [", text.index("\n  iop:\n"))  # IOP's own list
    text = text[:at] + "    modalities: [art_therapy, " + text[at + len("    modalities: ["):]
    # The build's own message says how to let TIP 47 support the new therapy: do that.
    at = text.index("    supports: [", text.index("\n  tip47:\n"))
    rest = text[at + len("    supports: ["):]
    text = text[:at] + "    supports: [modalities.art_therapy, " + rest
    # The Spanish site must call it one thing: the build asks for its term in terms_es, so give it.
    at = text.index("\n    group_therapy:\n      fact: modalities.group_therapy\n")
    text = text[:at] + (
        "\n    art_therapy:\n      fact: modalities.art_therapy\n      en: Art therapy\n"
        "      es: Terapia de arte\n      source: none\n      why: The usual Spanish name.") + text[at:]
    warm.write("facts.yaml", text)
    site = _ok(warm)
    assert "Art therapy" in _text(site / "modalities" / "art_therapy" / "index.html")
    assert re.search(r'href="[./]*modalities/art_therapy/"',
                     (site / "levels" / "iop" / "index.html").read_text(encoding="utf-8"))


def test_change_a_figure_and_every_page_follows(warm: WarmProject) -> None:
    _edit(warm, "facts.yaml", "days_per_week: {min: 3, max: 5, source: [avenues, "
          "iop_length_article, aliya]}", "days_per_week: {min: 3, max: 4, source: [avenues, "
          "iop_length_article, aliya]}")
    site = _ok(warm)
    for page in ("week-in-iop", "faq"):
        text = _text(site / page / "index.html")
        assert "3 to 4 days a week" in text, page
        assert "3 to 5 days a week" not in text, page


def test_add_a_page_that_shows_a_figure_with_fact(warm: WarmProject) -> None:
    warm.write("content/iop-costs.md",
               "---\ntitle: What IOP costs\nreviewed: 2026-11-29\n---\n\n# What IOP costs\n\n"
               'One program reports {{ fact("levels.iop.cost[2]") }}.\n')
    _edit(warm, "mkdocs.yml", "  - Costs and insurance: costs.md\n",
          "  - Costs and insurance: costs.md\n  - What IOP costs: iop-costs.md\n")
    site = _ok(warm)
    text = _text(site / "iop-costs" / "index.html")
    assert re.search(r"One program reports \$3,000 to \$10,000 a program \(undated price, "
                     r"read \w+ \d{4}\)\d+\.", text), text[:500]


# -- mistakes in facts.yaml --------------------------------------------------------------------
@pytest.mark.parametrize(("line", "new", "where", "wording", "fix"), [
    (29, '    title: "Mental health care (partial hospitalization)\n', "facts.yaml:29:12:",
     "the quote opened on line 29 is not closed",
     'Fix: add the closing " at the end of the text on line 29.'),
    (29, "    title: Mental health care: partial hospitalization\n", "facts.yaml:29:30:",
     "the text of `title` on line 29 holds a colon followed by a space",
     'Fix: put this text in quotes: title: "Mental health care: partial hospitalization"'),
    (30, "      publisher: Medicare.gov\n", "facts.yaml:30:7:",
     "line 30 is indented too far (an indentation mistake): it has 6 spaces, more than the "
     "line above it; fields of one entry line up.",
     "Fix: indent line 30 with 4 spaces, lined up with line 29."),
    (30, "    - publisher: Medicare.gov\n", "facts.yaml:30:5:",
     "line 30 is a list item (it starts with `- `) where a field is expected",
     "Fix: remove the `- ` so the line reads `publisher: Medicare.gov`"),
])
def test_yaml_mistakes_are_reported_on_the_right_line(
        warm: WarmProject, line: int, new: str, where: str, wording: str, fix: str) -> None:
    _line(warm, "facts.yaml", line, new)
    log = _fails(warm)
    assert f"{where} {wording}" in log, log[-1500:]
    assert fix in log


# -- mistakes in pages ---------------------------------------------------------------------------
FAQ_LINE = "For adults, an IOP gives"  # a line of content/faq.md to put a mistake after


@pytest.mark.parametrize(("written", "wording"), [
    ("{{ levels.iop.hours_per_week | hour }}",
     "no filter named 'hour'. Did you mean 'hours'?"),
    ('{{ fact("levels.iop.hours_per_wek.adults") }}',
     "fact: levels.iop has no 'hours_per_wek'. Did you mean 'hours_per_week'?"),
    ("{{ levels.iop.days_per_week }}",
     "levels.iop.days_per_week is never printed whole; write "
     '{{ fact("levels.iop.days_per_week") }}'),
    ("Most programs cost $3,000 to $10,000.",
     "'$3,000 to $10,000' is typed by hand; it is the fact levels.iop.cost[2]. Fix: write "
     '{{ fact("levels.iop.cost[2]") }} instead'),
])
def test_page_mistakes_name_file_line_and_fix(warm: WarmProject, written: str, wording: str) -> None:
    lines = warm.read("content/faq.md").splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith(FAQ_LINE))
    lines.insert(at, written + "\n\n")
    warm.write("content/faq.md", "".join(lines))
    log = _fails(warm)
    assert f"content/faq.md:{at + 1}: {wording}" in log, log[-1500:]


def test_the_suggested_fix_for_a_typed_figure_prints_that_figure(warm: WarmProject) -> None:
    _edit(warm, "content/faq.md", FAQ_LINE, 'Some programs report {{ fact("levels.iop.cost[2]") }}.\n\n' + FAQ_LINE)
    text = _text(_ok(warm) / "faq" / "index.html")
    assert re.search(r"Some programs report \$3,000 to \$10,000 a program", text)


def test_a_page_missing_from_the_nav_is_refused(warm: WarmProject) -> None:
    warm.write("content/forgotten.md", "---\ntitle: Forgotten\nreviewed: 2026-11-29\n---\n\n# Forgotten\n\nA page.\n")
    log = _fails(warm)
    assert ("WARNING - hooks/staff_site: content/forgotten.md is not in the navigation, so "
            "readers cannot find it from the menu. Fix: add a line such as `- forgotten.md` "
            "under `nav:` in mkdocs.yml.") in log, log[-1500:]


# -- the staff handbook --------------------------------------------------------------------------
def _chapters(site: Path) -> list[str]:
    page = (site / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<section class="kb-print-chapter" id="([^"]+)"', page)


def test_print_page_holds_the_staff_chapters_unless_asked_for_all(warm: WarmProject) -> None:
    staff_only = _chapters(_ok(warm, "mkdocs.staff.yml"))  # the staff start page is the handbook's home
    assert staff_only[0] == "ch-home" and all(c.startswith("ch-staff") for c in staff_only[1:]), staff_only
    _edit(warm, "mkdocs.staff.yml", "  print_whole_handbook: false", "  print_whole_handbook: true")
    whole = _chapters(_ok(warm, "mkdocs.staff.yml"))
    assert {"ch-home", "ch-public-home", "ch-faq", "ch-levels-iop"} <= set(whole)
    assert [c for c in whole if c.startswith("ch-staff") or c == "ch-home"] == staff_only


@pytest.mark.browser
def test_staff_header_shows_the_whole_site_name_on_a_phone(built_staff: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 700})
    try:
        page.goto((built_staff / "index.html").as_uri())  # the staff start page
        shown = page.evaluate("""() => {
            const name = document.querySelector('.md-header__topic .md-ellipsis');
            const header = document.querySelector('.md-header').getBoundingClientRect();
            const box = name.getBoundingClientRect();
            return {text: name.textContent.trim(), cut: name.scrollWidth > name.clientWidth,
                    inside: box.top >= header.top && box.bottom <= header.bottom,
                    ellipsis: getComputedStyle(name).textOverflow};
        }""")
    finally:
        page.close()
    assert shown["text"].endswith("Staff Handbook")
    assert shown == {"text": shown["text"], "cut": False, "inside": True, "ellipsis": "clip"}
