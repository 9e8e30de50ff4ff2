"""The impact command: for a changed facts.yaml, the facts changed and exactly the pages whose
output they change (checked against two real builds)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _impact(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "carekb.cli.impact", *args], cwd=project, env=env,
                          capture_output=True, text=True)


def _pages(site: Path) -> dict[str, str]:
    """Built page (as its folder, '' for the home page) -> HTML."""
    return {("" if h.parent == site else h.parent.relative_to(site).as_posix()): h.read_text(encoding="utf-8")
            for h in site.rglob("index.html")}


def _url(src: str) -> str:
    """A source page's built folder: levels/iop.md -> levels/iop, levels/index.md -> levels."""
    stem = src.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, project_copier: Callable[[Path], Path]) -> Path:
    """A committed copy of the project, so git has a last version of facts.yaml to compare with."""
    target = project_copier(tmp_path_factory.mktemp("impact") / "project")
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return target


@pytest.mark.parametrize("old,new,exact", [
    ("      adults: {min: 9, max: 19", "      adults: {min: 9, max: 18", True),
    ("    description: >-\n      Helps you notice", "    description: >-\n      Helps you spot", True),
    ("    name: Cognitive behavioral therapy\n", "    name: Cognitive behaviour therapy\n", False),
    # faq.md shows this figure whole with its citation (it reads the figure and its `.sources`)
    ("    days_per_week: {min: 3, max: 5, source: [avenues", "    days_per_week: {min: 3, max: 4, source: [avenues",
     True),
])
def test_impact_names_the_pages_whose_output_changes(project: Path, built_site: Path, warm,
                                                     old: str, new: str, exact: bool):
    """Every page whose output changes is named; for a figure or a description, only those.

    A name also shows in the navigation of every page, so for names the list is every page.
    (The site after the edit: the same edit built on the warm copy of the project.)
    """
    facts = project / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    assert old in original
    facts.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        result = _impact(project, "--json", "--config", "mkdocs.yml")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        warm.edit("facts.yaml", old, new)
        built = warm.build()
        assert built.returncode == 0
        after = built.site
    finally:
        facts.write_text(original, encoding="utf-8")
    assert len(report["changed"]) == 1
    named = {_url(src) for src in report["pages"][report["changed"][0]["fact"]]}
    before_pages, after_pages = _pages(built_site), _pages(after)
    differ = {p for p in after_pages if after_pages[p] != before_pages.get(p)}
    assert differ, "the change should show somewhere"
    assert differ <= named
    if exact:
        assert named == differ


def test_impact_with_no_change_says_so(project: Path):
    """With facts.yaml as committed, nothing is reported and nothing is built."""
    result = _impact(project)
    assert result.returncode == 0
    assert "No facts changed" in result.stdout


def test_impact_all_lists_pages_per_fact_including_staff_pages(project: Path):
    """--all maps every shown fact to its pages; the staff handbook's pages are marked."""
    result = _impact(project, "--all")
    assert result.returncode == 0, result.stderr
    assert "levels.iop.hours_per_week.adults\n    " in result.stdout
    assert "(staff only)" in result.stdout


def test_impact_speaks_plain_words_in_short_with_details_behind_a_flag(project: Path, built_site: Path):
    """A changed figure and a changed review date: one summary line (facts changed, pages
    touched), each value as the site shows it (a date in words, the figure as a phrase, never
    `datetime.date(...)`), a few page titles per change; `--details` names every page."""
    from carekb.build.report import default_report_path

    facts = project / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    changed = (original.replace("      adults: {min: 9, max: 19", "      adults: {min: 9, max: 18", 1)
               .replace("    reviewed: 2026-11-29", "    reviewed: 2026-12-07", 1))
    assert changed.count("2026-12-07") == original.count("2026-12-07") + 1
    facts.write_text(changed, encoding="utf-8")
    report = str(default_report_path(built_site))
    try:
        short = _impact(project, "--report", report)
        details = _impact(project, "--report", report, "--details")
    finally:
        facts.write_text(original, encoding="utf-8")
    assert short.returncode == details.returncode == 0, short.stderr + details.stderr
    lines = short.stdout.strip().splitlines()
    assert re.fullmatch(r"2 facts changed in facts\.yaml since the last commit; \d+ pages show them\.",
                        lines[0]), lines[0]
    assert "datetime" not in short.stdout + details.stdout
    assert "levels.iop.hours_per_week.adults.max: changed (19 → 18)" in short.stdout
    assert "the site says: 9 to 19 hours a week → 9 to 18 hours a week" in short.stdout
    assert re.search(r"\.reviewed: changed \(November 29, 2026 → December 7, 2026\)", short.stdout)
    assert re.search(r"shown on \d+ pages: Compare levels, .* and \d+ more", short.stdout), short.stdout
    assert len(lines) <= 12 and "--details" in lines[-1]
    every = int(re.search(r"; (\d+) pages", lines[0])[1])
    assert f"Pages affected ({every}):" in details.stdout
    assert details.stdout.count("      shown on ") > 10 and "levels/iop.md" in details.stdout
