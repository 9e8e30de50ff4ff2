"""The engine seam: ProperDocs 1.6.7 (a maintained fork of MkDocs 1.6.1 that keeps hooks) builds
both sites byte-identically to MkDocs, apart from the `<meta name="generator">` tag.

This is the migration path the README describes: if MkDocs 1.x stops installing, switch the
command to `properdocs` and nothing else changes.
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, mkdocs_build

_spec = importlib.util.spec_from_file_location("sitediff", REPO_ROOT / "scripts" / "sitediff.py")
sitediff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sitediff)


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each site built by MkDocs and by ProperDocs: {site: (mkdocs folder, properdocs folder)}."""
    root = tmp_path_factory.mktemp("engines")
    out = {}
    for name, config in sitediff.SITES.items():
        built = []
        for engine in ("mkdocs", "properdocs"):
            folder = root / f"{name}-{engine}"
            result = mkdocs_build(REPO_ROOT / config, folder, engine)
            assert result.returncode == 0, f"{engine} build of {config} failed:\n{result.stderr[-3000:]}"
            built.append(folder)
        out[name] = tuple(built)
    return out


@pytest.mark.parametrize("site", sorted(sitediff.SITES))
def test_properdocs_builds_the_site_identically(both_builds, site):
    made_by_mkdocs, made_by_properdocs = both_builds[site]
    assert sitediff.differences(made_by_mkdocs, made_by_properdocs, ignore_generator=True) == []


@pytest.mark.parametrize("site", sorted(sitediff.SITES))
def test_the_generator_tag_is_the_only_difference_and_names_each_engine(both_builds, site):
    made_by_mkdocs, made_by_properdocs = both_builds[site]
    index_m = (made_by_mkdocs / "index.html").read_text(encoding="utf-8")
    index_p = (made_by_properdocs / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-1.6.1, mkdocs-material-' in index_m
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in index_p
    found = sitediff.differences(made_by_mkdocs, made_by_properdocs)
    assert found, "the generator tags differ, so the strict comparison must see it"
    assert all(line.startswith("differs: ") and line.split()[1].endswith(".html") for line in found)


def test_the_comparison_sees_a_one_byte_change(both_builds, tmp_path):
    """The check above can fail: a changed byte, a missing file and an extra file are all named."""
    made_by_mkdocs, _ = both_builds["public"]
    changed = tmp_path / "changed"
    subprocess.run(["cp", "-a", str(made_by_mkdocs), str(changed)], check=True)
    page = changed / "levels" / "iop" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<h1", b"<h2", 1))
    (changed / "404.html").unlink()
    (changed / "extra.txt").write_text("x", encoding="utf-8")
    found = sitediff.differences(made_by_mkdocs, changed, ignore_generator=True)
    assert any(line.startswith("differs: levels/iop/index.html") for line in found)
    assert any(line.startswith("only in") and line.endswith("404.html") for line in found)
    assert any(line.startswith("only in") and line.endswith("extra.txt") for line in found)
