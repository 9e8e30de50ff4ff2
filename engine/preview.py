"""The incremental preview: MkDocs' build, step by step (MkDocs 1.6.1 is pinned; every MkDocs
internal used here is listed in engine/internals.py and checked by tests/test_engine_internals.py).

`Engine` runs the steps of `mkdocs.commands.build.build` itself so that it can keep the theme
environment and the last build's pages in memory, and on the next save render only the pages
the change touches (carekb/change/incremental.py decides which). Every other page is replayed
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkbuild
from mkdocs.config import config_options
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, write_file

from carekb.web import htmlscan
from carekb.change.incremental import (classify, fact_pages, reload_data, split_translated,
                                translation_pages)
from carekb.change.impact import load_yaml_text
from carekb.publish.staging import Stage
from engine.replay import Memory, cites, remember, render_page, replay_page, restore_page
from engine.reuse import ConfigReader, add_theme_files, share_compiled

log = logging.getLogger("mkdocs.preview")
# The theme pages that never show a page's facts or prose (only the nav, which an incremental
# rebuild never changes): rendered by full builds only.
_NAV_ONLY_TEMPLATES = ("404.html",)


@dataclass
class Result:
    """What a (re)build did."""

    rebuilt: int
    total: int
    seconds: float
    full: bool
    readability: dict[str, Any] | None = None
    warnings: int = 0
    notices: tuple[str, ...] = ()  # the Spanish preview: texts shown in English, and why


def _session():
    """The build session hooks/facts.py started (imported late: a hook change reloads it)."""
    return importlib.import_module("carekb.build.session").current()


def forget_hooks() -> None:
    """Make the next load_config execute the project's hook modules afresh (after a hook edit)."""
    config_options.Hooks._load_hook.cache_clear()
    for name in list(sys.modules):
        if (name.startswith("hooks.") or name.startswith("hooks/")) \
                and name not in ("engine.preview", "carekb.change.incremental"):
            del sys.modules[name]


class Engine:
    """An MkDocs build of one site that can redo only what a change touches."""

    def __init__(self, config_file: str | Path, site_dir: str | Path, *, strict: bool = False):
        self.config_file = Path(config_file).resolve()
        self.project = self.config_file.parent
        self.site_dir = Path(site_dir).resolve()
        self.strict = strict
        self.env = None  # the theme's Jinja environment, kept between builds
        self.memory: Memory | None = None  # None: the next build is a full one
        self.startup_done = False
        self._theme_files: list[tuple[str, str]] | None = None
        self._code: dict[tuple, Any] = {}  # compiled page sources (see engine/reuse.py)
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._language, self._texts_text = "en", ""  # the Spanish preview: facts.es.yaml as last read
        self._reader = ConfigReader(self.config_file)
        htmlscan.keep_results()  # the checks of unchanged pages are not run again

    # -- configuration -------------------------------------------------------------------
    def _config(self, site_dir: Path):
        """Load mkdocs.yml (hook modules stay loaded; MkDocs caches them) and run on_startup."""
        config = self._reader.load(site_dir=str(site_dir), strict=self.strict)
        # No inline script here (engine/serve.py): pages keep the strict CSP (hooks/atomic.py).
        config.extra["kb_engine_preview"] = True
        if self.env is not None:
            # Plugins asking the theme for an environment (search) get the kept, compiled one.
            env = self.env
            config.theme.get_env = lambda: env
        if not self.startup_done:
            config.plugins.on_startup(command="serve", dirty=False)
            self.startup_done = True
        return config

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
        changed, translated = _translated(self, set(changed))
        kind, pages = classify(set(changed), self.project, self._docs_dir, self._facts_path)
        pages = pages | translated
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
        self._facts_path = self.project / config.extra.get("facts", "facts.yaml")
        self._docs_dir = Path(config.docs_dir)
        self._language, self._texts_path = _language_of(config, self._facts_path)
        memory = self.memory if only is not None else None
        try:
            config = config.plugins.on_config(config)
            facts_text = self._facts_path.read_text(encoding="utf-8", errors="replace")
            new_data, only = _facts_change(memory, facts_text, only)
            only, texts_text = _texts_change(memory, self, only)
            config.plugins.on_pre_build(config=config)
            if memory is None:
                mkbuild.utils.clean_directory(str(site_dir))
            files = get_files(config)
            if self.env is None:
                self.env = config.theme.get_env()
            env = self.env
            self._theme_files = add_theme_files(files, env, config, self._theme_files,
                                                 full=memory is None)
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
            share_compiled(session.renderer.env, self._code)
            # Pages that render last depend on others (session.render_last): the sources page
            # on who cites what, a page made of others (the staff print page) on its parts.
            last = set(session.renders_last)
            citations_moved = False
            for file in docs:
                page = file.page
                if memory is None or file.src_uri in only \
                        or (file.src_uri in last
                            and (set(session.parts(file.src_uri)) & only
                                 if session.parts(file.src_uri) else citations_moved)):
                    only = None if memory is None else only | {file.src_uri}
                    mkbuild._populate_page(page, config, files)
                    old = memory.pages.get(file.src_uri) if memory else None
                    if old is not None and old.rendered.get("_title") != page.title:
                        raise _NeedsFull  # its title is in the nav of every page
                    if old is not None and cites(old.usage) != cites(
                            session.usage().get(file.src_uri)):
                        citations_moved = True
                else:
                    restore_page(page, memory.pages[file.src_uri], session, memory.grade_limit)
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
                    outputs[file.src_uri] = render_page(page, config, docs, nav, env, search,
                                                      self._entries)
                else:
                    replay_page(page, config, docs, nav, memory.pages[file.src_uri], search)
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
        self.memory = remember(docs, outline, outputs, memory, facts_text, new_data, session,
                               self._entries)
        self._texts_text = texts_text
        return Result(len(outputs), len(docs), time.monotonic() - start, memory is None,
                      session.grades.section, sum(n for _, n in counter.get_counts()),
                      tuple(p.message() for p in session.languages.problems()))

def _language_of(config, facts_path: Path) -> tuple[str, Path]:
    """The build's language, and the file of its texts (facts.es.yaml beside facts.yaml)."""
    language = config.extra.get("language", "en")
    return language, facts_path.with_name(f"{facts_path.stem}.{language}{facts_path.suffix}")


def _translated(engine: Engine, changed: set[Path]) -> tuple[set[Path], set[str]]:
    """The Spanish preview: the changed files left to classify, and the pages its texts
    ("__texts__": facts.es.yaml) and the English pages it follows (their twins) touch."""
    if engine._language == "en":
        return changed, set()
    changed, twins, texts = split_translated(changed, engine._docs_dir.parent, engine._docs_dir,
                                             engine._texts_path)
    return changed, twins | ({"__texts__"} if texts else set())


def _read(path: Path) -> str:
    """A text file's text, "" when there is none (facts.es.yaml may not exist yet)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _texts_change(memory, engine: Engine, only):
    """The pages to rebuild, with the pages showing a changed translation in place of
    "__texts__"; and facts.es.yaml's text now."""
    text = _read(engine._texts_path) if engine._language != "en" else ""
    if memory is None or "__texts__" not in only:
        return only, text
    shown = translation_pages(engine._texts_text, text, {src: b.reads for src, b in memory.pages.items()
                                                          if b.reads is not None})
    if shown is None:
        raise _NeedsFull
    return (only - {"__texts__"}) | shown, text


def _facts_change(memory, facts_text: str, only):
    """facts.yaml as loaded data (None: not read yet) and the pages to rebuild, with the pages
    showing a changed fact in place of "__facts__"; only the entry an edit touched is read again."""
    if memory is None or "__facts__" not in only:
        return (memory.facts_data if memory is not None else None), only
    new_data, before, after = reload_data(memory.facts_text, facts_text, memory.facts_data,
                                          load_yaml_text)
    shown = fact_pages(before, after, {src: b.reads for src, b in memory.pages.items()
                                       if b.reads is not None})
    if shown is None:
        raise _NeedsFull
    return new_data, (only - {"__facts__"}) | shown


class _NeedsFull(Exception):
    """The change turned out to reach every page (a title, a page that came or went)."""
