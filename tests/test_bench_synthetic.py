"""The synthetic fact bases the benchmarks build on are valid fact bases of the promised size."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# benchmarks/ is not part of the installed package; it runs from a checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import REAL_FACTS, SCALED, scale, write_scaled  # noqa: E402
from carekb.load.facts_yaml import load_facts  # noqa: E402
from carekb.pages.generated import generated_pages  # noqa: E402

FACTOR = 10


@pytest.fixture(scope="module")
def real():
    facts, _ = load_facts(REAL_FACTS)
    return facts


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory):
    path = write_scaled(FACTOR, tmp_path_factory.mktemp("bench") / "facts.yaml")
    facts, warnings = load_facts(path)
    return facts, warnings


def test_scaled_fact_base_loads_without_errors_or_warnings(scaled) -> None:
    """The 10x fact base passes the validator: no errors (load_facts would raise) and no warnings."""
    _, warnings = scaled
    assert [str(w) for w in warnings] == []


@pytest.mark.parametrize("section", SCALED)
def test_every_scaled_section_has_factor_times_the_entries(real, scaled, section: str) -> None:
    """Each copied section holds exactly 10 times the real file's entries, under new ids like cbt_10."""
    facts, _ = scaled
    real_ids = set(getattr(real, section))
    ids = set(getattr(facts, section))
    assert len(ids) == FACTOR * len(real_ids)
    assert real_ids <= ids
    assert {f"{i}_{FACTOR}" for i in real_ids} <= ids


def test_site_wide_sections_are_not_copied(real, scaled) -> None:
    """Crisis help and the self-check stay as they are: there is one of each per site."""
    facts, _ = scaled
    assert set(facts.crisis) == set(real.crisis)
    assert len(facts.self_check.questions) == len(real.self_check.questions)


def test_copies_point_at_their_own_set(real, scaled) -> None:
    """A copied level lists the copies of its modalities, formats, lower levels and sources."""
    facts, _ = scaled
    for level_id, level in real.levels.items():
        copy = facts.levels[f"{level_id}_7"]
        assert copy.modality_ids == [f"{m}_7" for m in level.modality_ids]
        assert copy.format_ids == [f"{f}_7" for f in level.format_ids]
        assert copy.steps_down_to_ids == [f"{lv}_7" for lv in level.steps_down_to_ids]
        assert copy.asam.sources == tuple(f"{s}_7" for s in level.asam.sources)
        assert sorted(copy.steps_up_to_ids) == sorted(f"{lv}_7" for lv in level.steps_up_to_ids)


def test_generated_pages_grow_with_the_factor(real, scaled) -> None:
    """Every copied level and modality gets its page, so generated pages grow about tenfold."""
    facts, _ = scaled
    real_pages = generated_pages(real)
    pages = generated_pages(facts)
    per_entity = [p for p in real_pages if p.src.count("/") and not p.src.endswith("index.md")]
    assert len(pages) == len(real_pages) + (FACTOR - 1) * len(per_entity)
    assert len({p.src for p in pages}) == len(pages)
    assert len({p.title for p in pages}) == len(pages)


def test_scale_refuses_a_factor_below_one() -> None:
    """A factor of 0 is a mistake, not an empty site."""
    with pytest.raises(ValueError):
        scale({}, 0)


def test_scaled_text_has_no_anchors_and_reads_as_the_scaled_data() -> None:
    """A value used twice is written twice, as an editor writes facts.yaml (the preview then
    re-reads an edited entry alone, as it does for the real file)."""
    import yaml

    from benchmarks.synthetic import scaled_text

    text = scaled_text(3)
    assert "&id0" not in text and "*id0" not in text
    assert yaml.safe_load(text) == scale(yaml.safe_load(REAL_FACTS.read_text(encoding="utf-8")), 3)


@pytest.mark.build  # benchmarks/site.py builds both sites
def test_the_floor_writes_the_pages_ours_writes(tmp_path: Path) -> None:
    """The floor build (no hooks) works and writes a page made from facts as our build does,
    description included; only the frozen crisis bar's links differ (they are the home page's)."""
    from benchmarks.site import prepare

    prep = prepare(tmp_path, 1)
    prep.build_ours()
    prep.build_floor()
    page = "levels/op/index.html"

    def lines(site: str) -> list[str]:
        html = (prep.project / site / page).read_text(encoding="utf-8")
        return [line for line in html.splitlines() if "kb-crisis" not in line]

    ours, floor = lines("site-ours"), lines("site-floor")
    described = [line for line in floor if 'name="description"' in line]
    assert described and "Plain-language guide" not in described[0]  # the level's, not the site's
    assert ours == floor


def test_libyaml_writes_the_text_pure_python_would() -> None:
    """scaled_text uses libyaml's emitter for speed; its text is the pure-Python emitter's, byte
    for byte (a different text would change what the benchmarks measure)."""
    import yaml

    from benchmarks import synthetic

    class PurePlain(yaml.SafeDumper):  # synthetic's dumper on the pure-Python emitter
        ignore_aliases = synthetic._Plain.ignore_aliases

    assert synthetic._DUMPER is yaml.CSafeDumper, "PyYAML was built without libyaml here"
    text = synthetic.scaled_text(3)
    data = scale(yaml.safe_load(REAL_FACTS.read_text(encoding="utf-8")), 3)
    pure = yaml.dump(data, Dumper=PurePlain, **synthetic.STYLE)
    assert text.split("\n", 1)[1] == pure
