"""Shared fixtures: where the project is, a throwaway copy of it, and one public build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

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

# Left out when the project is copied: environments, outputs and caches, never sources.
_NOT_COPIED = {
    ".git", ".venv", "site", "site-staff", "publish", "artifacts", "build-report",
    ".pytest_cache", "__pycache__", "node_modules",
}


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in _NOT_COPIED or n.endswith((".egg-info", ".pyc"))}


def mkdocs_build(config: Path, out: Path, engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict -f config -d out` the way an editor would (`engine`:
    "properdocs" builds with ProperDocs instead); never raises."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def copy_project_to(target: Path) -> Path:
    """Copy the project's sources (no environments, outputs or caches) to `target`."""
    shutil.copytree(REPO_ROOT, target, ignore=_ignore, symlinks=True)
    return target


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
def build() -> Callable[[Path, Path], subprocess.CompletedProcess[str]]:
    """The strict build command as a function `(config, out) -> CompletedProcess`."""
    return mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site, built once per session with --strict; the folder holding index.html."""
    out = tmp_path_factory.mktemp("public-site")
    result = mkdocs_build(REPO_ROOT / "mkdocs.yml", out)
    if result.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict of the public site failed (exit {result.returncode}):\n"
            f"{result.stderr[-4000:]}",
            pytrace=False,
        )
    return out


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
    """A copy of the project with a complete Spanish translation (tests/spanish_samples.py):
    read it, never change it (copy it first: `copy_spanish_project`)."""
    from tests.spanish_samples import complete_spanish

    return complete_spanish(copy_project_to(tmp_path_factory.mktemp("spanish") / "project"))


@pytest.fixture
def copy_spanish_project(spanish_project: Path, tmp_path: Path) -> Callable[[], Path]:
    """A function returning a fresh copy of `spanish_project` to change."""

    def copy() -> Path:
        return Path(shutil.copytree(spanish_project, tmp_path / "project", symlinks=True))

    return copy


@pytest.fixture(scope="session")
def bilingual_site(spanish_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both public sites of `spanish_project`, built once per session as `make build` lays them
    out: English in the folder returned, Spanish in its es/."""
    out = tmp_path_factory.mktemp("bilingual") / "site"
    for config, dest in (("mkdocs.yml", out), ("mkdocs.es.yml", out / "es")):
        result = mkdocs_build(spanish_project / config, dest)
        if result.returncode != 0:
            pytest.fail(f"mkdocs build --strict -f {config} failed (exit {result.returncode}):\n"
                        f"{result.stderr[-4000:]}", pytrace=False)
    return out
