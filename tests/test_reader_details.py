"""The reader's details in the built sites (issue 24): citations numbered in reading order with one
note per source, a meta description of its own on every page, a search index of prose with each
level's and therapy's other names, and footnotes that carry the source's web address on paper.
The Spanish site (built with its English twin: `bilingual_site`) keeps the same promises in Spanish."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from carekb.model.audience import view
from carekb.load.facts_yaml import load_facts, read_facts
from carekb.model.facts import PUBLIC
from carekb.pages.generated import SOURCES
from carekb.i18n.spanish_view import spanish
from carekb.i18n.translations import FILE, parse_translations
from tests.conftest import REPO_ROOT


# A note's id: "fn:asam3", or on the staff print page, where each chapter keeps its own notes,
# "ch-staff-billing--fn:asam3" (carekb/staff/print_page.py).
_NOTE = re.compile(r"(?:(?P<chapter>[\w-]+)--)?fn:\w+")


def _chapter(ref: str) -> str:
    """The chapter a mark's target or a note's id belongs to ("" on an ordinary page)."""
    found = _NOTE.fullmatch(ref.lstrip("#"))
    return (found.group("chapter") or "") if found else ""


class _Page(HTMLParser):
    """What a page shows a reader, read as html.parser reads it: the footnote marks in document
    order (their numbers and targets), each note's source links, and the meta description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[str, str]] = []  # (number, href) of each a.footnote-ref in order
        self.notes: dict[str, list[str]] = {}  # li id -> hrefs to the sources page inside it
        self.description: list[str] = []
        self._mark: str | None = None
        self._note: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "description":
            self.description.append(a.get("content") or "")
        elif tag == "a" and "footnote-ref" in (a.get("class") or "").split():
            self._mark, self._text = a.get("href") or "", []
        elif tag == "li" and _NOTE.fullmatch(a.get("id") or ""):
            self._note = a["id"]
            self.notes[self._note] = []
        elif tag == "a" and self._note and "sources/#" in (a.get("href") or ""):
            self.notes[self._note].append(a["href"].rsplit("#", 1)[1])

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._mark is not None:
            self.marks.append(("".join(self._text).strip(), self._mark))
            self._mark = None
        elif tag == "li":
            self._note = None


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def staff_site(built_staff: Path) -> Path:
    return built_staff


@pytest.fixture(params=["public", "staff", "spanish"])
def site(request: pytest.FixtureRequest, built_site: Path) -> Path:
    if request.param == "spanish":
        return request.getfixturevalue("bilingual_site") / "es"
    return built_site if request.param == "public" else request.getfixturevalue("staff_site")


def _config(site: Path) -> Path:
    """The configuration a `site` was built from."""
    if site.name == "es":
        return REPO_ROOT / "mkdocs.es.yml"
    return REPO_ROOT / ("mkdocs.yml" if site.name.startswith("public") else "mkdocs.staff.yml")


@pytest.fixture(scope="module")
def spanish_facts(spanish_project: Path):
    """The public facts as the Spanish site shows them (their texts from facts.es.yaml)."""
    facts, _ = load_facts(spanish_project / "facts.yaml")
    entries, problems = parse_translations((spanish_project / FILE).read_text(encoding="utf-8"))
    assert not problems
    shown = view(facts, PUBLIC)
    spanish(shown, entries)
    return shown


def _order_problems(where: str, marks: list[tuple[str, str]], notes: dict[str, list[str]]) -> list[str]:
    """What is wrong with one page's (or one chapter's) marks and notes."""
    problems = []
    first: list[str] = []
    for number, _ in marks:
        if number not in first:
            first.append(number)
    if first != [str(n) for n in range(1, len(first) + 1)]:
        problems.append(f"{where}: numbers first appear as {first[:12]}")
    targets: dict[str, set[str]] = {}
    for number, href in marks:
        targets.setdefault(number, set()).add(href)
    problems += [f"{where}: number {n} leads to {sorted(h)}" for n, h in targets.items() if len(h) > 1]
    problems += [f"{where}: note {note} names {links}" for note, links in notes.items() if len(links) != 1]
    named = [source for links in notes.values() for source in links]
    if len(named) != len(set(named)):
        problems.append(f"{where}: a source has two notes: {sorted(named)}")
    if len(notes) != len(first):
        problems.append(f"{where}: {len(first)} numbers but {len(notes)} notes")
    return problems


def test_footnote_numbers_first_appear_in_reading_order_one_note_per_source(site: Path) -> None:
    """On every page the first appearance of each note number is 1, 2, 3, ... down the page; each
    number leads to one note; each note names one source, and no source has two notes."""
    problems, cited = [], 0
    for path in _pages(site):
        page = _read(path)
        for chapter in sorted({_chapter(href) for _, href in page.marks} | {_chapter(n) for n in page.notes}):
            where = path.relative_to(site).as_posix() + (f" ({chapter})" if chapter else "")
            marks = [(n, href) for n, href in page.marks if _chapter(href) == chapter]
            notes = {n: links for n, links in page.notes.items() if _chapter(n) == chapter}
            problems += _order_problems(where, marks, notes)
        cited += bool(page.marks)
    assert cited > 20, "the check saw too few pages with citations"
    assert not problems, "\n".join(problems[:20])


def test_every_page_has_a_description_of_its_own(site: Path) -> None:
    """No two pages of a site share a meta description, and none is the site's own."""
    config = _config(site)
    site_description = re.search(r"^site_description:\s*(.+)$", config.read_text(encoding="utf-8"), re.M).group(1)
    seen: dict[str, str] = {}
    problems = []
    for path in _pages(site):
        where = path.relative_to(site).as_posix()
        found = _read(path).description
        if where.startswith(("search/", "assets/")) or not found:
            assert where != "index.html" and not where.endswith("/index.html") or found, where
            continue
        assert len(found) == 1, f"{where}: {len(found)} meta descriptions"
        text = found[0].strip()
        if text == site_description.strip():
            problems.append(f"{where}: the site's own description")
        elif text in seen:
            problems.append(f"{where}: the same description as {seen[text]}")
        elif len(text) < 40:
            problems.append(f"{where}: too short to describe the page: {text!r}")
        seen.setdefault(text, where)
    assert len(seen) > 30
    assert not problems, "\n".join(problems)


def test_generated_pages_are_described_from_the_facts_in_spanish_too(bilingual_site: Path, spanish_facts) -> None:
    """The Spanish generated pages and the 404 are described in Spanish, from the same facts."""
    site = bilingual_site / "es"
    compare = _read(site / "compare" / "index.html").description[0]
    for level in spanish_facts.core_levels:
        assert (level.abbr or level.name.lower()) in compare, compare
    assert "lado a lado" in compare and " y " in compare and " and " not in compare
    public_sources = [s for s in spanish_facts.sources.values() if not s.staff_only]
    assert f"Las {len(public_sources)} fuentes" in _read(site / "sources" / "index.html").description[0]
    levels = _read(site / "levels" / "index.html").description[0]
    assert f"Los {len(spanish_facts.levels)} niveles de atención" in levels
    assert list(spanish_facts.levels.values())[0].name.lower() in levels
    assert _read(site / "glossary" / "index.html").description[0].startswith("Qué quieren decir")
    assert _read(site / "modalities" / "index.html").description[0].startswith("Las ")
    assert _read(site / "404.html").description[0].startswith("Esta página no existe.")


def test_generated_pages_are_described_from_the_facts(built_site: Path) -> None:
    """The comparison names the levels it compares; the sources page counts the sources."""
    facts, _ = load_facts(REPO_ROOT / "facts.yaml")
    compare = _read(built_site / "compare" / "index.html").description[0]
    for level in facts.core_levels:
        assert (level.abbr or level.name.lower()) in compare, compare
    public_sources = [s for s in facts.sources.values() if not s.staff_only]
    assert f"The {len(public_sources)} sources" in _read(built_site / "sources" / "index.html").description[0]


def _index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_search_index_holds_prose_not_notes_charts_or_the_reference_list(built_site: Path) -> None:
    """No footnote number, back arrow, notes list, chart label or sources-page entry is indexed."""
    docs = _index(built_site)
    sources_url = SOURCES.removesuffix(".md") + "/"
    assert not [d["location"] for d in docs if d["location"].startswith(sources_url)]
    for doc in docs:
        text = doc["text"]
        assert "<sup>" not in text and "\u21a9" not in text, (doc["location"], text[:300])
        assert not re.search(r"\b0 5 10 15\b", text), (doc["location"], "the chart's axis is indexed")
    levels = next(d for d in docs if d["location"] == "levels/")
    assert "Hours of treatment each week, by level of care" in levels["text"]  # the chart's data table stays
    assert "fewer than 9 hours a week" in levels["text"]


def test_search_index_gives_each_level_and_therapy_its_other_names(built_site: Path) -> None:
    """A level's or therapy's short form and also_called names are the tags of its page's entry
    (and of no other entry); the page shows them too."""
    facts, _ = load_facts(REPO_ROOT / "facts.yaml")
    docs = {d["location"]: d for d in _index(built_site)}
    named = 0
    for group in ("levels", "modalities"):
        for entity in getattr(facts, group).values():
            if entity.staff_only:
                continue
            expected = list(dict.fromkeys(n for n in (entity.abbr, *entity.also_called) if n))
            url = f"{group}/{entity.id}/"
            assert docs[url].get("tags", []) == expected, url
            named += bool(expected)
            html = (built_site / group / entity.id / "index.html").read_text(encoding="utf-8")
            line = re.search(r"<strong>Also called:</strong>(.*?)</p>", html, re.S)
            shown = re.sub(r"<[^>]+>", "", line.group(1)) if line else ""
            assert shown.strip() == ", ".join(entity.also_called).replace("&", "&amp;") + "." or not entity.also_called, \
                (url, shown)
    assert named >= 10
    assert all(d["location"].count("/") <= 2 and "#" not in d["location"] for d in docs.values() if "tags" in d)


def test_spanish_search_index_gives_each_level_and_therapy_its_spanish_names(bilingual_site: Path,
                                                                           spanish_facts) -> None:
    """In the Spanish index the tags are the Spanish texts of the other names (facts.es.yaml),
    unmarked; the page shows them after "También se conoce como:"."""
    site = bilingual_site / "es"
    docs = {d["location"]: d for d in _index(site)}
    named = spanish_names = 0
    for group in ("levels", "modalities"):
        for entity in getattr(spanish_facts, group).values():
            expected = list(dict.fromkeys(n for n in (entity.abbr, *entity.also_called) if n))
            url = f"{group}/{entity.id}/"
            assert docs[url].get("tags", []) == expected, url
            named += bool(expected)
            html = (site / group / entity.id / "index.html").read_text(encoding="utf-8")
            assert "Also called" not in html, url
            line = re.search(r"<strong>También se conoce como:</strong>(.*?)</p>", html, re.S)
            shown = re.sub(r"<[^>]+>", "", line.group(1)) if line else ""
            assert shown.strip() == ", ".join(entity.also_called).replace("&", "&amp;") + "." or not entity.also_called, \
                (url, shown)
            spanish_names += any(n in ("rehabilitación", "desintoxicación", "programa de día") for n in entity.also_called)
    assert named >= 10 and spanish_names == 3
    text = json.dumps([d.get("tags", []) for d in docs.values()])
    assert "\\u000e" not in text and "\\u000f" not in text


def test_a_note_carries_the_web_address_for_paper_only(built_site: Path) -> None:
    """Each note of a source with a web address holds it in print-only text (print.css shows it,
    kb.css hides it on screen)."""
    facts, _ = load_facts(REPO_ROOT / "facts.yaml")
    html = (built_site / "levels" / "iop" / "index.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="fn:(\w+)">(.*?)</li>', html, re.S)
    assert notes
    for source_id, note in notes:
        url = facts.sources[source_id].url
        if url:
            assert f'<span class="kb-print-only"> {url.replace("&", "&amp;")}</span>' in note, source_id
    css = (REPO_ROOT / "overrides" / "assets" / "stylesheets" / "kb.css").read_text(encoding="utf-8")
    assert re.search(r"\.kb-print-only\s*\{\s*display:\s*none", css)
    print_css = (REPO_ROOT / "content" / "assets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"\.kb-print-only\s*\{[^}]*display:\s*inline", print_css)


@pytest.mark.parametrize(("names", "said"), [
    ('["<b>rehab</b>"]', r"levels\.residential\.also_called\[1\]: contains HTML code"),
    ('[ok, "[rehab](https://example.org)"]', r"levels\.residential\.also_called\[2\]: contains a Markdown link"),
    ("rehab", r"levels\.residential\.also_called: should be a list"),
    ("[]", r"levels\.residential\.also_called: needs at least 1 item"),
    ('["two\\nlines"]', r"levels\.residential\.also_called\[1\]: .*more than one line"),
])
def test_other_names_are_plain_text_checked_like_any_fact(tmp_path: Path, names: str, said: str) -> None:
    """`also_called:` holds short plain-text names, each refused with its place when it is not."""
    text = (REPO_ROOT / "facts.yaml").read_text(encoding="utf-8")
    old = "    also_called: [rehab, residential rehab]\n"
    assert old in text
    path = tmp_path / "facts.yaml"
    path.write_text(text.replace(old, f"    also_called: {names}\n"), encoding="utf-8")
    _, problems = read_facts(path)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert any(re.search(said, e) for e in errors), errors
