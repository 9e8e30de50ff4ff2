"""The README and the pages under docs/ stay in step with the tree and with each other: every
link between them leads to a file and a heading that exist, every `make` command they name is a
target of the Makefile, every `carekb-*` command a console script, and the README's short tour
names every command `make help` names (issue 23, point 4).

The sections these pages hold are checked against the code elsewhere: the rules of meaning
(tests/test_meaning.py) and the self-check's principles (tests/test_selfcheck_scenarios.py) in
docs/editing.md, the Content-Security-Policy hosts should send in docs/security.md
(tests/browser/test_browser_csp.py), the layout table in README.md (tests/test_architecture.py).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _prose(path: Path) -> str:
    """The page without its fenced code blocks and code spans (a link there is an example)."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*", "", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {_slug(m) for m in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


def _make_targets() -> set[str]:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))


def test_the_docs_pages_exist() -> None:
    names = {p.name for p in PAGES}
    assert {"editing.md", "translating.md", "security.md", "testing.md", "staff-handbook.md",
            "engines.md", "performance.md", "architecture.md"} <= names, sorted(names)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    broken = []
    for target in LINK.findall(_prose(page)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: not ours to check here
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{target}: {file.name} has no heading with the anchor #{anchor}")
    assert not broken, f"{page.relative_to(REPO_ROOT)}: " + "; ".join(broken)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_command_named_exists(page: Path) -> None:
    """`make X` (as typed: in code) is a Makefile target; `carekb-X` a console script of
    pyproject.toml (`.carekb-site` is a file, not a command)."""
    text = page.read_text(encoding="utf-8")
    targets = _make_targets()
    scripts = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                  ["project"]["scripts"])
    missing = sorted({f"make {t}" for t in re.findall(r"(?:`|^)make ([a-z][\w-]*)", text, flags=re.M)} -
                     {f"make {t}" for t in targets})
    missing += sorted(set(re.findall(r"(?<![\w.])(carekb-[a-z]+)\b", text)) - scripts)
    assert not missing, f"{page.relative_to(REPO_ROOT)} names commands that do not exist: {missing}"


def test_the_readme_tour_names_every_command_make_help_names() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    help_text = makefile.split("\n\n", 1)[0]  # `make help` prints the first comment block
    named = set(re.findall(r"^#\s+make ([a-z][\w-]*)", help_text, flags=re.M))
    assert named >= {"serve", "test", "check", "publish"}, named
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    missing = sorted(t for t in named if f"`make {t}" not in tour)
    assert not missing, f"the README's short tour does not name make {', make '.join(missing)}"
