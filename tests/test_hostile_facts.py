"""A careless or hostile editor's facts.yaml: each case is a small edit of the real file, and
each gives what an editor observes from `python -m carekb.cli.check` (exit 1, one located line
naming the file, line, column and field, no traceback), never a crash, a hang or a pass.
Cases that used to hang or crash the interpreter run in a subprocess with a timeout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from carekb.cli import check
from carekb.load.schema import schema

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "facts.yaml").read_text(encoding="utf-8")
BOMB_DEPTH = 100_000  # past this PyYAML's recursive C composer crashed the interpreter


def edit(old: str, new: str, after: str = "") -> str:
    """The real file with the first `old` (after the text `after`, if given) replaced by `new`."""
    start = REAL.index(after) if after else 0
    at = REAL.index(old, start)
    return REAL[:at] + new + REAL[at + len(old):]


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based number of the first line holding `needle` (after the text `after`, if given)."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


LOL = "".join([
    "lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    *(f"  {c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
])

# (id, edited text, (needle, after) naming the line, field path, message pattern)
HOSTILE = [
    # --- tags, closed or not, in every kind of text field
    ("unclosed img tag in a level name",
     edit("name: Early intervention", "name: Outpatient <img src=x onerror=alert(document.domain)//"),
     ("name: Outpatient <img", ""), "levels.early_intervention.name", r"contains HTML code \(`<img`\)"),
    ("script tag in a description",
     edit("description: You meet alone", "description: <script>alert(1)</script> You meet alone"),
     ("<script>", ""), "formats.individual.description", r"HTML code \(`<script`\)"),
    ("closing tag only in a summary",
     edit("Short, focused help", "Short, </div><div onclick=alert(1)> focused help"),
     ("summary: >-", "early_intervention:"), "levels.early_intervention.summary", r"HTML code \(`</div`\)"),
    ("anchor tag in a figure note",
     edit("note: One program's schedule.", "note: One program's <a href=javascript:alert(1)>schedule</a>."),
     ("<a href", ""), "levels.op.days_per_week.note", r"HTML code \(`<a`\)"),
    ("bold tag in a glossary meaning",
     edit("A society of doctors", "A society of <b>doctors"),
     ("meaning: >-", "glossary:"), "glossary.asam.meaning", r"HTML code \(`<b`\)"),
    ("iframe in a self-check answer's reason",
     edit("because: If you can stop safely", "because: <iframe src=//evil.example> If you can stop safely"),
     ("<iframe", ""), "self_check.questions.withdrawal.answers[2].because", r"HTML code \(`<iframe`\)"),
    ("HTML comment in a self-check answer label",
     edit('label: "Not sure"', 'label: "Not sure <!-- hidden"'),
     ("<!--", ""), "self_check.questions.danger.answers[3].label", r"HTML code \(`<!--`\)"),
    # --- Markdown links, images, autolinks and link definitions
    ("javascript: Markdown link in a summary",
     edit("Short, focused help", "[Help](javascript:alert(1)) Short, focused help"),
     ("summary: >-", "early_intervention:"), "levels.early_intervention.summary", r"Markdown link"),
    ("data: Markdown image in a description",
     edit("description: You meet alone", "description: You meet ![x](data:image/svg+xml;base64,PHN2Zz4=) alone"),
     ("![x]", ""), "formats.individual.description", r"Markdown link, image"),
    ("vbscript: reference definition in a list item",
     edit("      - Your use of alcohol or drugs worries you", '      - "[help]: vbscript:msgbox(1)"\n'
          "      - Your use of alcohol or drugs worries you"),
     ("[help]:", ""), "levels.early_intervention.fits[1]", r"Markdown link"),
    ("reference-style link in a note",
     edit("note: One program's schedule.", "note: See [this page][evil] for the schedule."),
     ("[evil]", ""), "levels.op.days_per_week.note", r"Markdown link"),
    ("autolink in a description",
     edit("description: You meet alone", "description: <https://evil.example> You meet alone"),
     ("<https", ""), "formats.individual.description", r"HTML code \(`<https:`\)"),
    ("attribute list braces in a name",
     edit("name: Early intervention", 'name: "Early intervention {: onclick=alert(1) }"'),
     ("onclick", ""), "levels.early_intervention.name", r"curly brace"),
    # --- control, bidi and zero-width characters
    ("bell control character in a name",
     edit("name: Early intervention", 'name: "Early\\a intervention"'),
     ("Early\\a", ""), "levels.early_intervention.name", r"invisible character, U\+0007"),
    ("right-to-left override in a name",
     edit("name: Early intervention", "name: Early \u202eintervention"),
     ("\u202e", ""), "levels.early_intervention.name", r"U\+202E \(right-to-left override\)"),
    ("zero-width space in a glossary term",
     edit("term: ASAM", "term: AS\u200bAM"), ("\u200b", ""), "glossary.asam.term", r"U\+200B"),
    ("bidi isolate in a description",
     edit("description: You meet alone", "description: You meet \u2066alone"),
     ("\u2066", ""), "formats.individual.description", r"U\+2066"),
    ("newline inside a one-line name",
     edit("name: Early intervention", 'name: "Early\\nintervention"'),
     ("Early\\nintervention", ""), "levels.early_intervention.name", r"more than one line"),
    # --- addresses and phone numbers
    ("crisis url breaking out of its link",
     edit("url: https://findtreatment.gov", 'url: "https://findtreatment.gov)[x](javascript:alert(1)"',
          after="  findtreatment:\n    name: FindTreatment.gov"),
     ("url: \"https://findtreatment.gov)", ""), "crisis.findtreatment.url", r"Markdown link|break out"),
    ("url with a parenthesis", edit("url: https://findtreatment.gov", "url: https://findtreatment.gov/a)b"),
     ("findtreatment.gov/a)b", ""), "sources.findtreatment.url", r"contains `\)` at character 28.*%29"),
    ("url breaking out of an attribute",
     edit("url: https://988lifeline.org", "url: https://988lifeline.org/\"onmouseover=\"alert(1)"),
     ("onmouseover", ""), "sources.lifeline_988.url", r"contains `\"` at character 25.*%22"),
    ("javascript: url", edit("url: https://findtreatment.gov", "url: javascript:alert(1)"),
     ("javascript:alert", ""), "sources.findtreatment.url", r"not a web address"),
    ("http url with a user name", edit("url: https://findtreatment.gov", "url: http://user@evil.example"),
     ("user@evil", ""), "sources.findtreatment.url", r"not a secure address"),
    ("https url disguised with a user name",
     edit("url: https://findtreatment.gov", "url: https://findtreatment.gov@evil.example/"),
     ("@evil", ""), "sources.findtreatment.url", r"user name before the site"),
    ("phone number with letters", edit('call: "911"', 'call: "911 javascript:x"'),
     ("javascript:x", ""), "crisis.emergency.call", r"holds `j`, which is not part of a number"),
    # --- ids
    ("id with a trailing newline", edit("  asam:\n    term: ASAM", '  "asam\\n":\n    term: ASAM'),
     ('"asam\\n"', ""), "glossary.asam\\n", r"`asam\\n` is not a valid id"),
    ("id longer than 64 characters", edit("  asam:\n    term: ASAM", f"  {'a' * 65}:\n    term: ASAM"),
     ("a" * 65, ""), "glossary." + "a" * 65, r"longer than 64 characters"),
    # --- numbers and dates out of range
    ("100000000000 hours a week", edit("adults: {under: 9, source: asam3}", "adults: {under: 100000000000, source: asam3}"),
     ("under: 100000000000", ""), "levels.op.hours_per_week.adults.under", r"above the highest allowed value, 168 hours"),
    ("200 hours a week", edit("adults: {under: 9, source: asam3}", "adults: {under: 200, source: asam3}"),
     ("under: 200", ""), "levels.op.hours_per_week.adults.under", r"200 hours is more than.*at most 168 hours"),
    ("8 days a week", edit("      about: 1\n      source: turnbridge", "      about: 8\n      source: turnbridge"),
     ("about: 8", ""), "levels.op.days_per_week.about", r"above the highest allowed value, 7 days"),
    ("a 1500-minute session", edit("      min: 75\n      max: 90", "      min: 75\n      max: 1500"),
     ("max: 1500", ""), "levels.op.session_hours.max", r"above the highest allowed value, 24 hours or 1,440 minutes"),
    ("a 30-hour session", edit("      about: 3\n      unit: hours", "      about: 30\n      unit: hours"),
     ("about: 30\n", ""), "levels.iop.session_hours.about", r"30 hours is more than.*at most 24 hours"),
    ("a 1000-month stay", edit("      - min: 2\n        max: 12", "      - min: 2\n        max: 1000"),
     ("max: 1000", ""), "levels.op.length_of_stay[1].max", r"at most 120 months"),
    ("a trillion-dollar cost", edit("      - about: 121", "      - about: 1000000000000"),
     ("about: 1000000000000", ""), "levels.op.cost[1].about", r"above the highest allowed value, 10,000,000"),
    ("a group of 5000 people", edit("      min: 8\n      max: 15", "      min: 8\n      max: 5000", after="    size:"),
     ("max: 5000", "    size:"), "formats.group.size.max", r"above the highest allowed value, 1,000 people"),
    ("a negative figure", edit("adults: {under: 9, source: asam3}", "adults: {under: -5, source: asam3}"),
     ("under: -5", ""), "levels.op.hours_per_week.adults.under", r"below the lowest allowed value, 0"),
    ("a 400-digit number", edit("adults: {under: 9, source: asam3}", f"adults: {{under: {'9' * 400}, source: asam3}}"),
     ("under: 999", ""), "levels.op.hours_per_week.adults.under", r"400 characters long"),
    ("NaN", edit("      about: 1\n      source: turnbridge", "      about: .nan\n      source: turnbridge"),
     ("about: .nan", ""), "levels.op.days_per_week.about", r"`\.nan` is not a number"),
    ("infinity", edit("      about: 1\n      source: turnbridge", "      about: .inf\n      source: turnbridge"),
     ("about: .inf", ""), "levels.op.days_per_week.about", r"`\.inf` is not a number"),
    ("review every 1000 months", edit("review_every_months: 12", "review_every_months: 1000"),
     ("review_every_months: 1000", ""), "review_every_months", r"above the highest allowed value, 120"),
    ("review every 0 months", edit("review_every_months: 12", "review_every_months: 0"),
     ("review_every_months: 0", ""), "review_every_months", r"below the lowest allowed value, 1"),
    ("cost as of the year 3000", edit("        as_of: 2002", "        as_of: 3000"),
     ("as_of: 3000", ""), "levels.op.cost[1].as_of", r"above the highest allowed value, 2,100"),
    ("reviewed in the year 0", edit("    reviewed: 2026-11-01", "    reviewed: 0000-01-01"),
     ("0000-01-01", ""), "sources.asam3.reviewed", r"the year should be between 1900 and 2100"),
    # --- the shape of the file itself
    ("alias bomb", edit("\nlevels:\n", "\n" + LOL + "levels:\n"), ("  f: &f", ""), "lol.f[7]", r"more than 500,000 values"),
    ("alias of the block it is in", edit("\nlevels:\n", "\nlol: &loop [*loop]\nlevels:\n"),
     ("&loop", ""), "lol[1]", r"`\*loop` repeats the block it is inside"),
    ("deep nesting", edit("hours_per_week: {}", "hours_per_week: " + "[" * BOMB_DEPTH + "]" * BOMB_DEPTH),
     ("hours_per_week: [[[", ""), "levels.early_intervention.hours_per_week" + "[1]" * 17,
     r"nested more than 20 levels deep"),
]


def run_check(path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m carekb.cli.check <path>` in a fresh interpreter, as an editor runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "carekb.cli.check", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def assert_located(out: str, file: Path, line: int, path: str, pattern: str) -> None:
    """One error line names the file, the line and column, the field, and matches `pattern`."""
    where = re.escape(f"{file}:{line}:") + r"\d+: " + re.escape(path) + ": "
    lines = [ln for ln in out.splitlines() if re.search(where, ln)]
    assert any(re.search(pattern, ln) for ln in lines), f"no line at {file.name}:{line} {path} ~ {pattern!r}:\n{out}"
    assert all(" Fix: " in ln for ln in lines), out
    assert "Traceback" not in out


@pytest.mark.parametrize("name,text,where,path,pattern", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_edit_is_refused_with_a_located_message(tmp_path, capsys, name, text, where, path, pattern):
    """Each hostile edit of the real file fails the checker with a located, plain-words line."""
    file = tmp_path / "facts.yaml"
    file.write_text(text, encoding="utf-8")
    line = line_of(text, *where)
    if name in ("deep nesting", "alias bomb"):  # these crashed or ran without end: never in-process
        result = run_check(file)
        assert result.returncode == 1, result.stderr
        out = result.stdout + result.stderr
    else:
        assert check.main([str(file)]) == 1
        captured = capsys.readouterr()
        out = captured.out + captured.err
    assert_located(out, file, line, path, pattern)


def _refused_at_once(target: Path, pattern: str) -> None:
    """The checker refuses `target` at once (30 s at most), with a plain message and no traceback."""
    result = run_check(target, timeout=30)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert re.search(re.escape(f"error: {target}: ") + pattern, out), out
    assert "Traceback" not in out


def test_fifo_in_place_of_the_file_is_refused_at_once(tmp_path):
    """A named pipe used to make the checker wait for ever; it is refused without being opened."""
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)
    _refused_at_once(fifo, r"this is a named pipe \(FIFO\), not a file.* Fix: ")


def test_directory_in_place_of_the_file_is_refused(tmp_path):
    """A folder named facts.yaml gets a plain message, not 'Is a directory'."""
    folder = tmp_path / "facts.yaml"
    folder.mkdir()
    _refused_at_once(folder, r"this is a folder, not a file.* Fix: ")


def test_huge_file_is_refused_before_it_is_read(tmp_path, capsys):
    """A 17 MB file (the 100x benchmark base is about 7.5 MB) is refused by its size, with the limit."""
    file = tmp_path / "facts.yaml"
    file.write_text(REAL + "# " + "x" * (17 * 1024 * 1024) + "\n", encoding="utf-8")
    assert check.main([str(file)]) == 1
    err = capsys.readouterr().err
    assert re.search(re.escape(f"error: {file}: ") + r"the file is 17\.1 MB; the limit is 16 MB.* Fix: ", err), err


# --- legitimate edits still pass ---------------------------------------------------------------

CONTROLS = [
    ("ampersand and less-than before a digit",
     edit("name: Early intervention", "name: Early intervention & advice for < 9 hours")),
    ("https url with a query and percent-encoding",
     edit("url: https://findtreatment.gov", "url: https://findtreatment.gov/locator?q=iop%20care&state=NY#results")),
    # (A 1440-minute session at the upper bound of form would break the rule of meaning that
    # OP's days times its session fit inside its week, so the bound of form is tested alone.)
    ("168 hours a week",
     edit("hours_per_week: {}", "hours_per_week: {adults: {max: 168, source: asam3}}")),
    ("brackets and a 64-character id",
     edit("  asam:\n    term: ASAM", f"  {'a' * 64}:\n    term: ASAM")
     .replace("A society of doctors", "A society (a group) [of doctors]", 1)),
]


@pytest.mark.parametrize("name,text", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_legitimate_edit_still_passes(tmp_path, capsys, name, text):
    """Plain text with & or '< 9', a clean https address, and figures at their limits stay valid."""
    assert text != REAL
    file = tmp_path / "facts.yaml"
    file.write_text(text, encoding="utf-8")
    assert check.main([str(file)]) == 0, capsys.readouterr().err
    assert "is good" in capsys.readouterr().out


def test_the_100x_benchmark_fact_base_fits_the_limits(tmp_path):
    """The limits leave room for the 100x fact base the benchmarks use (about 10 MB, a few hundred thousand values)."""
    from benchmarks.synthetic import write_scaled
    from carekb.load import yamlload

    path = write_scaled(100, tmp_path / "facts-100x.yaml")
    assert path.stat().st_size < yamlload.MAX_BYTES * 0.7
    root, problems = yamlload.read_yaml(path)
    assert problems == [] and root is not None


class _YamlAsEditorsSee(yaml.SafeLoader):
    """Dates stay text, as they do for YAML language servers checking the JSON Schema."""


_YamlAsEditorsSee.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    return [e.message for e in validator.iter_errors(yaml.load(text, Loader=_YamlAsEditorsSee))]


# The editor's schema refuses these too (an id's trailing newline is left out: Python's `re`
# reads the schema's `$` as "end, or before a last newline", where editors' ECMA regex does not).
SCHEMA_CASES = ["unclosed img tag in a level name", "javascript: Markdown link in a summary",
                "right-to-left override in a name", "zero-width space in a glossary term",
                "attribute list braces in a name", "http url with a user name", "url with a parenthesis",
                "https url disguised with a user name", "phone number with letters",
                "id longer than 64 characters", "200 hours a week", "a 1000-month stay", "a 30-hour session",
                "a 400-digit number", "reviewed in the year 0", "review every 1000 months"]


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_editors_schema_refuses_the_same_hostile_edits(name):
    """facts.schema.json, built from the same specs, flags these edits in the editor as well."""
    assert _schema_errors(REAL) == []
    assert _schema_errors(next(h[1] for h in HOSTILE if h[0] == name)), name


def test_every_number_in_the_schema_has_bounds():
    """Each numeric field declares a range, and the JSON Schema editors use carries it."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("number", "integer"):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema())
    assert found and all("minimum" in n and "maximum" in n for n in found)


def test_strict_build_fails_on_a_hostile_name_with_the_located_message(warm):
    """The real strict build refuses the unclosed-tag level name: the located line, no traceback, no
    new site (the preview keeps the last good one, unchanged)."""
    text = edit("name: Early intervention", "name: Outpatient <img src=x onerror=alert(document.domain)//")
    warm.write("facts.yaml", text)
    result = warm.build()
    said = result.stdout + result.stderr
    assert result.returncode != 0
    line = line_of(text, "name: Outpatient <img")
    assert re.search(rf"facts\.yaml:{line}:\d+: levels\.early_intervention\.name: contains HTML code", said), said
    assert "Traceback" not in said
    assert result.wrote == []


def test_strict_build_with_legitimate_edits_at_the_limits_shows_them_as_text(warm):
    """'&' and '< 9' in a name, a query-string address and figures at their limits build, shown as text."""
    text = (edit("name: Early intervention", "name: Early intervention & advice for < 9 hours")
            .replace("url: https://findtreatment.gov", "url: https://findtreatment.gov/locator?q=iop%20care&state=NY", 1)
            .replace("hours_per_week: {}", "hours_per_week: {adults: {min: 0.5, max: 168, source: asam3}}", 1)
            .replace("      - about: 121", "      - about: 10000000", 1))
    warm.write("facts.yaml", text)
    result = warm.build()
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.site
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Early intervention &amp; advice for &lt; 9 hours" in home
    sources = (out / "sources" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://findtreatment.gov/locator?q=iop%20care&amp;state=NY"' in sources


# Pieces a careless or hostile edit splices in: YAML syntax, markup, invisible and odd values.
SPLICES = ["<", ">", "[", "]", "(", ")", "{", "}", "&", "*", "!", "|", ">-", ":", "- ", "\n", "  ", "\t", '"', "'",
           "#", "\u202e", "\x00", "\x07", "9" * 30, ".nan", "-1", "0000-01-01", "~", "&a ", "*a", "? ", "---\n",
           "%YAML 1.1\n", "!!binary ", "!!python/name:os.system ", "\ufeff", "\r", "1e999", "0x1F", "1:30"]


def test_random_edits_never_crash_the_checker(tmp_path):
    """300 random splices, cuts and copies of the real file (fixed seed): each gives facts or
    located problems, never an exception, and an error always says where it is."""
    import datetime as dt
    import random

    from carekb.load.facts_yaml import read_facts

    rng = random.Random(2026)
    file = tmp_path / "facts.yaml"
    for _ in range(300):
        text = REAL
        for _ in range(rng.randint(1, 4)):
            at, op = rng.randrange(len(text)), rng.random()
            if op < 0.5:
                text = text[:at] + rng.choice(SPLICES) + text[at:]
            elif op < 0.75:
                text = text[:at] + text[at + rng.randint(1, 40):]
            else:
                j = rng.randrange(len(text))
                text = text[:at] + text[j:j + rng.randint(1, 80)] + text[at:]
        file.write_text(text, encoding="utf-8")
        facts, problems = read_facts(file, today=dt.date(2026, 11, 23))
        errors = [p for p in problems if p.severity == "error"]
        assert (facts is None) == bool(errors), text
        assert all(p.line is not None and "\n" not in str(p) for p in errors), [str(p) for p in errors]


def test_an_unexpected_failure_of_the_checker_is_one_plain_line(tmp_path, capsys, monkeypatch):
    """Should the checker itself break, the editor sees one line and exit status 2, not a traceback."""
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(check, "read_facts", broken)
    assert check.main([str(tmp_path / "facts.yaml")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: the checker itself failed (RuntimeError: boom second line); nothing was changed. "
        "Please report this, with the file you checked."]


def test_write_schema_refuses_a_fifo_in_place_of_the_schema(tmp_path):
    """--write-schema would wait for ever on a named pipe; it refuses it at once instead."""
    os.mkfifo(tmp_path / "facts.schema.json")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "carekb.cli.check", "--write-schema", str(tmp_path / "facts.yaml")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "is not an ordinary file, so the schema was not written" in result.stderr
    assert "Traceback" not in result.stderr
