"""`make check` checks what publishing checks (issue 21): facts.yaml, then the pages of both
sites built strictly in a temporary folder, with one verdict and the exit status publishing has.
The good case runs in tests/test_newcomer.py (`make check` on a fresh clone).

Here on the tiny sample project (tests/tinyproject.py: the real hooks, a small fact base, one
site), with `carekb-check` and `carekb-publish` as typed, the commands whose verdicts agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


from carekb.cli.site_check import messages, project_of

BIN = Path(sys.executable).parent


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=project, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, tiny_copier) -> Path:
    return tiny_copier(tmp_path_factory.mktemp("check") / "project")


def test_a_misspelled_block_is_refused_as_publishing_refuses_it(project: Path, tmp_path: Path) -> None:
    costs = project / "content" / "costs.md"
    good = costs.read_text(encoding="utf-8")
    assert '{{ block("cost_table") }}' in good
    costs.write_text(good.replace('{{ block("cost_table") }}', '{{ block("cost_tabel") }}', 1),
                     encoding="utf-8")
    line = good[:good.index('{{ block("cost_table") }}')].count("\n") + 1
    try:
        check = _run(project, "carekb-check")
        published = _run(project, "carekb-publish", "public", "--dest", str(tmp_path / "out"))
    finally:
        costs.write_text(good, encoding="utf-8")
    said = check.stdout + check.stderr
    assert check.returncode == published.returncode == 1, said
    assert f"error: content/costs.md:{line}: block: no block named 'cost_tabel'. Did you mean 'cost_table'?" in said
    assert "Traceback" not in said and "Error reading page" not in said
    last = check.stderr.strip().splitlines()[-1]
    assert last.startswith("Publishing would refuse this") and "ready to publish" not in last
    assert "ready to publish" not in check.stdout
    assert not (tmp_path / "out").exists() and not (project / "site").exists()


def test_links_front_matter_and_hand_typed_figures_are_checked_too(project: Path) -> None:
    page = project / "content" / "extra-page.md"
    page.write_text("---\ntitle: Extra\nreviewed: 2026-11-01\n---\n\n# Extra\n\n"
                    "See [the list](nowhere.md). Call 988.\n", encoding="utf-8")
    try:
        check = _run(project, "carekb-check", "facts.yaml")
        page.write_text("---\ntitle: Extra\nreviewed: soon\n---\n\n# Extra\n\nA page.\n", encoding="utf-8")
        front = _run(project, "carekb-check", "facts.yaml")
    finally:
        page.unlink()
    said = check.stderr
    assert check.returncode == 1, said
    for words in ("warning: content/extra-page.md is not in the navigation",
                  # the Spanish site shows the page too (in English until translated): its own nav
                  "warning: es/extra-page.md is not in the navigation",
                  "under `nav:` in mkdocs.es.yml",
                  "'988' is typed by hand",
                  "contains a link 'nowhere.md', but the target is not found"):
        assert words in said, said
    assert said.strip().splitlines()[-1].startswith("Publishing would refuse this: fix the 4 problem(s)"), said
    # Front matter is typed: a date that is not one stops publishing, located, with its fix.
    assert front.returncode == 1, front.stderr
    assert "error: content/extra-page.md:3:11: reviewed: `soon` is not a date" in front.stderr, front.stderr
    assert front.stderr.strip().splitlines()[-1].startswith("Publishing would refuse this")


def test_facts_only_skips_the_pages(project: Path) -> None:
    check = _run(project, "carekb-check", "--facts-only")
    assert check.returncode == 0, check.stderr
    assert "Checking the pages" not in check.stdout
    assert check.stdout.strip().splitlines()[-1] == "facts.yaml is good and ready to publish."


def test_pages_are_checked_only_where_mkdocs_yml_builds_from_the_file(project: Path, tmp_path: Path) -> None:
    assert project_of(project / "facts.yaml") == project.resolve()
    (tmp_path / "facts.yaml").write_text("x: 1\n", encoding="utf-8")
    assert project_of(tmp_path / "facts.yaml") is None  # a file on its own
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  facts: other.yaml\n", encoding="utf-8")
    assert project_of(tmp_path / "facts.yaml") is None  # the site builds from another file


def test_a_strict_builds_messages_one_per_line() -> None:
    stderr = ("ERROR   -  Error reading page 'costs.md':\n"
              "ERROR   -  content/costs.md:21: block: no block named 'x'.\n"
              "ERROR   -  hooks/atomic: The build failed, so nothing was written.\n"
              "ERROR   -  --strict: 2 warnings in this build (each is an error in a strict build, also under -q):\n"
              "  - hooks/handtyped: content/a.md:3: '988' is typed by hand\n"
              "  - Doc file 'a.md' contains a link 'b.md', but the target is not found.\n\n"
              "Aborted with a BuildError!\n")
    assert messages(stderr) == [
        ("error", "content/costs.md:21: block: no block named 'x'."),
        ("warning", "content/a.md:3: '988' is typed by hand"),
        ("warning", "Doc file 'a.md' contains a link 'b.md', but the target is not found."),
    ]
