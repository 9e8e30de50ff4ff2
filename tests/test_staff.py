"""The staff handbook: one source, two builds, and nothing staff-only in the public one.

Both sites are built once per run, into separate folders. What counts
as staff-only is worked out from the sources (content/staff/*.md, facts with `audience:
staff`, the staff theme), never from a hand-kept list alone.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from carekb.model.facts import BillingCode, Facts, Figure, Note, StaffOnlyError
from carekb.staff.quiz import QUESTIONS, TOPICS, QuizItem, questions, render_answer
from carekb.render.renderer import Renderer
from carekb.staff.links import staff_links
from carekb.staff.nav import PUBLIC_HOME, nav_srcs
from carekb.staff.print_page import Chapter, anchor_for, print_html, rebase_chapter
from carekb.render.wording import figure_words
from tests.sitebuilds import WarmProject, shared_site

REPO = Path(__file__).resolve().parent.parent
STAFF_DIR = REPO / "content" / "staff"
STAFF_THEME = REPO / "carekb" / "templates" / "staff" / "theme"
PRINT_URL = "staff/print/"
TEXT_SUFFIXES = {".html", ".json", ".xml", ".js", ".css", ".txt", ".svg", ".map"}
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


# -- building ------------------------------------------------------------------------------
def _deployed(project: Path, config: Path) -> Path:
    for name in ("mkdocs.yml", "mkdocs.staff.yml"):  # the handbook has its own address, if any
        with (project / name).open("a", encoding="utf-8") as file:
            file.write("\nsite_url: https://guide.example.org/\n")
    return project / config.name


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The public site and the staff handbook, each built once per run into its own folder.

    Built from a copy of the project with a `site_url`, as a deployed site has: without one
    MkDocs writes an empty sitemap, and the sitemap checks would prove nothing.
    """
    out, failed = {}, []
    for name, config in (("public", "mkdocs.yml"), ("staff", "mkdocs.staff.yml")):
        result = shared_site(tmp_path_factory, f"deployed-{name}", REPO / config, prepare=_deployed, folder=name)
        if result.returncode != 0:
            failed.append(f"{name} build failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
        out[name] = result.site
    if failed:
        pytest.fail("\n\n".join(failed), pytrace=False)
    return out


@pytest.fixture(scope="session")
def public(sites: dict[str, Path]) -> Path:
    return sites["public"]


@pytest.fixture(scope="session")
def staff(sites: dict[str, Path]) -> Path:
    return sites["staff"]


# -- reading the sources -------------------------------------------------------------------
def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return yaml.safe_load(head) or {}, body
    return {}, text


def staff_pages() -> dict[Path, dict[str, Any]]:
    """Every page under content/ marked `audience: staff`, with its front matter."""
    out = {}
    for path in sorted((REPO / "content").rglob("*.md")):
        meta, _ = _front_matter(path)
        if meta.get("audience") == "staff":
            out[path] = meta
    return out


def staff_titles() -> list[str]:
    titles = []
    for path, meta in staff_pages().items():
        _, body = _front_matter(path)
        titles.append(str(meta.get("title")))
        titles += re.findall(r"^# (.+)$", body, re.M)
    return sorted({t for t in titles if t and t != "None"})


def staff_sentences() -> list[str]:
    """The first long plain sentence of each section of each staff page: our own words,
    with no Jinja, links or Markdown inside, so they reach the HTML unchanged."""
    found = []
    for path in staff_pages():
        _, body = _front_matter(path)
        for section in re.split(r"^#+ .*$", body, flags=re.M):
            prose = [p for p in section.split("\n\n")
                     if p.strip() and not re.match(r"\s*([-*|<{!]|\d+\.)", p)]
            sentences = [s.strip() for p in prose
                         for s in re.split(r"(?<=[.!?])\s+", _SPACE.sub(" ", p))]
            good = [s for s in sentences if len(s.split()) >= 8 and s.endswith(".")
                    and not re.search(r"[{}\[\]*`<>|!?]", s)]
            found += good[:1]
    return found


def staff_notice() -> str:
    """The words of the 'staff only' notice, from the staff theme."""
    template = (STAFF_THEME / "main.html").read_text(encoding="utf-8")
    match = re.search(r"<strong>(.+?)</strong>", template)
    assert match, "the staff theme has no <strong> notice"
    return match.group(1).rstrip(".")


def test_staff_preview_rebuilds_a_page_with_the_theme_it_kept(tmp_path: Path) -> None:
    """The preview (engine/preview.py) keeps the theme's environment between builds: the staff
    theme is put in front of it once, not again on every rebuild (which recursed without end)."""
    from engine.preview import Engine
    from tests.conftest import copy_project_to, mkdocs_build

    project = copy_project_to(tmp_path / "project")
    engine = Engine(project / "mkdocs.staff.yml", tmp_path / "site")
    assert engine.build().full
    billing = project / "content" / "staff" / "billing.md"
    text = billing.read_text(encoding="utf-8")
    billing.write_text(text.replace("\n\n", "\n\nA sentence added in the preview.\n\n", 1),
                       encoding="utf-8")
    result = engine.build({billing})
    # The chapter, and the print page, which is made of the chapters (session.made_of).
    assert (result.full, result.rebuilt) == (False, 2)
    page = (tmp_path / "site" / "staff" / "billing" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added in the preview." in page
    assert page.count('class="kb-staff-notice"') == 1
    printed = (tmp_path / "site" / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    assert mkdocs_build(project / "mkdocs.staff.yml", clean).returncode == 0
    assert printed == (clean / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added in the preview." in printed


def _texts(node: Any) -> Iterator[str]:
    """The text fields of a staff-only fact worth searching for (three words or more)."""
    skip = {"path", "id", "audience", "kind", "confidence", "url", "unit", "per"}
    for f in fields(node):
        value = getattr(node, f.name)
        if f.name in skip or not isinstance(value, str):
            continue
        if len(value.split()) >= 3:
            yield value


def staff_fact_strings(facts: Facts) -> list[str]:
    """Text of every staff-only fact: billing codes and their meanings, staff-only terms,
    sources, notes and figures (a figure as it reads on the page, e.g. "8 to 15 people")."""
    out: list[str] = []

    def figure_or_note(item: Any) -> None:
        if isinstance(item, Figure) and item.staff_only:
            out.append(figure_words(item))
            if item.note:
                out.append(item.note)
        elif isinstance(item, Note) and item.staff_only:
            out.append(item.text)

    for entity in facts.reviewed_entities():
        if entity.staff_only:
            out += list(_texts(entity))
            if isinstance(entity, BillingCode) and re.search(r"[A-Za-z]", entity.code):
                out.append(entity.code)
        for f in fields(entity):
            value = getattr(entity, f.name)
            for item in (value if isinstance(value, (list, tuple)) else
                         value.values() if isinstance(value, dict) else [value]):
                if is_dataclass(item):
                    figure_or_note(item)
    # Text a public fact shares (a publisher, say) is not staff-only.
    shared = {t for e in facts.reviewed_entities() if not e.staff_only for t in _texts(e)}
    return sorted(set(out) - shared)


# -- reading the output --------------------------------------------------------------------
def normal(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(text).translate(_QUOTES))


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def output_texts(site: Path) -> dict[str, str]:
    """Every text file of a built site (gzip files decompressed), as raw text and as text with
    tags stripped, both normalised, keyed by path."""
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".gz":
            raw = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        elif path.suffix in TEXT_SUFFIXES:
            raw = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        if path.suffix == ".json":
            raw += "\n" + "\n".join(_json_strings(json.loads(raw)))
        out[rel] = normal(raw) + "\n" + normal(_TAGS.sub(" ", raw)) + "\n" + normal(_TAGS.sub("", raw))
    return out


def contains(text: str, needle: str) -> bool:
    needle = normal(needle)
    if re.fullmatch(r"[A-Za-z0-9]+", needle):  # a code: whole word only
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])", text) is not None
    return needle in text


def search_index(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def sitemap_urls(site: Path) -> list[str]:
    plain = (site / "sitemap.xml").read_text(encoding="utf-8")
    packed = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    return re.findall(r"<loc>([^<]*)</loc>", plain + packed)


def nav_links(page: Path) -> list[tuple[str, str]]:
    """(href, label) of each link in the primary navigation, in order."""
    text = page.read_text(encoding="utf-8")
    start = text.find('<nav class="md-nav md-nav--primary"')
    block = text[start:text.find('<div class="md-sidebar md-sidebar--secondary"', start)] \
        if start >= 0 else ""
    assert block, f"{page}: no primary navigation"
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"[^>]*>(.*?)</a>', block, re.S)
    return [(href, normal(_TAGS.sub("", label)).strip()) for href, label in links]


def staff_url(path: Path) -> str:
    """A staff page's address in the staff build (the start page is its home, at `/`)."""
    return built_url(path.relative_to(REPO / "content").as_posix(), "staff")


STAFF_HOME = nav_srcs(yaml.safe_load((REPO / "mkdocs.staff.yml").read_text(encoding="utf-8"))
                      ["extra"]["staff_nav"])[0]


def built_url(src: str, site: str) -> str:
    """A page's address in a build: "levels/iop/", "" for the home page. The staff build's
    home is its start page; the public home page moves to public-home/ there."""
    if site == "staff" and src in (STAFF_HOME, "index.md"):
        return "" if src == STAFF_HOME else PUBLIC_HOME.removesuffix("index.html")
    stem = src.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


# -- the two builds ------------------------------------------------------------------------
def test_both_builds_run_side_by_side_and_look_different(public: Path, staff: Path) -> None:
    """Both builds succeed together into their own folders, with their own name and colour."""
    pub_home = (public / "index.html").read_text(encoding="utf-8")
    staff_home = (staff / "index.html").read_text(encoding="utf-8")
    staff_config = yaml.safe_load((REPO / "mkdocs.staff.yml").read_text(encoding="utf-8"))
    public_config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert staff_config["INHERIT"] == "mkdocs.yml"
    staff_name = html.escape(staff_config["site_name"], quote=False)
    public_name = html.escape(public_config["site_name"], quote=False)
    assert staff_name != public_name
    assert re.search(rf"<title>[^<]*{re.escape(staff_name)}</title>", staff_home)
    assert re.search(rf"<title>[^<]*{re.escape(public_name)}</title>", pub_home)
    assert staff_name not in pub_home
    colour = re.compile(r'data-md-color-primary="([^"]+)"')
    assert set(colour.findall(pub_home)).isdisjoint(colour.findall(staff_home))


def test_public_build_has_no_staff_page_nav_entry_search_entry_or_sitemap_entry(
        public: Path, staff: Path) -> None:
    """Staff pages exist in the staff build and nowhere in the public one."""
    urls = [staff_url(p) for p in staff_pages()]
    assert urls, "no staff pages found under content/"
    titles = staff_titles()
    for url in urls:
        assert (staff / url / "index.html").is_file() or (staff / url).is_file()
        if url:  # the staff start page is the handbook's home; the public site has its own
            assert not (public / url).exists(), f"public build has {url}"
    assert not (public / "staff").exists()
    public_nav = {label for _, label in nav_links(public / "index.html")}
    public_hrefs = [href for href, _ in nav_links(public / "index.html")]
    staff_nav = {label for _, label in nav_links(staff / "index.html")}
    assert set(titles) & staff_nav, "staff chapters missing from the staff nav"
    assert not (set(titles) & public_nav)
    assert not [h for h in public_hrefs if "staff/" in h]
    public_docs = search_index(public)
    assert not [d["location"] for d in public_docs if d["location"].startswith("staff/")]
    assert not [d["title"] for d in public_docs if d["title"] in titles]
    staff_locations = {d["location"].split("#")[0] for d in search_index(staff)}
    assert {u for u in urls if u != PRINT_URL} <= staff_locations
    assert not [u for u in sitemap_urls(public) if "/staff/" in u or u.endswith("staff/")]
    assert [u for u in sitemap_urls(staff) if "/staff/" in u]


def test_staff_only_text_never_reaches_any_public_file(public: Path, staff: Path,
                                                       facts: Facts) -> None:
    """No staff-only string (sentences, codes, fact values, the notice) is in any public
    output file, sitemap and search index included; each one is in the staff build."""
    needles = staff_sentences() + staff_fact_strings(facts) + [staff_notice()]
    assert len(staff_sentences()) >= len(staff_pages()), "too few sentences found to test with"
    assert {"H0015", "S9480", "H0035", "S0201"} <= set(needles)
    assert figure_words(facts.formats["group"].size) in needles
    public_files = output_texts(public)
    assert any(name.endswith(".js") for name in public_files)
    assert "search/search_index.json" in public_files and "sitemap.xml.gz" in public_files
    leaks = [(needle, name) for needle in needles for name, text in public_files.items()
             if contains(text, needle)]
    assert not leaks, "staff-only text in the public build:\n" + "\n".join(
        f"  {needle!r} in {name}" for needle, name in leaks[:20])
    staff_text = "\n".join(output_texts(staff).values())
    missing = [n for n in needles if not contains(staff_text, n)]
    assert not missing, f"not found in the staff build (so the leak test proves nothing): {missing}"


def test_condition_codes_appear_in_context_only_in_the_staff_build(
        public: Path, staff: Path, facts: Facts) -> None:
    """Condition codes (plain numbers) are checked where they sit: in a table row with their meaning."""
    codes = [c for c in facts.billing_codes.values() if c.kind == "condition_code"]
    assert codes
    for code in codes:
        row = re.compile(rf"<code>{re.escape(code.code)}</code></th>\s*<td>{re.escape(html.escape(code.meaning, quote=False)[:30])}")
        assert row.search((staff / "staff" / "billing" / "index.html").read_text(encoding="utf-8"))
        for path in public.rglob("*.html"):
            assert not row.search(path.read_text(encoding="utf-8")), path


def test_every_staff_page_shows_the_notice_and_keeps_the_crisis_bar(staff: Path,
                                                                    public: Path) -> None:
    """Every handbook page says it is staff-only above the crisis bar; no public page does."""
    notice = html.escape(staff_notice(), quote=False)
    staff_html = list(staff.rglob("*.html"))
    assert len(staff_html) > len(staff_pages())
    for path in staff_html:
        text = path.read_text(encoding="utf-8")
        assert notice in text, path
        assert 'class="kb-crisis"' in text, path
        assert text.index(notice) < text.index('class="kb-crisis"'), path
        assert "assets/stylesheets/kb-staff.css" in text, path
    assert (staff / "assets" / "stylesheets" / "kb-staff.css").is_file()
    assert not (public / "assets" / "stylesheets" / "kb-staff.css").exists()
    for path in public.rglob("*.html"):
        assert "kb-staff" not in path.read_text(encoding="utf-8"), path


# -- quizzes -------------------------------------------------------------------------------
def render_ask(item: QuizItem, renderer: Renderer) -> str:
    """The question as staff/quiz.md.j2 asks it (macro ask_<kind>)."""
    return str(getattr(renderer.env.get_template(QUESTIONS).module, f"ask_{item.kind}")(**item.facts))


def test_every_staff_chapter_ends_with_questions_whose_answers_open_on_click(staff: Path) -> None:
    """Each chapter with a quiz has folded questions and every answer has text."""
    chapters = [p for p in staff_pages() if "quiz(" in p.read_text(encoding="utf-8")]
    assert len(chapters) >= 6
    for path in chapters:
        page = (staff / staff_url(path) / "index.html").read_text(encoding="utf-8")
        assert 'id="check-your-understanding"' in page, path
        quiz = page[page.index('id="check-your-understanding"'):]
        answers = re.findall(r'<details class="question">\s*<summary>(.*?)</summary>(.*?)</details>',
                             quiz, re.S)
        assert answers, path
        for question, answer in answers:
            assert question.strip(), path
            assert normal(_TAGS.sub("", answer)).strip(), question


def test_quiz_answers_follow_the_facts(facts: Facts) -> None:
    """Change a figure and the answer about it changes with it (and carries its citation)."""
    cited: list[str] = []

    def answer_for(ask_part: str) -> str:
        renderer = Renderer(facts, audience="staff")
        renderer.begin("staff/levels.md")
        item = next(q for q in questions(facts, "levels")
                    if ask_part in str(render_ask(q, renderer)))
        out = str(render_answer(item, renderer))
        cited[:] = [str(getattr(s, "id", s)) for s in renderer.usage.sources]
        return out

    hours = facts.levels["iop"].hours_per_week["adults"]
    before = answer_for("intensive outpatient program (IOP) give adults")
    # One footnote mark holds the figure's sources; the page's notes name asam3.
    assert figure_words(hours) in before and re.search(r"\[\^[\w-]+\]", before)
    assert "asam3" in cited, cited
    old = hours.max
    hours.max = old + 2
    try:
        after = answer_for("intensive outpatient program (IOP) give adults")
    finally:
        hours.max = old
    assert figure_words(hours).replace(f"{old:g}", f"{old + 2:g}") in after
    assert after != before


def test_quiz_covers_every_billing_code_and_every_core_level(facts: Facts) -> None:
    """Every billing code and every core level's weekly hours are asked about."""
    renderer = Renderer(facts, audience="staff")
    renderer.begin("staff/billing.md")
    billing = " ".join(render_ask(q, renderer) for q in questions(facts, "billing"))
    for code in facts.billing_codes.values():
        assert code.code in billing
    levels = " ".join(render_ask(q, renderer) for q in questions(facts, "levels"))
    for level in facts.core_levels:
        assert level.label.split(" (")[0].lower() in levels.lower()
    assert set(TOPICS) >= {"levels", "placement", "intake", "groups", "billing", "privacy"}


def test_quiz_about_staff_facts_fails_in_the_public_build(facts: Facts) -> None:
    """A public page cannot show billing questions: the staff-only code is refused."""
    renderer = Renderer(facts, audience="public")
    renderer.begin("faq.md")
    item = next(q for q in questions(facts, "billing") if q.facts.get("code") is not None
                and q.facts["code"].code == "H0015")
    with pytest.raises(StaffOnlyError, match=r"billing_codes\.h0015"):
        render_answer(item, renderer)


def test_every_kind_of_question_is_worded_in_the_template(facts: Facts) -> None:
    """Each kind of question the quiz picks has its ask_ and answer_ macro in
    staff/quiz_questions.md.j2, and both say something."""
    renderer = Renderer(facts, audience="staff")
    renderer.begin("staff/quiz.md")
    kinds = set()
    for topic in TOPICS:
        for item in questions(facts, topic):
            kinds.add(item.kind)
            assert str(render_ask(item, renderer)).strip(), item
            assert str(render_answer(item, renderer)).strip(), item
    assert kinds >= {"asam", "hours", "term", "billing_code", "crisis", "group_kinds"}


@pytest.mark.parametrize("call, shows", [
    ('join_words(["a"])', "a"),
    ('join_words(["a", "b", "c"])', "a, b and c"),
    ('join_words(["call 988", "text 988"], "or")', "call 988 or text 988"),
    ('join_words(["rock and roll", "jazz", "folk"])', "rock and roll; jazz; and folk"),
    ('name_in_sentence("Intensive outpatient program")', "intensive outpatient program"),
    ('name_in_sentence("IOP group")', "IOP group"),
    ('name_in_sentence("FindTreatment.gov helpline")', "FindTreatment.gov helpline"),
    ('sentence(" It ends here ")', "It ends here."),
    ('sentence("Does it?")', "Does it?"),
])
def test_wording_macros(facts: Facts, call: str, shows: str) -> None:
    """The shared wording macros (macros/wording.md.j2) join, lower-case and end sentences."""
    renderer = Renderer(facts, audience="staff")
    source = ('{% from "macros/wording.md.j2" import join_words, name_in_sentence, sentence %}'
              "{{ " + call + " }}")
    assert renderer.env.from_string(source).render() == shows


# -- print page ----------------------------------------------------------------------------
def test_print_page_holds_every_handbook_page_in_nav_order(staff: Path) -> None:
    """The print page has a chapter for every staff chapter in the nav (by default), in nav
    order, with a contents list."""
    nav = [href for href, _ in nav_links(staff / "index.html")]
    order = []
    for href in nav:
        url = href.removeprefix("./").split("#")[0]
        url = "" if url in ("", ".") else url
        if url != PRINT_URL and url not in order and (url.startswith("staff/") or url == ""):
            order.append(url)
    page = (staff / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    chapters = re.findall(r'<section class="kb-print-chapter" id="([^"]+)"', page)
    assert chapters == [anchor_for(u) for u in order]
    toc = page[page.index('class="kb-print-toc"'):page.index("</nav>", page.index('class="kb-print-toc"'))]
    assert re.findall(r'href="#(ch-[^"]+)"', toc) == chapters
    # Each chapter carries its page's own headings.
    for url, anchor in zip(order, chapters):
        source = (staff / url / "index.html").read_text(encoding="utf-8")
        article = source[source.index("<article"):source.index("</article>")]
        section = page[page.index(f'id="{anchor}"'):]
        section = section[:section.index("</section>")]
        for heading in re.findall(r"<h2 id=\"([^\"]+)\"", article):
            assert f'<h3 id="{anchor}--{heading}"' in section, (url, heading)


def test_print_page_dates_are_its_oldest_chapters_in_the_page_and_the_report(staff: Path) -> None:
    """The print page is made of its chapters (carekb/build/session.py `made_of`): it shows, and the
    build report records, the oldest "last reviewed" and the earliest "next review due" of
    the chapters it holds."""
    report = json.loads((staff.parent / "build-report" / "staff.json").read_text(encoding="utf-8"))
    chapters = [info for src, info in report["pages"].items()
                if src.startswith("staff/") and src != "staff/print.md" and info["reviewed"]]
    reviewed = min(info["reviewed"] for info in chapters)
    due = min(info["review_due"] for info in chapters)
    entry = report["pages"]["staff/print.md"]
    assert (entry["reviewed"], entry["review_due"]) == (reviewed, due)
    page = (staff / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<time datetime="([^"]+)"', page)[:2] == [reviewed, due]


@pytest.mark.parametrize("site", ["public", "staff"])
def test_every_page_shows_the_review_dates_its_build_report_records(sites: dict[str, Path],
                                                                    site: str) -> None:
    """A page's review dates are worked out once (carekb/build/session.py): the dates at the foot
    of each page and the build report's are the same, the page's own `reviewed:` included."""
    built = sites[site]
    report = json.loads((built.parent / "build-report" / f"{site}.json").read_text(encoding="utf-8"))
    checked = 0
    for src, info in report["pages"].items():
        html = (built / built_url(src, site) / "index.html").read_text(encoding="utf-8")
        foot = html[html.index('class="kb-page-info"'):]
        shown = re.findall(r'<time datetime="([^"]+)"', foot[:foot.index("</aside>")])
        assert shown == [info["reviewed"], info["review_due"]], src
        checked += 1
    assert checked > 30


def test_print_page_ids_are_unique_and_in_page_links_resolve(staff: Path) -> None:
    """Ids stay unique though chapters repeat headings and footnotes; '#' links all land."""
    page = (staff / "staff" / "print" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1][:10]
    article = page[page.index("<article"):page.index("</article>")]
    targets = set(re.findall(r'href="#([^"]+)"', article))
    assert targets and targets <= set(ids), sorted(targets - set(ids))[:10]
    assert not [d["location"] for d in search_index(staff) if d["location"].startswith(PRINT_URL)]


def test_rebased_chapter_links_point_into_the_print_page() -> None:
    """Links between chapters become anchors; other relative links are rebased; external kept."""
    anchors = {"": "ch-home", "levels/iop/": "ch-levels-iop"}
    out = rebase_chapter(
        '<h1 id="t">T</h1><a href="../../">home</a><a href="#t">self</a>'
        '<a href="../php/#who">php</a><a href="https://example.org/">ext</a><img src="../../a.png">'
        '<details class="question"><summary>Q</summary>A</details>',
        url="levels/iop/", anchor="ch-levels-iop", anchors=anchors, print_url=PRINT_URL)
    assert '<h2 id="ch-levels-iop--t">' in out
    assert 'href="#ch-home"' in out and 'href="#ch-levels-iop--t"' in out
    assert 'href="../../levels/php/#who"' in out and 'href="https://example.org/"' in out
    assert 'src="../../a.png"' in out
    assert '<details class="question" open>' in out


def test_print_html_nests_the_contents_by_nav_section() -> None:
    """The contents list follows the nav's sections."""
    body = print_html([Chapter("Home", "", "<p>a</p>"),
                       Chapter("IOP", "levels/iop/", "<p>b</p>", ("Levels of care",)),
                       Chapter("PHP", "levels/php/", "<p>c</p>", ("Levels of care",))],
                      print_url=PRINT_URL)
    assert body.count("Levels of care") == 1
    assert body.index("ch-home") < body.index("Levels of care") < body.index("ch-levels-php")


@pytest.mark.browser
def test_print_media_hides_navigation_breaks_chapters_and_shows_link_targets(staff: Path, browser) -> None:
    """In print, the site's menus are hidden, each chapter starts a new sheet, links show URLs."""
    page = browser.new_page()
    try:
        page.goto((staff / "staff" / "print" / "index.html").as_uri())
        page.emulate_media(media="print")
        style = page.evaluate("""() => {
            const css = (el, pseudo) => el ? getComputedStyle(el, pseudo || null) : null;
            const chapter = document.querySelectorAll('.kb-print-chapter')[1];
            const link = document.querySelector('.kb-print-chapter a[href^="http"]');
            return {
                sidebar: css(document.querySelector('.md-sidebar--primary')).display,
                header: css(document.querySelector('.md-header')).display,
                notice: css(document.querySelector('.kb-staff-notice')).display,
                breakBefore: css(chapter).breakBefore,
                after: link ? css(link, '::after').content : null,
                href: link ? link.getAttribute('href') : null,
            };
        }""")
    finally:
        page.close()
    assert style["sidebar"] == "none" and style["header"] == "none"
    assert style["notice"] != "none"
    assert style["breakBefore"] == "page"
    assert style["href"] and style["href"] in style["after"]


# -- cross-audience failures ---------------------------------------------------------------
def _public_page_with(warm: WarmProject, text: str) -> WarmProject:
    warm.append("content/faq.md", "\n" + text + "\n")
    return warm


@pytest.mark.parametrize("link", [
    "[How we bill](staff/billing.md)",
    '<a href="../staff/billing/">How we bill</a>',
])
def test_public_page_linking_to_a_staff_page_fails_naming_both(warm: WarmProject, link: str) -> None:
    """A link from a public page to a staff page fails the public build, naming both pages."""
    result = _public_page_with(warm, f"Staff, see {link}.").build()
    assert result.returncode != 0
    assert re.search(r"content/faq\.md is public but links to staff-only page:\n"
                     r"\s+- content/staff/billing\.md \(audience: staff\)", result.stderr), \
        result.stderr[-2000:]


def test_public_page_using_a_staff_only_billing_code_fails_naming_both(warm: WarmProject) -> None:
    """A public page showing a staff-only fact fails, naming the page and the fact."""
    result = _public_page_with(warm, "Code: {{ billing_codes.h0015.code }}").build()
    assert result.returncode != 0
    assert re.search(r"content/faq\.md:\d+.*billing_codes\.h0015 is staff-only", result.stderr), \
        result.stderr[-2000:]


def test_staff_page_left_out_of_the_staff_nav_fails_the_staff_build(warm: WarmProject) -> None:
    """A staff page nobody listed in extra.staff_nav is reported (it would be missing from print)."""
    warm.write("content/staff/stray.md", "---\naudience: staff\nreviewed: 2026-11-23\n---\n\n# Stray\n\nA page.\n")
    result = warm.build("mkdocs.staff.yml")
    assert result.returncode != 0
    assert "content/staff/stray.md is a staff page missing from extra.staff_nav" in result.stderr


def test_link_check_finds_every_way_of_linking_to_a_staff_page() -> None:
    """Markdown paths, built URLs, root-relative and index.html links all count; others do not."""
    found = staff_links(
        '<a href="staff/billing.md#codes">a</a><a href="../staff/billing/">b</a>'
        '<a href="/staff/billing/">c</a><a href="../staff/billing/index.html">d</a>'
        '<a href="../levels/iop/">e</a><a href="https://example.org/staff/billing/">f</a>',
        page_src="faq.md", page_url="faq/", staff_pages={"staff/billing.md": "staff/billing/"})
    assert [link.href for link in found] == ["staff/billing.md#codes", "../staff/billing/",
                                             "/staff/billing/", "../staff/billing/index.html"]


# -- the handbook starts with staff (issue 21) ---------------------------------------------
def test_the_handbook_home_is_the_staff_start_page_and_editor_pages_have_their_own_section(
        public: Path, staff: Path) -> None:
    """`/` of the staff build is the staff start page (the public home moves to public-home/);
    the nav starts with it, then the onboarding chapters, then "For editors" (review queue,
    editor's reference), then the public guide."""
    home = (staff / "index.html").read_text(encoding="utf-8")
    assert "<title>Staff handbook: start here" in home
    public_home = (staff / "public-home" / "index.html").read_text(encoding="utf-8")
    assert public_home.count("<h1") == 1
    assert re.search(r"<h1[^>]*>.*</h1>", public_home)[0] == re.search(
        r"<h1[^>]*>.*</h1>", (public / "index.html").read_text(encoding="utf-8"))[0]
    assert not (staff / "staff" / "index.html").exists() and not (public / "public-home").exists()
    links = nav_links(staff / "index.html")
    assert links[0] == (".", "Start here")
    hrefs = [href for href, _ in links]
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    at = {word: re.search(rf'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">\s*'
                          rf"{word}\s*</span>", nav).start() for word in ("Staff handbook", "For editors")}
    for url in ("staff/first-week/", "staff/privacy/", "staff/print/"):
        assert at["Staff handbook"] < nav.index(f'href="{url}"') < at["For editors"], url
    for url in ("staff/review-queue/", "staff/editors-reference/"):
        assert at["For editors"] < nav.index(f'href="{url}"') < nav.index('href="public-home/"'), url
    assert hrefs.index("public-home/") < hrefs.index("help/")
    # Links into the start page from other pages reach `/`, and from it into the chapters.
    assert 'href="staff/first-week/"' in home
    billing = (staff / "staff" / "billing" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./?"[^>]*>\s*<span class="md-ellipsis">\s*Start here', billing)


def test_with_staff_puts_the_staff_entries_first_and_the_public_home_where_they_say() -> None:
    from carekb.staff.nav import staff_home, with_staff

    public_nav = [{"Home": "index.md"}, {"Costs": "costs.md"}, {"Levels": ["levels/index.md"]}]
    staff_nav = [{"Start here": "staff/index.md"}, {"For editors": ["staff/q.md"]},
                 {"The public guide: home page": "index.md"}]
    assert with_staff(public_nav, staff_nav) == staff_nav + public_nav[1:]
    assert staff_home(staff_nav) == "staff/index.md"
    with pytest.raises(ValueError, match="lists no page"):
        staff_home([{"Links": [{"x": "https://example.org/"}]}])


@pytest.fixture(scope="module")
def staff_url_base(staff: Path) -> Iterator[str]:
    """The staff build served on 127.0.0.1 (localStorage needs an http origin)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(staff)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 375, "height": 667}, {"width": 1280, "height": 800}])
def test_first_week_checklist_can_be_ticked_and_the_ticks_stay_in_this_browser_only(
        public: Path, staff: Path, staff_url_base: str, browser, viewport) -> None:
    """All 15 boxes can be ticked; a tick survives a reload, is kept in localStorage, and
    sends nothing (no request at all after the page loaded); "Clear my ticks" clears them.
    The public build does not ship the script."""
    assert list(staff.rglob("kb-checklist.js")) and not list(public.rglob("kb-checklist.js"))
    context = browser.new_context(viewport=viewport, service_workers="block")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    page = context.new_page()
    try:
        page.goto(staff_url_base + "staff/first-week/", wait_until="networkidle")
        boxes = page.locator("article .task-list input[type=checkbox]")
        assert boxes.count() == 15
        assert page.evaluate("() => [...document.querySelectorAll('article .task-list "
                             "input')].every(b => !b.disabled)")
        sent = len(requests)
        for i in (0, 4):  # a tap on the item's words ticks it, as on the box
            page.locator("article .task-list-item").nth(i).get_by_text(
                re.compile(r"\w+ \w+")).first.click()
        assert [boxes.nth(i).is_checked() for i in range(6)] == [True, False, False, False, True, False]
        page.wait_for_timeout(300)
        assert requests[sent:] == [], "ticking sent something"
        stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('kb-'))")
        assert stored == ["kb-checklist:/staff/first-week/"]
        page.reload(wait_until="networkidle")
        boxes = page.locator("article .task-list input[type=checkbox]")
        assert [boxes.nth(i).is_checked() for i in range(6)] == [True, False, False, False, True, False]
        assert "kept in this browser only" in page.locator(".kb-checklist-note").inner_text()
        page.get_by_role("button", name="Clear my ticks").click()
        assert not any(boxes.nth(i).is_checked() for i in range(15))
        assert page.evaluate("() => localStorage.getItem('kb-checklist:/staff/first-week/')") is None
        assert all(r.startswith("GET http://127.0.0.1:") for r in requests), requests
    finally:
        context.close()


def test_the_editors_reference_has_worked_examples_for_a_therapy_and_a_page(staff: Path) -> None:
    page = (staff / "staff" / "editors-reference" / "index.html").read_text(encoding="utf-8")
    text = normal(_TAGS.sub(" ", page))
    for words in ("Worked examples", "Add a therapy", "Add a page", "sets_apart:",
                  "What's included", "Where it is offered", "supports:", "extra.staff_nav",
                  "Page last reviewed", 'fact("levels.iop.hours_per_week.adults")'):
        assert words in text, words
    at = page.index('id="add-a-page"')
    assert re.search(r'href="\.\./\.\./levels/iop/"', page[at:page.index('id="functions"')])
