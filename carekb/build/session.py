"""The build session: the one thing hook modules talk to.

`on_config` of hooks/facts.py starts a session on every (re)build; every other hook reads it
with `current()`. It offers, for this build and this audience:

- the facts as this audience may see them (`facts`, `visible`, `crisis`, `descriptions`,
  `allowed_links`) and the pages generated from them (`pages`);
- each page's audience, decided once (`audience_of`, `record_staff_pages`, `staff_pages`);
- rendering (`render`, `abbreviations_used`, `add_staff_macros`) and the usage registry's
  queries (`usage`, `impact`, `citing`);
- page facts, each worked out once from what the page's render recorded and read by whoever
  needs it (`page_title`, `review_dates`), and the pages that must render after the others
  (`render_last`, `made_of`);
- the build report's sections (`grades`, the reading grades) and what the checks
  saw written (`written`);
- the search index's extras: pages left out, other names (`search`, carekb/render/searchindex.py).

A path string inside content/ ("levels/iop.md") is called `src` here and in carekb; the hooks'
MkDocs `Page` objects stay in the hooks (the session only asks them for a title and front
matter, through `use_pages`). The session only reads the usage registry (but for `restore`,
by which the preview puts back an unchanged page's record): the renderer records a page's
usage while it renders, and everything after that is a query over it
(`Renderer.review_dates` included).

Plain module state is enough for `current()`: a build runs in one thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from carekb.base import collector
from carekb.model.audience import PageAudiences
from carekb.build.bilingual import Languages
from carekb.model.facts import PUBLIC, STAFF, Facts
from carekb.render.pagemeta import descriptions
from carekb.pages.generated import GeneratedPage, generated_pages
from carekb.staff.quiz import group_types, questions, render_answer
from carekb.build.grades import Grades
from carekb.render.searchindex import PageNames
from carekb.render.renderer import Renderer
from carekb.i18n.translation_queue import queue
from carekb.render.usage import PageUsage, ReviewDates

_WORD = re.compile(r"\w+")
_DEFINITION = re.compile(r"^\*\[(?P<abbr>.+?)\]:", re.M)


@dataclass(frozen=True)
class StaffPage:
    """A staff-only page: where the public site would have had it, and its file for messages."""

    url: str
    name: str


@dataclass
class Written:
    """The pages as the privacy check saw them written (hooks/privacy.py), for its check of
    the whole site after the build: a page whose bytes did not change is not read again."""

    allowed: set[str] = field(default_factory=set)  # addresses a page body may link to
    own_hosts: set[str] = field(default_factory=set)  # the site's own host (site_url)
    checked: dict[str, Any] = field(default_factory=dict)  # path in site -> (fingerprint, findings)
    sources: dict[str, str] = field(default_factory=dict)  # path in site -> page source, for messages


def abbreviation_index(definitions: str) -> dict[str, list[tuple[str, str]]]:
    """First word of each abbreviation -> (abbreviation, definition line), from the glossary's
    definition lines (`*[IOP]: Intensive outpatient program`)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for line in definitions.splitlines():
        found = _DEFINITION.match(line)
        if found:
            abbr = found.group("abbr")
            first = _WORD.search(abbr)
            index.setdefault(first.group(0) if first else abbr, []).append((abbr, line))
    return index


def reviewed_date(value: Any) -> dt.date | None:
    """A page's front-matter `reviewed:` as a date (None when absent or not a date);
    ValueError for text that is not an ISO date."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value if isinstance(value, dt.date) else None


class Session:
    """One build's facts, audience, renderer and page facts (see the module docstring)."""

    def __init__(self, renderer: Renderer, project: Path) -> None:
        self.renderer = renderer  # for engine/preview.py only: hooks use the methods below
        self.facts: Facts = renderer.facts  # the audience's view: public holds no staff node
        self.audience: str = renderer.audience
        self.project = project  # the folder holding mkdocs.yml
        self.language: str = renderer.language
        # Both languages' twins, and what the Spanish build shows in English (hooks/language.py
        # sets it up; carekb/build/bilingual.py); `source_dirs`: folders besides docs_dir the build
        # reads pages from (the English pages the Spanish site shows in their place).
        self.languages = Languages(language=self.language)
        self.source_dirs: list[Path] = []
        self.pages: list[GeneratedPage] = generated_pages(self.facts, self.audience, self.language)
        self._generated = {page.src: page for page in self.pages}
        # The build report's sections besides usage (e.g. "readability"), by name; written only
        # through `grades` and `restore`.
        self.report: dict[str, Any] = {}
        self.grades = Grades(self.report)  # the report's readability section
        self.written = Written()
        # Staff pages (src -> StaffPage, and src -> URL), decided once by hooks/audience.py
        # (record_staff_pages); the public build leaves them out, and its link check names them.
        self.staff_pages: dict[str, StaffPage] = {}
        self.staff_urls: dict[str, str] = {}
        self._audiences = PageAudiences()
        self._page_of: Callable[[str], Any] = lambda src: None  # see use_pages
        self._last: list[str] = []
        self._parts: dict[str, list[str]] = {}
        self._reviews: dict[str, ReviewDates | None] = {}
        self._titles: dict[str, str] = {}
        self._abbreviations: dict[str, list[tuple[str, str]]] | None = None
        self.search = PageNames(self.facts)  # the search index's extras (hooks/search.py)
        renderer.page_title = self.page_title  # page_link() labels a link with the title

    # -- the facts as this audience sees them ----------------------------------------------
    @property
    def is_staff(self) -> bool:
        return self.audience == STAFF

    def visible(self, nodes: Iterable[Any]) -> list[Any]:
        """The nodes this audience may see (the public view has no staff node to drop)."""
        return self.renderer.visible(nodes)

    @property
    def translation(self) -> list[Any]:
        """Every fact text's translation status in a translated build (carekb/i18n/translations.py)."""
        return list(self.renderer.translation)

    def crisis(self) -> list[Any]:
        """The crisis services, for the crisis bar on every page."""
        return self.visible(self.facts.crisis.values())

    def descriptions(self) -> dict[str, str]:
        """{src: description} of every page made from facts (meta description, JSON-LD)."""
        return descriptions(self.facts, self.audience, self.language)

    @cached_property
    def allowed_links(self) -> frozenset[str]:
        """Addresses of other hosts a page body may link to: its sources and crisis services."""
        found = {s.url for s in self.visible(self.facts.sources.values()) if s.url}
        found |= {c.url for c in self.crisis() if c.url}
        return frozenset(found)

    # -- pages and their audiences -------------------------------------------------------
    def audience_of(self, src: str, text: str, parse: Callable[[str], Mapping[str, Any]],
                    name: str | None = None) -> str:
        """PUBLIC or STAFF for a hand-written page, its front matter parsed once per build
        (carekb/model/audience.py; AudienceError for a wrong value)."""
        return self._audiences.of(src, text, parse, name)

    def record_staff_pages(self, pages: Mapping[str, StaffPage]) -> None:
        """The staff pages of this build (hooks/audience.py decides them once)."""
        self.staff_pages = dict(pages)
        self.staff_urls = {src: page.url for src, page in self.staff_pages.items()}

    def use_pages(self, page_of: Callable[[str], Any]) -> None:
        """How to find the build's page of a src (an object with `.title`, `.meta` and
        `.content`, or None), known once the navigation is made; page facts are read from it."""
        self._page_of = page_of

    def render_last(self, src: str) -> None:
        """Page `src` shows what other pages are (their titles, their HTML): it renders after
        every other page (hooks/generated.py orders the pages so)."""
        if src not in self._last:
            self._last.append(src)

    @property
    def renders_last(self) -> list[str]:
        """The pages declared with `render_last`, in the order they were declared."""
        return list(self._last)

    def made_of(self, src: str, parts: Iterable[str]) -> None:
        """Page `src` (declared with `render_last`) is made of the pages `parts`: its review
        dates are the oldest of theirs."""
        self._parts[src] = list(parts)

    def parts(self, src: str) -> list[str]:
        """The pages `src` is made of, in order (`made_of`)."""
        return list(self._parts.get(src, ()))

    # -- rendering -----------------------------------------------------------------------
    def render(self, src: str, markdown: str, *, line_offset: int = 0, name: str | None = None,
               generated: bool = False) -> str:
        """The page's Markdown rendered through Jinja with the facts; records what it used.
        A page generated from facts.yaml gets the entity it is about. Raises RenderError."""
        if src in self.languages.fallback and not generated:
            return self.languages.render_english(self.renderer, self.page_title, src, markdown,
                                                 line_offset=line_offset, name=name)
        page = self._generated.get(src) if generated else None
        return self.renderer.render(markdown, src, line_offset=line_offset, name=name,
                                    about=page.about if page else None,
                                    generated=page is not None)

    def abbreviations_used(self, markdown: str) -> list[str]:
        """The glossary's abbreviation definitions (`*[IOP]: ...`) that `markdown` uses, sorted."""
        if self._abbreviations is None:
            self._abbreviations = abbreviation_index(self.renderer.abbreviations())
        index = self._abbreviations
        return sorted(line for word in index.keys() & set(_WORD.findall(markdown))
                      for abbr, line in index[word] if abbr in markdown)

    def add_staff_macros(self) -> None:
        """Give pages `quiz("billing")` (a chapter's questions, carekb/staff/quiz.py), `group_types()`
        and `translation_queue()` (carekb/i18n/translation_queue.py); quiz() on a public page is an error."""
        renderer = self.renderer

        def quiz(topic: str) -> Markup:
            if not self.is_staff:  # the questions are handbook material, about staff facts
                raise ValueError(f"quiz({topic!r}) belongs on a staff page (content/staff/): "
                                 "its questions are part of the staff handbook, and this page "
                                 "is public")
            template = renderer.env.get_template("staff/quiz.md.j2")
            return Markup(template.render(items=questions(self.facts, topic),
                                          answer=lambda item: render_answer(item, renderer)))

        def groups() -> list[Any]:
            return self.visible(group_types(self.facts))

        renderer.env.globals.update(quiz=quiz, group_types=groups, translation_queue=lambda: queue(
            renderer.source_facts, self.project))

    # -- page facts, worked out once per page ----------------------------------------------
    def page_title(self, src: str) -> str | None:
        """The title of page `src` once it has been rendered (None before, or for no page)."""
        title = self._titles.get(src)
        if title is None:
            page = self._page_of(src)
            if page is None or page.content is None:
                return None
            title = page.title
            # hooks/titles.py escapes titles for the theme once every page is rendered.
            title = self._titles[src] = (title.unescape() if isinstance(title, Markup)
                                         else title)
        return title

    def review_dates(self, src: str) -> ReviewDates | None:
        """"Page last reviewed" and "Next review due" of rendered page `src`: the oldest review
        among the facts and sources it used and its own `reviewed:` date; a page `made_of`
        others takes the oldest of theirs instead. None: the page has no date at all."""
        if src in self._reviews:
            return self._reviews[src]
        page = self._page_of(src)
        try:
            own = reviewed_date(page.meta.get("reviewed")) if page is not None else None
        except ValueError:
            own = None  # hooks/reviewdates.py tells the editor
        parts = [d for d in map(self.review_dates, self._parts.get(src, ())) if d is not None]
        if parts:
            own = min(d.reviewed for d in parts)
        dates = self.renderer.review_dates(src, own)
        if parts and dates is not None:
            dates = ReviewDates(dates.reviewed, min(d.due for d in parts), dates.oldest)
        self._reviews[src] = dates
        return dates

    def usage(self) -> Mapping[str, PageUsage]:
        """What each rendered page used (src -> PageUsage), read-only."""
        return MappingProxyType(self.renderer.registry.pages)

    def impact(self) -> dict[str, list[str]]:
        """Fact path -> the pages showing it."""
        return self.renderer.registry.impact()

    def citing(self) -> dict[str, list[str]]:
        """Source id -> the pages citing it."""
        return self.renderer.registry.citing()

    # -- what an earlier build recorded (the preview) --------------------------------------
    def restore(self, src: str, usage: PageUsage | None, grade: dict[str, Any] | None,
                limit: float | None) -> None:
        """Put back what an unchanged page's render recorded in an earlier build (its usage,
        and its reading grade under `limit`), as if it had just rendered: the preview
        (engine/preview.py) does not render it again."""
        if usage is not None:
            self.renderer.registry.pages[src] = usage
        if grade is not None:
            self.grades.put(src, grade, limit)


_current: Session | None = None


def start(facts: Facts, *, audience: str = PUBLIC, project: Path | str = ".", language: str = "en",
          translations: Mapping[str, Any] | None = None) -> Session:
    """A new build's session over `facts` for `audience` in `language` (ValueError for another
    audience or language); `translations`: facts.es.yaml's entries (carekb/i18n/translations.py)."""
    global _current
    if audience not in (PUBLIC, STAFF):
        raise ValueError(f"extra.audience must be {PUBLIC!r} or {STAFF!r}, not {audience!r}")
    collector.release()  # the last build's session (`mkdocs serve` rebuilds) may go now
    # Every hook reads the renderer's view of the facts: in the public build it holds no
    # staff-only node at all, so no hook can show one.
    _current = Session(Renderer(facts, audience=audience, language=language,
                                translations=translations), Path(project))
    # The fact base lives until the next build and never becomes garbage: freezing it keeps
    # every later full collection of this build from walking it again (carekb/base/collector.py).
    collector.settle()
    return _current


def current() -> Session:
    """The session of the build under way."""
    if _current is None:
        raise RuntimeError("no facts loaded: list hooks/facts.py first under `hooks:` in mkdocs.yml")
    return _current
