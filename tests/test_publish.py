"""The publish command swaps in a new site only after a successful strict build."""

from __future__ import annotations

import errno
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.spanish_samples import complete_spanish

from carekb.publish.target import write_marker

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "publish.py"


def _load_publish_module():
    spec = importlib.util.spec_from_file_location("publish_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_publish(*args: str | Path, script: Path = SCRIPT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)], env=env, capture_output=True, text=True
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every sub-folder (None) under `folder`, by relative path."""
    state: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        state[rel] = path.read_bytes() if path.is_file() else None
    return state


def leftovers(parent: Path, name: str) -> list[str]:
    """Temporary build or set-aside folders (or their build reports) that publish left beside the target."""
    places = [parent, parent / "build-report"]
    return sorted(p.name for place in places if place.is_dir() for p in place.iterdir() if p.name.startswith(f".{name}."))


def make_tiny_site(root: Path, page: str) -> Path:
    """A minimal MkDocs project (built-in theme) whose home page says `page`; returns its config."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text("site_name: Tiny\ndocs_dir: docs\n", encoding="utf-8")
    return config


def test_good_build_replaces_published_site(tmp_path: Path) -> None:
    """A second successful publish replaces the folder's contents with the new build, leaving no temp folders."""
    config = make_tiny_site(tmp_path, "# First edition\n")
    dest = tmp_path / "out" / "public"
    first = run_publish("--config", config, "--dest", dest)
    assert first.returncode == 0, first.stderr
    assert "First edition" in (dest / "index.html").read_text(encoding="utf-8")

    (dest / "stale.txt").write_text("from an older publish", encoding="utf-8")
    make_tiny_site(tmp_path, "# Second edition\n")
    second = run_publish("--config", config, "--dest", dest)
    assert second.returncode == 0, second.stderr
    home = (dest / "index.html").read_text(encoding="utf-8")
    assert "Second edition" in home and "First edition" not in home
    assert not (dest / "stale.txt").exists()
    assert leftovers(dest.parent, "public") == []


def test_failed_build_leaves_published_site_byte_for_byte(tmp_path: Path) -> None:
    """A build that fails under --strict (a broken link) leaves the published folder exactly as it was."""
    config = make_tiny_site(tmp_path, "# Good page\n")
    dest = tmp_path / "out" / "public"
    assert run_publish("--config", config, "--dest", dest).returncode == 0
    before, inode = snapshot(dest), dest.stat().st_ino

    make_tiny_site(tmp_path, "# Broken page\n\nSee [this](missing.md).\n")
    result = run_publish("--config", config, "--dest", dest)

    assert result.returncode != 0
    assert "missing.md" in result.stderr  # mkdocs' own warning, made fatal by --strict
    assert "was not changed" in result.stderr
    assert snapshot(dest) == before
    assert dest.stat().st_ino == inode
    assert leftovers(dest.parent, "public") == []


def test_failed_first_publish_creates_nothing(tmp_path: Path) -> None:
    """When there is no published site yet and the build fails, no target folder appears."""
    config = make_tiny_site(tmp_path, "[broken](nowhere.md)\n")
    dest = tmp_path / "out" / "public"
    result = run_publish("--config", config, "--dest", dest)
    assert result.returncode != 0
    assert not dest.exists()
    assert leftovers(dest.parent, "public") == []


def test_swap_without_exchange_puts_old_site_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Where folders cannot be exchanged in one step and moving the new build in fails, the old site is put back."""
    publish = _load_publish_module()
    from carekb.publish import staging

    config = make_tiny_site(tmp_path, "# New edition\n")
    dest = tmp_path / "out" / "public"
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("old site", encoding="utf-8")
    write_marker(dest)  # an earlier publish made it
    real_rename = os.rename

    def rename(src, dst):
        if Path(dst) == dest and ".staging-" in Path(src).name and "index.html" in os.listdir(src):
            if (Path(src) / "index.html").read_text(encoding="utf-8") != "old site":
                raise OSError(errno.EIO, "Input/output error", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    monkeypatch.setattr(staging.os, "rename", rename)
    code = publish.main(["--config", str(config), "--dest", str(dest)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Not published: Input/output error" in err and "Traceback" not in err
    assert (dest / "index.html").read_text(encoding="utf-8") == "old site"
    assert leftovers(dest.parent, "public") == []


# --- a project of ours (the tiny sample, or the real one for its staff handbook) -------------


def _published(project: Path) -> tuple[Path, Path]:
    """`project` with its public site published once by its own publish script."""
    result = run_publish("public", script=project / "scripts" / "publish.py")
    assert result.returncode == 0, f"the site does not build yet:\n{result.stderr[-3000:]}"
    dest = project / "publish" / "public"
    assert (dest / "index.html").is_file()
    assert leftovers(dest.parent, "public") == []
    return project, dest


@pytest.fixture
def published_project(tiny_project: Path) -> tuple[Path, Path]:
    """The tiny sample project (tests/tinyproject.py: the real hooks and publish script, a small
    fact base) with its public site published once by its own publish script."""
    return _published(tiny_project)


@pytest.fixture
def published_real_project(copy_project) -> tuple[Path, Path]:
    """A copy of the real project with its public site published once by its own publish script."""
    return _published(complete_spanish(copy_project()))  # publishing builds the Spanish site too


def _first_page(project: Path) -> Path:
    pages = sorted((project / "content").rglob("*.md"))
    assert pages, "content/ has no pages"
    return pages[0]


@pytest.mark.parametrize(
    "breakage",
    ["jinja typo in a page", "broken facts.yaml"],
)
def test_project_failed_publish_keeps_last_good_site(published_project, breakage: str) -> None:
    """A Jinja typo in a page or an unreadable facts.yaml stops the publish and keeps the last good site."""
    project, dest = published_project
    before = snapshot(dest)
    if breakage == "jinja typo in a page":
        page = _first_page(project)
        page.write_text(page.read_text(encoding="utf-8") + "\n{{ levels.iop.no_such_field }}\n", encoding="utf-8")
    else:
        facts = project / "facts.yaml"
        facts.write_text(facts.read_text(encoding="utf-8") + "\nlevels: [unclosed\n", encoding="utf-8")

    result = run_publish("public", script=project / "scripts" / "publish.py")

    assert result.returncode != 0
    assert snapshot(dest) == before
    assert leftovers(dest.parent, "public") == []


def test_real_project_staff_publishes_apart_from_public(published_real_project) -> None:
    """The staff handbook publishes to publish/staff/ and leaves publish/public/ alone."""
    project, public = published_real_project
    before = snapshot(public)
    result = run_publish("staff", script=project / "scripts" / "publish.py")
    assert result.returncode == 0, result.stderr[-3000:]
    staff = project / "publish" / "staff"
    assert (staff / "index.html").is_file()
    assert snapshot(public) == before
