"""The Spanish pages (content/es/, issue 22): one twin for every public page, each keeping its
English page's structure, calls and typed numbers, in plain Spanish.

Read from the Markdown (tests/es_prose.py), before and apart from the Spanish build."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from carekb.checks.handtyped import blank
from carekb.render.renderer import Renderer
from tests import es_prose

ROOT = es_prose.ROOT
ENGLISH = sorted((ROOT / "content").glob("*.md"))
SPANISH = es_prose.spanish_pages()
# A page whose prose is almost all one block built from facts (the crisis services, whose texts
# are measured with the other fact texts in tests/test_es_facts.py): too few words of its own
# for a reading score to mean much; it must still pass the gate.
SHORT_PAGES = {"help.md"}
# Figures another branch moves from the English prose into facts (the naloxone interval and the
# wait before naltrexone). Until that English lands, the Spanish twin already uses the calls and
# the English still types the figure; once it lands, the twins must match exactly again.
PENDING: dict[str, tuple[str, tuple[str, ...]]] = {
    "safety.md": (r"within 2 to 3 minutes.*?every 2 to 3 minutes",
                  ('{{ fact("glossary.naloxone.figures.repeat_after") }}',
                   "{{ glossary.naloxone.figures.repeat_after | words }}")),
    "medicines.md": (r"at least 7 to 10 days",
                     ('{{ fact("glossary.naltrexone.figures.wait_after_opioids") }}',)),
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _pending(page: Path) -> tuple[str, tuple[str, ...]] | None:
    """The hand-typed English figure and the Spanish calls for it, while the English still types it."""
    if page.name not in PENDING:
        return None
    typed, calls = PENDING[page.name]
    english = " ".join((ROOT / "content" / page.name).read_text(encoding="utf-8").split())
    match = re.search(typed, english)
    return (match.group(0), calls) if match and not any(c in english for c in calls) else None


def test_every_public_page_has_a_spanish_twin_and_no_more():
    assert [p.name for p in SPANISH] == [p.name for p in ENGLISH]


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: p.name)
def test_spanish_page_keeps_the_english_structure(page):
    """The same page-language calls section by section, the same headings, lists, link targets
    and admonitions as the English page it translates; a link's own text, a block's `after=`
    text and a list's joining words are translated."""
    english = ROOT / "content" / page.name
    es, en = es_prose.structure(page), es_prose.structure(english)
    pending = _pending(page)
    if pending:
        es["calls"] = [[c for c in section if c not in pending[1]] for section in es["calls"]]
    for part in ("calls", "headings", "links", "lists", "admonitions", "front_matter_keys"):
        assert es[part] == en[part], f"{page.name}: {part} differ"
    assert es["title"] != en["title"] and es["description"] != en["description"], "translate the front matter"


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: p.name)
def test_spanish_page_is_reviewed_no_earlier_than_its_english(page):
    """A translation is reviewed on or after the English review it follows (issue 22 point 9:
    a Spanish page shows its own review date and the English date it follows)."""
    es, en = es_prose.structure(page), es_prose.structure(ROOT / "content" / page.name)
    assert es["reviewed"] >= en["reviewed"], f"{page.name}: reviewed {es['reviewed']}, English {en['reviewed']}"


def test_spanish_titles_and_descriptions_are_each_their_own():
    metas = [es_prose.structure(p) for p in SPANISH]
    for part in ("title", "description"):
        values = [" ".join(m[part].split()) for m in metas]
        assert len(values) == len(set(values)), f"two Spanish pages share a {part}"


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: p.name)
def test_spanish_page_types_the_same_numbers_as_its_english(page):
    """Figures come from facts, worded by code; the few numbers a page types itself (a year, an
    edition) are the same in both languages. Figures typed in Spanish would fail here."""
    def numbers(path: Path) -> Counter[str]:
        _, body = es_prose._split_front_matter(path.read_text(encoding="utf-8"))
        return Counter(_NUMBER.findall(blank(body)))

    en_text = ROOT / "content" / page.name
    expected = numbers(en_text)
    pending = _pending(page)
    if pending:
        expected -= Counter(_NUMBER.findall(pending[0]))
    assert numbers(page) == expected


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: p.name)
def test_spanish_page_is_plain_language(page):
    """Issue 22 point 7: Fernández-Huerta >= 60 and INFLESZ >= 55, page-language calls
    replaced by short placeholder words (tests/es_prose.py)."""
    e = es_prose.page_ease(page)
    assert e.words > (20 if page.name in SHORT_PAGES else 100)
    assert e.fernandez_huerta >= 60 and e.inflesz >= 55, f"{page.name}: {e}"


@pytest.mark.parametrize("page", SPANISH, ids=lambda p: p.name)
def test_spanish_page_renders_with_the_page_language(page, facts):
    """Every call of the Spanish page names a real fact, block or link, and renders (with the
    English wording for now: the Spanish wording of figures is the Spanish build's)."""
    _, body = es_prose._split_front_matter(page.read_text(encoding="utf-8"))
    pending = _pending(page)
    for call in pending[1] if pending else ():
        body = body.replace(call, "")  # its fact is not in this facts.yaml yet
    assert Renderer(facts).render(body, page.name).strip()


def test_pending_figures_are_only_those_the_english_still_types():
    """Each pending allowance is in use (the English types the figure) or already spent (the
    English uses the very calls): a renamed fact on either side fails here."""
    for name, (typed, calls) in PENDING.items():
        english = " ".join((ROOT / "content" / name).read_text(encoding="utf-8").split())
        spanish = (ROOT / "content" / "es" / name).read_text(encoding="utf-8")
        assert all(c in spanish for c in calls), f"es/{name} must use {calls}"
        assert re.search(typed, english) or all(c in english for c in calls), \
            f"{name}: the English neither types the figure nor uses {calls}"
