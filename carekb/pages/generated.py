"""The pages generated from the fact base, and their place in the navigation.

A generated page is Jinja source like any hand-written page: it includes a template from
`carekb/templates/pages/`. It is rendered later with every other page, so citations, usage
tracking and staff-only checks work the same everywhere. A level or therapy page names the
entity it is about in `about` (("level", "levels", "iop") gives its template `level`), so all
pages of one kind share one source and Jinja compiles it once, not once per page.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import yaml

from carekb.i18n.interface import word
from carekb.model.facts import PUBLIC, STAFF, Facts
from carekb.i18n.untranslated import strip

LEVELS_INDEX = "levels/index.md"
MODALITIES_INDEX = "modalities/index.md"
SOURCES = "sources.md"
REVIEW_QUEUE = "staff/review-queue.md"  # staff build only: every fact by review due date
EDITORS_REFERENCE = "staff/editors-reference.md"  # staff build only: the page language
TRANSLATION_QUEUE = "staff/translation-queue.md"  # staff build only: stale and missing Spanish


@dataclass(frozen=True)
class GeneratedPage:
    src: str  # where it pretends to live in content/, e.g. "levels/iop.md"
    title: str
    source: str  # front matter + Jinja Markdown
    # The entity the page is about, given to its template: (name, group, id), e.g.
    # ("level", "levels", "iop") renders the source with `level` = levels["iop"].
    about: tuple[str, str, str] | None = None


def _page(src: str, title: str, template: str, about: tuple[str, str, str] | None = None,
          reviewed: dt.date | None = None) -> GeneratedPage:
    dated = f"reviewed: {reviewed.isoformat()}\n" if reviewed else ""
    return GeneratedPage(src, title, f"---\n{_front_matter(title)}{dated}---\n\n"
                                     f"{{% include \"{template}\" %}}\n", about)


def _front_matter(title: str) -> str:
    """The page's YAML front matter. A JSON string is a YAML double-quoted scalar that reads
    back as the same text whenever the text is printable (no line or paragraph separators,
    byte order marks or control characters); yaml.safe_dump for anything else (and it costs
    far more, once per generated page)."""
    if strip(title).isprintable():  # a name not translated yet is marked: JSON escapes the marks
        return f"title: {json.dumps(title, ensure_ascii=False)}\ngenerated: true\n"
    return yaml.safe_dump({"title": title, "generated": True}, allow_unicode=True, sort_keys=False)


def generated_pages(facts: Facts, audience: str = PUBLIC, language: str = "en") -> list[GeneratedPage]:
    """Every generated page for `audience`, the sources page last (it lists who cites what);
    titled in `language` (the Spanish site's generated pages are the English site's twins)."""

    def shown(node: Any) -> bool:
        return audience != PUBLIC or not node.staff_only

    def title(key: str) -> str:
        return word(key, language)

    pages = [_page(LEVELS_INDEX, title("title_levels"), "pages/levels_index.md.j2")]
    pages += [_page(f"levels/{lv.id}.md", lv.label, "pages/level.md.j2", ("level", "levels", lv.id))
              for lv in facts.levels.values() if shown(lv)]
    pages.append(_page(MODALITIES_INDEX, title("title_modalities"), "pages/modalities_index.md.j2"))
    pages += [_page(f"modalities/{m.id}.md", m.label, "pages/modality.md.j2",
                    ("modality", "modalities", m.id))
              for m in facts.modalities.values() if shown(m)]
    pages.append(_page("compare.md", title("title_compare"), "pages/compare.md.j2"))
    pages.append(_page("glossary.md", title("title_glossary"), "pages/glossary.md.j2"))
    if audience == STAFF:
        pages.append(_page(REVIEW_QUEUE, "Review queue", "staff/review_queue.md.j2"))
        pages.append(_page(EDITORS_REFERENCE, "Editor's reference",
                           "staff/editors_reference.md.j2"))
        # Worked out from facts.es.yaml and content/es/ at each build: as fresh as today.
        pages.append(_page(TRANSLATION_QUEUE, "Translation queue", "staff/translation_queue.md.j2",
                           reviewed=dt.date.today()))
    pages.append(_page(SOURCES, title("title_sources"), "pages/sources.md.j2"))
    return pages


# Material writes the whole navigation into every page: a section listing every generated page
# makes each page grow with the fact base, and the build with its square. Past this many pages
# a section shows its index page only, and the index page lists them all.
NAV_LIMIT = 30


def expand_nav(nav: list[Any], pages: list[GeneratedPage]) -> list[Any]:
    """Add each generated level and modality page to the nav section that holds its index.

    mkdocs.yml lists only `levels/index.md` and `modalities/index.md`, so a level added to
    facts.yaml appears in the navigation without touching mkdocs.yml.
    """
    children = {
        LEVELS_INDEX: [p for p in pages if p.src.startswith("levels/") and p.src != LEVELS_INDEX],
        MODALITIES_INDEX: [p for p in pages
                           if p.src.startswith("modalities/") and p.src != MODALITIES_INDEX],
    }

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if isinstance(item, dict):
                item = {k: walk(v) if isinstance(v, list) else v for k, v in item.items()}
            out.append(item)
        listed = {_src(i) for i in out}
        for index, kids in children.items():
            if index in listed and len(kids) <= NAV_LIMIT:
                # A name not translated yet is shown in English there (its page marks it).
                out += [{strip(p.title): p.src} for p in kids if p.src not in listed]
        return out

    return walk(nav)


def _src(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and len(item) == 1:
        value = next(iter(item.values()))
        return value if isinstance(value, str) else None
    return None
