"""The page language (carekb/render/language/api.py): fact paths, blocks, "did you mean", the one
list of names, the Editor's reference built from it, and pages written as prose plus calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from carekb.render.language import api as template_api
from carekb.model.facts import Facts
from carekb.render.renderer import Renderer, RenderError
from carekb.render.wording import figure_words

ROOT = Path(__file__).resolve().parent.parent
# Block tags a page may not hold: anything that needs them is a block in carekb/templates/blocks/.
_LOGIC = re.compile(r"\{%-?\s*(for|set|from|include|if|import|macro)\b")


@pytest.fixture(scope="module")
def public(facts: Facts) -> Renderer:
    return Renderer(facts)


def _body(out: str) -> str:
    """A render's text before its footnote definitions."""
    return out.split("\n\n[^", 1)[0]


def test_every_content_page_is_prose_plus_calls() -> None:
    """No page under content/ holds for, set, from/import, include, if or macro."""
    offenders = []
    for page in sorted((ROOT / "content").rglob("*.md")):
        rel = page.relative_to(ROOT / "content").as_posix()
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if _LOGIC.search(line):
                offenders.append(f"content/{rel}:{n}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)
    assert len(list((ROOT / "content").rglob("*.md"))) > 15  # the scan saw the real pages


def test_fact_prints_a_figure_in_words_with_its_citation(public: Renderer,
                                                        facts: Facts) -> None:
    out = public.render('IOP: {{ fact("levels.iop.days_per_week") }}.', "x.md")
    adults = facts.levels["iop"].days_per_week
    # One mark per source of the figure, side by side; each source's note names it.
    mark = re.fullmatch(rf"IOP: {re.escape(figure_words(adults))}"
                        r'<span class="kb-cite"[^>]*>(.*)</span>\.', _body(out))
    assert mark, out
    assert len(adults.sources) > 1
    assert re.findall(r"\[\^(\w+)\]", mark.group(1)) == list(adults.sources), out
    for source_id in adults.sources:
        note = out.split(f"[^{source_id}]: ", 1)[1].splitlines()[0]
        assert f"(sources.md#{source_id})" in note, (source_id, note)
    assert _body(out).startswith("IOP: 3 to 5 days a week<span")


def test_list_items_count_from_one_like_facts_yaml_messages(public: Renderer,
                                                            facts: Facts) -> None:
    costs = facts.levels["iop"].cost
    for n, figure in enumerate(costs, 1):
        out = _body(public.render(f'{{{{ fact("levels.iop.cost[{n}]") }}}}', "x.md"))
        assert out.startswith(figure_words(figure)), (n, out)
        assert figure.path == f"levels.iop.cost[{n}]"  # the path messages use is the same


def test_headline_figures(public: Renderer, facts: Facts) -> None:
    level = facts.levels["iop"]
    assert level.headline_cost is not None
    by_path = _body(public.render('{{ fact("levels.iop.cost[headline]") }}', "x.md"))
    by_call = _body(public.render('{{ headline("iop", "cost") }}', "x.md"))
    assert by_path == by_call
    assert by_path.startswith(figure_words(level.headline_cost))


def test_notes_names_and_sourced_text(public: Renderer, facts: Facts) -> None:
    level = facts.levels["iop"]
    assert _body(public.render('{{ fact("levels.iop.name") }}', "x.md")) == level.name
    note = _body(public.render('{{ fact("levels.iop.hours_note") }}', "x.md"))
    assert note.startswith(str(escape(level.hours_note.text))) and "[^" in note
    meaning = _body(public.render('{{ fact("glossary.detox.meaning") | lower_first }}', "x.md"))
    text = facts.glossary["detox"].meaning
    assert meaning.startswith(str(escape(text[:1].lower() + text[1:]))) and "[^" in meaning


@pytest.mark.parametrize(("source", "wording"), [
    ('{{ fact("levels.iop.cst") }}', "levels.iop has no 'cst'. Did you mean 'cost'?"),
    ('{{ fact("levels.iopp.cost") }}', "levels has no 'iopp'. Did you mean 'iop'"),
    ('{{ fact("levels.iop.cost[9]") }}', "[9] is not one (counting from 1)"),
    ('{{ fact("levls.iop") }}', "no 'levls' in the facts. Did you mean 'levels'?"),
    ('{{ fact("levels.iop.hours_per_week") }}',
     'holds several figures; write one, such as fact("levels.iop.hours_per_week.adults")'),
    ('{{ fact("levels.iop.cost[0]") }}', "lists count from 1, as in facts.yaml messages, so "
     "the first item is levels.iop.cost[1]"),
    ('{{ fact("levels.iop.cost[1].min") }}', 'levels.iop.cost[1] is one figure; write '
     'fact("levels.iop.cost[1]") to show it whole'),
    ("{{ fact(42) }}", 'give the path in quotes, such as fact("levels.iop.cost[1]")'),
    ('{{ levels.iop.cost | cost }}', "no filter named 'cost'. Did you mean 'costs'"),
    ('{{ fakt("levels.iop.name") }}', "'fakt' is undefined. Did you mean 'fact'"),
    ('{{ block("cost_tabel") }}', "no block named 'cost_tabel'. Did you mean 'cost_table'?"),
    ('{{ levels.iop.days_per_week }}',
     'levels.iop.days_per_week is never printed whole; write '
     '{{ fact("levels.iop.days_per_week") }}'),
])
def test_mistakes_name_the_fix(public: Renderer, source: str, wording: str) -> None:
    with pytest.raises(RenderError) as err:
        public.render(f"Intro.\n\n{source}\n", "x.md", line_offset=4)
    assert wording in str(err.value)
    assert str(err.value).startswith("x.md:7:")


def test_one_list_of_names_is_what_pages_can_call(public: Renderer) -> None:
    for name, entry in template_api.NAMES.items():
        if entry.kind == "function":
            assert callable(public.env.globals[name])
        else:
            assert entry.kind == "filter" and name in public.env.filters
    blocks = {p.name.removesuffix(".md.j2") for p in template_api.BLOCKS_DIR.glob("*.md.j2")}
    assert blocks == set(template_api.BLOCKS) and "cost_table" in blocks


def test_every_entry_has_an_example_that_renders(facts: Facts) -> None:
    """The reference shows each example's real output; none may be missing or fail."""
    staff = Renderer(facts, audience="staff")
    staff.env.globals["group_types"] = lambda: []  # a staff hook adds it in the real build
    staff.begin("staff/editors-reference.md")
    entries = template_api.rendered_reference(staff)
    assert {e["name"] for e in entries} >= {"fact", "headline", "block", "cost_table", "costs"}
    for entry in entries:
        assert entry["example"].startswith(("{{", "It means")), entry["name"]
        assert entry["about"], entry["name"]
        if entry["name"] != "group_kinds":
            assert str(entry["shows"]).strip(), entry["name"]


def test_a_staff_only_fact_by_path_is_refused_on_a_public_page(public: Renderer,
                                                               facts: Facts) -> None:
    figure = next(f for f in facts.figures() if f.staff_only)
    with pytest.raises(RenderError, match=re.escape(f"{figure.path} is staff-only; page x.md "
                                                    "is public")):
        public.render(f'{{{{ fact("{figure.path}") }}}}', "x.md")
    staff = Renderer(facts, audience="staff").render(f'{{{{ fact("{figure.path}") }}}}',
                                                     "staff/x.md")
    assert _body(staff).startswith(figure_words(figure))
