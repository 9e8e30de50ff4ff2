"""A careless or hostile editor cannot publish live HTML, leak a staff page, or switch a gate off.

Each case of the corpus is a real build of a copy of the project with one hostile page in
content/ (or one hostile title). A case either fails the build, with a message naming the page
and no traceback, or builds a site in which no page holds a live payload: no on...= attribute,
no javascript:/vbscript:/data: address in a URL attribute, no control or bidi character.

The cases run on a warm copy of the project, rebuilt in-process by the preview's engine (only
the hostile page is rendered again); the cases whose point is the command's flags (-q,
--no-strict) run `mkdocs build` with those flags through MkDocs' command line, in-process, on the
tiny sample project (tests/tinyproject.py: the same hooks); a few cases also run there as a
real command in a child process, for its exit status and no traceback.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from carekb.web import htmlscan
from carekb.checks.safety import _tag_problems, _unique, body_problems, page_problems
from tests.html_reference import parse_start_tags, reference_readings
from tests.markup_mixes import random_markup
from tests.sitebuilds import Built, WarmProject, run_cli

PAGE = "content/hostile.md"
FRONT = "---\ntitle: {title}\nreviewed: 2026-11-01\n---\n\n"
STAFF = "../staff/billing/"  # content/staff/billing.md, audience: staff, as seen from hostile/
TRACKER = '<img src="https://tracker.example/x.gif" alt="">'
HARD = ("Notwithstanding institutional considerations, multidisciplinary therapeutic interventions "
        "necessitate comprehensive individualized documentation.")
NOT_IN_NAV = "\nnot_in_nav: |\n  /hostile.md\n"  # the hostile page is left out of the nav on purpose

STAFF_LEAK = "links to staff-only"
LIVE = "could run in readers' browsers"
# Raw HTML outside the allow-list is refused as the editor wrote it, before the output checks
# see it (carekb/checks/sanitize.py); those still judge the output (tests/test_hostile_html.py).
RAW = "raw HTML: "
# (id, page body, build flags, what the reader observes: "builds", or the build fails with an
# error naming the page and saying this)
CORPUS = [
    # Links to a staff page, however written
    ("staff-single-quoted", f"<a href='{STAFF}'>x</a>", (), STAFF_LEAK),
    ("staff-unquoted", f"<a href={STAFF}>x</a>", (), STAFF_LEAK),
    ("staff-entity-slash", '<a href="..&#47;staff&#x2F;billing&sol;">x</a>', (), STAFF_LEAK),
    ("staff-percent-slash", '<a href="..%2Fstaff%2Fbilling%2F">x</a>', (), STAFF_LEAK),
    ("staff-percent-letter", '<a href="../%73taff/billing/">x</a>', (), STAFF_LEAK),
    ("staff-upper-case", '<a href="../STAFF/Billing/">x</a>', (), STAFF_LEAK),
    ("staff-form-action", f'<form action="{STAFF}"><button>Go</button></form>', (), RAW),
    ("staff-img-src", f'<img src="{STAFF}" alt="">', (), STAFF_LEAK),
    ("staff-srcset", f'<img src="a.png" srcset="a.png 1x, {STAFF} 2x" alt="">', (), RAW),
    ("staff-object-data", f'<object data="{STAFF}"></object>', (), RAW),
    ("staff-meta-refresh", f'<meta http-equiv="refresh" content="0;url={STAFF}">', (), RAW),
    ("staff-index-fragment", '<a href="../staff/billing/index.html#x">x</a>', (), STAFF_LEAK),
    # Raw HTML that would run
    ("img-onerror", "<img src=x onerror=alert(1)>", (), RAW),
    ("svg-onload", "<svg onload=alert(1)></svg>", (), RAW),
    ("javascript-url", '<a href="javascript:alert(1)">x</a>', (), RAW),
    ("javascript-mixed-case-entity", '<a href="JaVaScRiPt&#58;alert(1)">x</a>', (), RAW),
    ("javascript-tab", '<a href=" java\tscript:alert(1)">x</a>', (), RAW),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', (), RAW),
    ("script", "<script>alert(1)</script>", (), RAW),
    ("base-href", '<base href="/x/">', (), RAW),
    ("data-url", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', (), RAW),
    # Refused when the page is read (carekb/load/pageinput.py), before any output check sees it.
    ("bidi-override", "Pay \u202eexe.txt\u202c now.", (), "invisible character, U+202E"),
    ("style-url", '<p style="background: url(x.png)">x</p>', (), RAW),
    # Gates that must not depend on flags
    ("privacy-strict-quiet", TRACKER, ("--strict", "-q"), "privacy: "),
    ("privacy-quiet", TRACKER, ("-q",), "privacy: "),
    ("privacy-not-strict", TRACKER, ("--no-strict", "-q"), "privacy: "),
    ("grade-strict-quiet", HARD, ("--strict", "-q"), "reading grade"),
    ("grade-not-strict", HARD, ("--no-strict", "-q"), "builds"),
    ("handtyped-strict-quiet", "If you are in crisis, call 988.", ("--strict", "-q"), "is typed by hand"),
    ("handtyped-not-strict", "If you are in crisis, call 988.", ("--no-strict", "-q"), "builds"),
]
# Also run as the command in a child process: a staff link, live HTML, and a gate under -q.
AS_COMMANDS = ["staff-unquoted", "img-onerror", "privacy-quiet"]


def run_build(project: Path, out: Path, flags: tuple[str, ...] = ("--strict",),
              config: str = "mkdocs.yml") -> Built:
    """`mkdocs build <flags>` of `project` into `out`, as an editor runs it, in a child process;
    never raises."""
    return run_cli(["build", *flags, "-f", config, "-d", str(out)], project, timeout=300)


@pytest.fixture(scope="module")
def hostile(warm_project: WarmProject) -> Iterator[WarmProject]:
    """The warm copy of the project with a harmless hostile.md (left out of the nav, as an
    editor would), built once; each test writes its own hostile page into it (undone after)."""
    warm_project.push()
    warm_project.append("mkdocs.yml", NOT_IN_NAV)
    write_page(warm_project, "Nothing hostile yet.")
    first = warm_project.build()
    assert first.returncode == 0, first.stderr[-3000:]
    yield warm_project
    warm_project.pop()


@pytest.fixture
def warm_hostile(hostile: WarmProject) -> Iterator[WarmProject]:
    hostile.push()
    yield hostile
    hostile.pop()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, tiny_copier) -> Path:
    """The tiny sample project (tests/tinyproject.py: the real hooks, a small fact base with the
    988 line, a staff page) for the builds run as commands; each test writes its own page."""
    root = tiny_copier(tmp_path_factory.mktemp("hostile") / "project")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(NOT_IN_NAV)
    return root


def page_text(body: str, title: str = "Hostile page") -> str:
    """The hostile page: front matter, a heading and a sentence, then `body` on line 10."""
    return FRONT.format(title=title) + "# Hostile page\n\nA short page.\n\n" + body + "\n"


def write_page(project: Path | WarmProject, body: str, title: str = "Hostile page") -> None:
    """Write the hostile page (page_text) into a project folder or a warm project."""
    if isinstance(project, WarmProject):
        project.write(PAGE, page_text(body, title))
    else:
        (project / PAGE).write_text(page_text(body, title), encoding="utf-8")


@functools.lru_cache(maxsize=4096)
def _live(html: str) -> tuple[str, ...]:
    """What a browser would find live in one written page, in html5lib's trees (scripting on
    and off; an independent reading from the checks'). Kept per text: most pages of one build
    are the same as the last one's."""
    found = []
    for element in reference_readings(html):
        for name, value in element.attrs:
            if name.startswith("on") and value:
                found.append(f"<{element.tag} {name}>")
            if name in htmlscan.URL_ATTRS and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"<{element.tag} {name}={value[:30]}>")
            if name == "title" and re.search(r"<[a-zA-Z!/?]", value or ""):
                found.append(f"<{element.tag} title={value[:30]}>")
        if element.tag == "script" and not dict(element.attrs).get("src") and \
                (dict(element.attrs).get("type") or "") in ("", "text/javascript", "module"):
            found.append("inline <script>")
    return tuple(found)


def live_payloads(site: Path) -> list[str]:
    """Every live payload in the built site's HTML files (see the module docstring)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(site)}: {f}" for f in _live(text)]
        found += [f"{path.relative_to(site)}: U+{ord(c):04X}" for c in
                  set(re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", text))]
    return found


def assert_failed_cleanly(result: Built) -> None:
    """The build failed with a message naming the page, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert PAGE in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]


def _hostile_build(case: str, body: str, flags: tuple[str, ...], hostile: WarmProject, project: Path,
                   build: Callable, tmp_path: Path) -> tuple[Built, Path, Callable[[], bool], Callable[[], bool]]:
    """One case's build: the warm copy, or (with flags) the command line in-process. Returns the
    result, the site, and whether a site and a build report were left (for a failed build: a
    new one, or a change to the last good one)."""
    if not flags:
        write_page(hostile, body)
        result = hostile.build()
        report = hostile.report()
        return (result, result.site, lambda: any(not w.startswith("../") for w in result.wrote),
                lambda: "../build-report/" + report.name in result.wrote)
    write_page(project, body)
    result = build(project / "mkdocs.yml", tmp_path / "site", *flags)
    return (result, tmp_path / "site", lambda: (tmp_path / "site").exists(),
            lambda: (tmp_path / "build-report" / "site.json").exists())


@pytest.mark.parametrize("case,body,flags,expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_page(case: str, body: str, flags: tuple[str, ...], expected: str, warm_hostile: WarmProject,
                      project: Path, build: Callable, tmp_path: Path) -> None:
    """One hostile edit: the build fails naming the page, or what it publishes runs nothing."""
    result, site, left_site, left_report = _hostile_build(case, body, flags, warm_hostile, project, build,
                                                          tmp_path)
    if expected != "builds":
        assert_failed_cleanly(result)
        assert expected in result.stderr, result.stderr[-2000:]
        if expected in (LIVE, RAW):  # the message points at the line of the page that holds it
            assert f"{PAGE}:10:" in result.stderr, result.stderr[-2000:]
        assert not left_site(), "a failed build left a site behind"
        assert not left_report(), "a failed build wrote a report"
    else:
        assert result.returncode == 0, result.stderr[-3000:]
        assert live_payloads(site) == []
        assert left_report()


@pytest.mark.parametrize("case", AS_COMMANDS)
def test_hostile_page_as_a_command(case: str, project: Path, tmp_path: Path) -> None:
    """The same edits, as `python -m mkdocs build` in a child process: it exits non-zero naming
    the page, with no traceback, and leaves no site and no report."""
    _, body, flags, expected = next(c for c in CORPUS if c[0] == case)
    write_page(project, body)
    result = run_build(project, tmp_path / "site", flags or ("--strict",))
    assert_failed_cleanly(result)
    assert expected in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "site").exists(), "a failed build left a site behind"
    assert not (tmp_path / "build-report" / "site.json").exists(), "a failed build wrote a report"


def test_hostile_titles_are_published_as_text(warm: WarmProject) -> None:
    """A nav title and a nav section title with markup, and a description with quotes, build and
    show as text in the <title>, the header, the meta description and every page's nav: no
    element gets onerror, onmouseover or onload. (The same markup in a front-matter title is
    refused: tests/test_hostile_input.py.)"""
    # No front-matter title: the page takes its title from the nav entry.
    warm.write(PAGE, "---\ndescription: 'x\" onmouseover=\"alert(1)'\nreviewed: 2026-11-01\n---\n\n"
                     "A short page.\n")
    nav = yaml.safe_load(warm.read("mkdocs.yml"))["nav"]
    warm.write("mkdocs.hostile.yml", yaml.safe_dump({"INHERIT": "mkdocs.yml", "nav": [
        *nav, {"More <svg onload=alert(2)>": [{"Help <img src=x onerror=alert(1)>": "hostile.md"}]}]}))
    result = warm.build("mkdocs.hostile.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    site = result.site
    assert live_payloads(site) == []
    html = (site / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<title>Help &lt;img src=x onerror=alert(1)&gt; - " in html
    assert '<meta name="description" content="x&quot; onmouseover=&quot;alert(1)">' in html
    faq = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert "More &lt;svg onload=alert(2)&gt;" in faq and "Help &lt;img src=x onerror=alert(1)&gt;" in faq


def test_the_real_site_builds_and_runs_nothing(built_site: Path) -> None:
    """Control: the project as it is builds, strict, with nothing live in any page."""
    assert (built_site / "index.html").is_file()
    assert live_payloads(built_site) == []


def test_legitimate_raw_html_and_titles_still_build(warm_hostile: WarmProject) -> None:
    """Control: a link to a source in facts.yaml, a `&` in the title and a <details> block build,
    and the title is escaped once, not twice."""
    body = ("See the [ASAM criteria](https://www.asam.org/asam-criteria).\n\n"
            "<details><summary>More</summary>\n\nSome more words.\n\n</details>\n")
    write_page(warm_hostile, body, title="Costs & help")
    result = warm_hostile.build()
    assert result.returncode == 0, result.stderr[-3000:]
    html = (result.site / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<title>Costs &amp; help - " in html and "&amp;amp;" not in html
    assert "<details>" in html and 'href="https://www.asam.org/asam-criteria"' in html


# -- the checks find what reading html5lib's trees finds ------------------------------------------

def _every_tag(html: str, whole_page: bool) -> list[str]:
    """The reference: every element of html5lib's trees (scripting on and off)."""
    out: list[str] = []
    for tag, attrs, body in parse_start_tags(html):
        out += _tag_problems(tag, attrs, "" if whole_page else body, whole_page=whole_page)
    return _unique(out)


PIECES = [
    '<a href="javascript:x">', "<a href=java\tscript:x>", '<a href="jav&#x61;script:x">', "<img src=x onerror=y>",
    "<p ONCLICK=1>", "<p onclick>", "<a href=d\na\rta:x>", '<p style="background:u\\72l(x)">', "<iframe srcdoc=x>",
    "<button formaction=x>", "<form action=x>", "<svg><set attributeName=href to=javascript:x></svg>",
    "<a title='>' onclick=x>", "<a/onclick=x>", '<p class="md-icon on">', '<a href="https://x.org/?a=1&amp;b=2">',
    "<script>x</script>", "<style>p{}</style>", "<p>", "text", "&amp;", "<!--", "-->", '"', "'", "<", ">",
    "=", "<a href=data:x>", '<a href=" data:x">', "<a href=vb&Tab;script:x>", '<a href="javascript&colon;x">',
    '<STYLE>@im\\70ort "x"</style>', "<p style=x:y>", "<a href=&#106;avascript:x>", "<a href=java&#x09;script:x>",
    "<a href=&#X44;ata:x>", "&#160;", "&#8617;", '<p STYLE="b:url(x)">', "<object data=x>", "<meta name=x>",
]


def test_the_checks_find_what_html5lib_trees_hold() -> None:
    """Random mixes of hostile and harmless markup: the checks find the same as judging every
    element of html5lib's trees. (No `</p>` among the pieces: inside SVG, html5lib 1.1 reads
    it by the rules before 2020, then misreads a raw-text element after it.)"""
    for html in random_markup(PIECES, seed=7, count=2000, longest=8):
        assert sorted(p for p in body_problems(html) if not p.startswith(("a bidi", "a control"))) \
            == sorted(_every_tag(html, whole_page=False)), html
        whole = sorted(_unique(f for e in reference_readings(html)
                               for f in _tag_problems(e.tag, e.attrs, "", whole_page=True)))
        assert sorted(page_problems(html)) == whole, html
