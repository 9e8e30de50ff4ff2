"""A careless or hostile editor cannot publish staff material, change the facts, or hang the build.

Each case is one hostile edit. What a user would observe is asserted: the build fails (non-zero
exit) naming the page and line, with no traceback; or it succeeds and no staff-only text is in
any output file (search index and sitemap included). Edits that need the whole pipeline (front
matter, files under content/staff/) run real strict builds of a copy of the project, batched
where one build can show several cases; pure-template cases run the renderer in-process, and
each class of template case also has one real build.
"""

from __future__ import annotations

import gzip
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from test_staff import (contains, output_texts, staff_fact_strings, staff_notice,
                        staff_sentences)

from carekb.build import session
from carekb.model.audience import FactGroup, StaffOnly, view
from carekb.model.facts import PUBLIC, Facts, Node, ReadOnlyError
from carekb.render.renderer import Renderer, RenderError
from tests.sitebuilds import Built, WarmProject

REPO = Path(__file__).resolve().parent.parent
STAFF_ONLY = r"is staff-only; page faq\.md is public\. Show it on a staff page"
PRINTED = r"is never printed whole"
TOO_BIG = r"larger than a page can hold"


def staff_ids(facts: Facts) -> list[str]:
    """Ids of staff-only entities: a public listing must not show even these."""
    return sorted({e.id for e in facts.reviewed_entities()
                   if e.staff_only and hasattr(e, "id")})


# -- front matter and files under content/staff/ (real builds) -------------------------------
# (page under content/, front matter line, what the error must say)
BAD_AUDIENCES = [
    ("staff/v-capital.md", "audience: Staff", r"audience: 'Staff' is not `public` or `staff`\. Fix: did you mean `staff`\?"),
    ("staff/v-upper.md", "audience: STAFF", r"audience: 'STAFF' is not .*did you mean `staff`\?"),
    ("staff/v-space.md", 'audience: "staff "', r"audience: 'staff ' is not .*did you mean `staff`\?"),
    ("staff/v-list.md", "audience: [staff]", r"audience: \['staff'\] \(list\) is not .*did you mean `staff`\?"),
    ("staff/v-key.md", "Audience: staff", r"front matter key `Audience` is not `audience`"),
    ("staff/v-public.md", "audience: public", r"audience: public, but every page under content/staff/ is staff-only"),
    ("v-outside.md", "audience: Staff", r"audience: 'Staff' is not .*did you mean `staff`\?"),
    ("v-typo.md", "audience: staf", r"audience: 'staf' is not .*did you mean `staff`\?"),
]


def _page(project: WarmProject, rel: str, front: str, body: str) -> None:
    project.write(f"content/{rel}", f"---\ntitle: Hostile page\n{front}\nreviewed: 2026-11-23\n---\n\n{body}\n")


@pytest.fixture(scope="module")
def bad_audience_build(warm_project: WarmProject) -> Built:
    """One build with every wrong `audience` at once (all are reported together); the pages
    are taken out again at once."""
    warm_project.push()
    try:
        for rel, front, _ in BAD_AUDIENCES:
            _page(warm_project, rel, front, "# Hostile\n\nThe quarterly payroll review names every locum.")
        return warm_project.build()
    finally:
        warm_project.pop()


@pytest.mark.parametrize("rel, front, says", BAD_AUDIENCES, ids=[c[0] for c in BAD_AUDIENCES])
def test_a_wrong_audience_fails_the_build_naming_page_and_line(
        bad_audience_build: Built, rel: str, front: str, says: str) -> None:
    result = bad_audience_build
    assert result.returncode != 0
    assert re.search(rf"content/{re.escape(rel)}:3: {says}", result.stderr), result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert result.wrote == [], "a failed build changed the site"


HIDDEN_PAGE = "Zebulon Quartermain leads the night roster for the locked ward."
HIDDEN_BARE = "The bare chapter lists the pager codes for the weekend team."
HIDDEN_CASE = "The upper-case folder keeps the locker combinations for the ward."
# Non-page files under content/staff/: their bytes must be nowhere in the public output.
STAFF_FILES = {
    "staff/roster.txt": b"STAFF-ROSTER-TXT-7f3a9c on call: Quartermain",
    "staff/diagram.png": b"\x89PNG\r\n\x1a\n" + b"STAFF-PNG-5be21d" + bytes(range(256)),
    "staff/forms/intake.pdf": b"%PDF-1.4\nSTAFF-PDF-c0ffee\n%%EOF\n",
}
# Ways a public page reaches for staff facts that render nothing staff-only (the public view
# has none to show); `hours` is the control: a public fact still shows.
SILENT_REACH = """\
# Hostile public page

Control: {{ levels.iop.hours_per_week | hours }}.

{% for c in levels.iop.coverage %}{{ c | note }}
{% endfor %}

Codes: {{ billing_codes | list }} {{ billing_codes | join(", ") }} {{ billing_codes.items() | list }}
{{ billing_codes.keys() | list }} {{ billing_codes.values() | list | length }} {{ billing_codes | length }}
{{ "h0015" in billing_codes }} {{ facts.billing_codes | list }}

Words: {{ glossary | join(", ") }}. Sources: {{ sources | join(", ") }}.
{% for s in sources.values() %}{{ s.title }}. {% endfor %}
{% if formats.group.size %}{{ formats.group.size | figure }}{% endif %}
"""


@pytest.fixture(scope="module")
def hostile_project(warm_project: WarmProject) -> Iterator[WarmProject]:
    """The warm copy with staff pages without an audience, staff files that are not pages, and
    a public page reaching for staff facts every way that does not fail (for this module)."""
    project = warm_project
    project.push()
    _page(project, "staff/roster.md", "", f"# Night roster\n\n{HIDDEN_PAGE}")
    project.write("content/staff/bare.md", f"---\nreviewed: 2026-11-23\n---\n\n# Pager codes\n\n{HIDDEN_BARE}\n")
    # Another spelling of the folder is the staff folder too (fail closed on any file system).
    _page(project, "Staff/lockers.md", "", f"# Lockers\n\n{HIDDEN_CASE}")
    for rel, data in STAFF_FILES.items():
        project.write(f"content/{rel}", data)
    _page(project, "hostile.md", "readability_limit: 20\nreadability_reason: it lists fact ids",
          SILENT_REACH)
    project.append("mkdocs.yml", "\nnot_in_nav: |\n  /hostile.md\n")  # left out on purpose
    yield project
    project.pop()


@pytest.fixture(scope="module")
def hostile_site(hostile_project: WarmProject, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public build of the hostile copy, kept apart (later builds of the copy go on)."""
    result = hostile_project.build()
    assert result.returncode == 0, result.stderr[-4000:]
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    shutil.copytree(result.site, out)
    return out


def _all_bytes(site: Path) -> dict[str, bytes]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = (gzip.decompress(data)
                                                      if path.suffix == ".gz" else data)
    return out


def test_staff_pages_without_an_audience_and_staff_files_stay_out(hostile_site: Path) -> None:
    files = _all_bytes(hostile_site)
    assert not [name for name in files if name.casefold().startswith("staff/")]
    markers = [HIDDEN_PAGE.encode(), HIDDEN_BARE.encode(), HIDDEN_CASE.encode(),
               b"Night roster", b"Pager codes", b"Lockers"]
    markers += [re.search(rb"STAFF-[A-Z]+-\w+", data).group(0) for data in STAFF_FILES.values()]
    leaks = [(m, name) for m in markers for name, data in files.items() if m in data]
    assert not leaks, leaks
    assert "search/search_index.json" in files and "sitemap.xml" in files


def test_reaching_for_staff_facts_from_a_public_page_shows_none(hostile_site: Path,
                                                                facts: Facts) -> None:
    texts = output_texts(hostile_site)
    page = texts["hostile/index.html"]
    assert "9 to 19 hours a week" in page, "the control (a public figure) did not render"
    assert "Medicare Part B has covered intensive outpatient care" in page
    needles = staff_sentences() + staff_fact_strings(facts) + [staff_notice()]
    leaks = [(n, name) for n in needles for name, text in texts.items() if contains(text, n)]
    assert not leaks, leaks[:20]
    shown_ids = [i for i in staff_ids(facts)  # whole ids: `part2` is not `cfr_part2_minors`
                 if re.search(rf"(?<![a-z0-9_]){re.escape(i)}(?![a-z0-9_])", page)]
    assert not shown_ids, f"staff-only ids listed on a public page: {shown_ids}"


def test_the_staff_handbook_of_the_hostile_copy_still_builds(hostile_project: WarmProject,
                                                             warm: WarmProject) -> None:
    """Control: the handbook builds once its new pages are in its nav, and it is where the
    staff-folder pages go (pages there without `audience:` count as staff pages too)."""
    result = warm.build("mkdocs.staff.yml")
    assert result.returncode != 0
    for page in ("content/staff/roster.md", "content/staff/bare.md", "content/Staff/lockers.md"):
        assert f"{page} is a staff page missing from extra.staff_nav" in result.stderr, result.stderr[-3000:]
    text = warm.read("mkdocs.staff.yml")
    anchor = "        - Print the staff handbook: staff/print.md\n"
    assert anchor in text
    listed = ("        - Roster: staff/roster.md\n        - Bare: staff/bare.md\n"
              "        - Lockers: Staff/lockers.md\n")
    warm.write("mkdocs.staff.yml", text.replace(anchor, listed + anchor))
    result = warm.build("mkdocs.staff.yml")
    assert result.returncode == 0, result.stderr[-4000:]
    assert HIDDEN_PAGE in (result.site / "staff" / "roster" / "index.html").read_text("utf-8")
    assert (result.site / "staff" / "roster.txt").read_bytes() == STAFF_FILES["staff/roster.txt"]


# -- template cases: one real build per class -------------------------------------------------
# (what the editor wrote on a public page, what the error must say)
FAILING_BUILDS = [
    ("{{ levels.iop }}", r'levels\.iop is a level: write \{\{ link\("iop"\) \}\} or a field '
                         r"such as \{\{ levels\.iop\.name \}\}"),
    ("{{ levels.pop('op') }}", r"'levels' has no 'pop'"),
    ("{{ range(10**8) | length }}", r"range\(\) of 100,000,000 numbers"),
    ("{{ 'a' * 10**10 }}", TOO_BIG),
]


@pytest.mark.parametrize("text, says", FAILING_BUILDS, ids=[c[0] for c in FAILING_BUILDS])
def test_a_hostile_template_fails_the_real_build_naming_page_and_line(warm: WarmProject, text: str,
                                                                      says: str) -> None:
    before = warm.read("content/faq.md")
    warm.write("content/faq.md", before + "\n" + text + "\n")
    line = before.count("\n") + 2
    started = time.monotonic()
    result = warm.build()
    assert result.returncode != 0
    assert re.search(rf"content/faq\.md:{line}: .*{says}", result.stderr), result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert time.monotonic() - started < 120


# -- template cases in-process ---------------------------------------------------------------
BIG = "{% set s = 'a' * 900000 %}"
TEMPLATE_CASES = [
    # reaching staff facts: fails with the staff-only message
    ("{{ billing_codes.h0015 }}", rf"billing_codes\.h0015 {STAFF_ONLY}"),
    ("{{ billing_codes.h0015.code }}", rf"billing_codes\.h0015 {STAFF_ONLY}"),
    ("{{ formats.group.size | figure }}", rf"formats\.group\.size {STAFF_ONLY}"),
    ("{{ cite('hcpcs') }}", rf"sources\.hcpcs {STAFF_ONLY}"),
    ("{{ link('billing_codes.h0015') }}", r"link: nothing called"),
    # printing a model object, however it is turned into text
    ("{{ levels.iop }}", r'levels\.iop is a level: write \{\{ link\("iop"\) \}\}'),
    ("{{ levels.iop.hours_per_week.adults }}", r"levels\.iop\.hours_per_week\.adults is a figure: "
                                               r"write \{\{ levels\.iop\.hours_per_week\.adults \| figure \}\}"),
    ("{{ levels.iop.hours_per_week }}", r"is a set of figures: write .* \| hours"),
    ("{{ levels.iop.coverage[0] }}", r"is a sourced sentence in a list: .*\| note"),
    ("{{ levels.iop.cost[0] }}", r"is a figure in a list: write \{\{ levels\.iop\.cost \| costs \}\}"),
    ("{{ sources }}", r"sources is a group of facts"),
    ("{{ levels }}", r"levels is a group of facts"),
    ("{{ levels.iop | string }}", PRINTED),
    ("{{ 'x' ~ levels.iop }}", PRINTED),
    ("{{ '%s' | format(levels.iop) }}", PRINTED),
    ("{{ '{}'.format(levels.iop) }}", PRINTED),
    ("{{ '%s' % levels.iop.hours_per_week.adults }}", PRINTED),
    ("{{ levels.iop.coverage | string }}", PRINTED),
    ("{{ [levels.iop] }}", PRINTED),
    # changing the facts
    ("{{ levels.pop('op') }}", r"'levels' has no 'pop'"),
    ("{{ levels.iop.fits.append('x') }}", r"attribute 'append' of 'FactList' object is unsafe"),
    ("{% set _ = levels.update({}) %}", r"'levels' has no 'update'"),
    ("{{ levels.iop.__setattr__('name', 'x') }}", r"'levels\.iop' has no '__setattr__'"),
    ("{% set _ = levels.iop.hours_per_week.clear() %}", r"'clear'"),
    # memory and time
    ("{{ range(10**8) | length }}", r"range\(\) of 100,000,000 numbers"),
    ("{{ range(10**100) | length }}", r"range\(\) of too many numbers"),
    ("{{ 'a' * 10**10 }}", TOO_BIG),
    ("{{ [0] * 10**9 }}", TOO_BIG),
    (BIG + "{{ '%s%s' % (s, s) }}", TOO_BIG),
    (BIG + "{{ s ~ s }}", TOO_BIG),
    (BIG + "{{ [s, s] | join }}", TOO_BIG),
    (BIG + "{{ s + s }}", TOO_BIG),
    (BIG + "{% for i in range(5) %}{{ s }}{% endfor %}", r"renders to more than 2,000,000 characters"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     r"loops ran more than 1,000,000 times"),
    ("{{ 'x'.center(10**9) }}", TOO_BIG),
    ("{{ 'x' | center(10**9) }}", TOO_BIG),
    ("{{ '{:0999999999}'.format(1) }}", TOO_BIG),
    ("{{ '%0999999999d' % 1 }}", TOO_BIG),
    (BIG + "{{ ('{0}' * 100).format(s) }}", TOO_BIG),
    ("{% set s = 'a' * 1000 %}{{ s.replace('', s) }}", TOO_BIG),
    ("{% set s = 'a' * 1000 %}{{ s | replace('', s) }}", TOO_BIG),
    ("{% set s = 'a' * 2000 %}{{ s.translate({97: s}) }}", TOO_BIG),
    ("{% set s = '\\n' * 1000 %}{{ s | indent('x' * 2000) }}", TOO_BIG),
    (BIG + "{{ [s, s] | map('upper') | sort | length }}", TOO_BIG),
    ("{{ range(10) | batch(10**9) | list }}", TOO_BIG),
    ("{{ 10 ** 100000 }}", r"too large to work out"),
    ("{{ 1.5 ** 100000 }}", r"Numerical result out of range|too large"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", r"a macro calls itself without end"),
]


@pytest.fixture(scope="module")
def public_renderer(facts: Facts) -> Renderer:
    return Renderer(facts, audience="public")


@pytest.mark.parametrize("text, says", TEMPLATE_CASES, ids=[c[0] for c in TEMPLATE_CASES])
def test_a_hostile_template_is_a_located_render_error(public_renderer: Renderer, facts: Facts,
                                                      text: str, says: str) -> None:
    started = time.monotonic()
    with pytest.raises(RenderError) as caught:
        public_renderer.render(f"Intro.\n{text}\n", "faq.md", name="content/faq.md")
    assert re.match(rf"content/faq\.md:2: .*{says}", str(caught.value)), str(caught.value)
    assert time.monotonic() - started < 10
    # The facts are unchanged, for this page and every later one.
    assert public_renderer.render("{{ levels.op.name }}", "x.md") == facts.levels["op"].name
    assert public_renderer.render("{{ levels.iop.fits | length }}", "x.md") == str(
        len(facts.levels["iop"].fits))


@pytest.mark.parametrize("text", [
    "{% for c in levels.iop.coverage %}{{ c | note }}{% endfor %}",
    "{{ billing_codes | list }}", "{{ billing_codes | join(', ') }}",
    "{{ billing_codes.items() | list }}", "{{ billing_codes.values() | list | length }}",
    "{{ billing_codes.keys() | list }}", "{{ billing_codes | length }}",
    "{{ 'h0015' in billing_codes }}", "{{ glossary | join(', ') }}",
    "{{ sources.values() | map(attribute='title') | join('. ') }}",
    "{{ facts.billing_codes | list }}", "{{ billing_codes | dictsort | list }}",
    "{{ levels.iop.coverage | map(attribute='text') | join(' ') }}",
])
def test_listing_a_group_from_a_public_page_never_shows_a_staff_entry(
        public_renderer: Renderer, facts: Facts, text: str) -> None:
    out = public_renderer.render(text, "faq.md", name="content/faq.md")
    leaks = [n for n in staff_fact_strings(facts) + staff_ids(facts) if contains(out, n)]
    assert not leaks, (out[:500], leaks)


def test_the_public_view_holds_no_staff_only_node(facts: Facts) -> None:
    """Walk everything the public build can reach: no staff-only fact, only path placeholders."""
    public = view(facts, PUBLIC)
    seen: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, StaffOnly):
            return
        if isinstance(value, Node):
            assert not getattr(value, "staff_only", False), value.path
            seen.append(value)
            for f in fields(value):
                if f.name not in ("owner", "loc"):
                    walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)) or (is_dataclass(value) and not isinstance(value, type)):
            for v in (value if isinstance(value, (list, tuple)) else
                      [getattr(value, f.name) for f in fields(value)]):
                walk(v)

    walk(public)
    assert len(seen) > 100
    assert not public.billing_codes and "h0015" not in public.billing_codes
    assert isinstance(public.billing_codes["h0015"], StaffOnly)
    assert public.formats["group"].size is None and facts.formats["group"].size is not None
    assert all(not n.staff_only for n in public.levels["iop"].coverage)
    assert len(public.levels["iop"].coverage) == len(facts.levels["iop"].coverage) - 1
    staff = view(facts, "staff")
    assert set(staff.billing_codes) == set(facts.billing_codes)
    with pytest.raises(ReadOnlyError):
        public.levels.pop("op")
    with pytest.raises(ReadOnlyError):
        staff.levels["iop"].fits.append("x")


def test_every_hook_of_the_public_build_gets_the_public_view(facts: Facts) -> None:
    """The session hands hooks (glossary, abbreviations, chart, quiz, checks) the view."""
    started = session.start(facts, audience="public")
    assert started.facts is started.renderer.facts
    assert isinstance(started.facts.billing_codes, FactGroup) and not started.facts.billing_codes
    assert "HCPCS" not in started.facts.abbreviations()
    assert all("billing" not in p.src for p in started.pages)


def test_the_staff_renderer_shows_staff_facts_but_cannot_change_them(facts: Facts) -> None:
    staff = Renderer(facts, audience="staff")
    assert staff.render("{{ billing_codes.h0015.code }}", "staff/billing.md") == "H0015"
    with pytest.raises(RenderError, match=r"'levels' has no 'pop'"):
        staff.render("{{ levels.pop('op') }}", "staff/billing.md")
