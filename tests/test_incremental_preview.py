"""The incremental preview (engine/preview.py) always ends where a clean build of the same files ends.

A scripted series of edits runs against one in-process `Engine` on a copy of the project; after
each one the preview's site folder is compared file by file, byte for byte, with a clean
`mkdocs build --strict` of the same files (a copy of them, built in-process). sitemap.xml.gz is compared decompressed: gzip
stores the time it was written in its header.
"""

from __future__ import annotations

import gzip
import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from carekb.change.incremental import classify, fact_pages, reads, summary
from engine.preview import Engine
from tests.sitebuilds import build_in_process, copy_project_to


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path (sitemap.xml.gz decompressed)."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        out[path.relative_to(root).as_posix()] = data
    return out


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory):
    """A project copy and an Engine that has made its first (full) build of it."""
    root = tmp_path_factory.mktemp("preview")
    project = copy_project_to(root / "project")
    engine = Engine(project / "mkdocs.yml", root / "preview" / "site")
    first = engine.build()
    assert first.full and first.rebuilt == first.total
    return project, engine, root


def same_as_clean_build(project: Path, engine: Engine, root: Path, name: str) -> None:
    """Assert the preview's folder equals a clean strict build of the same files (copied as
    they are now, and built by `mkdocs build --strict` in this process: the preview's own copy
    keeps its hooks set up for the preview)."""
    clean = root / f"clean-{name}"
    files = shutil.copytree(project, root / f"files-{name}", symlinks=True)
    result = build_in_process(files / "mkdocs.yml", clean)
    assert result.returncode == 0, result.stderr[-3000:]
    ours, theirs = site_files(engine.site_dir), site_files(clean)
    assert sorted(ours) == sorted(theirs)
    differing = [rel for rel in theirs if ours[rel] != theirs[rel]]
    assert differing == [], f"after {name}: preview differs from a clean build in {differing}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_in_sequence_match_a_clean_build(preview) -> None:
    project, engine, root = preview
    facts, costs = project / "facts.yaml", project / "content" / "costs.md"
    same_as_clean_build(project, engine, root, "start")

    # A figure: only the pages that show it (and the sources page) are rendered again.
    edit(facts, "adults: {under: 9, source: asam3}", "adults: {under: 8, source: asam3}")
    result = engine.build({facts})
    assert not result.full and 1 < result.rebuilt < result.total
    same_as_clean_build(project, engine, root, "figure")
    # A cost, which pages format whole (the usage registry records the figure, not `about`).
    edit(facts, "    cost:\n      - about: 121\n", "    cost:\n      - about: 131\n")
    result = engine.build({facts})
    assert not result.full and 1 < result.rebuilt < result.total
    same_as_clean_build(project, engine, root, "cost")

    # Page prose: that page only (its citations did not change).
    edit(costs, "The cost of care depends on the level,",
         "The cost of care always depends on the level,")
    result = engine.build({costs})
    assert (result.full, result.rebuilt) == (False, 1)
    same_as_clean_build(project, engine, root, "prose")

    # A new citation: the page and the sources page, which lists the pages citing each source.
    edit(costs, "your health plan.", 'your health plan.{{ cite("nida_principles") }}')
    result = engine.build({costs})
    assert (result.full, result.rebuilt) == (False, 2)
    same_as_clean_build(project, engine, root, "citation")

    # A level's name is in the navigation of every page: a full rebuild.
    edit(facts, "name: Early intervention", "name: Early help")
    result = engine.build({facts})
    assert result.full
    same_as_clean_build(project, engine, root, "level name")

    # A broken save fails and leaves the last good preview; its fix brings the preview back.
    before = site_files(engine.site_dir)
    edit(costs, "# Costs and insurance", "# Costs and insurance {{ facts.no_such_thing( }}")
    with pytest.raises((Abort, SystemExit, Exception)):
        engine.build({costs})
    assert site_files(engine.site_dir) == before
    edit(costs, "# Costs and insurance {{ facts.no_such_thing( }}", "# Costs and insurance")
    engine.build({costs})
    same_as_clean_build(project, engine, root, "broken save fixed")

    # A page's own title (mkdocs.yml names it in the nav, so only this page shows it).
    edit(costs, "title: Costs and insurance", "title: Costs and health insurance")
    engine.build({costs})
    same_as_clean_build(project, engine, root, "title")
    # A new page: full.
    new = project / "content" / "new-page.md"
    new.write_text("---\nreviewed: 2026-11-29\n---\n\n# A new page\n\nThis page is new. It has two short sentences.\n",
                   encoding="utf-8")
    # (A page missing from the nav is a warning, so the editor lists it there too.)
    config = project / "mkdocs.yml"
    edit(config, "  - Sources: sources.md\n", "  - Sources: sources.md\n  - A new page: new-page.md\n")
    assert engine.build({new, config}).full
    same_as_clean_build(project, engine, root, "new page")

    # Then an incremental edit again, on top of all of it.
    edit(new, "It has two short sentences.", "It has two plain sentences.")
    result = engine.build({new})
    assert (result.full, result.rebuilt) == (False, 1)
    same_as_clean_build(project, engine, root, "new page edited")


def test_classify_sends_every_other_file_to_a_full_rebuild(tmp_path: Path) -> None:
    docs, facts = tmp_path / "content", tmp_path / "facts.yaml"
    assert classify({facts}, tmp_path, docs, facts) == ("facts", set())
    assert classify({docs / "a.md"}, tmp_path, docs, facts) == ("pages", {"a.md"})
    assert classify({docs / "a.md", facts}, tmp_path, docs, facts) == ("both", {"a.md"})
    for other in ("mkdocs.yml", "hooks/facts.py", "overrides/main.html", "content/assets/x.css"):
        assert classify({tmp_path / other}, tmp_path, docs, facts)[0] == "full", other
    # An editor's swap file changes nothing the site shows.
    assert classify({docs / ".a.md.swp"}, tmp_path, docs, facts) == ("none", set())


def test_fact_pages_falls_back_to_all_for_shared_or_structural_facts() -> None:
    page_facts = {"levels/iop.md": reads(["levels.iop.hours_per_week.adults"]), "index.md": []}
    old = {"levels": {"iop": {"name": "IOP", "hours_per_week": {"adults": {"min": 9}}}}}
    new = {"levels": {"iop": {"name": "IOP", "hours_per_week": {"adults": {"min": 8}}}}}
    assert fact_pages(old, new, page_facts) == {"levels/iop.md"}
    # A figure formatted whole records itself and its sources; its value is on that page.
    whole = {"levels/op.md": reads(["levels.op", "levels.op.cost[1]", "levels.op.cost[1].sources"]),
             "modalities/cbt.md": reads(["levels.op", "levels.op.name"])}
    cost = lambda about: {"levels": {"op": {"cost": [{"about": about, "source": "x"}]}}}  # noqa: E731
    assert fact_pages(cost(121), cost(130), whole) == {"levels/op.md"}
    renamed = {"levels": {"iop": {"name": "Intensive", "hours_per_week": {"adults": {"min": 9}}}}}
    assert fact_pages(old, renamed, page_facts) is None  # a name is in the nav
    added = {"levels": {"iop": {"name": "IOP", "hours_per_week": {"adults": {"min": 9, "max": 9}}}}}
    assert fact_pages(old, added, page_facts) is None  # a new field: when in doubt, all
    assert "3 of 40 pages rebuilt in 0.25 s" in summary(3, 40, 0.25, None, 0)


def test_engine_reports_a_broken_facts_file_and_recovers(preview, caplog) -> None:
    project, engine, root = preview
    facts = project / "facts.yaml"
    good = facts.read_text(encoding="utf-8")
    facts.write_text(good.replace("\nlevels:\n", "\nlevels:\n  - oops: [\n", 1), encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises((Abort, SystemExit, Exception)):
        engine.build({facts})
    facts.write_text(good, encoding="utf-8")
    engine.build({facts})
    same_as_clean_build(project, engine, root, "facts fixed")


SMALL_FACTS = """\
review_every_months: 12
sources:
  a:
    title: One & two   # a comment
    note: >-
      Folded text
      on two lines.
  b: {title: B, url: "https://b.example"}
# a comment at the margin

levels:
  op:
    name: Outpatient
    cost:
      - about: 121
        source: a
      - {min: 9, max: 19, source: [a, b]}
  iop:
    name: Intensive
    base: &base {min: 1}
    other: *base
crisis:
  - {name: X, call: "988"}
"""


def test_reload_data_equals_reading_the_whole_file() -> None:
    """Every one-line edit, deletion and duplication of a line: the partial reading gives the
    same data as reading the whole new text, and its parts the same diff."""
    from carekb.change.impact import diff, load_yaml_text
    from carekb.change.incremental import reload_data

    old = load_yaml_text(SMALL_FACTS)
    lines = SMALL_FACTS.split("\n")
    partial = 0
    for i in range(len(lines)):
        for how in ("append", "comment", "delete", "repeat"):
            edited = list(lines)
            if how == "delete":
                del edited[i]
            elif how == "repeat":
                edited.insert(i, edited[i])
            else:
                edited[i] += "9" if how == "append" else "  # note"
            text = "\n".join(edited)
            try:
                want = load_yaml_text(text)
            except Exception as error:  # a broken file is broken read either way
                with pytest.raises(type(error)):
                    reload_data(SMALL_FACTS, text, old, load_yaml_text)
                continue
            got, before, after = reload_data(SMALL_FACTS, text, old, load_yaml_text)
            assert got == want, (i, how)
            assert diff(before, after) == diff(old, want), (i, how)
            partial += before is not old
    assert partial > 20  # most edits inside an entry were read alone


def test_reload_data_reads_one_entry_for_a_figure_and_all_when_unsure() -> None:
    from carekb.change.impact import load_yaml_text
    from carekb.change.incremental import reload_data

    old = load_yaml_text(SMALL_FACTS)
    figure = SMALL_FACTS.replace("about: 121", "about: 131")
    got, before, after = reload_data(SMALL_FACTS, figure, old, load_yaml_text)
    assert before == {"levels": {"op": old["levels"]["op"]}}
    assert after["levels"]["op"]["cost"][0]["about"] == 131
    assert got["sources"] is old["sources"]  # the rest is shared, not read again
    # An entry whose anchor is used elsewhere, a renamed entry, a list section: the whole file.
    for edited in (SMALL_FACTS.replace("{min: 1}", "{min: 2}"),
                   SMALL_FACTS.replace("  op:\n", "  opx:\n"),
                   SMALL_FACTS.replace('call: "988"', 'call: "989"')):
        got, before, after = reload_data(SMALL_FACTS, edited, old, load_yaml_text)
        assert before is old and after is got == load_yaml_text(edited)


def test_config_reader_validates_afresh_what_it_parsed_once(tmp_path: Path, monkeypatch) -> None:
    """engine/reuse.py: each load is a new config equal to MkDocs' own load_config's; a file
    with a YAML tag (here in the file it INHERITs) is read by load_config every time."""
    from mkdocs.config import load_config

    from engine.reuse import ConfigReader
    from tests.conftest import REPO_ROOT

    keys = ("site_name", "nav", "extra", "markdown_extensions", "mdx_configs", "strict",
            "site_dir", "docs_dir", "extra_css", "watch")
    config_file = REPO_ROOT / "mkdocs.staff.yml"
    reader = ConfigReader(config_file)
    theirs = load_config(str(config_file), site_dir=str(tmp_path / "site"), strict=False)
    first = reader.load(site_dir=str(tmp_path / "site"), strict=False)
    first["extra"]["changed_by_a_hook"] = True
    second = reader.load(site_dir=str(tmp_path / "site"), strict=False)
    assert second is not first and "changed_by_a_hook" not in second["extra"]
    assert {k: second[k] for k in keys} == {k: theirs[k] for k in keys}

    (tmp_path / "base.yml").write_text("site_name: !ENV [KB_TEST_SITE_NAME, Fallback]\n"
                                       "docs_dir: docs\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    tagged = ConfigReader(tmp_path / "mkdocs.yml")
    monkeypatch.delenv("KB_TEST_SITE_NAME", raising=False)
    assert tagged.load()["site_name"] == "Fallback"
    monkeypatch.setenv("KB_TEST_SITE_NAME", "From the environment")
    assert tagged.load()["site_name"] == "From the environment"
