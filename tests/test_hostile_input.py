"""Hostile input, class by class: front matter, the file tree, the navigation, the public view's
back-references, the sandbox's time and size, bytes that are not text, invisible characters.

Every case names its class in its id ("front-matter-type: …"). Messages are checked in-process
where the check is plain Python (carekb/load/frontmatter.py, filetree.py, pageinput.py, navcheck.py,
the renderer); a few real strict builds check that the same messages reach the editor: two as
the command, in a child process, for exit codes and that no traceback and no site appear, the
others on the warm copy of the project (tests/sitebuilds.py). Controls (a page with
every allowed front-matter key, a symlink that stays inside content/) must still build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import pytest

from carekb.render import limits
from carekb.model.audience import StaffOnly, view
from carekb.load.filetree import check_tree
from carekb.load.frontmatter import check as front_matter_problems
from carekb.model.facts import PUBLIC, Facts, Node, StaffOnlyError
from carekb.checks.nav import nav_problems
from carekb.load.pageinput import MAX_PAGE_BYTES, config_problems, read_page
from carekb.load.plaintext import ASTRAL_INVISIBLE, page_invisible, plain_text_problem
from carekb.render.renderer import Renderer, RenderError
from tests.sitebuilds import Built, WarmProject

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = ["404.html", "main.html", "self-check.html"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


@pytest.fixture(scope="module")
def public(facts: Facts) -> Renderer:
    return Renderer(facts, audience=PUBLIC)


def strs(problems: list[Any]) -> str:
    return "\n".join(map(str, problems))


def run_build(project: Path, out: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
                          cwd=project, env=ENV, capture_output=True, text=True, timeout=600)


# -- front matter -------------------------------------------------------------------------------
EVERY_KEY = """---
title: Paying for care
description: One sentence for search results.
reviewed: 2026-11-23
audience: public
template: self-check.html
hide: [toc, footer]
search: {exclude: false, boost: 2}
subtitle: What it costs
status: new
readability_limit: 9
readability_reason: It names medicines.
---

# Paying for care
"""

# (class: case, page text, the message: line and words)
FRONT_MATTER = [
    ("front-matter-type: subtitle holds a script", '---\ntitle: Help\nsubtitle: "<script>alert(1)</script>"\n---\n',
     r"x\.md:3:11: subtitle: contains HTML code \(`<script`\)"),
    ("front-matter-type: status breaks out of its attribute", "---\nstatus: '\" onmouseover=alert(1) x=\"'\n---\n",
     r"x\.md:2:9: status: .* is not allowed here\. Fix: use one of the statuses: `deprecated`, `new`"),
    ("front-matter-type: title with an image tag", "---\ntitle: 'Help <img src=x onerror=alert(1)>'\n---\n",
     r"x\.md:2:8: title: contains HTML code"),
    ("front-matter-type: title is a list", "---\ntitle: [a, b]\n---\n", r"x\.md:2:8: title: should be text, not a list"),
    ("front-matter-type: hide is not a list", "---\nhide: toc\n---\n", r"x\.md:2:7: hide: should be a list"),
    ("front-matter-type: hide names no part", "---\nhide: [everything]\n---\n", r"hide\[1\]: `everything` is not allowed"),
    ("front-matter-type: unknown key", "---\ntitel: Help\n---\n",
     r"x\.md:2:1: titel: `titel` is not a known field here\. Fix: did you mean `title`\?"),
    ("front-matter-type: a Material key this site does not use", "---\nicon: ../../../../etc/passwd\n---\n",
     r"x\.md:2:1: icon: `icon` is not a known field here"),
    ("front-matter-type: a template that does not exist", "---\ntemplate: ../../etc/passwd\n---\n",
     r"x\.md:2:11: template: .* is not allowed here\. Fix: use one of the page templates"),
    ("front-matter-type: a YAML tag", "---\ntitle: !!binary aGVsbG8=\n---\n", r"x\.md:2:8: .*is a YAML tag"),
    ("front-matter-type: yes/no read as text", "---\ntitle: no\n---\n", r"title: `no` is read by YAML as a yes/no"),
    ("front-matter-type: far too long", "---\ntitle: " + "a" * 400 + "\n---\n", r"title: is 400 characters long"),
    ("front-matter-type: search boost out of range", "---\nsearch: {boost: 1000}\n---\n", r"search\.boost: 1000 is above"),
    ("front-matter-type: impossible date", "---\nreviewed: 2026-02-30\n---\n", r"not a real date"),
    ("front-matter-type: settings without --- lines", "subtitle: <script>alert(1)</script>\n\n# Page\n",
     r"x\.md:1:1: the page starts with `subtitle:`, which MkDocs reads as a page setting"),
    ("front-matter-type: never closed", "---\ntitle: Help\n\n# Page\n", r"x\.md:1:1: the front matter opened on line 1 is never closed"),
    ("front-matter-type: not a block of settings", "---\n- title\n---\n", r"x\.md:2:1: the front matter is not a block"),
    ("front-matter-dup: audience twice", "---\ntitle: Help\naudience: staff\naudience: public\n---\n",
     r"x\.md:4:1: audience: `audience` is given twice \(first on line 3\); YAML would silently keep only the last"),
    ("front-matter-dup: title twice", "---\ntitle: One\nreviewed: 2026-11-01\ntitle: Two\n---\n",
     r"x\.md:4:1: title: `title` is given twice \(first on line 2\)"),
    ("invisible-char: soft hyphen in a title", "---\ntitle: Pay\u00adment\n---\n",
     r"x\.md:2:8: title: contains an invisible character, U\+00AD \(soft hyphen\)"),
    ("invisible-char: tag character in a description", "---\ndescription: Costs\U000E0049\n---\n",
     r"description: contains an invisible character, U\+E0049"),
]


@pytest.mark.parametrize("text, says", [c[1:] for c in FRONT_MATTER], ids=[c[0] for c in FRONT_MATTER])
def test_a_hostile_front_matter_is_a_located_error(text: str, says: str) -> None:
    said = strs(front_matter_problems(text, "content/x.md", TEMPLATES))
    assert re.search(says, said), said


def test_control_front_matter_with_every_allowed_key_is_accepted() -> None:
    assert front_matter_problems(EVERY_KEY, "content/x.md", TEMPLATES) == []


# -- bytes and invisible characters -------------------------------------------------------------
def test_encoding_invalid_utf8_in_a_page_is_located(tmp_path: Path) -> None:
    page = tmp_path / "bad.md"
    page.write_bytes("---\ntitle: Café\n---\n\n# Costs\n\nIt costs \u00e9 a lot \xff here.\n".encode("latin-1"))
    text, problems = read_page(page, "content/bad.md", TEMPLATES)
    assert text is None
    # the first byte that is not UTF-8: the é (0xe9) of "Café", line 2, column 11
    assert strs(problems) == ("content/bad.md:2:11: the page is not UTF-8 text (byte 0xe9 cannot be read). "
                              "Fix: save the file with UTF-8 encoding (most editors offer it under 'Save with "
                              "encoding').")


def test_encoding_a_page_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "big.md"
    page.write_bytes(b"# Big\n" + b"a" * MAX_PAGE_BYTES)
    text, problems = read_page(page, "content/big.md", TEMPLATES)
    assert text is None and "is larger than 2 MB" in strs(problems)


def test_encoding_invalid_utf8_in_mkdocs_yml_is_located(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_bytes(b"site_name: Guide\nnav:\n  - Home: index.md\n  - Co\xfbts: costs.md\n")
    (tmp_path / "mkdocs.staff.yml").write_bytes(b"INHERIT: mkdocs.yml\nsite_name: Staff\n")
    said = strs(config_problems(tmp_path / "mkdocs.staff.yml", tmp_path))
    assert said.startswith("mkdocs.yml:4:7: the file is not UTF-8 text (byte 0xfb cannot be read)."), said


PROSE = [
    ("invisible-char: tag character in prose", "# Costs\n\nIt costs\U000E0049 less.\n", "3:9", "U+E0049"),
    ("invisible-char: Hangul filler in prose", "# Costs\n\nA\u3164B\n", "3:2", "U+3164"),
    ("invisible-char: zero width joiner in prose", "---\ntitle: x\n---\n\n# Costs\u200d\n", "5:8", "U+200D"),
]


@pytest.mark.parametrize("text, where, says", [c[1:] for c in PROSE], ids=[c[0] for c in PROSE])
def test_invisible_characters_in_page_text_are_located(tmp_path: Path, text: str, where: str, says: str) -> None:
    page = tmp_path / "p.md"
    page.write_text(text, encoding="utf-8")
    _, problems = read_page(page, "content/p.md", TEMPLATES)
    assert strs(problems).startswith(f"content/p.md:{where}: holds an invisible character, {says}"), strs(problems)


def test_invisible_char_every_format_character_and_filler_is_refused_in_facts() -> None:
    """All of Unicode's format characters (Cf, as Python knows them), the ones of Unicode 15.1
    beyond the BMP, and the documented fillers: none passes as plain text, one line or long."""
    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    astral = [chr(c) for first, last in ASTRAL_INVISIBLE for c in range(first, last + 1)]
    fillers = list("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0\u2028\u2029")
    passing = [f"U+{ord(ch):04X}" for ch in {*cf, *astral, *fillers}
               if plain_text_problem(f"a{ch}b", True, 300) is None
               or plain_text_problem(f"a{ch}b", False, 300) is None or page_invisible(f"a{ch}b") is None]
    assert passing == []
    assert plain_text_problem("Café ❤️ — 9 to 19 hours, “quoted”", True, 300) is None  # control


def test_invisible_char_the_editors_schema_refuses_tag_characters() -> None:
    """facts.schema.json's pattern, read by Python as by editors' ECMA-262 tools, holds each
    astral format character as a literal alternative."""
    import jsonschema

    from carekb.load.schema import schema

    pattern = re.compile(_a_text_pattern(schema()))
    assert pattern.search("Costs\U000E0049") and pattern.search("x\u00ady") and not pattern.search("Costs")
    assert jsonschema.Draft202012Validator({"type": "string", "not": {"pattern": pattern.pattern}}).is_valid("ok")


def _a_text_pattern(node: Any) -> str:
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if isinstance(item.get("not_"), dict) or isinstance(item.get("not"), dict):
                found = (item.get("not") or item.get("not_")).get("pattern")
                if found:
                    return found
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    raise AssertionError("no text pattern in the schema")


# -- the file tree ------------------------------------------------------------------------------
def tree(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    (project / "content" / "staff").mkdir(parents=True)
    (project / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "content" / "staff" / "billing.md").write_text("# Billing\n", encoding="utf-8")
    return project, project / "content"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


TREE_CASES = [
    ("symlink: to /etc/hostname", lambda c: (c / "host.md").symlink_to("/etc/hostname"),
     r"content/host\.md: is a symlink to /etc/hostname, outside content/"),
    ("symlink: to /proc/self/environ", lambda c: (c / "env.txt").symlink_to("/proc/self/environ"),
     r"content/env\.txt: is a symlink to /proc/self/environ, outside content/"),
    ("symlink: to the staff folder", lambda c: (c / "public-copy").symlink_to(c / "staff"),
     r"content/public-copy: is a symlink to a folder"),
    ("symlink: to nothing", lambda c: (c / "gone.md").symlink_to(c / "nowhere.md"),
     r"content/gone\.md: is a symlink to .*, which does not exist"),
    ("symlink: a loop", lambda c: ((c / "a.md").symlink_to(c / "b.md"), (c / "b.md").symlink_to(c / "a.md")),
     r"content/a\.md: is a symlink to .*b\.md, which does not exist"),
    ("symlink: up and out through ..", lambda c: (c / "up.md").symlink_to("../../outside.md"),
     r"content/up\.md: is a symlink to \.\./\.\./outside\.md, outside content/"),
    ("symlink: hard link of a staff page", lambda c: os.link(c / "staff" / "billing.md", c / "billing.md"),
     r"content/billing\.md: is the same file as content/staff/billing\.md \(a hard link\)"),
    ("special-file: a FIFO", lambda c: _fifo(c / "pipe.md"), r"content/pipe\.md: is a named pipe \(FIFO\), not a file"),
    ("special-file: a FIFO in a hidden folder", lambda c: ((c / ".cache").mkdir(), _fifo(c / ".cache" / "p")),
     r"content/\.cache/p: is a named pipe"),
    ("special-file: a socket", lambda c: _socket(c / "sock"), r"content/sock: is a socket"),
]


@pytest.mark.parametrize("make, says", [c[1:] for c in TREE_CASES], ids=[c[0] for c in TREE_CASES])
def test_a_hostile_file_tree_is_refused_before_mkdocs_reads_it(tmp_path: Path, make: Callable, says: str) -> None:
    project, content = tree(tmp_path)
    (tmp_path / "outside.md").write_text("# Elsewhere\n", encoding="utf-8")
    make(content)
    said = strs(check_tree(content, "content", project, private="staff"))
    assert re.search(says, said), said


def test_symlink_a_content_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    project, content = tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "linked").symlink_to(elsewhere)
    assert "outside the project folder" in strs(check_tree(project / "linked", "linked", project))


def test_symlink_control_a_link_to_a_file_inside_content_is_followed(tmp_path: Path) -> None:
    project, content = tree(tmp_path)
    (content / "home-again.md").symlink_to("index.md")
    (content / "billing-link.md").symlink_to("staff/billing.md")
    assert check_tree(content, "content", project, private="staff") == []


# -- the navigation -----------------------------------------------------------------------------
NAV_CASES = [
    ("nav: a staff page in the public nav", [{"Billing (staff)": "staff/billing.md"}],
     r"mkdocs\.yml:3: nav entry `Billing \(staff\)` points to `staff/billing\.md`, a staff-only page"),
    ("nav: a staff-only page outside content/staff", [{"Roster": "roster.md"}], r"`roster\.md`, a staff-only page"),
    ("nav: a page that does not exist", [{"Gone": "gone.md"}], r"points to `gone\.md`, which is not a page of this site"),
    ("nav: a script address", [{"Evil": "javascript:alert(1)"}], r"`javascript:alert\(1\)`, which is neither a page"),
    ("nav: an http address", [{"Plain": "http://example.org/"}], r"neither a page of this site nor an https address"),
    ("nav: an invisible character in a title", [{"Co\u200bsts": "index.md"}], r"the title holds an invisible character, U\+200B"),
    ("nav: a title on two lines", [{"Costs\nand more": "index.md"}], r"written on more than one line"),
]


@pytest.mark.parametrize("nav, says", [c[1:] for c in NAV_CASES], ids=[c[0] for c in NAV_CASES])
def test_a_hostile_nav_entry_is_an_error(tmp_path: Path, nav: list, says: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav:\n" + "".join(f"  - {json.dumps(k)}: {json.dumps(v)}\n"
                                                       for item in nav for k, v in item.items()), encoding="utf-8")
    pages = {"index.md", "staff/billing.md", "roster.md"}
    said = "\n".join(nav_problems(nav, exists=lambda p: p in pages - {"staff/billing.md"},
                                  staff_only=lambda p: p in {"staff/billing.md", "roster.md"},
                                  public=True, configs=[config]))
    assert re.search(says, said), said


def test_nav_control_pages_sections_and_https_links_pass(tmp_path: Path) -> None:
    nav = [{"Home": "index.md"}, {"More <b>": ["index.md", {"Help": "https://988lifeline.org/"}]}]
    assert nav_problems(nav, exists=lambda p: p == "index.md", staff_only=lambda p: False, public=True,
                        configs=[]) == []


# -- back-references from the public view -------------------------------------------------------
BACK = [
    ("back-reference: owner of a figure", "{% for c in levels.iop.cost[1].owner.coverage %}{{ c.text }}{% endfor %}"),
    ("back-reference: owner through attr", "{{ (levels.iop.cost[1] | attr('owner')).coverage | length }}"),
    ("back-reference: owner through format", "{{ '{0.owner.coverage}'.format(levels.iop.cost[1]) }}"),
    ("back-reference: owner through an item", "{{ levels.iop.coverage[0]['owner'] }}"),
    ("back-reference: where it was written", "{{ levels.iop.loc.file }}"),
    ("back-reference: a fact's method", "{{ levels.iop.cost[0].values() | list }}"),
    ("back-reference: what a group hides", "{{ billing_codes.hidden_path('h0015') }}"),
]


@pytest.mark.parametrize("text", [c[1] for c in BACK], ids=[c[0] for c in BACK])
def test_a_back_reference_is_not_readable(public: Renderer, text: str) -> None:
    with pytest.raises(RenderError, match=r"^content/faq\.md:2: .*(has no|unsafe|is undefined)"):
        public.render(f"Intro.\n{text}\n", "faq.md", name="content/faq.md")


def _staff_strings(facts: Facts) -> tuple[set[str], set[str]]:
    """Strings of staff-only facts that no public fact holds: (long ones, short ones)."""
    staff, shown, seen = set(), set(), set()
    pending = [(getattr(facts, f.name), False) for f in dataclasses.fields(facts)]
    while pending:
        value, hidden = pending.pop()
        if isinstance(value, str):
            (staff if hidden else shown).add(value)
        elif id(value) not in seen:
            seen.add(id(value))
            if isinstance(value, Node):
                hidden = hidden or bool(getattr(value, "staff_only", False))
                pending += [(getattr(value, f.name), hidden) for f in dataclasses.fields(value)
                            if f.name not in ("owner", "loc", "field_locs")]
            elif isinstance(value, Mapping):
                pending += [(v, hidden) for v in [*value.keys(), *value.values()]]
            elif isinstance(value, (list, tuple)):
                pending += [(v, hidden) for v in value]
    only = {s for s in staff - shown if len(s) >= 4}
    return {s for s in only if len(s) >= 25}, {s for s in only if len(s) < 25}


def _reachable(env: jinja2.Environment, roots: list[Any]) -> tuple[list[str], list[Any]]:
    """Every string and object a template can reach from `roots` by the sandbox's own rules
    (env.getattr and env.getitem on every name), calling nothing."""
    strings, objects, seen, pending = [], [], set(), list(roots)
    while pending:
        obj = pending.pop()
        if isinstance(obj, str):
            strings.append(str(obj))
            continue
        if obj is None or isinstance(obj, (bool, int, float, dt.date, StaffOnly, jinja2.Undefined)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        objects.append(obj)
        if isinstance(obj, Mapping):
            for key in list(obj.keys()):
                pending.append(key)
                try:
                    pending.append(env.getitem(obj, key))
                except StaffOnlyError:
                    pass
        elif isinstance(obj, (list, tuple)):
            pending += list(obj)
        for name in dir(obj):
            try:
                value = env.getattr(obj, name)
            except StaffOnlyError:
                continue
            if not isinstance(value, jinja2.Undefined) and (not callable(value) or isinstance(value, Node)):
                pending.append(value)
    return strings, objects


def test_back_reference_no_staff_text_is_reachable_from_the_public_view(facts: Facts, public: Renderer) -> None:
    """Walk every attribute and item a public page can read; no staff-only text is there, and no
    object of the unfiltered fact base either."""
    long, short = _staff_strings(facts)
    assert long and short, "the fact base has staff-only text to look for"
    strings, objects = _reachable(public.env, list(public.env.globals.values()))
    assert len(strings) > 1000  # the walk reached the facts
    found = {s for s in short if s in set(strings)} | {s for s in long for t in strings if s in t}
    assert found == set()
    full = {id(n) for n in _nodes(facts)}
    assert [o for o in objects if id(o) in full] == []


def _nodes(facts: Facts) -> list[Node]:
    out, pending, seen = [], [getattr(facts, f.name) for f in dataclasses.fields(facts)], set()
    while pending:
        value = pending.pop()
        if id(value) in seen or isinstance(value, (str, int, float, type(None))):
            continue
        seen.add(id(value))
        if isinstance(value, Node):
            out.append(value)
            pending += [getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "loc"]
        elif isinstance(value, Mapping):
            pending += list(value.values())
        elif isinstance(value, (list, tuple)):
            pending += list(value)
    return out


def test_back_reference_every_owner_in_the_view_is_the_views_own(facts: Facts) -> None:
    public = view(facts, PUBLIC)
    full = {id(n) for n in _nodes(facts)}
    owners = [n.owner for n in _nodes(public) if getattr(n, "owner", None) is not None]
    assert owners and not [o.path for o in owners if id(o) in full]


# -- the sandbox: time and calls ----------------------------------------------------------------
EXPONENTIAL = "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n{{ f(40) }}"


def test_sandbox_time_an_exponential_macro_runs_out_of_calls(public: Renderer) -> None:
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"^content/faq\.md:\d+: the page made more than 200,000 calls"):
        public.render(EXPONENTIAL, "faq.md", name="content/faq.md")
    assert time.monotonic() - started < 30


def test_sandbox_time_a_macro_nested_without_end(public: Renderer) -> None:
    with pytest.raises(RenderError, match=r"a macro calls itself without end \(calls nested more than 60 deep\)"):
        public.render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "faq.md")


@pytest.mark.parametrize("threaded", [False, True], ids=["sandbox-time: main thread", "sandbox-time: another thread"])
def test_sandbox_time_the_clock_interrupts_a_runaway_render(public: Renderer, monkeypatch, threaded: bool) -> None:
    """With the call budget out of the way, the page's clock stops the render, on whatever
    thread renders (the preview renders off the main thread: no signals)."""
    monkeypatch.setattr(limits, "PAGE_SECONDS", 0.5)
    monkeypatch.setattr(limits, "CALL_BUDGET", 10 ** 9)
    caught: list[BaseException] = []

    def render() -> None:
        try:
            public.render(EXPONENTIAL, "faq.md", name="content/faq.md")
        except BaseException as err:  # noqa: BLE001 - handed to the test's thread
            caught.append(err)

    started = time.monotonic()
    if threaded:
        worker = threading.Thread(target=render)
        worker.start()
        worker.join(30)
        assert not worker.is_alive()
    else:
        render()
    assert time.monotonic() - started < 5
    assert len(caught) == 1 and isinstance(caught[0], RenderError)
    assert re.match(r"content/faq\.md:\d+: the page ran for more than 0\.5 seconds", str(caught[0])), str(caught[0])


def test_sandbox_time_the_memory_ceiling_is_a_located_error(public: Renderer, monkeypatch) -> None:
    looks = iter([0] + [10 ** 12] * 10 ** 6)  # fine when the page starts, then far past the ceiling
    monkeypatch.setattr(limits, "rss", lambda: next(looks))
    monkeypatch.setattr(limits, "SAMPLE_EVERY", 16)
    with pytest.raises(RenderError, match=r"^content/faq\.md:3: the build uses .* MB of memory, past its ceiling"):
        public.render("Intro.\n\n{% for i in range(100) %}{{ i }}{% endfor %}\n", "faq.md", name="content/faq.md")


def test_sandbox_size_a_memory_error_is_a_located_error(public: Renderer, monkeypatch) -> None:
    def boom(*_: Any) -> str:
        raise MemoryError

    monkeypatch.setitem(public.env.globals, "boom", boom)
    with pytest.raises(RenderError, match=r"^content/faq\.md:2: the page needs more memory than the build"):
        public.render("Intro.\n{{ boom() }}\n", "faq.md", name="content/faq.md")


# -- the sandbox: sizes predicted before a value is built ---------------------------------------
NESTED = ("{% set s = 'x' * 900000 %}{% set a = [s, s] %}{% set b = [a, a] %}{% set c = [b, b] %}"
          "{% set d = [c, c] %}")
TOO_BIG = r"larger than a page can hold|would print .* characters|renders to at most|printed more than"
SIZES = [
    ("sandbox-size: nested lists printed", NESTED + "{{ d }}"),
    ("sandbox-size: nested lists as a string", NESTED + "{{ d | string | length }}"),
    ("sandbox-size: nested lists joined with ~", NESTED + "{{ 'x' ~ d }}"),
    ("sandbox-size: nested lists in a format", NESTED + "{{ '%s' % (d,) }}"),
    ("sandbox-size: nested lists to JSON", NESTED + "{{ d | tojson | length }}"),
    ("sandbox-size: nested lists joined", NESTED + "{{ d | join(',') | length }}"),
    ("sandbox-size: nested lists upper-cased", NESTED + "{{ d | upper | length }}"),
    ("sandbox-size: nested lists mapped to strings", NESTED + "{{ d | map('string') | list | length }}"),
    ("sandbox-size: repeated nested lists", "{% set a = ['x' * 1000] * 999 %}{{ ([a] * 999) | length }}"),
    ("sandbox-size: indent by a number, every line", "{% set t = 'x\\n' * 400000 %}{{ t | indent(999999) | length }}"),
    ("sandbox-size: wordwrap with a long wrap string", "{% set t = 'x ' * 400000 %}{{ t | wordwrap(1, wrapstring='y' * 100) }}"),
    ("sandbox-size: lists added", "{% set l = ['x' * 500000] %}{{ (l + l + l) | length }}"),
    ("sandbox-size: a captured block", "{% set x %}{% for i in range(10000) %}{{ 'y' * 900000 }}{% endfor %}{% endset %}"),
    ("sandbox-size: many slices", "{{ range(10) | slice(999999) | list | length }}"),
    ("sandbox-size: center past the limit", "{{ 'x' | center(10 ** 7) }}"),
    ("sandbox-size: replace that grows", "{% set s = 'a' * 5000 %}{{ s | replace('a', s) | length }}"),
]


@pytest.mark.parametrize("text", [c[1] for c in SIZES], ids=[c[0] for c in SIZES])
def test_a_size_is_refused_before_the_value_is_built(public: Renderer, text: str) -> None:
    started = time.monotonic()
    with pytest.raises(RenderError, match=rf"^content/faq\.md:2: .*({TOO_BIG})"):
        public.render(f"Intro.\n{text}\n", "faq.md", name="content/faq.md")
    assert time.monotonic() - started < 10


def test_sandbox_size_lipsum_is_gone(public: Renderer) -> None:
    with pytest.raises(RenderError, match=r"'lipsum' is undefined"):
        public.render("{{ lipsum(1000000) }}", "faq.md")


def test_sandbox_control_ordinary_templates_still_render(public: Renderer) -> None:
    out = public.render("{{ 'x' | center(20) }}|{{ [1, 2] ~ 'a' }}|{{ ('ab\\ncd' | indent(4)) }}|"
                        "{{ levels.iop.cost | length }}|{{ levels.iop.label }}", "faq.md")
    assert out.startswith("         x          |[1, 2]a|ab\n    cd|") and "(IOP)" in out


# -- real builds: exit codes, the messages editors see, no traceback, no site -------------------
@pytest.fixture(scope="module")
def copy(project_copier: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    def make() -> Path:
        return project_copier(tmp_path_factory.mktemp("input") / "project")

    return make


def assert_refused(result: subprocess.CompletedProcess[str], out: Path, *says: str) -> None:
    said = result.stdout + result.stderr
    assert result.returncode != 0, said[-3000:]
    for words in says:
        assert re.search(words, said), said[-3000:]
    assert "Traceback" not in said
    assert not out.exists(), "a refused build wrote a site"


def test_build_refuses_a_tree_that_reads_outside_the_project(copy: Callable[[], Path], tmp_path: Path) -> None:
    project = copy()
    content = project / "content"
    (content / "env.txt").symlink_to("/proc/self/environ")
    (content / "host.md").symlink_to("/etc/hostname")
    os.mkfifo(content / "pipe.md")
    (project / "overrides" / "partials" / "leak.html").symlink_to("/etc/hostname")
    result = run_build(project, tmp_path / "site")
    assert_refused(result, tmp_path / "site", r"content/env\.txt: is a symlink to /proc/self/environ",
                   r"content/host\.md: is a symlink to /etc/hostname", r"content/pipe\.md: is a named pipe",
                   r"overrides/partials/leak\.html: is a symlink to /etc/hostname")


def test_build_refuses_hostile_pages_with_located_messages(copy: Callable[[], Path], tmp_path: Path) -> None:
    project = copy()
    content = project / "content"
    (content / "bad-bytes.md").write_bytes(b"---\ntitle: Bad\nreviewed: 2026-11-01\n---\n\n# Bad \xff byte\n")
    (content / "subtitle.md").write_text("---\ntitle: Sub\nsubtitle: \"<script>alert(1)</script>\"\n"
                                         "reviewed: 2026-11-01\n---\n\n# Sub\n", encoding="utf-8")
    (content / "dup.md").write_text("---\ntitle: Dup\naudience: staff\naudience: public\nreviewed: 2026-11-01\n"
                                    "---\n\n# Dup\n\nThe night roster is in the staff handbook.\n", encoding="utf-8")
    (content / "invisible.md").write_text("---\ntitle: Invisible\nreviewed: 2026-11-01\n---\n\n# In\U000E0049visible\n",
                                          encoding="utf-8")
    result = run_build(project, tmp_path / "site")
    assert_refused(result, tmp_path / "site",
                   r"content/bad-bytes\.md:6:7: the page is not UTF-8 text \(byte 0xff cannot be read\)",
                   r"content/subtitle\.md:3:11: subtitle: contains HTML code",
                   r"content/dup\.md:4:1: audience: `audience` is given twice \(first on line 3\)",
                   r"content/invisible\.md:6:5: holds an invisible character, U\+E0049")


def assert_refused_warm(result: Built, *says: str) -> None:
    """As assert_refused, for a build of the warm copy: the last good site is left unchanged."""
    said = result.stdout + result.stderr
    assert result.returncode != 0, said[-3000:]
    for words in says:
        assert re.search(words, said), said[-3000:]
    assert "Traceback" not in said
    assert result.wrote == [], "a refused build changed the site"


def test_build_refuses_a_staff_page_in_the_public_nav(warm: WarmProject) -> None:
    warm.edit("mkdocs.yml", "  - Sources: sources.md\n",
              "  - Sources: sources.md\n  - \"Billing (staff)\": staff/billing.md\n")
    result = warm.build()
    assert_refused_warm(result, r"mkdocs\.yml:\d+: nav entry `Billing \(staff\)` points to "
                                r"`staff/billing\.md`, a staff-only page")


def test_build_stops_an_exponential_macro_in_a_page(warm: WarmProject) -> None:
    before = warm.read("content/faq.md")
    warm.write("content/faq.md", before + "\n" + EXPONENTIAL + "\n")
    line = before.count("\n") + 2  # the macro's line: where the call past the budget is made
    started = time.monotonic()
    result = warm.build()
    assert_refused_warm(result, rf"content/faq\.md:{line}: the page made more than 200,000 calls")
    assert time.monotonic() - started < 120


def test_control_every_front_matter_key_and_a_symlink_inside_content_build(copy: Callable[[], Path],
                                                                          build: Callable[..., Built],
                                                                          tmp_path: Path) -> None:
    """A page with every allowed key builds (its subtitle shown); a nav section title with markup
    is shown as text; a symlink to a public page is followed; a symlink to a staff page is a staff
    page (decided by its real path), so the public site leaves it out."""
    project = copy()
    content = project / "content"
    (content / "every-key.md").write_text(EVERY_KEY.replace("template: self-check.html\n", "")
                                          + "\nWe explain what care costs.\n", encoding="utf-8")
    (content / "faq-again.md").symlink_to("faq.md")
    (content / "billing-elsewhere.md").symlink_to("staff/billing.md")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Sources: sources.md\n", "  - Sources: sources.md\n  - Paying: every-key.md\n"
        "  - \"More <svg onload=alert(2)>\":\n      - FAQ again: faq-again.md\n"), encoding="utf-8")
    site = tmp_path / "site"
    result = build(project / "mkdocs.yml", site)  # `mkdocs build --strict`, in this process
    assert result.returncode == 0, result.stderr[-3000:]
    page = (site / "every-key" / "index.html").read_text(encoding="utf-8")
    assert "What it costs" in page and "Paying for care" in page
    assert (site / "faq-again" / "index.html").is_file()
    assert "More &lt;svg onload=alert(2)&gt;" in page and "<svg onload" not in page  # nav titles: text
    assert not (site / "billing-elsewhere").exists()
    assert "billing-elsewhere" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "billing-elsewhere" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert json.loads((site / ".carekb-site").read_text(encoding="utf-8"))["audience"] == "public"
