"""Shared fixtures: where the project is, the real sites built once per run, warm in-process
builds of a copy, a tiny sample project, the fact base, the browser; and each test's kind.

How a test builds (tests/sitebuilds.py): `built_site` / `built_staff` are the real sites, built
once per run (even across pytest-xdist workers) and only read. A test that edits the project
and reads messages or output uses `warm` (a copy rebuilt by the preview's engine in this
process, edits undone after the test) or `build` (`mkdocs build` through MkDocs' command line,
in this process, on a copy from `copy_project`). `cli_build` runs the command in a child
process, for what only a process shows (exit status from a fresh interpreter, console scripts,
signals, two builds at once). `tiny_project` is a minimal project with the real hooks, for
tests of staging and publishing that need any site, not the real one.

Every test has exactly one kind, set here from what it uses (tests/test_markers.py checks):
`browser` (tests/browser/, or marked so), `newcomer` (marked so), `build` (marked so, or using
a fixture that builds a site) and `unit` (the rest).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Their asserts report what failed, as the test modules' own do (and count as passed asserts).
pytest.register_assert_rewrite("tests.sitebuilds", "tests.tinyproject")

from tests.sitebuilds import (REPO_ROOT, Built, WarmProject, build_in_process, copy_project_to,
                              mkdocs_build, shared_site)  # noqa: E402
from tests.tinyproject import make_tiny_project  # noqa: E402

__all__ = ["REPO_ROOT", "CHROMIUM", "CHROMIUM_ARGS", "copy_project_to", "mkdocs_build"]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # in-process builds: as the Makefile sets it

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google at start-up, which
# this machine's closed network refuses (and which would count as a foreign request).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# -- each test's kind --------------------------------------------------------------------------
KINDS = ("unit", "build", "browser", "newcomer")
# Fixtures that build a site or hand out a project copy to build: a test using one is `build`.
BUILD_FIXTURES = {
    "real_site", "built_site", "built_staff", "build", "cli_build", "copy_project", "project_copier", "warm",
    "warm_project", "tiny_project", "tiny_copier",
}
BROWSER_DIR = Path(__file__).parent / "browser"


def kind_of(item: pytest.Item) -> str:
    """browser, newcomer, build or unit: the first that applies, in that order."""
    marked = {m.name for m in item.iter_markers()}
    if "browser" in marked or BROWSER_DIR in Path(item.path).parents:
        return "browser"
    if "newcomer" in marked:
        return "newcomer"
    if "build" in marked or BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "build"
    return "unit"


# Tests that share one session-wide browser tour run on one pytest-xdist worker.
SHARED_GROUPS = {"public_tour": "public-tour"}


def group_of(item: pytest.Item) -> str:
    """The pytest-xdist group (`--dist loadgroup`) a test runs in: its module, so each module's
    fixtures are set up on one worker only; or the group of a session fixture it shares."""
    for fixture, group in SHARED_GROUPS.items():
        if fixture in getattr(item, "fixturenames", ()):
            return group
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its kind (before `-m` selects) and its pytest-xdist group."""
    for item in items:
        kind = kind_of(item)
        if kind not in {m.name for m in item.iter_markers()}:
            item.add_marker(getattr(pytest.mark, kind))
        if not any(m.name == "xdist_group" for m in item.iter_markers()):
            item.add_marker(pytest.mark.xdist_group(group_of(item)))


# -- the project, its copies and builds --------------------------------------------------------
@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def copy_project(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that copies the project's sources into tmp_path (or `dest`) and returns it."""

    def copy(dest: Path | None = None) -> Path:
        return copy_project_to(dest or tmp_path / "project")

    return copy


@pytest.fixture(scope="session")
def project_copier() -> Callable[[Path], Path]:
    """`copy_project_to` for fixtures wider than one test."""
    return copy_project_to


@pytest.fixture(scope="session")
def build() -> Callable[..., Built]:
    """`(config, out, *flags) -> Built`: `mkdocs build` (--strict unless flags are given) of a
    project copy, through MkDocs' command line in this process: exit status, stdout, stderr."""
    return build_in_process


@pytest.fixture(scope="session")
def cli_build() -> Callable[..., Built]:
    """`(config, out) -> Built`: `python -m mkdocs build --strict` in a child process."""
    return mkdocs_build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """`real_site(config)`: the site the project's `config` ("mkdocs.yml", "mkdocs.staff.yml",
    ...) builds, built strictly once per run (even across pytest-xdist workers), in a folder named
    for it ("public", "staff", ...; its build report: <folder>/../build-report/<folder>.json).
    Read it, never change it. A failed build fails every test that asks for it."""

    def get(config: str) -> Path:
        stem = config.removesuffix(".yml")
        name = "public" if stem == "mkdocs" else stem.split(".", 1)[-1]
        result = shared_site(tmp_path_factory, name, REPO_ROOT / config, folder=name)
        if result.returncode != 0:
            pytest.fail(f"mkdocs build --strict of {config} failed (exit {result.returncode}):\n"
                        f"{result.stderr[-4000:]}", pytrace=False)
        return result.site

    return get


@pytest.fixture(scope="session")
def built_site(real_site: Callable[[str], Path]) -> Path:
    """The public site, built once per run with --strict; the folder holding index.html."""
    return real_site("mkdocs.yml")


@pytest.fixture(scope="session")
def built_staff(real_site: Callable[[str], Path]) -> Path:
    """The staff handbook, built once per run with --strict."""
    return real_site("mkdocs.staff.yml")


@pytest.fixture(scope="session")
def facts():
    """The real fact base (facts.yaml), loaded once per run. Read it; a test that changes facts
    takes a copy (copy.deepcopy) or loads its own."""
    from carekb.facts import load_facts

    return load_facts(REPO_ROOT / "facts.yaml")[0]


@pytest.fixture(scope="session")
def warm_project(tmp_path_factory: pytest.TempPathFactory) -> WarmProject:
    """One copy of the project per run (per xdist worker), its sites rebuilt in-process by the
    preview's engine; use it through `warm`, which undoes a test's edits."""
    return WarmProject(copy_project_to(tmp_path_factory.mktemp("warm") / "project"))


@pytest.fixture
def warm(warm_project: WarmProject) -> Iterator[WarmProject]:
    """The warm copy of the project for one test: edit, `build()`, read; every edit is put back
    after the test (the next build renders those pages again)."""
    warm_project.push()
    try:
        yield warm_project
    finally:
        warm_project.pop()


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A minimal project with the real hooks, theme and a small fact base (tests/tinyproject.py):
    a few pages, a strict build in about a second. Returns its folder (mkdocs.yml inside)."""
    return make_tiny_project(tmp_path / "tiny")


@pytest.fixture(scope="session")
def tiny_copier() -> Callable[[Path], Path]:
    """`make_tiny_project(folder)`, for fixtures wider than one test."""
    return make_tiny_project


# -- the browser -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian chromium under Playwright, one per test session (a second sync Playwright
    in the same process would fail); fails (never skips) when chromium is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does it).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
