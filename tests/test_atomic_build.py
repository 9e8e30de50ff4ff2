"""A failed `mkdocs build` never replaces or empties the last good site.

On the tiny sample project (tests/tinyproject.py: the real hooks, a small fact base), built
with `mkdocs build --strict` through MkDocs' command line in this process."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from carekb.publish.target import write_marker


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_builds_leave_the_last_good_site_untouched(tiny_project: Path, build: Callable,
                                                           tmp_path: Path) -> None:
    """A page typo, a --strict warning and broken facts each keep the good site, byte for byte."""
    project = tiny_project
    site = tmp_path / "site"
    first = build(project / "mkdocs.yml", site)
    assert first.returncode == 0, first.stderr[-2000:]
    good = _digest(site)
    assert "index.html" in good and (tmp_path / "build-report" / "site.json").exists()

    page = project / "content" / "faq.md"
    original = page.read_text(encoding="utf-8")
    facts = project / "facts.yaml"
    facts_text = facts.read_text(encoding="utf-8")
    breakages = [
        (page, original + "\n{{ levels.iop.hours_per_wek }}\n", "hours_per_wek"),
        (page, original + "\nIt takes 9 to 19 hours a week.\n", "by hand"),
        (facts, facts_text.replace("review_every_months: 12", "review_every_months: twelve", 1), "not a number"),
    ]
    for path, text, said in breakages:
        before = path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        try:
            result = build(project / "mkdocs.yml", site)
        finally:
            path.write_text(before, encoding="utf-8")
        assert result.returncode != 0, said
        assert said in result.stderr
        assert _digest(site) == good, f"the good site changed after: {said}"
        assert not list(tmp_path.glob("*site.*")), "no staging folder or lock file is left behind"


def test_a_good_build_replaces_the_site(tiny_project: Path, build: Callable, tmp_path: Path) -> None:
    """A successful build swaps in the new site and removes stale files of the old one (a site an
    earlier build made: it holds the marker)."""
    project = tiny_project
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    write_marker(site)
    result = build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (site / "index.html").exists() and not (site / "stale.html").exists()
    assert not list(tmp_path.glob("*site.*"))
