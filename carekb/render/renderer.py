"""Render page Markdown that uses facts through Jinja.

Editors write Jinja in pages, so the environment is sandboxed, undefined names fail
(`StrictUndefined`), and fact text is escaped on its way out: a value is data, never markup
or template code. Every figure shown carries its citation as a footnote, and the renderer
records which facts and sources each page used (for review dates, the sources page and
the editor's impact report). Staff-only facts cannot be rendered in the public build.

The pieces live beside it: the environment and error messages in `jinja_env.py`, the page
language (what a page may call) in `template_api.py`, usage tracking in `usage.py`, the chart
in `charts.py` and the glossary's entries in `glossary.py`. HTML and Markdown snippets live in
`carekb/templates/`. The staff page "Editor's reference" lists the page language with an
example of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from carekb.base import collector

from carekb.render.language import filters as page_filters, api as template_api
from carekb.model.audience import FactGroup, FactList, StaffOnly, hidden, view
from carekb.render.codespans import protect_code, restore_code
from carekb.pages.glossary import glossary_entries
from carekb.i18n.interface import check_language
from carekb.render.jinja_env import (RENDER_ERRORS, TEMPLATES, RenderError, TrackingEnvironment,
                              explain, template_env)
from carekb.model.facts import GROUPS, PUBLIC, STAFF, Facts, Node
from carekb.render.limits import GENERATED_MAX_OUTPUT, MAX_OUTPUT
from carekb.i18n.spanish_view import spanish
from carekb.render.usage import PageUsage, Registry, ReviewDates, Tracker, review_dates

# TEMPLATES is carekb.render.jinja_env's, named here too for the hooks that import it from this module.
__all__ = ["TEMPLATES", "RenderError", "Renderer"]


def has_jinja(markdown: str) -> bool:
    return "{{" in markdown or "{%" in markdown or "{#" in markdown


class Renderer:
    """One per build: the sandboxed environment, the page context and the usage registry."""

    def __init__(self, facts: Facts, *, audience: str = PUBLIC, language: str = "en",
                 translations: Mapping[str, Any] | None = None) -> None:
        if audience not in (PUBLIC, STAFF):
            raise ValueError(f"audience must be {PUBLIC!r} or {STAFF!r}, not {audience!r}")
        self.language = check_language(language)
        if language != "en" and (audience != PUBLIC or getattr(facts, "_view_of", None)):
            raise ValueError("a translated build is a public build of the whole fact base")
        self.source_facts = facts  # the whole fact base, as loaded (an English twin renders it)
        # The public build renders from a copy of the facts without a single staff-only node.
        self.facts = view(facts, audience)
        self.audience = audience
        # A translated build shows each text in its language, or its English marked (carekb/
        # spanish_view.py); `translation` is every text's status.
        self.translation: list[Any] = (spanish(self.facts, dict(translations or {}))
                                       if language != "en" else [])
        self.registry = Registry()
        self.tracker = Tracker(self.registry)
        # The title of another rendered page, for page_link(); the build session supplies it.
        self.page_title: Callable[[str], str | None] = lambda src: None
        # Page sources compiled this build: every generated page of one kind has the same source.
        self._compiled: dict[str, jinja2.Template] = {}
        self.env = template_env(
            lambda **options: TrackingEnvironment(self.seen, **options),
            keep_trailing_newline=True,
            language=language,
            # A renderer lives for one build (each rebuild of `mkdocs serve` makes a new one), so
            # templates need no check for changes on every include.
            auto_reload=False,
        )
        self.env.filters.update(label=page_filters.md_label)
        self._cite_group = self.env.get_template("macros/cite_group.html.j2").module.group
        self.footnotes = self._new_footnotes()
        self.env.globals.update(self.context())
        template_api.register(self)  # fact, headline, block, cite, link and the filters
        self.env.globals.update(
            visible=self.visible, glossary_entries=self.glossary_entries,
            level_formats=lambda lv: self._related(self.facts.formats, lv.format_ids),
            level_modalities=lambda lv: self._related(self.facts.modalities, lv.modality_ids),
            steps_up=lambda lv: self._related(self.facts.levels, lv.steps_up_to_ids),
            steps_down=lambda lv: self._related(self.facts.levels, lv.steps_down_to_ids),
            modality_levels=lambda m: self._related(self.facts.levels, m.level_ids),
        )

    @property
    def page(self) -> str | None:
        """The src path of the page being rendered."""
        return self.tracker.page

    @property
    def usage(self) -> PageUsage | None:
        """What the page being rendered used so far."""
        return self.tracker.usage

    # -- the context editors see ------------------------------------------------------
    def context(self) -> dict[str, Any]:
        ctx: dict[str, Any] = {}
        for name in GROUPS:
            ctx[name] = getattr(self.facts, name)  # a read-only FactGroup of the view
        ctx["self_check"] = (self.guard(self.facts.self_check) if self.facts.self_check
                             else hidden(self.facts, "self_check"))
        ctx["facts"] = FactGroup("facts", {**ctx, "core_levels": FactList(
            "facts.core_levels", self.visible(self.facts.core_levels))})
        return ctx

    def guard(self, node: Any) -> Any:
        """`node`, or a StaffOnly placeholder if it is staff-only and this build is public."""
        if (self.audience == PUBLIC and isinstance(node, (Node,))
                and getattr(node, "staff_only", False)):
            return StaffOnly(node.path)
        return node

    def visible(self, nodes: Iterable[Any]) -> list[Any]:
        """The nodes this audience may see (for loops in templates)."""
        return [n for n in nodes if not isinstance(self.guard(n), StaffOnly)]

    def _related(self, group: Mapping[str, Any], ids: Iterable[str]) -> list[Any]:
        """The entities named by `ids` that this audience may see, tracked as used."""
        found = self.visible(group[i] for i in ids if i in group)
        for node in found:
            self.tracker.use(node)
        return found

    def glossary_entries(self) -> list[dict[str, Any]]:
        """The glossary page's entries this audience may see, A to Z (see carekb/pages/glossary.py)."""
        return glossary_entries(self.facts, self.visible, self.tracker.use)

    def seen(self, obj: Any, name: Any, value: Any) -> Any:
        """Called on every attribute or item a template reads: track it, guard staff facts."""
        value = self.guard(value)
        if self.tracker.usage is not None and not isinstance(value, StaffOnly):
            if isinstance(value, Node):
                self.tracker.use(value)
            elif isinstance(obj, Node) and isinstance(name, str):
                self.tracker.use(obj, name)
        return value

    # -- rendering a page ---------------------------------------------------------------
    def begin(self, src: str) -> PageUsage:
        """Start tracking page `src` (its path in content/, such as "levels/iop.md")."""
        self.footnotes = self._new_footnotes()
        return self.tracker.begin(src)

    def _new_footnotes(self) -> page_filters.Footnotes:
        """A page's footnotes; several marks side by side are grouped by macros/cite_group.html.j2."""
        return page_filters.Footnotes(self._cite_group)

    def render(self, markdown: str, src: str, *, line_offset: int = 0,
               name: str | None = None, about: tuple[str, str, str] | None = None,
               generated: bool = False) -> str:
        """Render one page's Markdown. Raises RenderError naming `name` (or `src`) and line.

        `about`: (name, group, id) of the entity a generated page is about, given to its
        template as `name`, e.g. ("level", "levels", "iop") -> `level`. `generated`: a page
        made from facts.yaml by our own templates, whose output grows with the fact base (the
        sources page lists every source), so it gets GENERATED_MAX_OUTPUT.
        """
        with collector.paused():  # a render's contexts and lists are short-lived
            return self._render(markdown, src, line_offset, name, about,
                                GENERATED_MAX_OUTPUT if generated else MAX_OUTPUT)

    def _render(self, markdown: str, src: str, line_offset: int, name: str | None,
                about: tuple[str, str, str] | None, max_output: int) -> str:
        usage = self.begin(src)
        if not has_jinja(markdown):
            return markdown
        source, kept = protect_code(markdown)
        try:
            template = self._compiled.get(source)
            if template is None:
                template = self._compiled[source] = self.env.from_string(source)
            values = {}
            if about is not None:
                var, group, key = about
                values[var] = self.env.getitem(self.env.globals[group], key)
            out = self.env.render_bounded(template, values, max_output)
        except RENDER_ERRORS as err:
            names = [*GROUPS, "self_check", "facts", *template_api.functions()]
            raise explain(err, where=name or src, page=src, line_offset=line_offset,
                          names=names, filters=self.env.filters) from None
        # One note per source, in the order of the first marks outside code (so numbered 1, 2, 3 ...
        # down the page).
        out, cited = self.footnotes.finish(out)
        out = restore_code(out, kept)
        if cited:
            notes = self.template("macros/footnotes.md.j2", cited=cited)
            out = out.rstrip("\n") + "\n\n" + str(notes) + "\n"
        return out

    def review_dates(self, src: str, own: dt.date | None) -> ReviewDates | None:
        """The page's review dates from its own `reviewed:` date and the facts it used (a
        query: the registry is left as it is)."""
        return review_dates(self.registry.pages.get(src), own, self.facts.review_every_months)

    def abbreviations(self) -> str:
        """Abbreviation definitions (``*[IOP]: Intensive outpatient program``) for every page."""
        return str(self.template("macros/abbreviations.md.j2",
                                 abbreviations=self.facts.abbreviations(staff=self.audience == STAFF)))

    def template(self, name: str, **values: Any) -> Markup:
        """Template `name` (under carekb/templates/) rendered for the current page."""
        return Markup(self.env.get_template(name).render(page=self.page, **values).strip("\n"))
