"""The Spanish site lives in es/ of the public site: builds and publishes never delete what the
other language made (issue 22 point 1).

`make build` order (English into site/, then Spanish into site/es/) and the reverse both work;
an English build carries the live es/ into its new site; a site in one language never replaces
one in another; both builds into one site take turns (one lock); `make publish` builds both into
one staging folder and swaps once, reports beside the published folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from carekb.publish.target import Refused, check_audience, check_target, write_marker
from carekb.publish.staging import Stage, in_staging


def build_both(build, project: Path, site: Path, order=("mkdocs.yml", "mkdocs.es.yml")) -> None:
    for config in order:
        dest = site / "es" if config == "mkdocs.es.yml" else site
        result = build(project / config, dest)
        assert result.returncode == 0, (config, result.stderr[-3000:])


def test_an_english_build_keeps_the_live_spanish_site_and_the_reverse(copy_spanish_project, build):
    project = copy_spanish_project()
    site = project / "site"
    build_both(build, project, site, order=("mkdocs.es.yml", "mkdocs.yml"))  # Spanish first
    spanish = (site / "es" / "index.html").read_bytes()
    build_both(build, project, site, order=("mkdocs.yml",))  # English again: es/ stays
    assert (site / "es" / "index.html").read_bytes() == spanish
    assert json.loads((site / "es" / ".carekb-site").read_text())["language"] == "es"
    assert "language" not in json.loads((site / ".carekb-site").read_text())
    reports = sorted(p.name for p in (project / "build-report").iterdir())
    assert reports == ["site.es.json", "site.json"], reports
    assert not list(site.glob(".*staging*")) and not (site / "build-report").exists()


def test_a_site_in_one_language_never_replaces_one_in_another(copy_spanish_project, build):
    project = copy_spanish_project()
    site = project / "site"
    build_both(build, project, site)
    wrong = build(project / "mkdocs.yml", site / "es")
    assert wrong.returncode != 0
    assert "holds the site in es, and this is the site in en" in wrong.stdout + wrong.stderr
    assert json.loads((site / "es" / ".carekb-site").read_text())["language"] == "es"


def test_a_folder_holding_only_a_spanish_site_is_ours(tmp_path):
    site = tmp_path / "site"
    (site / "es").mkdir(parents=True)
    write_marker(site / "es", "Guía", "public", "es")
    check_target(site)  # accepted: nothing in it would be lost
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    try:
        check_target(site)
    except Refused as refused:
        assert "notes.txt" in refused.reason
    else:
        raise AssertionError("a folder with other files was accepted")


def test_languages_are_checked_at_the_swap(tmp_path):
    live, new = tmp_path / "live", tmp_path / "new"
    live.mkdir(), new.mkdir()
    write_marker(live, "Guide", "public")
    write_marker(new, "Guía", "public", "es")
    try:
        check_audience(live, new)
    except Refused as refused:
        assert "site in en" in refused.reason and "site in es" in refused.reason
    else:
        raise AssertionError("the Spanish site replaced the English one")


def test_the_nested_site_takes_the_outer_sites_lock(tmp_path):
    outer = Stage(tmp_path / "site")
    inner = Stage(tmp_path / "site" / "es", nested=True)
    assert outer._lock.path == inner._lock.path == tmp_path / ".site.lock"
    assert in_staging(tmp_path / ".public.staging-1-ab" / "es") and not in_staging(tmp_path / "site" / "es")


def test_publishing_swaps_both_languages_once_with_their_reports(copy_spanish_project):
    from tests.test_translations import publish

    project = copy_spanish_project()
    result = publish(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "English, and Spanish in es/" in result.stdout
    live = project / "publish" / "public"
    assert (live / "index.html").is_file() and (live / "es" / "index.html").is_file()
    reports = sorted(p.name for p in (project / "publish" / "build-report").iterdir())
    assert reports == ["public.es.json", "public.json"], reports
    assert not [p for p in (project / "publish").iterdir() if "staging" in p.name]
