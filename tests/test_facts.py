"""The fact base: the real facts.yaml validates, and every kind of bad input gets one
located, plain-words message (file, line, field path) and never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from carekb.cli import check
from carekb.load.facts_yaml import FactsError, load_facts, read_facts
from carekb.base.problems import ERROR, WARNING
from carekb.load.schema import schema, schema_text
from tests.factsamples import CHECK

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)

# A small but complete fact base (tests/samples/). Variants below change one thing each.
GOOD = CHECK


def write(tmp_path: Path, text: str | bytes, name: str = "facts.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` in the variant."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in variant")


def sub(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


# (id, variant text, line marker (text on the expected line) or a line number, field path, message pattern)
BROKEN = [
    ("duplicate key", sub("      adolescents: {min: 6", "      adults: {min: 9, max: 20, source: asam3}\n"
                          "      adolescents: {min: 6"),
     "max: 20", "levels.iop.hours_per_week.adults", r"`adults` is given twice \(first on line \d+\).*keep only the last"),
    ("tab indentation", sub("    lives: At home\n    hours", "\tlives: At home\n    hours"),
     "\tlives", "", r"tab character.*YAML needs spaces"),
    ("no read as boolean", sub("    lives: At home\n    hours", "    lives: no\n    hours"),
     "lives: no", "levels.iop.lives", r"`no` is read by YAML as a yes/no value.*quotes: \"no\""),
    ("off read as boolean", sub("name: Group therapy", "name: off"),
     "name: off", "formats.group.name", r"`off` is read by YAML as a yes/no value"),
    ("1:30 read as a number", sub("description: Changing thoughts and habits.", "description: 1:30"),
     "description: 1:30", "modalities.cbt.description", r"`1:30` is read by YAML as the number 90"),
    ("1:30 in a number field", sub("{min: 8, max: 12, unit: weeks", "{min: 1:30, max: 12, unit: weeks"),
     "min: 1:30", "levels.iop.length_of_stay[1].min", r"`1:30` is not a number"),
    ("misspelled field", sub("    hours_per_week:\n      adults: {min: 9", "    hours_per_wek:\n      adults: {min: 9"),
     "hours_per_wek", "levels.iop.hours_per_wek", r"not a known field.*did you mean `hours_per_week`\?"),
    ("unknown section", sub("glossary:", "glosary:"),
     "glosary:", "glosary", r"did you mean `glossary`\?"),
    ("dangling level reference", sub("steps_down_to: [op]", "steps_down_to: [opp]"),
     "steps_down_to", "levels.iop.steps_down_to[1]", r"`opp` is not one of the levels.*did you mean `op`\?.*`iop`"),
    ("dangling modality reference", sub("    modalities: [cbt]\n    formats", "    modalities: [cbtt]\n    formats"),
     "[cbtt]", "levels.iop.modalities[1]", r"`cbtt` is not one of the modalities.*did you mean `cbt`\?"),
    ("dangling source reference", sub("adults: {min: 9, max: 19, source: asam3}", "adults: {min: 9, max: 19, source: asam4}"),
     "source: asam4", "levels.iop.hours_per_week.adults.source", r"`asam4` is not one of the sources.*`asam3`"),
    ("figure without a source", sub("adolescents: {min: 6, max: 19, source: asam3}", "adolescents: {min: 6, max: 19}"),
     "adolescents", "levels.iop.hours_per_week.adolescents.source", r"`source` is missing.*sources in this file: asam3, seed"),
    ("min greater than max", sub("adults: {min: 9, max: 19", "adults: {min: 20, max: 19"),
     "min: 20", "levels.iop.hours_per_week.adults.min", r"min 20 is greater than max 19"),
    ("impossible date", sub("reviewed: 2026-11-01", "reviewed: 2026-02-30"),
     "2026-02-30", "sources.asam3.reviewed", r"not a real date: February 2026 has 28 days"),
    ("month 13", sub("reviewed: 2026-11-01", "reviewed: 2026-13-01"),
     "2026-13-01", "sources.asam3.reviewed", r"there is no month 13"),
    ("date in the future", sub("reviewed: 2026-11-01", "reviewed: 2027-01-05"),
     "2027-01-05", "sources.asam3.reviewed", r"review date 2027-01-05 is in the future"),
    ("empty file", "", 1, "", r"the file is empty"),
    ("only comments", "# nothing here\n\n", 1, "", r"the file is empty"),
    ("not UTF-8", GOOD.replace("At home", "Chez soi \u00e0 la maison", 1).encode("latin-1"),
     "Chez soi", "", r"not UTF-8 text \(byte 0xe0"),
    ("truncated file", GOOD[: GOOD.index("modalities:\n  cbt:")], 1, "modalities",
     r"the `modalities:` section is missing.*cut short"),
    ("unclosed quote", sub('call: "911"', 'call: "911'), "call: \"911", "", r"quote"),
    ("HTML in a fact", sub("description: A small group led by a counselor.",
                           "description: <script>alert('hi')</script>"),
     "<script>", "formats.group.description", r"contains HTML code.*never run as code"),
    ("template code in a fact", sub("summary: A session or two a week.", "summary: '{{ 7 * 7 }}'"),
     "7 * 7", "levels.op.summary", r"contains template code"),
    ("number in quotes", sub("adults: {min: 9, max: 19", 'adults: {min: "9", max: 19'),
     'min: "9"', "levels.iop.hours_per_week.adults.min", r"in quotes, so it is text.*remove the quotes: 9"),
    ("dollar sign and commas", sub("      - {min: 250, max: 350, per: day, as_of: 2024, source: seed, kind: price}",
                                   "      - min: $2,500\n        max: 3500\n        per: day\n        as_of: 2024\n"
                                   "        source: seed\n        kind: price"),
     "$2,500", "levels.iop.cost[1].min", r"not a plain number.*without \$ or commas: 2500"),
    ("cost without a date", sub(", per: day, as_of: 2024, source: seed, kind: price}", ", per: day, source: seed, kind: price}"),
     "per: day", "levels.iop.cost[1].as_of", r"this price does not say when it is from"),
    ("length of stay without unit", sub("{min: 8, max: 12, unit: weeks, measures: typical, source: seed}",
                                        "{min: 8, max: 12, measures: typical, source: seed}"),
     "{min: 8, max: 12", "levels.iop.length_of_stay[1].unit", r"needs a `unit`"),
    ("category misspelled", sub("category: psychotherapy", "category: psychoterapy"),
     "psychoterapy", "modalities.cbt.category", r"did you mean `psychotherapy`\?"),
    ("invalid id", sub("  group:\n    name: Group", "  Group-Sessions:\n    name: Group"),
     "Group-Sessions", "formats.Group-Sessions", r"not a valid id.*`group_sessions`"),
    ("glossary repeats an abbreviation", sub("    term: SUD\n    stands_for: Substance use disorder",
                                             "    term: IOP\n    stands_for: Intensive outpatient program"),
     "  sud:", "glossary.sud", r"`IOP` is already defined by levels.iop"),
    ("crisis number missing", sub("  emergency:\n    name: Emergency services\n    description: Immediate danger.\n"
                                  "    call: \"911\"\n    source: seed\n    reviewed: 2026-11-01\n", ""),
     "crisis:", "crisis.emergency", r"`emergency` is missing: the crisis help"),
    ("merge key", sub("    lives: At home\n    hours", "    <<: {lives: At home}\n    hours"),
     "<<", "levels.iop", r"merge\) is not supported"),
    ("source without year or accessed date", sub("    year: 2024\n    confidence: provider", "    confidence: provider"),
     "title: A provider article", "sources.seed.year", r"needs `year`.*or.*`accessed`"),
    ("cost without its kind", sub("as_of: 2024, source: seed, kind: price}", "as_of: 2024, source: seed}"),
     "{min: 250, max: 350, per: day", "levels.iop.cost[1].kind",
     r"`kind` is missing: a cost needs what kind of number it is\. Fix: add `kind: price`"),
    ("length of stay without what it measures", sub("unit: weeks, measures: typical, source: seed}",
                                                    "unit: weeks, source: seed}"),
     "{min: 8, max: 12", "levels.iop.length_of_stay[1].measures",
     r"`measures` is missing: a length of stay needs what it measures\. Fix: add `measures: typical`"),
    ("source without a web address", sub("    url: https://example.org/seed\n", ""),
     "title: A provider article", "sources.seed.url",
     r"`url` is missing\. Fix: add `url:` \(the web address where a reader can check it; a source without one"),
    ("source kind misspelled", sub("    kind: provider\n", "    kind: providr\n"),
     "kind: providr", "sources.seed.kind", r"did you mean `provider`\?"),
    ("list where text is expected", sub("    lives: At home\n    hours", "    lives: [home]\n    hours"),
     "[home]", "levels.iop.lives", r"should be text, not a list"),
]


@pytest.mark.parametrize("name,text,where,path,pattern", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_variant_is_reported_with_line_and_field(tmp_path, name, text, where, path, pattern):
    """Each kind of bad input gives a located, plain-words error naming the field."""
    file = write(tmp_path, text)
    facts, problems = read_facts(file, today=TODAY)
    assert facts is None
    errors = [p for p in problems if p.severity == ERROR]
    assert errors, "expected at least one error"
    if isinstance(where, int):
        line = where
    else:
        raw = text.decode("latin-1") if isinstance(text, bytes) else text
        line = line_of(raw, where)
    matching = [p for p in errors if re.search(pattern, p.message + " Fix: " + (p.hint or ""))]
    assert matching, f"no error matches {pattern!r}: {[str(p) for p in errors]}"
    p = matching[0]
    assert p.file == "facts.yaml"
    assert p.line == line, str(p)
    assert p.path == path, str(p)
    assert str(p).startswith(f"facts.yaml:{line}:")


def test_good_fixture_is_valid():
    """The fixture every variant starts from is itself free of problems."""
    facts, problems = read_facts(write_tmp(GOOD), today=TODAY)
    assert problems == []
    assert facts is not None and set(facts.levels) == {"iop", "op"}


def write_tmp(text: str) -> Path:
    import tempfile
    d = Path(tempfile.mkdtemp())
    return write(d, text)


def test_every_problem_is_reported_at_once(tmp_path):
    """Several mistakes in one file give one line each, not only the first."""
    text = (GOOD.replace("lives: At home\n    hours", "lives: no\n    hours", 1)
            .replace("adults: {min: 9, max: 19", "adults: {min: 20, max: 19")
            .replace("steps_down_to: [op]", "steps_down_to: [php]"))
    with pytest.raises(FactsError) as err:
        load_facts(write(tmp_path, text), today=TODAY)
    paths = {p.path for p in err.value.problems}
    assert {"levels.iop.lives", "levels.iop.hours_per_week.adults.min"} <= paths
    message = str(err.value)
    assert message.startswith("facts.yaml has ")
    assert len(message.splitlines()) == len(err.value.problems) + 1


def test_dangling_reference_reported_even_with_other_errors(tmp_path):
    """A wrong id is still reported when the file has other mistakes too."""
    text = GOOD.replace("lives: At home\n    hours", "lives: no\n    hours", 1).replace("[op]", "[php]")
    _, problems = read_facts(write(tmp_path, text), today=TODAY)
    assert any(p.path == "levels.iop.steps_down_to[1]" and "`php`" in p.message for p in problems)


def test_overdue_review_is_a_warning_not_an_error(tmp_path):
    """A review past its interval warns (strict builds fail on warnings) but still loads."""
    facts, warnings = load_facts(write(tmp_path, GOOD), today=dt.date(2027, 11, 2))
    assert facts is not None
    assert warnings and all(w.severity == WARNING for w in warnings)
    assert any(w.path == "levels.iop.reviewed" and "review was due on 2027-11-01" in w.message for w in warnings)


def test_per_entity_review_interval_overrides_default(tmp_path):
    """`review_every_months` on an entity changes when its review falls due."""
    text = GOOD.replace("    modalities: [cbt]\n    reviewed: 2026-11-01",
                        "    modalities: [cbt]\n    reviewed: 2026-11-01\n    review_every_months: 1")
    facts, warnings = load_facts(write(tmp_path, text), today=dt.date(2026, 12, 15))
    assert facts.levels["op"].review_due == dt.date(2026, 12, 1)
    assert [w.path for w in warnings] == ["levels.op.reviewed"]


def test_relations_are_derived_in_both_directions(tmp_path):
    """Editors list relations once; the model works out the reverse direction."""
    facts, _ = load_facts(write(tmp_path, GOOD), today=TODAY)
    assert facts.levels["op"].steps_up_to_ids == ["iop"]
    assert facts.modalities["cbt"].level_ids == ["iop", "op"]
    assert facts.formats["group"].level_ids == ["iop"]
    assert facts.abbreviations()["CBT"] == "Cognitive behavioral therapy"
    assert facts.formats["group"].size.staff_only
    assert facts.levels["iop"].hours_per_week["adults"].owner is facts.levels["iop"]


def test_checker_cli_exit_codes_and_no_traceback(tmp_path, capsys):
    """`python -m carekb.cli.check` prints located errors and exits 1; a good file exits 0."""
    bad = write(tmp_path, GOOD.replace("[op]", "[opp]"), "bad.yaml")
    assert check.main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"bad\.yaml:\d+:\d+: levels\.iop\.steps_down_to\[1\]: `opp`", err)
    assert "Traceback" not in err
    good = write(tmp_path, GOOD, "good.yaml")
    assert check.main([str(good)]) == 0
    assert "is good" in capsys.readouterr().out


def test_checker_never_rewrites_the_file(tmp_path):
    """Checking a broken file leaves its bytes exactly as the editor wrote them."""
    text = GOOD.replace("lives: At home\n    hours", "lives: no\n    hours", 1)
    file = write(tmp_path, text)
    before = file.read_bytes()
    check.main([str(file)])
    assert file.read_bytes() == before


# --- the real file and its schema ------------------------------------------------------------

def test_real_facts_file_validates_without_problems():
    """The shipped facts.yaml has no errors and no overdue reviews."""
    facts, problems = read_facts(ROOT / "facts.yaml")
    assert [str(p) for p in problems] == []
    assert {"op", "iop", "php", "residential"} <= set(facts.levels)
    assert {lv.id for lv in facts.core_levels} == {"op", "iop", "php", "residential"}


def test_real_facts_file_starts_with_schema_reference():
    """Editors' YAML tooling finds the schema from the first line."""
    first = (ROOT / "facts.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./facts.schema.json"


def test_committed_schema_matches_the_validator():
    """facts.schema.json is generated from the validator's specs and is up to date."""
    assert (ROOT / "facts.schema.json").read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(schema())


class _YamlAsEditorsSee(yaml.SafeLoader):
    """Dates stay text, as they do for YAML language servers checking the JSON Schema."""


_YamlAsEditorsSee.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _schema_errors(text: str) -> list[str]:
    data = yaml.load(text, Loader=_YamlAsEditorsSee)
    return [e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(data)]


def test_schema_and_validator_agree_on_real_file():
    """The JSON Schema accepts the real facts.yaml, as the Python validation does."""
    assert _schema_errors((ROOT / "facts.yaml").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", ["misspelled field", "number in quotes", "category misspelled",
                                  "figure without a source", "list where text is expected",
                                  "template code in a fact", "HTML in a fact", "invalid id"])
def test_schema_also_rejects_structural_mistakes(name):
    """Mistakes of shape are caught by the editor's schema as well as by the build."""
    text = next(b[1] for b in BROKEN if b[0] == name)
    assert _schema_errors(GOOD) == []
    assert _schema_errors(text), name


def test_schema_is_json():
    """The schema file is valid JSON with a title editors see."""
    data = json.loads((ROOT / "facts.schema.json").read_text(encoding="utf-8"))
    assert data["title"].startswith("facts.yaml")
    assert "levels" in data["properties"]


# --- the reader's own composer ---------------------------------------------------------------

def _same_tree(a: yaml.Node, b: yaml.Node) -> bool:
    """Same kind, tag, value, style and position, all the way down (iterative: no recursion)."""
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y) or x.tag != y.tag or (x.start_mark.line, x.start_mark.column, x.end_mark.index) \
                != (y.start_mark.line, y.start_mark.column, y.end_mark.index):
            return False
        if isinstance(x, yaml.ScalarNode):
            if (x.value, x.style) != (y.value, y.style):
                return False
            continue
        if x.flow_style != y.flow_style or len(x.value) != len(y.value):
            return False
        if isinstance(x, yaml.MappingNode):
            pending.extend(p for (k1, v1), (k2, v2) in zip(x.value, y.value) for p in ((k1, k2), (v1, v2)))
        else:
            pending.extend(zip(x.value, y.value))
    return True


@pytest.mark.parametrize("text", [
    (ROOT / "facts.yaml").read_text(encoding="utf-8"),
    "a: &x [1, {b: !!str no, c: 'q'}]\nd: *x\ne: !!int 5\nf: ! t\ng: |\n  lit\n? [k]\n: v\n",
], ids=["real file", "anchors, tags and styles"])
def test_the_limited_composer_builds_the_tree_pyyaml_builds(text):
    """Composing from events (to enforce the limits) gives exactly the node tree PyYAML's composer gives."""
    from carekb.load.yamlload import Loader, compose

    assert _same_tree(compose(text), yaml.compose(text, Loader=Loader))
