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

# Left out when the project is copied: environments, outputs and caches, never sources.
_NOT_COPIED = {
    ".git", ".venv", "site", "site-staff", "publish", "artifacts", "build-report",
    ".pytest_cache", "__pycache__", "node_modules",
}


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in _NOT_COPIED or n.endswith((".egg-info", ".pyc"))}


def mkdocs_build(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict -f config -d out` the way an editor would; never raises."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def copy_project(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that copies the project's sources into tmp_path (or `dest`) and returns it."""

    def copy(dest: Path | None = None) -> Path:
        target = dest or tmp_path / "project"
        shutil.copytree(REPO_ROOT, target, ignore=_ignore, symlinks=True)
        return target

    return copy


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
