"""The preview's memory of the last good build, page by page, and the page-level steps of a
build: render a page, replay an unchanged one (search entries, checks of its HTML), restore its
rendered state and usage, and remember this build for the next save (MkDocs 1.6.1 internals,
listed in engine/internals.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from mkdocs.commands import build as mkbuild
from mkdocs.exceptions import BuildError
from mkdocs.structure.pages import Page

from carekb.change.incremental import reads

log = logging.getLogger("mkdocs.preview")
# What Page.render() and read_source() fill in: restoring these makes a page as if rendered.
RENDERED = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids",
            "links_to_anchors")


@dataclass
class Built:
    """One page as the last good build left it."""

    rendered: dict[str, Any]
    output: str
    usage: Any  # carekb.render.usage.PageUsage, or None for a page rendered without the renderer
    grade: dict[str, Any] | None
    search: list[dict[str, Any]] | None  # the search plugin's entries for this page
    reads: list[str] | None  # what its templates read, as carekb.change.incremental.reads gives it


@dataclass
class Memory:
    """The last good build: pages, nav outline, the facts text it used."""

    pages: dict[str, Built] = field(default_factory=dict)
    outline: list[tuple[str, str | None, str]] = field(default_factory=list)
    facts_text: str | None = None
    facts_data: Any = None  # facts_text as loaded YAML, for the next diff
    grade_limit: float | None = None  # the readability section's limit (None: none)


def cites(usage) -> list[str] | None:
    """What the sources page shows of a page: the sources it cites (titles come from the
    session, and a changed title rebuilds everything anyway)."""
    return None if usage is None else list(usage.sources)


def render_page(page: Page, config, docs, nav, env, search, entries: dict) -> str:
    """mkdocs.commands.build._build_page without the write: the page's HTML."""
    config._current_page = page
    try:
        page.active = True
        context = mkbuild.get_context(nav, docs, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        before = len(search.search_index.entries) if search else 0
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        if search:  # what the search plugin indexed for this page, to replay next time
            entries[page.file.src_uri] = search.search_index.entries[before:]
        output = template.render(context)
        return config.plugins.on_post_page(output, page=page, config=config)
    except Exception as e:
        log.error(f"Error building page '{page.file.src_uri}':"
                  + ("" if isinstance(e, BuildError) else f" {e}"))
        raise
    finally:
        page.active = False
        config._current_page = None


def replay_page(page: Page, config, docs, nav, built: Built, search) -> None:
    """An unchanged page: the search index gets its entries and the page checks its HTML."""
    config._current_page = page
    try:
        context = mkbuild.get_context(nav, docs, config, page)
        for event in config.plugins.events["page_context"]:
            if search is not None and getattr(event, "__self__", None) is search \
                    and built.search is not None:
                search.search_index.entries.extend(built.search)  # same page, same entries
            else:
                context = event(context, page=page, config=config, nav=nav) or context
        config.plugins.on_post_page(built.output, page=page, config=config)
    finally:
        config._current_page = None


def restore_page(page: Page, built: Built, session, grade_limit: float | None) -> None:
    """Put an unchanged page's rendered state, usage and grade back, as if just rendered."""
    for name, value in built.rendered.items():
        if not name.startswith("_title") or name == "_title_from_render":
            setattr(page, name, value)
    session.restore(page.file.src_uri, built.usage, built.grade, grade_limit)


def remember(docs, outline, outputs, memory, facts_text, data, session, entries) -> Memory:
    """The state of this build, for the next incremental one."""
    usages = session.usage()
    pages = {}
    for file in docs:
        page = file.page
        rendered = {name: getattr(page, name) for name in RENDERED if hasattr(page, name)}
        rendered["_title"] = page.title
        usage = usages.get(file.src_uri)
        if file.src_uri in outputs:
            output, search = outputs[file.src_uri], entries.get(file.src_uri)
            used = reads(usage.facts) if usage is not None else None
        else:  # restored: as the last build left it
            last = memory.pages[file.src_uri]
            output, search, used = last.output, last.search, last.reads
        pages[file.src_uri] = Built(rendered, output, usage, session.grades.of(file.src_uri),
                                    search, used)
    return Memory(pages, outline, facts_text, data, session.grades.limit)
