"""Render page Markdown that uses facts through Jinja.

Editors write Jinja in pages, so the environment is sandboxed, undefined names fail
(`StrictUndefined`), and fact text is escaped on its way out: a value is data, never markup
or template code. Every figure shown carries its citation as a footnote, and the renderer
records which facts and sources each page used (for review dates, the sources page and
the editor's impact report). Staff-only facts cannot be rendered in the public build.

HTML and Markdown snippets live in `carekb/templates/`; this module only wires them up.

What a page can use is the page language of `carekb/template_api.py`: `fact("…")`,
`headline()`, `block("…")`, `link()`, `cite()`, the filters (`hours`, `figure`, `costs`, `stay`,
`note`, `words`, `lower_first`, `upper_first`) and the names levels, modalities, formats,
conditions, glossary, crisis, sources, billing_codes, self_check and facts. The staff page
"Editor's reference" lists each with an example and what it shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import posixpath
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from carekb import collector, template_api
from carekb.audience import FactGroup, FactList, StaffOnly, hidden, view
from carekb.model import (PUBLIC, STAFF, Facts, Figure, ModelPrintError, Node, Note,
                              StaffOnlyError)
from carekb.sandbox import (GENERATED_MAX_OUTPUT, MAX_OUTPUT, BoundedEnvironment,
                                 LimitError)
from carekb.usage import PageUsage, Registry, ReviewDates
from carekb.wording import figure_words, long_date

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONTEXT_GROUPS = ("levels", "modalities", "formats", "conditions", "glossary", "crisis",
                  "sources", "billing_codes")
# Fenced code blocks and inline code are shown as written, Jinja and all.
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                    re.M | re.S)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# Markdown attribute lists such as `## Costs {#costs}` start like a Jinja comment.
_ATTR_LIST = re.compile(r"\{#[^}\n#]*\}")
_PROTECTED = "\x00kb{}\x00"


class RenderError(Exception):
    """A page could not be rendered; str() names the page and line."""

    def __init__(self, page: str, line: int | None, message: str, template: str | None = None):
        self.page, self.line, self.message, self.template = page, line, message, template
        where = f"{page}:{line}" if line else page
        if template:
            where += f" (in {template})"
        super().__init__(f"{where}: {message}")


class _Env(BoundedEnvironment):
    """Sandboxed (immutable, bounded), strict, and reporting every fact a template touches."""

    def __init__(self, renderer: Renderer, **options: Any) -> None:
        super().__init__(**options)
        self.renderer = renderer

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Node) and isinstance(attribute, str) and not attribute.startswith("_"):
            # What the sandbox decides for a fact, without its general checks on every read: a
            # public attribute of a plain (non-callable, non-type) object is safe; a missing
            # one is undefined (facts cannot be indexed).
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                value = self.undefined(obj=obj, name=attribute)
            if value is None:  # taken out of the public view? then say it is staff-only
                value = hidden(obj, attribute)
            return self._seen(obj, attribute, value)
        return self._seen(obj, attribute, super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self._seen(obj, argument, super().getitem(obj, argument))

    def _seen(self, obj: Any, name: Any, value: Any) -> Any:
        if isinstance(value, jinja2.Undefined) and isinstance(obj, (FactGroup, Node)):
            choices = ", ".join(obj if isinstance(obj, FactGroup) else _fields(obj)) or "(none)"
            return self.undefined(hint=f"'{obj.path}' has no '{name}'. Choose from: {choices}",
                                  obj=obj, name=name)
        return self.renderer.seen(obj, name, value)


def protect_code(markdown: str) -> tuple[str, list[str]]:
    """Swap code (fenced and inline) and `{#anchor}` attribute lists for placeholders that
    keep the line count."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return _PROTECTED.format(len(kept) - 1) + "\n" * m.group(0).count("\n")

    markdown = _FENCE.sub(keep, markdown)
    markdown = _INLINE_CODE.sub(keep, markdown)
    markdown = _ATTR_LIST.sub(keep, markdown)
    return markdown, kept


def restore_code(markdown: str, kept: list[str]) -> str:
    for i in reversed(range(len(kept))):
        token = _PROTECTED.format(i)
        markdown = markdown.replace(token + "\n" * kept[i].count("\n"), kept[i])
    return markdown


def has_jinja(markdown: str) -> bool:
    return "{{" in markdown or "{%" in markdown or "{#" in markdown


def relative(page: str, target: str) -> str:
    """A Markdown link target from page `page` (a src path) to `target` (a src path)."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path, posixpath.dirname(page) or ".") if path else ""
    return f"{rel}#{anchor}" if anchor else rel


# posixpath.relpath makes both paths absolute first (it asks for the working folder each time);
# a build asks for the same few thousand pairs again and again.
_relpath = functools.lru_cache(maxsize=1 << 16)(posixpath.relpath)


class Renderer:
    """One per build: the sandboxed environment, the page context and the usage registry."""

    def __init__(self, facts: Facts, *, audience: str = PUBLIC,
                 templates: Path = TEMPLATES) -> None:
        if audience not in (PUBLIC, STAFF):
            raise ValueError(f"audience must be {PUBLIC!r} or {STAFF!r}, not {audience!r}")
        # The public build renders from a copy of the facts without a single staff-only node.
        self.facts = view(facts, audience)
        self.audience = audience
        self.registry = Registry()
        self.usage: PageUsage | None = None
        self.page: str | None = None
        self._citing: dict[str, list[str]] | None = None
        # The title of another rendered page, for page_link(); the build session supplies it.
        self.page_title: Callable[[str], str | None] = lambda src: None
        self._recorded: set[tuple[int, str | None]] = set()  # (id of a fact, attribute) this page
        self._cited: set[str] = set()  # source ids this page cited
        # One footnote per citation: a figure with three sources gets one mark whose note lists
        # all three (three marks side by side are three tiny targets). Ids cited alone, and
        # the groups, by label, in first-cited order.
        self._alone: list[str] = []
        self._groups: dict[tuple[str, ...], str] = {}
        # Page sources compiled this build: every generated page of one kind has the same source.
        self._compiled: dict[str, jinja2.Template] = {}
        self.env = _Env(
            self,
            loader=jinja2.FileSystemLoader(str(templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            # A line holding only a `{% tag %}` leaves no blank line behind in the Markdown.
            trim_blocks=True,
            lstrip_blocks=True,
            # A renderer lives for one build (each rebuild of `mkdocs serve` makes a new one), so
            # templates need no check for changes on every include.
            auto_reload=False,
        )
        self.env.filters.update(label=_md_label)
        self.env.globals.update(self.context())
        template_api.register(self)  # fact, headline, block, cite, link and the filters
        self.env.globals.update(
            page_link=self.page_link,
            pages_citing=self.pages_citing, level_url=self.level_url,
            visible=self.visible, confidence_words=confidence_words, url_to=self.url_to,
            level_formats=lambda lv: self._related(self.facts.formats, lv.format_ids),
            level_modalities=lambda lv: self._related(self.facts.modalities, lv.modality_ids),
            steps_up=lambda lv: self._related(self.facts.levels, lv.steps_up_to_ids),
            steps_down=lambda lv: self._related(self.facts.levels, lv.steps_down_to_ids),
            modality_levels=lambda m: self._related(self.facts.levels, m.level_ids),
            glossary_entries=self.glossary_entries, published=published,
        )

    # -- the context editors see ------------------------------------------------------
    def context(self) -> dict[str, Any]:
        ctx: dict[str, Any] = {}
        for name in CONTEXT_GROUPS:
            ctx[name] = getattr(self.facts, name)  # a read-only FactGroup of the view
        ctx["self_check"] = (self._guard(self.facts.self_check) if self.facts.self_check
                             else hidden(self.facts, "self_check"))
        ctx["facts"] = FactGroup("facts", {**ctx, "core_levels": FactList(
            "facts.core_levels", self.visible(self.facts.core_levels))})
        return ctx

    def _guard(self, node: Any) -> Any:
        if (self.audience == PUBLIC and isinstance(node, (Node,))
                and getattr(node, "staff_only", False)):
            return StaffOnly(node.path)
        return node

    def visible(self, nodes: Iterable[Any]) -> list[Any]:
        """The nodes this audience may see (for loops in templates)."""
        return [n for n in nodes if not isinstance(self._guard(n), StaffOnly)]

    def _related(self, group: Mapping[str, Any], ids: Iterable[str]) -> list[Any]:
        """The entities named by `ids` that this audience may see, tracked as used."""
        found = self.visible(group[i] for i in ids if i in group)
        if self.usage is not None:
            for node in found:
                self._use(node)
        return found

    def glossary_entries(self) -> list[dict[str, Any]]:
        """Glossary terms plus levels and modalities with a short form, plus formats, A to Z.

        Anchors are ids, so `link("formats.group")` can point at `glossary.md#group`.
        """
        entries = []
        for term in self.visible(self.facts.glossary.values()):
            entries.append({"node": term, "heading": term.term, "anchor": term.id,
                            "stands_for": term.stands_for, "meaning": term.meaning,
                            "sources": term.sources, "link": None,
                            "fields": ("term", "stands_for", "meaning", "sources")})
        # A level, therapy or format that is also a glossary term is described once, there.
        terms = set(self.facts.glossary)
        for level in self.visible(self.facts.levels.values()):
            if level.abbr and level.id not in terms:
                entries.append({"node": level, "heading": level.abbr, "anchor": level.id,
                                "stands_for": level.name, "meaning": level.summary,
                                "sources": (), "link": f"levels.{level.id}",
                                "fields": ("abbr", "name", "summary")})
        for modality in self.visible(self.facts.modalities.values()):
            if modality.abbr and modality.id not in terms:
                entries.append({"node": modality, "heading": modality.abbr,
                                "anchor": modality.id, "stands_for": modality.name,
                                "meaning": modality.description, "sources": modality.sources,
                                "link": f"modalities.{modality.id}",
                                "fields": ("abbr", "name", "description", "sources")})
        for fmt in self.visible(self.facts.formats.values()):
            if fmt.id in terms:
                continue
            entries.append({"node": fmt, "heading": fmt.name, "anchor": fmt.id,
                            "stands_for": None, "meaning": fmt.description,
                            "sources": fmt.sources, "link": None,
                            "fields": ("name", "description", "sources")})
        anchors: dict[str, str] = {}
        for entry in entries:
            node = entry["node"]
            if entry["anchor"] in anchors:
                raise ValueError(f"glossary: {node.path} and {anchors[entry['anchor']]} share "
                                 f"the id {entry['anchor']!r}; rename one in facts.yaml")
            anchors[entry["anchor"]] = node.path
            if self.usage is not None:  # record the fields shown, so the impact report is exact
                for field in entry["fields"]:
                    self._use(node, field)
        return sorted(entries, key=lambda e: e["heading"].casefold())

    def seen(self, obj: Any, name: Any, value: Any) -> Any:
        """Called on every attribute or item a template reads: track it, guard staff facts."""
        value = self._guard(value)
        if self.usage is not None and not isinstance(value, StaffOnly):
            if isinstance(value, Node):
                self._use(value)
            elif isinstance(obj, Node) and isinstance(name, str):
                self._use(obj, name)
        return value

    def _use(self, node: Node, attribute: str | None = None) -> None:
        """Record that the page used `node` (or one of its attributes), once: a page reads the
        same facts many times, and recording one again changes nothing."""
        key = (id(node), attribute)
        if key not in self._recorded and self.usage is not None:
            self._recorded.add(key)
            self.usage.use(node, attribute)

    # -- rendering a page ---------------------------------------------------------------
    def begin(self, page: str) -> PageUsage:
        """Start tracking `page` (a src path such as "levels/iop.md")."""
        self.page = page
        self.usage = self.registry.start(page)
        self._recorded = set()
        self._cited = set()
        self._alone = []
        self._groups = {}
        self._citing = None
        return self.usage

    def render(self, markdown: str, page: str, *, line_offset: int = 0,
               name: str | None = None, about: tuple[str, str, str] | None = None,
               generated: bool = False) -> str:
        """Render one page's Markdown. Raises RenderError naming `name` (or page) and line.

        `about`: (name, group, id) of the entity a generated page is about, given to its
        template as `name`, e.g. ("level", "levels", "iop") -> `level`. `generated`: a page
        made from facts.yaml by our own templates, whose output grows with the fact base (the
        sources page of a 100x fact base is 1.6 MB), so it gets GENERATED_MAX_OUTPUT.
        """
        with collector.paused():  # a render's contexts and lists are short-lived
            return self._render(markdown, page, line_offset, name, about,
                                GENERATED_MAX_OUTPUT if generated else MAX_OUTPUT)

    def _render(self, markdown: str, page: str, line_offset: int, name: str | None,
                about: tuple[str, str, str] | None, max_output: int) -> str:
        usage = self.begin(page)
        where = name or page
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
        except StaffOnlyError as err:
            raise RenderError(where, _line(err, line_offset),
                              f"{err.path} is staff-only; page {page} is public. "
                              "Show it on a staff page, or make it public in facts.yaml.",
                              _template(err)) from None
        except jinja2.TemplateSyntaxError as err:
            in_page = err.filename is None
            message = err.message or str(err)
            unknown = re.match(r"No filter named '([^']*)'", message)
            if unknown:
                message = (f"no filter named {unknown.group(1)!r}. " + template_api.did_you_mean(
                    unknown.group(1), sorted(n for n in self.env.filters if n[0] != "_")))
            raise RenderError(where, (err.lineno or 0) + (line_offset if in_page else 0),
                              message,
                              None if in_page else f"{err.filename}:{err.lineno}") from None
        except ModelPrintError as err:
            raise RenderError(where, _line(err, line_offset),
                              _print_fix(err),
                              _template(err)) from None
        except RecursionError as err:
            raise RenderError(where, _line(err, line_offset), "a macro calls itself without end",
                              _template(err)) from None
        except (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError,
                LimitError) as err:
            raise RenderError(where, _line(err, line_offset), _message(err),
                              _template(err)) from None
        out = restore_code(out, kept)
        if usage.sources:
            notes = self._template("macros/footnotes.md.j2", alone=self._alone,
                                   groups=[(label, list(ids)) for ids, label
                                           in self._groups.items()])
            out = out.rstrip("\n") + "\n\n" + str(notes) + "\n"
        return out

    def review_dates(self, page: str, own: dt.date | None) -> ReviewDates | None:
        """The page's review dates: its own `reviewed:` date and the facts it used."""
        usage = self.registry.pages.get(page) or self.registry.start(page)
        usage.own = own
        return usage.review_dates(self.facts.review_every_months)

    def abbreviations(self) -> str:
        """Abbreviation definitions (``*[IOP]: Intensive outpatient program``) for every page."""
        return str(self._template("macros/abbreviations.md.j2",
                              abbreviations=self.facts.abbreviations(staff=self.audience == STAFF)))

    def block_template(self, name: str, **values: Any) -> Markup:
        """A named block (carekb/templates/blocks/) rendered for the current page."""
        return self._template(name, **values)

    def _template(self, name: str, **values: Any) -> Markup:
        return Markup(self.env.get_template(name).render(page=self.page, **values).strip("\n"))

    # -- filters --------------------------------------------------------------------------
    def words(self, figure: Figure, unit: str | None = None, per: str | None = None) -> Markup:
        """A figure in words without its citation (use only next to one that has it).

        Example: {{ levels.iop.days_per_week | words }}
        """
        return Markup(escape(figure_words(self._figure(figure), unit=unit, per=per)))

    def figure(self, figure: Figure, unit: str | None = None, per: str | None = None,
               note: bool = False) -> Markup:
        """A figure in words with its citation; `note=True` adds its note (templates).

        Example: {{ levels.iop.days_per_week | figure }}
        """
        figure = self._figure(figure)
        text = escape(figure_words(figure, unit=unit, per=per))
        if note and figure.note:
            sentence = figure.note.strip()
            text += Markup(". ") + escape(sentence if sentence.endswith((".", "!", "?"))
                                          else sentence + ".")
        return Markup(text) + self._cite_all(figure.sources)

    def figures(self, figures: Iterable[Figure] | Figure, joiner: str = "; ",
                note: bool = False) -> Markup:
        """A list of figures (costs, lengths of stay), each with its citation.

        Example: {{ levels.iop.cost | costs }}
        """
        _defined(figures)
        if isinstance(figures, (Figure, StaffOnly)):
            figures = [figures]
        shown = [self.figure(f, note=note) for f in figures
                 if not isinstance(self._guard(f), StaffOnly)]
        return Markup(escape(joiner)).join(shown)

    def hours(self, value: Mapping[str, Figure] | Figure, who: str = "adults") -> Markup:
        """Hours a week for adults, or with "teens" for adolescents, with its citation.

        Example: {{ levels.iop.hours_per_week | hours("teens") }}
        """
        _defined(value)
        if isinstance(value, Mapping):
            key = "adolescents" if who in ("teens", "adolescents") else who
            if key not in value:
                raise ValueError(f"hours: no figure for {who!r}; choose from: {', '.join(value)}")
            value = self.seen(value, key, value[key])
        return self.figure(value, unit="hours", per="week")

    def note(self, note: Note) -> Markup:
        """A sourced sentence with its citation.

        Example: {{ levels.iop.hours_note | note }}
        """
        _defined(note)
        if isinstance(note, StaffOnly):
            str(note)
        if self.usage is not None:
            self._use(note)
        return Markup(escape(note.text)) + self._cite_all(note.sources)

    def _figure(self, figure: Any) -> Figure:
        _defined(figure)
        if isinstance(figure, StaffOnly):
            str(figure)  # raises StaffOnlyError
        figure = self._guard(figure)
        if isinstance(figure, StaffOnly):
            str(figure)
        if not isinstance(figure, Figure):
            raise TypeError(f"expected a figure such as levels.iop.days_per_week, "
                            f"got {type(figure).__name__}")
        if self.usage is not None:
            self._use(figure)
        return figure

    # -- macros ---------------------------------------------------------------------------
    def cite(self, *source_ids: str) -> Markup:
        """A footnote to one or more sources (listed on the sources page).

        Example: {{ cite("tip47") }}
        """
        return self._cite_all(source_ids)

    def _cite_all(self, source_ids: Iterable[str]) -> Markup:
        """One footnote mark for all the sources of one citation (a grouped note if several)."""
        ids: list[str] = []
        for source_id in source_ids:
            source = self.facts.sources.get(source_id)
            if source is None and self.facts.sources.hidden_path(source_id):
                raise StaffOnlyError(self.facts.sources.hidden_path(source_id))
            if source is None:
                raise ValueError(f"cite: no source {source_id!r}; choose from: "
                                 + ", ".join(self.facts.sources))
            if isinstance(self._guard(source), StaffOnly):
                raise StaffOnlyError(source.path)
            if self.usage is not None and source_id not in self._cited:
                self._cited.add(source_id)  # citing it again would record nothing new
                self.usage.cite(source, source_id)
            if source_id not in ids:
                ids.append(source_id)
        if not ids:
            return Markup("")
        if len(ids) == 1:
            label = ids[0]
            if label not in self._alone:
                self._alone.append(label)
        else:
            # A hyphen never occurs in a source id, so a group's label never equals one.
            label = self._groups.setdefault(tuple(ids), f"sources-{len(self._groups) + 1}")
        # Markup.format escapes the label; source ids (lowercase letters, digits, _) never need it.
        return Markup("[^{}]").format(label)

    def target(self, ref: str) -> tuple[Node, str, str]:
        """(entity, label, src path) for a level, modality or format id ("php", "modalities.cbt")."""
        kinds = {"levels": "levels/{}.md", "modalities": "modalities/{}.md",
                 "formats": "glossary.md#{}"}
        group, _, key = ref.rpartition(".")
        for g in kinds:  # a staff-only entity is absent from the public view: say so
            hidden = getattr(self.facts, g).hidden_path(key)
            if hidden and (not group or g == group) and key not in getattr(self.facts, g):
                raise StaffOnlyError(hidden)
        found = [(g, pattern) for g, pattern in kinds.items()
                 if (not group or g == group) and key in getattr(self.facts, g)]
        if not found:
            choices = sorted(k for g in kinds for k in getattr(self.facts, g))
            raise ValueError(f"link: nothing called {ref!r}; choose from: {', '.join(choices)}")
        if len(found) > 1:
            raise ValueError(f"link: {ref!r} is ambiguous; write "
                             + " or ".join(f"{g}.{key}" for g, _ in found))
        g, pattern = found[0]
        node = getattr(self.facts, g)[key]
        if isinstance(self._guard(node), StaffOnly):
            raise StaffOnlyError(node.path)
        label = getattr(node, "label", None) or node.name
        return node, label, pattern.format(key)

    def link(self, ref: str, text: str | None = None, short: bool = False) -> Markup:
        """A link to a level's or therapy's page, labelled with its name (`short=True`: IOP).

        Example: {{ link("php") }}
        """
        node, label, target = self.target(ref)
        shows = "label"  # the fields the link text shows, for the impact report
        if short and getattr(node, "abbr", None):
            label, shows = node.abbr, "abbr"
        if self.usage is not None:
            self._use(node, "id" if text is not None else shows)
        shown = _md_label(text if text is not None else label)
        return Markup(f"[{shown}]({relative(self.page or '', target)})")

    def url_to(self, target: str) -> str:
        """A link target from the page being rendered to `target` (a src path)."""
        return relative(self.page or "", target)

    def level_url(self, level_id: str) -> str:
        return relative(self.page or "", f"levels/{level_id}.md")

    def page_link(self, src: str) -> Markup:
        """A Markdown link to another page of this build, labelled with its title."""
        title = self.page_title(src) or src
        return Markup(f"[{_md_label(title)}]({relative(self.page or '', src)})")

    def pages_citing(self, source_id: str) -> list[str]:
        # The sources page asks once per source: index the citations once per page rendered,
        # not once per source (that grew with sources x pages).
        if self._citing is None:
            self._citing = self.registry.citing()
        return [p for p in self._citing.get(source_id, []) if p != self.page]

    def compare_table(self) -> Markup:
        """OP, IOP, PHP and residential side by side, as a table.

        Example: {{ compare_table() }}
        """
        return self._template("macros/compare_table.md.j2",
                              levels=self.visible(self.facts.core_levels))

    def continuum_chart(self) -> Markup:
        """An SVG bar chart of adult hours a week by level, with a data table.

        Example: {{ continuum_chart() }}
        """
        levels = self.visible(self.facts.core_levels)
        if self.usage is not None:  # these decide which bars are 24-hour settings
            for level in levels:
                self.usage.use(level.asam, "edition3")
                self.usage.use(level, "around_the_clock")
        return self._template("macros/continuum_chart.html.j2", chart=chart_data(levels))


def chart_data(levels: list[Any]) -> dict[str, Any]:
    """Bars for the continuum chart: where each level's adult hours a week start and end.

    A level at ASAM level 3 or above is a 24-hour setting (people live there, with care around
    the clock): its weekly treatment hours are a minimum inside that care, not a range of
    sessions, so its bar spans the whole scale and is drawn apart (`around_the_clock`).
    """
    bars = []
    top = 0.0
    for lv in levels:
        fig = lv.hours_per_week.get("adults")
        if fig is None:
            continue
        low = fig.min if fig.min is not None else 0.0
        high = next((v for v in (fig.max, fig.under, fig.about, fig.median) if v is not None), None)
        open_ended = high is None
        high = high if high is not None else low
        if fig.about is not None or fig.median is not None:
            low = 0.0
        # `around_the_clock` in facts.yaml says so; the rule "around-the-clock" keeps it in step
        # with the ASAM number, which still counts here for levels built without the field.
        around_the_clock = bool(getattr(lv, "around_the_clock", False)) or _asam_level(lv) >= 3
        if not around_the_clock:
            top = max(top, high, low)
        bars.append({"level": lv, "figure": fig, "low": low, "high": high, "open": open_ended,
                     "around_the_clock": around_the_clock})
    scale_max = max(10.0, (int(top * 1.4) // 10 + 1) * 10)
    for bar in bars:
        if bar["around_the_clock"]:
            bar["low"], bar["open"] = 0.0, False
        if bar["open"] or bar["around_the_clock"]:
            bar["high"] = scale_max
    ticks = list(range(0, int(scale_max) + 1, 5 if scale_max <= 40 else 10))
    return {"bars": bars, "max": scale_max, "ticks": ticks}


def _asam_level(level: Any) -> float:
    """The lowest ASAM (3rd edition) level number of a level: "3.1, 3.5" -> 3.1; 0 if none."""
    found = re.findall(r"\d+(?:\.\d+)?", getattr(level.asam, "edition3", "") or "")
    return min((float(n) for n in found), default=0.0)


def published(source: Any) -> str:
    """When a source appeared: its year, or for an undated web page when we read it."""
    if source.year:
        return str(source.year)
    if getattr(source, "accessed", None):
        return f"undated, read {long_date(source.accessed)}"
    return "undated"


def confidence_words(confidence: str) -> str:
    return {
        "authoritative": "Official or research source",
        "secondary": "Summary of an official source",
        "provider": "Treatment provider's own claim",
    }.get(confidence, confidence)


def _fields(node: Node) -> list[str]:
    """What a template may read on a fact: its fields, minus the bookkeeping ones."""
    hidden = {"path", "loc", "owner"}
    names = [f.name for f in dataclasses.fields(node) if f.name not in hidden]
    return names + [n for n in ("label", "review_due", "staff_only", "tel")
                    if isinstance(getattr(type(node), n, None), property)]


def _defined(value: Any) -> None:
    """Raise the strict "… is undefined" error for a misspelt name passed to a filter."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


@functools.lru_cache(maxsize=1 << 14, typed=True)  # typed: "a&b" and Markup("a&b") differ
def _md_label(text: str) -> Markup:
    """Text for a Markdown link label: HTML-escaped once (Markup, so autoescape leaves it be)."""
    return Markup(str(escape(text)).replace("[", "\\[").replace("]", "\\]"))


def _frames(err: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(err.__traceback__)
            if f.filename == "<template>" or f.filename.startswith(str(TEMPLATES))]


def _line(err: BaseException, offset: int) -> int | None:
    for frame in reversed(_frames(err)):
        if frame.filename == "<template>":
            return (frame.lineno or 0) + offset
    return None


def _template(err: BaseException) -> str | None:
    frames = _frames(err)
    if frames and frames[-1].filename != "<template>":
        tpl = Path(frames[-1].filename)
        return f"carekb/templates/{tpl.relative_to(TEMPLATES).as_posix()}:{frames[-1].lineno}"
    return None


def _print_fix(err: ModelPrintError) -> str:
    """What to write instead of printing a fact whole: `fact("…")` where it prints one (and,
    for block templates, the filter that does the same)."""
    in_templates = f" (In a block template: {err.path} {err.hint}.)"
    if err.hint.startswith(("is a figure", "is a sourced sentence", "is a list of figures")):
        return (f"{err.path} is never printed whole; write "
                f'{{{{ fact("{err.path}") }}}} to show it in words with its citation.'
                + in_templates)
    if err.hint.startswith("is a set of figures"):
        return (f"{err.path} is never printed whole: it holds several figures; write "
                f'{{{{ fact("{err.path}.adults") }}}} (or another of its figures).'
                + in_templates)
    return f"{err.path} {err.hint}. A fact is never printed whole"


def _message(err: BaseException) -> str:
    text = str(err)
    if isinstance(err, jinja2.UndefinedError) and text.endswith("is undefined"):
        name = re.match(r"'([^']*)' is undefined", text)
        known = [*CONTEXT_GROUPS, "self_check", "facts", *template_api.FUNCTIONS,
                 *template_api.RENDERER_FUNCTIONS]
        if name and name.group(1) not in known:
            return f"{text}. " + template_api.did_you_mean(name.group(1), known)
        return f"{text}. Names you can use: {', '.join(known)}"
    return text
