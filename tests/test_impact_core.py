"""Working out which facts changed and which pages that touches, without MkDocs."""

from __future__ import annotations

import subprocess

from hooks.core.impact import affected_pages, committed_version, diff, load_yaml_text, related


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
    usage = {"levels.iop.hours_per_week.adults": ["compare.md", "levels/iop.md"], "levels.iop.name": ["index.md"]}
    assert affected_pages(changes, usage) == {"levels.iop.cost[1].min": [],
                                              "levels.iop.hours_per_week.adults.max": ["compare.md", "levels/iop.md"]}


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
