"""The public patient-education site, built for real with `mkdocs build --strict`.

Every expectation comes from facts.yaml (levels, crisis numbers, sources, the self-check), so
a change to the facts changes what is expected, never the test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from carekb.model.facts import Facts
from carekb.checks.privacy import disarm_script, is_foreign
from carekb.checks.readability import grade_html

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN = ["index.md", "self-check.md", "week-in-iop.md", "costs.md", "choosing.md",
                "after-treatment.md", "families.md", "faq.md"]
LIMIT = 8.0
# Schemes that never contact a host.
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "tel", "sms", "mailto"}
# XML namespace names: they look like addresses but nothing ever fetches them.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml",
              "http://www.w3.org/1999/xlink"}


def public(items):
    return [i for i in items if not i.staff_only]


def page_dir(src: str) -> str:
    """content path -> built folder ("levels/iop.md" -> "levels/iop", "index.md" -> "")."""
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")].rstrip("/")
    return stem


def html_of(site: Path, src: str) -> str:
    return (site / page_dir(src) / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"): html.index("</article>")]


def public_pages(facts: Facts) -> list[str]:
    pages = list(HAND_WRITTEN)
    pages += ["levels/index.md"] + [f"levels/{lv.id}.md" for lv in public(facts.levels.values())]
    pages += ["modalities/index.md"] + [f"modalities/{m.id}.md"
                                         for m in public(facts.modalities.values())]
    return pages + ["compare.md", "glossary.md", "sources.md"]


def all_html(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# -- pages ------------------------------------------------------------------------------------
def test_every_public_page_is_built(built_site: Path, facts: Facts) -> None:
    """Home, the hand-written pages and one generated page per public level and therapy exist."""
    missing = [src for src in public_pages(facts)
               if not (built_site / page_dir(src) / "index.html").is_file()]
    assert missing == []


@pytest.mark.parametrize("src", HAND_WRITTEN)
def test_hand_written_page_front_matter(src: str) -> None:
    """Each hand-written page states its title, a description and the date it was reviewed."""
    text = (REPO / "content" / src).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---", 2)[1])
    assert isinstance(meta.get("title"), str) and meta["title"].strip()
    assert isinstance(meta.get("description"), str) and len(meta["description"].split()) >= 8
    assert isinstance(meta.get("reviewed"), dt.date)
    assert "readability_limit" not in meta, "hand-written pages keep the default reading limit"


def test_every_page_carries_crisis_numbers_and_disclaimer(built_site: Path, facts: Facts) -> None:
    """Every HTML page has the crisis bar with each crisis number as a tel: link, and the disclaimer."""
    numbers = [(c.call, c.tel) for c in public(facts.crisis.values()) if c.call]
    assert numbers, "facts.yaml has no crisis phone numbers"
    pages = all_html(built_site)
    assert len(pages) >= len(public_pages(facts))
    problems = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        bar = re.search(r'<div class="kb-crisis"[^>]*role="region"[^>]*>(.*?)</div>', html, re.S)
        if bar is None:
            problems.append(f"{path}: no crisis bar")
            continue
        for call, tel in numbers:
            if f'href="tel:{tel}"' not in bar.group(1) or call not in bar.group(1):
                problems.append(f"{path}: crisis bar lacks {call}")
        disclaimer = re.search(r'class="kb-disclaimer"[^>]*>(.*?)</', html, re.S)
        if disclaimer is None or "does not diagnose" not in disclaimer.group(1):
            problems.append(f"{path}: no disclaimer")
    assert problems == []


def test_no_number_from_facts_is_typed_by_hand_in_pages() -> None:
    """Hand-written pages type no crisis number or dollar amount: they come from facts.yaml."""
    for src in HAND_WRITTEN:
        text = (REPO / "content" / src).read_text(encoding="utf-8")
        prose = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
        assert not re.search(r"\b(988|911|800-\d{3}-\d{4})\b|\$\d", prose), src


# -- privacy ------------------------------------------------------------------------------------
class _Addresses(HTMLParser):
    """Every address in an HTML page: (url, tag, attribute, inside <article>)."""

    ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "ping", "cite",
             "background", "manifest", "imagesrcset"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str, bool]] = []
        self.depth = 0
        self.raw: str | None = None

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "article"
        self.raw = tag if tag in ("script", "style") else None
        for name, value in attrs:
            value = value or ""
            if name in self.ATTRS:
                for url in ([v.split()[0] for v in value.split(",") if v.strip()]
                            if name.endswith("srcset") else [value]):
                    self.found.append((url, tag, name, self.depth > 0))
            elif name == "style":
                self.found += [(u, tag, "style", False) for u in css_urls(value)]

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        self.raw = None

    def handle_data(self, data):
        if self.raw == "style":
            self.found += [(u, "style", "text", False) for u in css_urls(data)]
        elif self.raw == "script":
            self.found += [(u, "script", "text", False) for u in js_urls(data)]


def css_urls(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", text)]


def js_urls(text: str) -> list[str]:
    """Quoted strings (closed on the same line) that start with an absolute address."""
    return [m.group(2) for m in
            re.finditer(r"""(["'`])((?:[a-z][\w+.-]*:)?//[^"'`\s\\]*)[^"'`\n]*\1""", text, re.I)]


def own_host() -> str | None:
    """The host of `site_url` in mkdocs.yml, if set: canonical links point there, not elsewhere."""
    found = re.search(r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return urlsplit(found.group(1)).hostname if found else None


def other_host(url: str) -> bool:
    url = url.strip()
    if url in NAMESPACES:
        return False
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    if parts.hostname and parts.hostname == own_host():
        return False
    return bool(parts.netloc) or url.startswith("//")


def test_no_address_in_output_points_to_another_host(built_site: Path, facts: Facts) -> None:
    """No HTML, CSS or JS file of the site holds another host's address, except citation links in page bodies
    and the schema.org vocabulary named by each page's JSON-LD."""
    citations = {s.url.rstrip("/") for s in public(facts.sources.values()) if s.url}
    citations |= {c.url.rstrip("/") for c in public(facts.crisis.values()) if c.url}
    offending, cited, ld_context = [], 0, 0
    files = [p for p in built_site.rglob("*") if p.suffix in (".html", ".css", ".js")]
    assert {p.suffix for p in files} == {".html", ".css", ".js"}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(built_site)
        if path.suffix == ".html":
            parser = _Addresses()
            parser.feed(text)
            for url, tag, attr, in_article in parser.found:
                if not other_host(url):
                    continue
                if tag == "a" and attr == "href" and in_article and url.rstrip("/") in citations:
                    cited += 1
                elif tag == "script" and attr == "text" and url == "https://schema.org":
                    ld_context += 1  # JSON-LD names its vocabulary; nothing ever fetches it
                else:
                    offending.append(f"{rel}: <{tag} {attr}> {url}")
        else:
            urls = css_urls(text) if path.suffix == ".css" else js_urls(text)
            offending += [f"{rel}: {u}" for u in urls if other_host(u)]
    assert offending == []
    assert cited > 0, "no citation link was seen, so the exception was never exercised"
    assert ld_context > 0, "no JSON-LD was seen, so its exception was never exercised"


def test_a_page_embedding_another_host_fails_the_build(warm) -> None:
    """An embedded video from another host makes the strict build fail, naming the file (and the line:
    raw HTML outside the allow-list is refused before the privacy check sees it, carekb/checks/sanitize.py)."""
    warm.write("content/video.md", "---\ntitle: Video\nreviewed: 2026-11-23\n---\n\n# Video\n\nWatch this.\n\n"
                                   '<iframe src="https://www.youtube.com/embed/abc" title="A video"></iframe>\n')
    result = warm.build()
    assert result.returncode != 0
    assert re.search(r"content/video\.md:10:1: raw HTML: the element <iframe> is not allowed", result.stderr), \
        result.stderr[-2000:]


def test_disarmed_theme_script_keeps_its_syntax_and_loads_nothing() -> None:
    """Other hosts' addresses in string literals point at about:blank; quotes and local strings stay."""
    script = ('a=_t("https://unpkg.com/x.js");b=`https://api.github.com/repos/${e}/${t}`;'
              'c="./local.js";d="http://www.w3.org/2000/svg";')
    new, disarmed = disarm_script(script)
    assert disarmed == ["https://unpkg.com/x.js", "https://api.github.com/repos/${e}/${t}"]
    assert new == ('a=_t("about:blank#blocked:unpkg.com/x.js");'
                   'b=`about:blank#blocked:api.github.com/repos/${e}/${t}`;'
                   'c="./local.js";d="http://www.w3.org/2000/svg";')


def test_own_site_address_is_not_another_host() -> None:
    """A canonical link to the site's own `site_url` host is allowed; any other host is not."""
    assert not is_foreign("https://guide.example.org/faq/", {"guide.example.org"})
    assert is_foreign("https://cdn.example.net/x.js", {"guide.example.org"})
    assert is_foreign("//cdn.example.net/x.js")
    assert not is_foreign("tel:988") and not is_foreign("../faq/")


# -- readability --------------------------------------------------------------------------------
def report_of(site: Path) -> dict:
    path = site.parent / "build-report" / f"{site.name}.json"
    assert path.is_file(), f"no build report at {path}"
    return json.loads(path.read_text(encoding="utf-8"))


def test_readability_report_grades_every_public_page(built_site: Path, facts: Facts) -> None:
    """The build report grades every public page with sane numbers that match the HTML."""
    section = report_of(built_site)["readability"]
    pages = section["pages"]
    assert set(public_pages(facts)) <= set(pages)
    assert not [p for p in pages if p.startswith("staff/")]
    for src, entry in pages.items():
        assert 0 <= entry["grade"] < 20, src
        assert entry["words"] > 0 and 0 < entry["sentences"] <= entry["words"], src
    for src in HAND_WRITTEN:
        # The same grade again from the built body: the report measures what readers get.
        body = article(html_of(built_site, src))
        assert abs(grade_html(body).grade - pages[src]["grade"]) <= 1.0, src
        assert pages[src]["words"] >= 300, f"{src} is still a stub"
    assert section["median"] == round(statistics.median(e["grade"] for e in pages.values()), 1)


def test_every_public_page_reads_within_its_limit(built_site: Path) -> None:
    """Every page is at or under its reading limit, hand-written pages at grade 8, and the median lower."""
    section = report_of(built_site)["readability"]
    over = {src: e["grade"] for src, e in section["pages"].items() if e["grade"] > e["limit"]}
    assert over == {}
    hard = {src: section["pages"][src]["grade"] for src in HAND_WRITTEN
            if section["pages"][src]["grade"] > LIMIT}
    assert hard == {}
    assert section["median"] < LIMIT


def test_hard_page_warns_by_name_and_fails_strict(warm) -> None:
    """A page written in long, technical sentences gets a warning that names it, and the strict build fails."""
    sentence = ("Comprehensive multidisciplinary interventions necessitate individualized "
                "pharmacological considerations, notwithstanding institutional administrative "
                "documentation requirements. ")
    warm.write("content/dense.md", "---\ntitle: Dense\nreviewed: 2026-11-23\n---\n\n# Dense\n\n" + sentence * 6)
    result = warm.build()
    assert result.returncode != 0
    assert re.search(r"WARNING.*content/dense\.md: reading grade \d+\.\d is over the limit of 8",
                     result.stderr), result.stderr[-2000:]
    assert re.search(r"INFO.*readability: content/index\.md: grade \d+\.\d", result.stderr)


def test_raised_limit_needs_a_reason(warm) -> None:
    """`readability_limit` without `readability_reason` is refused with a warning naming the page."""
    warm.write("content/limit.md", "---\ntitle: Limit\nreviewed: 2026-11-23\nreadability_limit: 12\n---\n\n"
                                   "# Limit\n\nYou go to care a few days a week.\n")
    result = warm.build()
    assert result.returncode != 0
    assert "content/limit.md: readability_limit: 12 needs a readability_reason" in result.stderr


# -- the continuum chart ------------------------------------------------------------------------
def chart(html: str) -> str:
    found = re.search(r'<svg class="kb-chart__svg".*?</svg>', html, re.S)
    assert found, "no continuum chart on the page"
    return found.group(0)


def bars(svg: str) -> dict[str, float]:
    """Bar width by level label, in chart order."""
    pairs = re.findall(r'<text class="kb-chart__label"[^>]*>([^<]+)</text>\s*'
                       r'<rect class="kb-chart__bar[^"]*"[^>]*width="([\d.]+)"', svg)
    return {label: float(width) for label, width in pairs}


def test_home_page_chart_is_accessible_and_needs_no_script(built_site: Path, facts: Facts) -> None:
    """The chart on the home page has a title, a description and a data table with the same levels."""
    html = html_of(built_site, "index.md")
    svg = chart(html)
    assert "<script" not in svg and 'role="img"' in svg
    assert re.search(r"<title[^>]*>[^<]+</title>", svg) and re.search(r"<desc[^>]*>[^<]+</desc>", svg)
    assert not re.search(r'\b(fill|stroke)="#', svg), "colours must come from CSS for both schemes"
    table = html[html.index('class="kb-chart-data"'):]
    table = table[: table.index("</table>")]
    assert "<caption>" in table and 'scope="col"' in table
    for level in facts.core_levels:
        assert f"levels/{level.id}/" in table
        assert level.name in re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)


def test_chart_follows_a_changed_figure(warm, built_site) -> None:
    """Changing IOP's weekly hours in facts.yaml changes the chart's bar, description and table."""
    text = warm.read("facts.yaml")
    old = "adults: {min: 9, max: 19, source: asam3}"
    assert old in text, "the IOP weekly hours line moved; update this test's edit"
    warm.write("facts.yaml", text.replace(old, "adults: {min: 9, max: 15, source: asam3}"))
    result = warm.build()
    assert result.returncode == 0, result.stderr[-3000:]
    before = chart(html_of(built_site, "index.md"))
    after_html = html_of(result.site, "index.md")
    after = chart(after_html)
    assert "9 to 15 hours a week" in after and "9 to 19 hours a week" in before
    ticks = r'class="kb-chart__tick"[^>]*>(\d+)<'
    assert re.findall(ticks, before) == re.findall(ticks, after), "the scale changed"
    # Same scale: the bar shrinks in proportion to the range (19 - 9 -> 15 - 9).
    assert bars(after)["IOP"] == pytest.approx(bars(before)["IOP"] * 6 / 10, rel=0.02)
    assert "9 to 15 hours a week" in after_html[after_html.index('class="kb-chart-data"'):]


def test_chart_colours_follow_light_and_dark_schemes() -> None:
    """The chart's colours are CSS variables set for both Material schemes."""
    css = (REPO / "overrides" / "assets" / "stylesheets" / "kb.css").read_text(encoding="utf-8")
    slate = css[css.index('[data-md-color-scheme="slate"]'):]
    assert "--kb-chart-bar:" in css and "--kb-chart-bar:" in slate
    assert re.search(r"\.kb-chart__bar\s*\{[^}]*var\(--kb-chart-bar\)", css)


# -- the self-check (static parts; the browser tests are in tests/browser/) -----------------------
def test_self_check_form_is_built_from_facts(built_site: Path, facts: Facts) -> None:
    """The form has one fieldset and legend per question, one radio per answer, and the rules as JSON."""
    html = html_of(built_site, "self-check.md")
    form = re.search(r'<form id="self-check".*?</form>', html, re.S).group(0)
    questions = facts.self_check.questions
    assert form.count("<fieldset") == len(questions) == len(re.findall(r"<legend>", form))
    for question in questions:
        assert question.ask in re.sub(r"&#x27;|&#39;", "'", form)
        assert len(re.findall(rf'type="radio" name="{question.id}"', form)) == len(question.answers)
    assert re.search(r'<button type="submit"', form)
    assert re.search(r'<div id="self-check-tool"[^>]*\bhidden\b', html), "the form must start hidden"
    assert re.search(r'id="self-check-result"[^>]*aria-live="polite"', html)
    data = json.loads(re.search(r'<script type="application/json" id="self-check-data">(.*?)</script>',
                                html, re.S).group(1))
    shown = [lv.id for lv in public(facts.levels.values())]
    assert [lv["id"] for lv in data["levels"]] == shown
    for question, built in zip(questions, data["questions"], strict=True):
        assert built["id"] == question.id
        for answer, got in zip(question.answers, built["answers"], strict=True):
            assert got["suggests"] == [i for i in answer.suggests if i in shown]
            assert got["rules_out"] == [i for i in answer.rules_out if i in shown]
            assert got["because"] == answer.because


def test_self_check_criteria_are_readable_without_script(built_site: Path, facts: Facts) -> None:
    """Outside the hidden form, the page lists every level's fit criteria with a link, and each answer's reason."""
    html = html_of(built_site, "self-check.md")
    visible = re.sub(r'<div id="self-check-tool".*?</div>\s*(?=<h2)', "", article(html), flags=re.S)
    for level in public(facts.levels.values()):
        assert re.search(rf'data-level="{level.id}"[^>]*><a href="\.\./levels/{level.id}/"', visible)
        for line in level.fits + level.not_a_fit:
            assert line.replace("'", "&#39;") in visible or line in visible, line
    for question in facts.self_check.questions:
        for answer in question.answers:
            assert answer.because.replace("'", "&#39;") in visible or answer.because in visible


def test_self_check_script_sends_and_stores_nothing(built_site: Path) -> None:
    """The self-check script is served from the site, loaded on the page, and uses no network or storage API."""
    script = (built_site / "assets" / "self-check.js").read_text(encoding="utf-8")
    for api in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "localStorage",
                "sessionStorage", "document.cookie", "indexedDB", "navigator.serviceWorker"):
        assert api not in script, api
    html = html_of(built_site, "self-check.md")
    assert re.search(r'<script src="\.\./assets/self-check\.js', html)


def test_every_page_loads_the_print_stylesheet(built_site: Path) -> None:
    """Every page links print.css, which hides the navigation and prints link addresses."""
    css = (built_site / "assets" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".md-sidebar" in css and "attr(href)" in css
    missing = [p for p in all_html(built_site)
               if not re.search(r'<link[^>]+href="[^"]*assets/print\.css', p.read_text(encoding="utf-8"))]
    assert missing == []


# Every style sheet of ours the sites and the preview ship (Material's own are minified upstream).
OUR_STYLESHEETS = sorted(
    [*REPO.glob("overrides/**/*.css"), *REPO.glob("content/**/*.css"),
     *REPO.glob("carekb/templates/**/*.css"), *REPO.glob("engine/**/*.css")])


def unclosed_blocks(css: str) -> list[int]:
    """The lines of the outermost `{` blocks that the file never closes. A browser closes such a
    block at the end of the file, so every rule after it is read as nested inside that rule
    and matches nothing (once, the language link's styles)."""
    import tinycss2

    lines = css.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    found: list[int] = []

    def walk(nodes) -> None:
        for node in nodes:
            if node.type in ("{} block", "[] block", "() block", "function"):
                at = starts[node.source_line - 1] + node.source_column - 1
                text = node.serialize()
                if css[at:at + len(text)] != text:
                    if node.type == "{} block":
                        found.append(node.source_line)
                        continue
                walk(node.arguments if node.type == "function" else node.content)

    walk(tinycss2.parse_component_value_list(css))
    return found


def test_unclosed_blocks_are_found_where_they_open() -> None:
    assert unclosed_blocks("a { color: red; }\nb {\n  color: blue;\n\nc { color: green; }\n") == [2]
    assert unclosed_blocks("@media print {\n  a { color: red; }\n}\n") == []


@pytest.mark.parametrize("sheet", OUR_STYLESHEETS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_our_style_sheets_close_every_block(sheet: Path) -> None:
    """A rule left open swallows every rule after it (the browser reads them as nested)."""
    assert len(OUR_STYLESHEETS) >= 5
    lines = unclosed_blocks(sheet.read_text(encoding="utf-8"))
    assert not lines, f"{sheet.relative_to(REPO)}: the rule opened on line(s) {lines} is never closed: add its }}"


def test_pages_link_every_part_of_the_site_from_home(built_site: Path) -> None:
    """The home page links every hand-written page and the generated overviews."""
    body = article(html_of(built_site, "index.md"))
    for src in HAND_WRITTEN[1:] + ["levels/index.md", "compare.md", "modalities/index.md",
                                   "glossary.md", "sources.md"]:
        assert f'href="{page_dir(src)}/"' in body, src


def test_week_in_iop_schedule_comes_from_the_session_facts(built_site: Path, facts: Facts) -> None:
    """The sample week has as many treatment days as IOP's fewest days a week (or more, to reach the weekly hours)."""
    iop = facts.levels["iop"]
    html = html_of(built_site, "week-in-iop.md")
    table = re.search(r'<table class="kb-week">.*?</table>', html, re.S).group(0)
    assert "<caption>" in table and "example" in table
    days = len(re.findall(r"group_therapy/", table))
    session = iop.session_hours.min
    assert days >= iop.days_per_week.min
    assert days == iop.days_per_week.min or days * session - session < iop.hours_per_week["adults"].min
    assert days <= iop.days_per_week.max


def test_comparison_picks_levels_with_check_boxes_its_style_sheet_can_hide(built_site: Path,
                                                                           facts: Facts) -> None:
    """The comparison's "Pick two levels" boxes (issue 24) are plain check boxes, one per core level
    in the columns' order, with no script and no form that sends anything; the style sheet that
    shows only the picked columns has a rule for every column, so a new core level is not left
    showing when another is picked."""
    html = article(html_of(built_site, "compare.md"))
    pick = html[html.index('<fieldset class="kb-pick">'):html.index("</fieldset>")]
    boxes = re.findall(r'<input type="checkbox" name="compare-level" value="([a-z0-9_]+)">', pick)
    core = [lv.id for lv in facts.core_levels]
    assert boxes == core
    columns = re.findall(r'<th scope="col"><a href="\.\./levels/([a-z0-9_]+)/"', html)
    assert columns == core
    assert "<script" not in html[html.index("kb-compare-view"):] and "<form" not in pick
    css = (REPO / "overrides" / "assets" / "stylesheets" / "kb.css").read_text(encoding="utf-8")
    hidden = set(re.findall(r"\.kb-pick__level:nth-of-type\((\d+)\) input:not\(:checked\)\) "
                            r"\.kb-compare tr > :nth-child\((\d+)\)", css))
    assert {(str(n), str(n + 1)) for n in range(1, len(core) + 1)} <= hidden, sorted(hidden)
