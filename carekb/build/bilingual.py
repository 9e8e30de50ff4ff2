"""One build's two languages: the twin of each page, and what the Spanish site shows in English.

The public site is built twice from the same facts: in English (mkdocs.yml, content/) and in
Spanish (mkdocs.es.yml, content/es/, published in `es/` inside the English site). Every public
page has a twin of the same path in the other site: a page written in both languages, or a page
generated from the facts in both (levels, therapies, compare, glossary, sources).

`Languages` (the session's `languages`, set up by hooks/language.py) knows, for one build:

- the twins: each page's address in the other site, and whether the two are translations of
  each other (`alternates`: hreflang links, absolute, both ways, with x-default; only for a
  twin that is a current translation: Google counts an untranslated page as a duplicate);
- for the Spanish build: which Spanish pages are missing or stale (carekb/i18n/page_translations.py),
  whose English page is built in their place (`fallback`), rendered in English by an English
  renderer (`english_renderer`) and shown marked; which facts' texts are stale or missing
  (carekb/i18n/translations.py, from the renderer); and the review date of the English each Spanish
  page follows (`english_reviewed`).

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from carekb.i18n.interface import DEFAULT
from carekb.model.facts import PUBLIC
from carekb.i18n.page_translations import PageStatus, page_statuses, read
from carekb.i18n.spanish_terms import TermProblem, term_problems
from carekb.i18n.translations import Status, problems_of

OTHER = {"en": "es", "es": "en"}


@dataclass
class Languages:
    """See the module docstring. `language` is this build's; `english_dir` the English pages'
    folder (content/), `spanish_dir` the Spanish pages' (content/es/)."""

    language: str = DEFAULT
    english_dir: Path | None = None
    spanish_dir: Path | None = None
    english_url: str | None = None  # the English site's address (site_url), for hreflang
    pages: list[PageStatus] = field(default_factory=list)
    facts: list[Status] = field(default_factory=list)
    fallback: dict[str, str] = field(default_factory=dict)  # src -> "missing" | "stale"
    generated: set[str] = field(default_factory=set)  # pages made from the facts, in both sites
    english_renderer: Any = None
    entries: dict[str, Any] = field(default_factory=dict)  # facts.es.yaml (hooks/facts.py)
    terms: list[TermProblem] = field(default_factory=list)  # Spanish texts off the term choices
    _english_reviewed: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """Whether this build has twins at all (public builds only)."""
        return self.english_dir is not None

    @property
    def translated(self) -> bool:
        """Whether this build is a translation (the Spanish site)."""
        return self.language != DEFAULT

    def set_up(self, language: str, english_dir: Path, spanish_dir: Path, project: Path,
               site_url: str | None, generated: set[str], facts: list[Status],
               fact_base: Any = None) -> None:
        """Work out the twins and, for the Spanish site, what it shows in English and which
        texts break the term choices (`fact_base`: the facts, with their `terms_es`)."""
        self.language, self.english_dir, self.spanish_dir = language, english_dir, spanish_dir
        self.english_url = site_url
        self.generated = set(generated)
        self.pages = page_statuses(english_dir, spanish_dir, project)
        self.facts = list(facts)
        if self.translated:
            self.fallback = {s.src: s.kind for s in self.pages if s.kind in ("missing", "stale")}
            self.terms = term_problems(fact_base, self.entries, spanish_dir, project)

    # -- what is not current ---------------------------------------------------------------
    def problems(self) -> list[Any]:
        """Every stale, missing or orphan text and page of this (Spanish) build, facts first."""
        if not self.translated:
            return []
        return [*problems_of(self.facts), *(s for s in self.pages if s.kind != "current"),
                *self.terms]

    # -- twins ---------------------------------------------------------------------------------
    def twin_exists(self, src: str) -> bool:
        """Whether page `src` of this build has a page of the same path in the other site."""
        if src in self.generated:
            return True
        return any(s.src == src and s.kind != "orphan" for s in self.pages)

    def is_translation(self, src: str) -> bool:
        """Whether `src` and its twin say the same in two languages (hreflang may pair them)."""
        if src in self.generated:
            return True
        return any(s.src == src and s.kind == "current" for s in self.pages)

    def site_of(self, language: str) -> str | None:
        """The address of the site in `language` (None without a site_url)."""
        if not self.english_url:
            return None
        base = self.english_url if self.english_url.endswith("/") else self.english_url + "/"
        return base if language == DEFAULT else urljoin(base, f"{language}/")

    def alternates(self, src: str, url: str) -> list[tuple[str, str]]:
        """(hreflang, absolute address) of page `src` (at `url` in both sites) in every language,
        with x-default (the English); [] when its twin is not a current translation."""
        if not self.active or not self.is_translation(src):
            return []
        found = [(lang, self.site_of(lang)) for lang in (DEFAULT, OTHER[DEFAULT])]
        if any(base is None for _, base in found):
            return []
        links = [(lang, urljoin(base, url)) for lang, base in found]
        return links + [("x-default", links[0][1])]

    @property
    def prefix(self) -> str:
        """Where this build's pages are in the public site: "" (English), "es/" (Spanish)."""
        return f"{self.language}/" if self.translated else ""

    def english_staff_pages(self) -> dict[str, str]:
        """The staff pages of the English docs (src -> the address each would have in the
        English site): a Spanish page's link to one is a leak too (hooks/staff_links.py)."""
        found: dict[str, str] = {}
        if self.english_dir is None:
            return found
        for path in sorted(self.english_dir.rglob("*.md")):
            src = path.relative_to(self.english_dir).as_posix()
            if src.split("/", 1)[0] in ("es",):
                continue
            staff = src.split("/", 1)[0].casefold() == "staff"
            if not staff:
                try:
                    staff = read(path)[1].get("audience") == "staff"
                except (OSError, UnicodeDecodeError):
                    staff = True  # unreadable: counted as staff, never as public
            if staff:
                stem = src.removesuffix(".md")
                found[src] = "" if stem == "index" else (stem.removesuffix("/index") + "/")
        return found

    def twin_url(self, url: str) -> str:
        """The twin of the page at `url` (the same path in both sites), relative to the site
        root of this build ("es/costs/" from English, "../costs/" from Spanish)."""
        return f"es/{url}" if not self.translated else f"../{url}"

    def render_english(self, renderer: Any, page_title: Any, src: str, markdown: str, *,
                       line_offset: int = 0, name: str | None = None) -> str:
        """A page the Spanish site shows in English: rendered in English, from the same facts;
        what it used joins the build's usage (review dates, the sources page, the report)."""
        english = self.english_renderer
        if english is None:
            english = self.english_renderer = english_renderer(renderer.source_facts)
            english.page_title = page_title
        out = english.render(markdown, src, line_offset=line_offset, name=name)
        renderer.registry.pages[src] = english.registry.pages[src]
        return out

    # -- review dates -------------------------------------------------------------------------
    def english_reviewed(self, src: str) -> dt.date | None:
        """The `reviewed:` date of the English page a Spanish page follows (None: generated, or
        it has none)."""
        if src not in self._english_reviewed:
            found = None
            if self.english_dir is not None and src not in self.generated:
                try:
                    value = read(self.english_dir / src)[1].get("reviewed")
                    found = value if isinstance(value, dt.date) else None
                except (OSError, UnicodeDecodeError):
                    found = None
            self._english_reviewed[src] = found
        return self._english_reviewed[src]

    def translation_reviewed(self, src: str) -> dt.date | None:
        """When the Spanish page's translation was last checked (`translation: reviewed:`)."""
        return next((s.reviewed for s in self.pages if s.src == src and s.kind == "current"), None)


def english_renderer(facts: Any) -> Any:
    """An English renderer of the same facts, for the pages the Spanish site shows in English."""
    from carekb.render.renderer import Renderer  # the renderer imports this module's neighbours

    return Renderer(facts, audience=PUBLIC)
