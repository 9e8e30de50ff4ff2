"""Every MkDocs internal the incremental preview uses, in one place (MkDocs 1.6.1 is pinned).

`Engine` runs the steps of `mkdocs.commands.build.build` itself so that it can keep the theme
environment and the last build's pages in memory, and on the next save render only the pages
the change touches (carekb/incremental.py decides which). Every other page is replayed
from memory: its rendered body, anchors, usage (which facts it showed) and reading grade go
back into this build's session, and the search plugin and the page checks see its written
HTML again, so the search index, the sources page, the build report and the privacy and
safety gates come out exactly as a full build makes them.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkbuild
from mkdocs.config import config_options
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import File, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, write_file

from carekb import htmlscan
from carekb.incremental import classify, fact_pages, reads, reload_data
from carekb.impact import load_yaml_text
from carekb.staging import Stage
from engine.reuse import ConfigReader, share_compiled

log = logging.getLogger("mkdocs.preview")
# What Page.render() and read_source() fill in: restoring these makes a page as if rendered.
_RENDERED = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids",
             "links_to_anchors")
# The theme pages that never show a page's facts or prose (only the nav, which an incremental
# rebuild never changes): rendered by full builds only.
_NAV_ONLY_TEMPLATES = ("404.html",)


@dataclass
class Built:
    """One page as the last good build left it."""

    rendered: dict[str, Any]
    output: str
    usage: Any  # carekb.usage.PageUsage, or None for a page rendered without the renderer
    grade: dict[str, Any] | None
    search: list[dict[str, Any]] | None  # the search plugin's entries for this page
    reads: list[str] | None  # what its templates read, as carekb.incremental.reads gives it


@dataclass
class Result:
    """What a (re)build did."""

    rebuilt: int
    total: int
    seconds: float
    full: bool
    readability: dict[str, Any] | None = None
    warnings: int = 0


@dataclass
class _Memory:
    """The last good build: pages, nav outline, the facts text it used."""

    pages: dict[str, Built] = field(default_factory=dict)
    outline: list[tuple[str, str | None, str]] = field(default_factory=list)
    facts_text: str | None = None
    facts_data: Any = None  # facts_text as loaded YAML, for the next diff
    readability: dict[str, Any] | None = None  # the report section's settings (its limit)


def _session():
    """The build session hooks/facts.py started (imported late: a hook change reloads it)."""
    return importlib.import_module("carekb.session").current()


def forget_hooks() -> None:
    """Make the next load_config execute the project's hook modules afresh (after a hook edit)."""
    config_options.Hooks._load_hook.cache_clear()
    for name in list(sys.modules):
        if (name.startswith("hooks.") or name.startswith("hooks/")) \
                and name not in ("engine.preview", "carekb.incremental"):
            del sys.modules[name]


class Engine:
    """An MkDocs build of one site that can redo only what a change touches."""

    def __init__(self, config_file: str | Path, site_dir: str | Path, *, strict: bool = False):
        self.config_file = Path(config_file).resolve()
        self.project = self.config_file.parent
        self.site_dir = Path(site_dir).resolve()
        self.strict = strict
        self.env = None  # the theme's Jinja environment, kept between builds
        self.memory: _Memory | None = None  # None: the next build is a full one
        self.startup_done = False
        self._theme_files: list[tuple[str, str]] | None = None
        self._code: dict[tuple, Any] = {}  # compiled page sources (see engine/reuse.py)
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._reader = ConfigReader(self.config_file)
        htmlscan.keep_results()  # the checks of unchanged pages are not run again

    # -- configuration -------------------------------------------------------------------
    def _config(self, site_dir: Path):
        """Load mkdocs.yml (hook modules stay loaded; MkDocs caches them) and run on_startup."""
        config = self._reader.load(site_dir=str(site_dir), strict=self.strict)
        if self.env is not None:
            # Plugins that ask the theme for an environment (Material's search translates its
            # labels through one) get the kept one, with its templates already compiled.
            env = self.env
            config.theme.get_env = lambda: env
        if not self.startup_done:
            config.plugins.on_startup(command="serve", dirty=False)
            self.startup_done = True
        return config

    def facts_path(self, config) -> Path:
        """facts.yaml as mkdocs.yml names it."""
        return self.project / config.extra.get("facts", "facts.yaml")

    def reset(self, *, hooks: bool = False, theme: bool = False) -> None:
        """Forget the last build (the next one is full); drop hook modules or the theme too."""
        self.memory = None
        self._reader.forget()
        if hooks:
            forget_hooks()
            self._code.clear()
            self.startup_done = False
        if hooks or theme:
            self.env = None
            self._theme_files = None

    # -- building --------------------------------------------------------------------------
    def build(self, changed: set[Path] | None = None) -> Result:
        """Rebuild after `changed` files (None: everything); raises on a failed build."""
        start = time.monotonic()
        only = self._plan(changed)
        if only is None:
            return self._full(start)
        if not only:  # only editor swap files or caches changed
            return Result(0, len(self.memory.pages), time.monotonic() - start, False)
        try:
            result = self._run(self.site_dir, only, start)
        except _NeedsFull:
            return self._full(start)
        except BaseException:
            self.memory = None  # hook state may hold the failed build: start clean next time
            raise
        return result

    def _plan(self, changed: set[Path] | None) -> set[str] | None:
        """Pages to rebuild (with "__facts__" for a facts.yaml change), or None for a full build."""
        if changed is None or not hasattr(self, "_docs_dir"):
            return None
        kind, pages = classify(set(changed), self.project, self._docs_dir, self._facts_path)
        if kind == "full":
            # A hook's code changed: load it afresh; a template or theme file: a new theme.
            self.reset(hooks=any(Path(p).suffix == ".py" for p in changed), theme=True)
            return None
        if self.memory is None:  # the last build failed: hook state may be anything
            return None
        return pages | ({"__facts__"} if kind in ("facts", "both") else set())

    def _full(self, start: float) -> Result:
        """A clean build into a staging folder that replaces the served one only on success."""
        self.memory = None
        stage = Stage(self.site_dir, from_live=False, waiting=log.info)
        try:
            folder = stage.open()
            result = self._run(folder, None, start)
            stage.commit()
            return result
        except OSError as error:
            raise Abort(stage.problem(error).sentence("updated")) from None
        finally:
            stage.abandon()

    def _run(self, site_dir: Path, only: set[str] | None, start: float) -> Result:
        """mkdocs.commands.build.build, remembering pages; with `only`, render just those."""
        htmlscan.next_build()
        counter = CountHandler()
        counter.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(counter)
        config = self._config(site_dir)
        self._facts_path = self.facts_path(config)
        self._docs_dir = Path(config.docs_dir)
        memory = self.memory if only is not None else None
        try:
            config = config.plugins.on_config(config)
            facts_text = self._facts_path.read_text(encoding="utf-8", errors="replace")
            new_data = memory.facts_data if memory is not None and "__facts__" not in only \
                else None
            if memory is not None and "__facts__" in only:
                # Only the entry an edit touched is read again (the rest is the last build's).
                new_data, before, after = reload_data(memory.facts_text, facts_text,
                                                      memory.facts_data, load_yaml_text)
                shown = fact_pages(before, after, {src: b.reads for src, b in memory.pages.items()
                                                   if b.reads is not None})
                if shown is None:
                    raise _NeedsFull
                only = (only - {"__facts__"}) | shown
            config.plugins.on_pre_build(config=config)
            if memory is None:
                mkbuild.utils.clean_directory(str(site_dir))
            files = get_files(config)
            if self.env is None:
                self.env = config.theme.get_env()
            env = self.env
            self._add_theme_files(files, env, config, full=memory is None)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            inclusion = InclusionLevel.is_included
            docs = list(files.documentation_pages(inclusion=inclusion))
            for file in docs:
                if file.page is None:
                    Page(None, file, config)
            outline = [(f.src_uri, getattr(f.page, "title", None) if f.page.markdown else None,
                        f.url) for f in docs]
            if memory is not None:
                if [(s, u) for s, _, u in outline] != [(s, u) for s, _, u in memory.outline] \
                        or any(s not in memory.pages for s, _, _ in outline):
                    raise _NeedsFull  # a page came or went: the nav changed
            session = _session()
            registry = session.renderer.registry
            share_compiled(session.renderer.env, self._code)
            if memory is not None and memory.readability is not None:
                # Restored pages put their grades back before any page is rendered.
                session.report["readability"] = {**memory.readability, "median": None,
                                                 "pages": {}}
            # The sources page lists the pages citing each source, by title; it comes last.
            sources = importlib.import_module("carekb.pages").SOURCES
            citations_moved = False
            for file in docs:
                page = file.page
                if memory is None or file.src_uri in only \
                        or (file.src_uri == sources and citations_moved):
                    only = None if memory is None else only | {file.src_uri}
                    mkbuild._populate_page(page, config, files)
                    old = memory.pages.get(file.src_uri) if memory else None
                    if old is not None and old.rendered.get("_title") != page.title:
                        raise _NeedsFull  # its title is in the nav of every page
                    if old is not None and _cites(old.usage) != _cites(
                            registry.pages.get(file.src_uri)):
                        citations_moved = True
                else:
                    self._restore(page, memory.pages[file.src_uri], registry, session)
            env = config.plugins.on_env(env, config=config, files=files)
            if memory is None:
                files.copy_static_files(dirty=False, inclusion=inclusion)
            for template in config.theme.static_templates:
                if memory is None or template not in _NAV_ONLY_TEMPLATES:
                    mkbuild._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                mkbuild._build_extra_template(template, files, config, nav)
            outputs: dict[str, str] = {}
            self._entries = {}
            search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
            for file in docs:
                page = file.page
                if memory is None or file.src_uri in only:
                    outputs[file.src_uri] = self._render(page, config, docs, nav, env, search)
                else:
                    self._replay(page, config, docs, nav, memory.pages[file.src_uri], search)
            for file in docs:
                file.page.validate_anchor_links(files=files,
                                                log_level=config.validation.links.anchors)
            for file in docs:  # written only once every page passed its checks
                if file.src_uri in outputs and outputs[file.src_uri].strip():
                    write_file(outputs[file.src_uri].encode("utf-8", errors="xmlcharrefreplace"),
                               file.abs_dest_path)
            config.plugins.on_post_build(config=config)
            if config.strict and (counts := counter.get_counts()):
                raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} "
                            "in strict mode!")
        except Exception as error:
            if isinstance(error, _NeedsFull):
                raise
            config.plugins.on_build_error(error=error)
            if isinstance(error, BuildError):
                raise Abort(str(error)) from None
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
        if new_data is None:
            new_data = load_yaml_text(facts_text)
        self.memory = self._remember(docs, outline, outputs, memory, facts_text, new_data, session)
        grades = session.report.get("readability")
        return Result(len(outputs), len(docs), time.monotonic() - start, memory is None,
                      grades, sum(n for _, n in counter.get_counts()))

    def _render(self, page: Page, config, docs, nav, env, search) -> str:
        """mkdocs.commands.build._build_page without the write: the page's HTML."""
        config._current_page = page
        try:
            page.active = True
            context = mkbuild.get_context(nav, docs, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            before = len(search.search_index.entries) if search else 0
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            if search:  # what the search plugin indexed for this page, to replay next time
                self._entries[page.file.src_uri] = search.search_index.entries[before:]
            output = template.render(context)
            return config.plugins.on_post_page(output, page=page, config=config)
        except Exception as e:
            log.error(f"Error building page '{page.file.src_uri}':"
                      + ("" if isinstance(e, BuildError) else f" {e}"))
            raise
        finally:
            page.active = False
            config._current_page = None

    @staticmethod
    def _replay(page: Page, config, docs, nav, built: Built, search) -> None:
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

    @staticmethod
    def _restore(page: Page, built: Built, registry, session) -> None:
        """Put an unchanged page's rendered state and its usage back, as if just rendered."""
        for name, value in built.rendered.items():
            if not name.startswith("_title") or name == "_title_from_render":
                setattr(page, name, value)
        if built.usage is not None:
            registry.pages[page.file.src_uri] = built.usage
        if built.grade is not None:
            session.report["readability"]["pages"][page.file.src_uri] = built.grade

    def _add_theme_files(self, files, env, config, *, full: bool) -> None:
        """The theme's static files: MkDocs walks the theme once; later builds reuse the list."""
        if full or self._theme_files is None:
            files.add_files_from_theme(env, config)
            dirs = set(config.theme.dirs)
            self._theme_files = [(f.src_uri, f.src_dir) for f in files if f.src_dir in dirs]
            return
        for path, folder in self._theme_files:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))

    def _remember(self, docs, outline, outputs, memory, facts_text, data, session) -> _Memory:
        """The state of this build, for the next incremental one."""
        registry = session.renderer.registry
        section = session.report.get("readability") or {"pages": {}}
        pages = {}
        for file in docs:
            page = file.page
            rendered = {name: getattr(page, name) for name in _RENDERED if hasattr(page, name)}
            rendered["_title"] = page.title
            usage = registry.pages.get(file.src_uri)
            if file.src_uri in outputs:
                output, search = outputs[file.src_uri], self._entries.get(file.src_uri)
                used = reads(usage.facts) if usage is not None else None
            else:  # restored: as the last build left it
                last = memory.pages[file.src_uri]
                output, search, used = last.output, last.search, last.reads
            pages[file.src_uri] = Built(rendered, output, usage,
                                        section["pages"].get(file.src_uri), search, used)
        kept = session.report.get("readability")
        settings = {k: v for k, v in kept.items() if k == "limit"} if kept else None
        return _Memory(pages, outline, facts_text, data, settings)


def _cites(usage) -> tuple[list[str], str | None] | None:
    """What the sources page shows of a page: the sources it cites and its title."""
    return None if usage is None else (list(usage.sources), usage.title)


class _NeedsFull(Exception):
    """The change turned out to reach every page (a title, a page that came or went)."""
