"""Working out which facts changed and which pages that touches, without MkDocs."""

from __future__ import annotations

import subprocess

from carekb.change.impact import affected_pages, committed_version, diff, load_yaml_text, related, shown_paths


OLD = """
levels:
  iop:
    hours_per_week:
      adults: {min: 9, max: 19, source: asam3}
    cost:
      - {min: 250, max: 350, per: day, as_of: 2024, source: avenues}
    modalities: [cbt, dbt]
"""


def test_diff_names_leaf_paths_in_model_notation():
    """A changed max, a changed list item and a new field each get their own fact path."""
    new = (OLD.replace("max: 19", "max: 18").replace("min: 250", "min: 260")
           .replace("    modalities: [cbt, dbt]", "    modalities: [cbt]\n    lives: At home"))
    changes = {c.path: c for c in diff(load_yaml_text(OLD), load_yaml_text(new))}
    assert set(changes) == {"levels.iop.hours_per_week.adults.max", "levels.iop.cost[1].min",
                            "levels.iop.modalities", "levels.iop.lives"}
    assert changes["levels.iop.hours_per_week.adults.max"].describe().endswith("(19 → 18)")
    assert changes["levels.iop.lives"].kind == "added"


def test_related_paths_match_by_ancestry_only():
    """A page using a figure is touched by a change inside it, but not by a sibling's change."""
    assert related("levels.iop.hours_per_week.adults.max", "levels.iop.hours_per_week.adults")
    assert related("levels.iop.cost[1].min", "levels.iop.cost")
    assert related("levels.iop", "levels.iop.name")
    assert not related("levels.iop.hours_per_week.adults.max", "levels.iop.hours_per_week.adolescents")
    assert not related("levels.iopx.name", "levels.iop")


def test_affected_pages_lists_pages_per_changed_fact():
    """Each changed fact lists the pages that show it; unused facts list none."""
    changes = diff(load_yaml_text(OLD), load_yaml_text(OLD.replace("max: 19", "max: 18")
                                                         .replace("min: 250", "min: 1")))
    page_facts = {"compare.md": ["levels.iop", "levels.iop.hours_per_week.adults"],
                  "levels/iop.md": ["levels.iop.hours_per_week.adults"], "index.md": ["levels.iop", "levels.iop.name"]}
    assert affected_pages(changes, page_facts) == {"levels.iop.cost[1].min": [],
                                                   "levels.iop.hours_per_week.adults.max": ["compare.md", "levels/iop.md"]}


def test_model_attributes_map_back_to_the_fields_editors_write():
    """A page showing a level's label shows its name and abbr; `sources` comes from `source`."""
    assert shown_paths(["levels.iop", "levels.iop.label", "modalities.cbt.sources"]) == {
        "levels.iop.name", "levels.iop.abbr", "modalities.cbt.source", "modalities.cbt.sources"}


def test_changing_a_levels_list_touches_what_the_model_derives_from_it():
    """Adding a therapy to a level changes that therapy's list of levels too."""
    old = load_yaml_text("levels:\n  iop:\n    modalities: [cbt]\n")
    new = load_yaml_text("levels:\n  iop:\n    modalities: [cbt, dbt]\n")
    pages = {"modalities/dbt.md": ["modalities.dbt.level_ids"], "modalities/cbt.md": ["modalities.cbt.level_ids"]}
    assert affected_pages(diff(old, new), pages) == {"levels.iop.modalities": ["modalities/dbt.md"]}


def test_names_in_the_navigation_and_crisis_numbers_touch_every_page():
    """Facts the theme shows on every page are reported against every page."""
    old = load_yaml_text("crisis:\n  lifeline: {call: '988'}\nlevels:\n  iop: {name: A}\n")
    new = load_yaml_text("crisis:\n  lifeline: {call: '989'}\nlevels:\n  iop: {name: B}\n")
    pages = {"a.md": [], "b.md": ["sources.x"]}
    assert affected_pages(diff(old, new), pages) == {"crisis.lifeline.call": ["a.md", "b.md"],
                                                     "levels.iop.name": ["a.md", "b.md"]}


def test_a_new_review_date_touches_every_page_showing_that_entry():
    """Review dates are shown per page, from every entry the page used."""
    old = load_yaml_text("levels:\n  iop: {reviewed: 2026-01-01}\n")
    new = load_yaml_text("levels:\n  iop: {reviewed: 2026-02-01}\n")
    pages = {"a.md": ["levels.iop.fits"], "b.md": ["levels.op.fits"]}
    assert affected_pages(diff(old, new), pages) == {"levels.iop.reviewed": ["a.md"]}


def test_committed_version_reads_git_head(tmp_path):
    """The comparison base is the file as git's last commit has it."""
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    f = tmp_path / "facts.yaml"
    f.write_text("a: 1\n")
    git("add", "facts.yaml")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    f.write_text("a: 2\n")
    assert committed_version(f) == "a: 1\n"
    assert committed_version(tmp_path / "missing.yaml") is None


def test_a_figure_shown_with_its_sources_is_touched_by_a_change_to_its_numbers():
    """A page that formats a figure whole and cites it reads the figure and its `.sources`: a new
    maximum changes that page; a page that read the level only for its name is left alone."""
    old = load_yaml_text("levels:\n  iop:\n    days_per_week: {min: 3, max: 5, source: aliya}\n")
    new = load_yaml_text("levels:\n  iop:\n    days_per_week: {min: 3, max: 4, source: aliya}\n")
    pages = {"faq.md": ["levels.iop", "levels.iop.days_per_week", "levels.iop.days_per_week.sources"],
             "week.md": ["levels.iop.days_per_week", "levels.iop.days_per_week.max"],
             "other.md": ["levels.iop", "levels.iop.name"]}
    assert affected_pages(diff(old, new), pages) == {"levels.iop.days_per_week.max": ["faq.md", "week.md"]}


def test_the_field_map_the_builders_declare_names_real_attributes_and_fields():
    """`Field.feeds`, `Obj.computed` and `Obj.derives` name attributes the model has and fields
    facts.yaml has, so the impact report cannot map a page's read to a field that does not exist."""
    import dataclasses

    from carekb.model import facts as model
    from carekb.load.facts_yaml import DERIVED, ROOT
    from carekb.load.spec.shapes import Obj, blocks, model_fields

    attributes = set()
    for cls in vars(model).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            attributes |= {f.name for f in dataclasses.fields(cls)}
            attributes |= {name for name, value in vars(cls).items() if isinstance(value, property)}
    fields = {alias for _, block in blocks(ROOT) for name, f in block.fields.items() for alias in (name, *f.aliases)}
    mapped = model_fields(ROOT)
    assert {"label", "sources", "modality_ids", "review_due", "staff_only", "tel"} <= set(mapped)
    for attribute, names in mapped.items():
        assert attribute in attributes, attribute
        assert set(names) <= fields, (attribute, names)
    assert {(d.section, d.field) for d in DERIVED} == {("levels", "modalities"), ("levels", "formats"),
                                                      ("levels", "steps_down_to")}
    for d in DERIVED:
        assert {d.attribute, d.target_attribute} <= attributes and isinstance(ROOT.fields[d.target].spec.item, Obj)
