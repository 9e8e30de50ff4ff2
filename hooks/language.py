"""The public site in two languages: twins, hreflang, and the Spanish site's English fallbacks.

Both public builds: the site's address is KB_SITE_URL when set (mkdocs.yml's is a placeholder);
each page learns its twin in the other language (the language switch in the
header links straight to it) and, when the two are translations of each other, its hreflang
alternates (absolute, both ways, x-default), all from the session (carekb/build/bilingual.py).

The Spanish build (mkdocs.es.yml, `extra.language: es`, pages in content/es/) also:
- lives at `es/` under the English site: its site_url is the English one plus `es/`;
- gets the English site's assets (content/assets/: the self-check script, print styles);
- builds, for each page with no current Spanish twin (missing, or stale: the English changed
  since it was translated), the English page in its place, rendered in English, inside a
  `lang="en"` block under a Spanish notice, and left out of the Spanish search index;
- shows a fact text with no current translation in English, marked (carekb/i18n/untranslated.py);
- warns (so a strict build and publishing refuse it) for each stale or missing crisis, safety,
  medicine or self-check text or page, and for a translation of nothing; logs every other stale
  or missing text as news (`make check` and the staff "Translation queue" list them all).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from carekb.build import order
from carekb.i18n.interface import word
from carekb.render.jinja_env import TEMPLATES
from carekb.build.session import StaffPage, current
from carekb.i18n.untranslated import CLASS, strip, to_html
from carekb.render.wording import long_date

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
ASSETS = "assets"  # the English docs' folder of assets both sites load
SITE_URL = "KB_SITE_URL"  # the environment variable that sets the public site's address
THEME = TEMPLATES / "es" / "theme"
STYLESHEET = "assets/stylesheets/kb-language.css"  # overrides/main.html loads it when not English


@event_priority(order.EARLY)  # after hooks/facts.py started the session, before pages are read
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    session = current()
    if session.is_staff:
        return config
    # The language switch in the header (overrides/partials/kb-language.html, written after the
    # search): Material's header asks for it when extra.alternate is set; `True`, not its list
    # of home pages, so Material writes no hreflang links of its own (the page's own are in
    # overrides/main.html).
    config.extra["alternate"] = True
    if os.environ.get(SITE_URL):  # the address the site is served from (mkdocs.yml's is a placeholder)
        config.site_url = os.environ[SITE_URL].rstrip("/") + "/"
    docs = Path(config.docs_dir).resolve()
    language = session.language
    english = docs.parent if language != "en" else docs
    spanish = english / "es"
    project = Path(config.config_file_path).resolve().parent
    english_url = config.site_url
    if language != "en" and config.site_url:
        english_url = config.site_url
        config.site_url = config.site_url.rstrip("/") + f"/{language}/"
    generated = {p.src for p in session.pages}
    session.languages.set_up(language, english, spanish, project, english_url, generated,
                             session.translation, session.facts)
    if language != "en":
        session.source_dirs = [english]
        for problem in session.languages.problems():
            (log.warning if problem.severity == "warning" else log.info)(problem.message())
    return config


@event_priority(order.EARLY)  # before hooks/audience.py reads every page (listed after this one)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    session = current()
    languages = session.languages
    if not languages.translated:
        return files
    english = languages.english_dir
    files.append(File.generated(config, STYLESHEET, abs_src_path=str(THEME / STYLESHEET)))
    for path in sorted((english / ASSETS).rglob("*")):
        rel = path.relative_to(english).as_posix()
        if path.is_file() and not path.name.endswith(".md") and files.get_file_from_path(rel) is None:
            files.append(File(rel, str(english), config.site_dir, config.use_directory_urls))
    for src in languages.fallback:  # the English page, read and checked like any written page
        found = files.get_file_from_path(src)
        if found is not None:
            files.remove(found)
        files.append(File(src, str(english), config.site_dir, config.use_directory_urls))
    return files


@event_priority(order.LATE)  # after hooks/audience.py recorded this build's own staff pages
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """The Spanish build has no staff page; a link from one of its pages to the English site's
    staff pages is still a leak: the session knows them (hooks/staff_links.py)."""
    session = current()
    if session.languages.translated:
        docs = session.languages.english_dir
        project = Path(config.config_file_path).resolve().parent
        session.record_staff_pages({**session.staff_pages, **{
            src: StaffPage(url, (docs / src).relative_to(project).as_posix())
            for src, url in session.languages.english_staff_pages().items()}})
    return nav


@event_priority(order.LATE)  # the page body as written, before the checks read it
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    session = current()
    languages = session.languages
    if not languages.active:
        return html
    src = page.file.src_uri
    page.meta["kb_alternates"] = languages.alternates(src, page.url)
    if languages.twin_exists(src) or src in languages.fallback:
        target = languages.twin_url(page.url)
        base = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
        relative = posixpath.relpath(target, base or ".")
        page.meta["kb_twin"] = relative + ("/" if target.endswith("/") else "")
    if not languages.translated:
        return html
    for key, day in (("kb_english_reviewed", languages.english_reviewed(src)),
                     ("kb_translation_reviewed", languages.translation_reviewed(src))):
        if day is not None and src not in languages.fallback:
            page.meta[key] = day.isoformat()
            page.meta[f"{key}_text"] = long_date(day, session.language)
    if src in languages.fallback:
        page.meta["search"] = {"exclude": True}  # the Spanish index holds Spanish pages only
        return (f'<div class="admonition note kb-untranslated-notice"><p>'
                f'{word("untranslated_page", session.language)}</p></div>\n'
                f'<div lang="en" class="{CLASS}-page">\n{strip(html)}\n</div>')
    html, marked = to_html(html)
    if marked:
        html = (f'<div class="admonition note kb-untranslated-notice"><p>'
                f'{word("untranslated_notice", session.language)}</p></div>\n{html}')
    return html


@event_priority(order.LATE)  # before the privacy and safety checks read the written page
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    """Marks left in the nav, the title or the head (a level's name, a description) go."""
    if not current().languages.translated:
        return output
    return to_html(output)[0]


@event_priority(order.LATE)  # before hooks/safety.py checks the search index
def on_post_build(*, config: MkDocsConfig) -> None:
    if not current().languages.translated:
        return
    index = Path(config.site_dir) / "search" / "search_index.json"  # Material's: engine/internals.py
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        cleaned = text.replace("\\u000e", "").replace("\\u000f", "")
        if strip(cleaned) != text:
            index.write_text(strip(cleaned), encoding="utf-8")
