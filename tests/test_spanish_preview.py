"""The Spanish preview (`make serve-es`, `carekb-serve -f mkdocs.es.yml`): a save rebuilds only the
Spanish pages the change touches, ends where a clean build ends, and the open tab lists the
translations that are stale or missing (issue 22 points 1, 3 and 10).

A scripted series of saves runs against one in-process `Engine` on a copy of the project with a
complete translation; after each, the preview's folder is compared with a clean strict build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.preview import Engine
from engine.serve import PreviewServer
from tests.conftest import mkdocs_build
from tests.test_incremental_preview import edit, site_files


def same_as_clean(project: Path, engine: Engine, root: Path, name: str) -> None:
    clean = root / f"clean-{name}"
    result = mkdocs_build(project / "mkdocs.es.yml", clean)
    assert result.returncode == 0, result.stderr[-3000:]
    ours, theirs = site_files(engine.site_dir), site_files(clean)
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in theirs if ours[rel] != theirs[rel]] == [], f"after {name}"


@pytest.fixture(scope="module")
def preview(spanish_project: Path, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    root = tmp_path_factory.mktemp("spanish-preview")
    project = Path(shutil.copytree(spanish_project, root / "project", symlinks=True))
    engine = Engine(project / "mkdocs.es.yml", root / "preview" / "site")
    first = engine.build()
    assert first.full and first.rebuilt == first.total and first.notices == ()
    return project, engine, root


def test_saves_rebuild_only_the_spanish_pages_they_touch(preview):
    project, engine, root = preview
    texts, facts = project / "facts.es.yaml", project / "facts.yaml"

    # A Spanish text (not a name): the pages showing it.
    edit(texts, "sigue viviendo en su casa.", "sigue viviendo en su hogar.")
    result = engine.build({texts})
    assert not result.full and 1 <= result.rebuilt < result.total // 2, result
    assert result.notices == ()
    same_as_clean(project, engine, root, "text")

    # The English of a translated text changes: the pages showing it, now in English, marked;
    # the tab lists it.
    edit(facts, "Several hours of treatment on several days each week",
         "Several hours of care on several days each week")
    result = engine.build({facts})
    assert not result.full and result.rebuilt < result.total // 2
    assert any("levels.iop.summary: the English changed" in n for n in result.notices)
    same_as_clean(project, engine, root, "stale text")

    # An English page: only its Spanish twin.
    edit(project / "content" / "teens.md", "Treatment and school can work together.",
         "Treatment and school can go together.")
    engine.build({project / "content" / "teens.md"})
    edit(project / "content" / "teens.md", "can go together.", "can go well together.")
    result = engine.build({project / "content" / "teens.md"})
    assert (result.full, result.rebuilt) == (False, 1), result
    same_as_clean(project, engine, root, "english page")

    # A Spanish page: that page. A staff page: nothing.
    edit(project / "content" / "es" / "families.md", "\n# Para las familias\n\n", "\n# Para las familias\n\nHola. ")
    result = engine.build({project / "content" / "es" / "families.md"})
    assert (result.full, result.rebuilt) == (False, 1)
    result = engine.build({project / "content" / "staff" / "billing.md"})
    assert result.rebuilt == 0


def test_the_tab_lists_stale_and_missing_translations(preview):
    _, engine, _ = preview
    server = PreviewServer.__new__(PreviewServer)
    server.problems, server.notices = [], ("facts.es.yaml:9: crisis.lifeline.name: the English changed",
                                           "content/costs.md:1: costs.md: no Spanish page")
    page = server._inject_js_into_html(b"<html><head></head><body><p>x</p></body></html>", 1)
    assert b'role="status" id="preview-notice"' in page and b"crisis.lifeline.name" in page
    assert b"2 translation(s) are stale or missing" in page
    assert b"1 of them are about crisis help" in page and b"preview.css" in page
    server.notices = ()
    assert b"preview-notice" not in server._inject_js_into_html(b"<html><body></body></html>", 1)
