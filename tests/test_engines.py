"""The engine seam: ProperDocs 1.6.7 (a maintained fork of MkDocs 1.6.1 that keeps hooks) builds
both sites byte-identically to MkDocs, apart from the `<meta name="generator">` tag, and every
gate fails a strict build the same way under either engine, with and without `-q`.

This is the migration path the README describes: if MkDocs 1.x stops installing, switch the
command to `properdocs` and nothing else changes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, mkdocs_build

_spec = importlib.util.spec_from_file_location("sitediff", REPO_ROOT / "scripts" / "sitediff.py")
sitediff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sitediff)


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory, real_site) -> dict[str, tuple[Path, Path]]:
    """Each site built by MkDocs (the run's shared build) and by ProperDocs (as a command):
    {site: (mkdocs folder, properdocs folder)}."""
    root = tmp_path_factory.mktemp("engines")
    out = {}
    for name, config in sitediff.SITES.items():
        folder = root / f"{name}-properdocs"
        result = mkdocs_build(REPO_ROOT / config, folder, "properdocs")
        assert result.returncode == 0, f"properdocs build of {config} failed:\n{result.stderr[-3000:]}"
        out[name] = (real_site(config), folder)
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


def test_properdocs_builds_the_spanish_site_identically(spanish_project, tmp_path):
    """The Spanish site (mkdocs.es.yml, INHERIT, its own search and hooks' language) too, from a
    project whose translation is complete (tests/spanish_samples.py)."""
    made = []
    for engine in ("mkdocs", "properdocs"):
        folder = tmp_path / f"es-{engine}" / "es"
        result = mkdocs_build(spanish_project / "mkdocs.es.yml", folder, engine)
        assert result.returncode == 0, f"{engine} build of mkdocs.es.yml failed:\n{result.stderr[-3000:]}"
        assert '<html lang="es"' in (folder / "index.html").read_text(encoding="utf-8")
        made.append(folder)
    assert sitediff.differences(*made, ignore_generator=True) == []


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


# --- the gates fail the same way under both engines, with and without -q ---------------------

GATE_PAGE = "content/gate.md"
# A small site (the generated pages, the home page and the page under test) of the tiny sample
# project (tests/tinyproject.py), built by each engine's console script, as an editor types it:
# the gates are the same, the builds faster.
GATE_CONFIG = """INHERIT: mkdocs.yml
nav:
  - Home: index.md
  - Gate: gate.md
exclude_docs: |
  /*.md
  /es/
  !/index.md
  !/gate.md
"""
HARD = ("Notwithstanding institutional considerations, multidisciplinary therapeutic interventions "
        "necessitate comprehensive individualized documentation.")
# What each gate refuses, and what its message says. The warnings (a figure typed by hand, a
# page over its reading grade, a review overdue in facts.yaml) share one page: a strict build
# lists them all. Each security finding stops the build on its own.
GATES = {
    "warnings": (f"If you are in crisis, call 988.\n\n{HARD}\n",
                 ("is typed by hand", "reading grade", "its review was due on")),
    "privacy": ('<img src="https://tracker.example/x.gif" alt="">\n', ("privacy: ",)),
    "staff-link": ("See [billing](staff/billing.md).\n", ("links to staff-only",)),
    # The raw-HTML allow-list (carekb/checks/sanitize.py) refuses it as the editor wrote it.
    "unsafe": ("<script>alert(1)</script>\n", ("raw HTML: the element <script> is not allowed",)),
}
_LEVEL = re.compile(r"^(?:ERROR|WARNING|INFO|DEBUG)\s+-\s+", re.M)


@pytest.fixture(scope="module")
def gate_project(tmp_path_factory: pytest.TempPathFactory, tiny_copier) -> Path:
    """The tiny sample project with one review overdue and the small config above."""
    root = tiny_copier(tmp_path_factory.mktemp("gates") / "project")
    facts = root / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("reviewed: 2026-11-01", "reviewed: 2020-01-02", 1), encoding="utf-8")
    (root / "gates.yml").write_text(GATE_CONFIG, encoding="utf-8")
    return root


def _errors(stderr: str) -> list[str]:
    """The build's ERROR messages (with their continuation lines), as the engine printed them,
    minus hooks/atomic's line, which names the output folder."""
    blocks = [b.strip() for b in re.split(r"(?m)^(?=ERROR\s+-)", stderr) if b.startswith("ERROR")]
    return [_LEVEL.sub("", b.split("\n\nAborted")[0]) for b in blocks if "hooks/atomic" not in b]


@pytest.mark.parametrize("gate", sorted(GATES))
def test_every_gate_fails_strict_builds_the_same_way_under_both_engines(gate_project, gate, tmp_path):
    """`build --strict` and `build --strict -q` under MkDocs and under ProperDocs (their console
    scripts, as typed in the venv): each exits non-zero with the same located message."""
    body, says = GATES[gate]
    (gate_project / GATE_PAGE).write_text(
        f"---\ntitle: Gate\nreviewed: 2026-11-01\n---\n\n# Gate\n\nA short page.\n\n{body}",
        encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    runs = {}  # the four builds run side by side
    for engine in ("mkdocs", "properdocs"):
        for flags in (("--strict",), ("--strict", "-q")):
            out = tmp_path / f"{engine}{len(flags)}"
            runs[f"{engine} build {' '.join(flags)}"] = out, subprocess.Popen(
                [str(bin_dir / engine), "build", *flags, "-f", "gates.yml", "-d", str(out)],
                cwd=gate_project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True)
    seen = {}
    for name, (out, run) in runs.items():
        _, stderr = run.communicate(timeout=300)
        assert run.returncode != 0, f"{name} passed with a {gate} problem:\n{stderr[-3000:]}"
        assert "Traceback" not in stderr, stderr[-3000:]
        assert not (out / "index.html").exists(), f"{name} wrote a site"
        errors = _errors(stderr)
        for words in says:
            assert any(words in e for e in errors), f"{name}: no {words!r} in\n{stderr[-3000:]}"
        seen[name] = errors
    first = next(iter(seen.values()))
    assert all(errors == first for errors in seen.values()), seen
    if gate == "warnings":
        assert first[0].startswith("--strict: ") and "content/gate.md" in first[0], first
