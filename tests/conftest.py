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
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Their asserts report what failed, as the test modules' own do (and count as passed asserts).
pytest.register_assert_rewrite("tests.sitebuilds", "tests.tinyproject")

from tests.sitebuilds import (REPO_ROOT, Built, WarmProject, build_in_process, copy_project_to,
                              mkdocs_build, shared_folder, shared_site)  # noqa: E402
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
    "real_site", "built_site", "built_staff", "build", "cli_build", "copy_project", "project_copier",
    "warm", "warm_project", "tiny_project", "tiny_copier",
}
BROWSER_DIR = Path(__file__).parent / "browser"


BUILDER_NAMES = {"subprocess", "Engine", "make_tiny_project", "run_cli", "run_in_process",
                 "build_in_process", "mkdocs_build", "shared_site", "copy_project_to", "WarmProject"}


def _builders() -> set[int]:
    """What builds a site or starts a process, by identity: a test (or a fixture, or a function
    of their module they call) that refers to one of these is `build`."""
    import subprocess

    from engine.preview import Engine
    from tests import sitebuilds

    return {id(o) for o in (subprocess, Engine, make_tiny_project, sitebuilds.run_cli,
                            sitebuilds.run_in_process, sitebuilds.build_in_process,
                            sitebuilds.mkdocs_build, sitebuilds.shared_site, sitebuilds.copy_project_to,
                            sitebuilds.WarmProject)}


def _refers_to_a_builder(function, builders: set[int], seen: set[int]) -> bool:
    """Whether `function`'s code (and the code of the functions of its module it names, and of
    nested functions) names a builder."""
    code = getattr(function, "__code__", None)
    if code is None or id(code) in seen:
        return False
    seen.add(id(code))
    names, pending = set(), [code]
    while pending:
        current = pending.pop()
        names.update(current.co_names)
        pending += [c for c in current.co_consts if hasattr(c, "co_names")]
    scope = getattr(function, "__globals__", {})
    for name in names:
        value = scope.get(name)
        if value is None:
            if name in BUILDER_NAMES:  # imported inside the function
                return True
            continue
        if id(value) in builders:
            return True
        if getattr(value, "__module__", None) == function.__module__ and \
                _refers_to_a_builder(value, builders, seen):
            return True
    return False


def _builds(item: pytest.Item, builders: set[int]) -> bool:
    fixtures = getattr(item, "_fixtureinfo", None)
    functions = [getattr(item, "function", None)]
    if fixtures is not None:
        functions += [defs[-1].func for defs in fixtures.name2fixturedefs.values() if defs]
    seen: set[int] = set()
    return any(_refers_to_a_builder(f, builders, seen) for f in functions if f is not None)


def kind_of(item: pytest.Item, builders: set[int] | None = None) -> str:
    """browser, newcomer, build or unit: the first that applies, in that order. `build`: marked
    so, using a fixture of BUILD_FIXTURES, or referring to a builder (see `_builders`)."""
    marked = {m.name for m in item.iter_markers()}
    if "browser" in marked or BROWSER_DIR in Path(item.path).parents:
        return "browser"
    if "newcomer" in marked:
        return "newcomer"
    if "build" in marked or BUILD_FIXTURES & set(getattr(item, "fixturenames", ())) \
            or _builds(item, builders if builders is not None else _builders()):
        return "build"
    return "unit"


# The order modules start in: the longest kinds first, so that under pytest-xdist the last
# module to start is a short one (no worker sits idle while another runs a long module).
ORDER = {"newcomer": 0, "browser": 1, "build": 2, "unit": 3}
# A session fixture several modules share: those modules run on one pytest-xdist worker.
SHARED_SESSION_FIXTURES = ("public_tour",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its kind (before `-m` selects); run whole modules, the modules with
    the longest kind of test first (the order is the same in every xdist worker)."""
    first: dict[str, int] = {}
    builders = _builders()
    for item in items:
        kind = kind_of(item, builders)
        if kind not in {m.name for m in item.iter_markers()}:
            item.add_marker(getattr(pytest.mark, kind))
        module = item.nodeid.split("::", 1)[0]
        first[module] = min(first.get(module, len(ORDER)), ORDER[kind])
    position = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda item: (first[item.nodeid.split("::", 1)[0]], position[id(item)]))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadscope` with whole modules as the units of work, in the collection's order
    (no reordering by size), and the modules that share a session fixture of
    SHARED_SESSION_FIXTURES as one unit: that fixture (a browser tour) is then made once."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    root, shared = config.rootpath, {}

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module not in shared:
                path = root / module
                text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
                shared[module] = next((f for f in SHARED_SESSION_FIXTURES if f in text), module)
            return shared[module]

    config.option.loadscopereorder = False
    return ByModule(config, log)


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
    from carekb.load.facts_yaml import load_facts

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


@pytest.fixture(scope="session")
def spanish_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with a complete Spanish translation (tests/spanish_samples.py),
    made once per run (even across pytest-xdist workers): read it, never change it (copy it
    first: `copy_spanish_project`)."""
    from tests.spanish_samples import complete_spanish

    return shared_folder(tmp_path_factory, "spanish", lambda folder: complete_spanish(copy_project_to(folder)))


@pytest.fixture
def copy_spanish_project(spanish_project: Path, tmp_path: Path) -> Callable[[], Path]:
    """A function returning a fresh copy of `spanish_project` to change."""

    def copy() -> Path:
        return Path(shutil.copytree(spanish_project, tmp_path / "project", symlinks=True))

    return copy


@pytest.fixture(scope="session")
def bilingual_site(spanish_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both public sites of `spanish_project`, built once per run (even across pytest-xdist
    workers) as `make build` lays them out: English in the folder returned, Spanish in its es/."""
    def make(folder: Path) -> None:
        folder.mkdir(parents=True)
        for config, dest in (("mkdocs.yml", folder / "site"), ("mkdocs.es.yml", folder / "site" / "es")):
            result = mkdocs_build(spanish_project / config, dest)
            if result.returncode != 0:
                raise RuntimeError(f"mkdocs build --strict -f {config} failed (exit {result.returncode}):\n"
                                   f"{result.stderr[-4000:]}")

    try:
        return shared_folder(tmp_path_factory, "bilingual", make) / "site"
    except RuntimeError as failed:
        pytest.fail(str(failed), pytrace=False)
