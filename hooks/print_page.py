"""The staff handbook's print page: the staff chapters on one page, in reading order.

Staff build only. By default it holds the staff chapters (pages under content/staff/); with
`extra.print_whole_handbook: true` in mkdocs.staff.yml it holds every page, public ones too
(about 130 Letter pages, so that is a choice, not the default).

The page (`staff/print.md`) is generated in memory and read last, so when
its turn comes every other page is already rendered; its HTML is then the other pages'
HTML put together by carekb/staff_print.py, in nav order, with a table of contents.
Its review dates are those of the oldest chapter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from carekb.model import STAFF
from carekb.render import TEMPLATES
from carekb.session import current
from carekb.staff_print import Chapter, print_html
from carekb.wording import long_date

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

PRINT_PAGE = "staff/print.md"

_nav: list[Navigation] = []  # the current build's nav, for reading order


def _is_print(page: Page) -> bool:
    return current().audience == STAFF and page.file.src_uri == PRINT_PAGE


_whole: list[bool] = [False]  # extra.print_whole_handbook of the current build


def _chapters() -> list[Page]:
    """The pages the print page holds, in nav order."""
    pages = [p for p in _nav[0].pages if p.file.src_uri != PRINT_PAGE] if _nav else []
    return pages if _whole[0] else [p for p in pages if p.file.src_uri.startswith("staff/")]


@event_priority(-100)  # last, after every other hook has added its pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if current().audience != STAFF:
        return files
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             undefined=jinja2.StrictUndefined)
    # The real review dates are filled in once the chapters are rendered (on_page_markdown).
    whole = config.extra.get("print_whole_handbook", False)
    if not isinstance(whole, bool):
        raise PluginError(f"{config.config_file_path}: extra.print_whole_handbook: {whole!r} "
                          "is not true or false. Fix: write `print_whole_handbook: true` to "
                          "print every page, or leave it out to print the staff chapters.")
    _whole[0] = whole
    source = env.get_template("staff/print_page.md.j2").render(reviewed=dt.date.today(),
                                                                 whole=whole)
    files.append(File.generated(config, PRINT_PAGE, content=source))
    return files


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _nav[:] = [nav]
    return nav


@event_priority(45)  # before hooks/reviewdates.py (40) reads the page's own date
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig,
                     files: Files) -> str:
    if _is_print(page):
        dates = [p.meta.get("kb_reviewed") for p in _chapters()]
        dates = [d for d in dates if d]
        if dates:
            page.meta["reviewed"] = dt.date.fromisoformat(min(dates))
    return markdown


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _is_print(page):
        return html
    pages = _chapters()
    missing = [p.file.src_uri for p in pages if p.content is None]
    if missing:
        raise RuntimeError(f"print page: rendered before {', '.join(missing)}")
    chapters = [Chapter(p.title or p.file.src_uri, p.url, p.content,
                        tuple(s.title for s in reversed(p.ancestors)))
                for p in pages]
    due = [p.meta["kb_review_due"] for p in pages if p.meta.get("kb_review_due")]
    if due:
        page.meta["kb_review_due"] = min(due)
        page.meta["kb_review_due_text"] = long_date(dt.date.fromisoformat(min(due)))
    return print_html(chapters, print_url=page.url, intro=html)
