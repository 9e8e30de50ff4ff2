"""The filters and macros of the page language that print figures, sources and links.

Each takes the page being rendered first (`context.PageContext`, which `api.register` binds) and
records what it shows in the page's usage, so review dates and the impact report see it. Every
figure shown carries its citation as a footnote; `Footnotes` gives each source one note a page.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

from carekb.model.audience import StaffOnly, refuse
from carekb.i18n.interface import CONFIDENCE_WORDS_ES, READ_WORDS_ES, SOURCE_KINDS_ES
from carekb.render.jinja_env import TEMPLATES
from carekb.model.facts import Figure, Node, Note, StaffOnlyError
from carekb.i18n.untranslated import strip
from carekb.render.wording import did_you_mean, figure_words, long_date
from carekb.render.language.context import PageContext



BLOCKS_DIR = TEMPLATES / "blocks"


class PageLanguageError(ValueError):
    """A page called the page language wrongly; the message says how to write it."""


class Footnotes:
    """The footnotes of one page: one per source, however often and with whatever it is cited.
    A citation of several sources gets one mark per source, side by side (`group`), in the
    order of their numbers.

    Python-Markdown numbers notes in the order they are defined, so the notes are written in
    the order their first marks stand in the page's final Markdown (`finish`): the numbers then
    read 1, 2, 3, ... from the top of the page, whatever order Jinja rendered its parts in.
    """

    # A mark as `marks` writes it: source ids are lowercase letters, digits and _.
    MARK = re.compile(r"\[\^([a-z0-9_]+)\]")

    def __init__(self, group: Callable[[list[Markup]], Markup] | None = None) -> None:
        self.cited: dict[str, None] = {}  # ids this page cited, in first-cited order
        self._groups: dict[tuple[str, ...], Markup] = {}  # each citation of several sources, shown
        self._group = group or (lambda marks: Markup("").join(marks))

    def _show(self, ids: Iterable[str]) -> Markup:
        # Markup.format escapes the id; source ids never need it.
        return self._group([Markup("[^{}]").format(i) for i in ids])

    def marks(self, ids: list[str]) -> Markup:
        """The marks of one citation: `[^id]` for each source, several side by side."""
        self.cited.update(dict.fromkeys(ids))
        if len(ids) == 1:
            return Markup("[^{}]").format(ids[0])
        key = tuple(ids)
        if key not in self._groups:
            self._groups[key] = self._show(ids)
        return self._groups[key]

    def finish(self, markdown: str) -> tuple[str, list[str]]:
        """`markdown` with each group's marks in the order of their numbers, and the ids cited on
        the page whose marks stand in it, by first mark (the order of the notes)."""
        rank: dict[str, int] = {}
        for source_id in self.MARK.findall(markdown):
            if source_id in self.cited:
                rank.setdefault(source_id, len(rank))
        # Sorting a group's marks by number keeps every number's first mark where it was.
        for ids, shown in self._groups.items():
            if all(i in rank for i in ids):
                markdown = markdown.replace(str(shown), str(self._show(sorted(ids, key=rank.__getitem__))))
        return markdown, list(rank)


# -- filters ----------------------------------------------------------------------------------
def words(r: PageContext, figure: Figure, unit: str | None = None, per: str | None = None) -> Markup:
    """A figure in words without its citation (use only next to one that has it).

    Example: {{ levels.iop.days_per_week | words }}
    """
    return Markup(escape(figure_words(_figure(r, figure), unit=unit, per=per, language=r.language)))


def figure(r: PageContext, figure: Figure, unit: str | None = None, per: str | None = None,
           note: bool = False) -> Markup:
    """A figure in words with its citation; `note=True` adds its note (templates).

    Example: {{ levels.iop.days_per_week | figure }}
    """
    figure = _figure(r, figure)
    text = escape(figure_words(figure, unit=unit, per=per, language=r.language))
    if note and figure.note:
        sentence = figure.note.strip()
        text += Markup(". ") + escape(sentence if strip(sentence).endswith((".", "!", "?"))
                                      else sentence + ".")
    return Markup(text) + cite_all(r, figure.sources)


def figures(r: PageContext, shown: Iterable[Figure] | Figure, joiner: str = "; ",
            note: bool = False) -> Markup:
    """A list of figures (costs, lengths of stay), each with its citation.

    Example: {{ levels.iop.cost | costs }}
    """
    defined(shown)
    if isinstance(shown, (Figure, StaffOnly)):
        shown = [shown]
    return Markup(escape(joiner)).join(figure(r, f, note=note) for f in shown
                                       if not isinstance(r.guard(f), StaffOnly))


def hours(r: PageContext, value: Mapping[str, Figure] | Figure, who: str = "adults") -> Markup:
    """Hours a week for adults, or with "teens" for adolescents, with its citation.

    Example: {{ levels.iop.hours_per_week | hours("teens") }}
    """
    defined(value)
    if isinstance(value, Mapping):
        key = "adolescents" if who in ("teens", "adolescents") else who
        if key not in value:
            raise ValueError(f"hours: no figure for {who!r}; choose from: {', '.join(value)}")
        value = r.seen(value, key, value[key])
    return figure(r, value)  # hours a week: the unit its field implies (wording.unit_of)


def note(r: PageContext, note: Note) -> Markup:
    """A sourced sentence with its citation.

    Example: {{ levels.iop.hours_note | note }}
    """
    defined(note)
    refuse(note)
    r.tracker.use(note)
    return Markup(escape(note.text)) + cite_all(r, note.sources)


def _figure(r: PageContext, figure: Any) -> Figure:
    defined(figure)
    refuse(figure)
    refuse(r.guard(figure))
    if not isinstance(figure, Figure):
        raise TypeError(f"expected a figure such as levels.iop.days_per_week, "
                        f"got {type(figure).__name__}")
    r.tracker.use(figure)
    return figure


# -- citations and links ------------------------------------------------------------------------
def cite(r: PageContext, *source_ids: str) -> Markup:
    """A footnote to one or more sources (listed on the sources page).

    Example: {{ cite("tip47") }}
    """
    return cite_all(r, source_ids)


def cite_all(r: PageContext, source_ids: Iterable[str]) -> Markup:
    """The footnote marks of one citation: one per source, each source's note once a page."""
    ids: list[str] = []
    for source_id in source_ids:
        source = r.facts.sources.get(source_id)
        if source is None and r.facts.sources.hidden_path(source_id):
            raise StaffOnlyError(r.facts.sources.hidden_path(source_id))
        if source is None:
            raise ValueError(f"cite: no source {source_id!r}; choose from: "
                             + ", ".join(r.facts.sources))
        if isinstance(r.guard(source), StaffOnly):
            raise StaffOnlyError(source.path)
        r.tracker.cite(source, source_id)
        if source_id not in ids:
            ids.append(source_id)
    if not ids:
        return Markup("")
    return r.footnotes.marks(ids)


_PAGES = {"levels": "levels/{}.md", "modalities": "modalities/{}.md", "formats": "glossary.md#{}"}


def target(r: PageContext, ref: str) -> tuple[Node, str, str]:
    """(entity, label, src path) for a level, modality or format id ("php", "modalities.cbt")."""
    group, _, key = ref.rpartition(".")
    for g in _PAGES:  # a staff-only entity is absent from the public view: say so
        left_out = getattr(r.facts, g).hidden_path(key)
        if left_out and (not group or g == group) and key not in getattr(r.facts, g):
            raise StaffOnlyError(left_out)
    found = [(g, pattern) for g, pattern in _PAGES.items()
             if (not group or g == group) and key in getattr(r.facts, g)]
    if not found:
        choices = sorted(k for g in _PAGES for k in getattr(r.facts, g))
        raise ValueError(f"link: nothing called {ref!r}; choose from: {', '.join(choices)}")
    if len(found) > 1:
        raise ValueError(f"link: {ref!r} is ambiguous; write "
                         + " or ".join(f"{g}.{key}" for g, _ in found))
    g, pattern = found[0]
    node = getattr(r.facts, g)[key]
    if isinstance(r.guard(node), StaffOnly):
        raise StaffOnlyError(node.path)
    label = getattr(node, "label", None) or node.name
    return node, label, pattern.format(key)


def link(r: PageContext, ref: str, text: str | None = None, short: bool = False) -> Markup:
    """A link to a level's or therapy's page, labelled with its name (`short=True`: IOP).

    Example: {{ link("php") }}
    """
    node, label, to = target(r, ref)
    shows = "label"  # the fields the link text shows, for the impact report
    if short and getattr(node, "abbr", None):
        label, shows = node.abbr, "abbr"
    r.tracker.use(node, "id" if text is not None else shows)
    shown = md_label(text if text is not None else label)
    return Markup(f"[{shown}]({relative(r.tracker.page or '', to)})")


def compare_table(r: PageContext) -> Markup:
    """OP, IOP, PHP and residential side by side, as a table.

    Example: {{ compare_table() }}
    """
    return r.template("macros/compare_table.md.j2", levels=r.visible(r.facts.core_levels))


# -- for our own templates (not part of the page language) ---------------------------------------
def url_to(r: PageContext, to: str) -> str:
    """A link target from the page being rendered to `to` (a src path)."""
    return relative(r.tracker.page or "", to)


def page_link(r: PageContext, src: str) -> Markup:
    """A Markdown link to another page of this build, labelled with its title."""
    title = r.page_title(src) or src
    return Markup(f"[{md_label(title)}]({relative(r.tracker.page or '', src)})")


def pages_citing(r: PageContext, source_id: str) -> list[str]:
    """The other pages of this build that cite `source_id`, sorted."""
    return [p for p in r.tracker.citing().get(source_id, []) if p != r.tracker.page]


def published(source: Any, language: str = "en") -> str:
    """When a source appeared: its year, or for an undated web page when we read it."""
    if source.year:
        return str(source.year)
    if getattr(source, "accessed", None):
        if language == "es":
            return f"sin fecha, consultada el {long_date(source.accessed, language)}"
        return f"undated, read {long_date(source.accessed)}"
    return "sin fecha" if language == "es" else "undated"


def confidence_words(confidence: str, language: str = "en") -> str:
    """How sure a source is, in words for the sources page."""
    if language == "es":
        return CONFIDENCE_WORDS_ES.get(confidence, confidence)
    return {
        "authoritative": "Official or research source",
        "secondary": "Summary of an official source",
        "provider": "Treatment provider's own claim",
    }.get(confidence, confidence)


def kind_words(source: Any, language: str = "en") -> str:
    """Who wrote a source, in words (`source.kind_words` in English)."""
    return SOURCE_KINDS_ES.get(source.kind, source.kind) if language == "es" else source.kind_words


def read_words(source: Any, language: str = "en") -> str:
    """How directly we read a source, in words (`source.read_words` in English)."""
    return READ_WORDS_ES.get(source.confidence, source.confidence) if language == "es" else source.read_words


def relative(page: str, to: str) -> str:
    """A Markdown link target from page `page` (a src path) to `to` (a src path)."""
    path, _, anchor = to.partition("#")
    rel = _relpath(path, posixpath.dirname(page) or ".") if path else ""
    return f"{rel}#{anchor}" if anchor else rel


# posixpath.relpath makes both paths absolute first (it asks for the working folder each time);
# a build asks for the same few thousand pairs again and again.
_relpath = functools.lru_cache(maxsize=1 << 16)(posixpath.relpath)


@functools.lru_cache(maxsize=1 << 14, typed=True)  # typed: "a&b" and Markup("a&b") differ
def md_label(text: str) -> Markup:
    """Text for a Markdown link label: HTML-escaped once (Markup, so autoescape leaves it be)."""
    return Markup(str(escape(text)).replace("[", "\\[").replace("]", "\\]"))


def defined(value: Any) -> None:
    """Raise the strict "… is undefined" error for a misspelt name passed to a filter."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


# -- blocks and wording -----------------------------------------------------------------------
def block(r: PageContext, name: str, **values: Any) -> Markup:
    """A named block: a ready-made table, list or box built from the facts.

    Example: {{ block("help_now") }}

    The blocks are listed below under "Blocks"; each takes the values shown there.
    """
    if name not in BLOCKS:
        raise PageLanguageError(f"block: no block named {name!r}. "
                                + did_you_mean(name, sorted(BLOCKS)))
    if r.language != "en" and not (TEMPLATES / r.language / "blocks" / f"{name}.md.j2").is_file():
        raise PageLanguageError(f"block: {name!r} has no version in this site's language: add "
                                f"carekb/templates/{r.language}/blocks/{name}.md.j2, a translation "
                                f"of carekb/templates/blocks/{name}.md.j2")
    return r.template(f"blocks/{name}.md.j2", **values)


def lower_first(r: PageContext, text: str) -> Markup:
    """The text with its first letter in lower case, to continue a sentence with a fact.

    Example: It means {{ fact("levels.iop.summary") | lower_first }}
    """
    return Markup(escape(text[:1]).lower()) + Markup(escape(text[1:]))


def upper_first(r: PageContext, text: str) -> Markup:
    """The text with its first letter in upper case, to start a sentence with a fact.

    Example: {{ fact("levels.iop.length_of_stay[1]") | upper_first }}
    """
    return Markup(escape(text[:1]).upper()) + Markup(escape(text[1:]))


def _blocks() -> dict[str, tuple[str, str]]:
    """Each named block (carekb/templates/blocks/): name -> (example, what it shows), read
    from the `{#- … -#}` comment at its top."""
    found = {}
    for tpl in sorted(BLOCKS_DIR.glob("*.md.j2")):
        text = tpl.read_text(encoding="utf-8")
        doc = re.match(r"\{#-?(.*?)-?#\}", text, re.S)
        body = doc.group(1).strip() if doc else ""
        example = re.search(r"Example:\s*(\{\{.*?\}\})", body)
        found[tpl.name.removesuffix(".md.j2")] = (
            example.group(1) if example else "{{ block(\"%s\") }}" % tpl.name[:-6],
            re.sub(r"\s*Example:.*", "", body, flags=re.S).strip())
    return found


BLOCKS = _blocks()
