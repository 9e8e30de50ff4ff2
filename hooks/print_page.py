"""The staff handbook's print page: the staff chapters on one page, in reading order.

Staff build only. By default it holds the staff chapters (pages under content/staff/); with
`extra.print_whole_handbook: true` in mkdocs.staff.yml it holds every page, public ones too
(about 130 Letter pages, so that is a choice, not the default).

The page (`staff/print.md`) is generated in memory and declared to the session as made of its
chapters (`render_last`): it renders after every other page, its HTML is then the chapters'
HTML put together by carekb/staff/print_page.py, in nav order, with a table of contents, and its
review dates are those of the oldest chapter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from carekb.build import order
from carekb.model.facts import STAFF
from carekb.render.jinja_env import template_env
from carekb.build.session import current
from carekb.staff.print_page import Chapter, print_html

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

PRINT_PAGE = "staff/print.md"


def _whole(config: MkDocsConfig) -> bool:
    """extra.print_whole_handbook: the print page holds every page, not only staff chapters."""
    whole = config.extra.get("print_whole_handbook", False)
    if not isinstance(whole, bool):
        raise PluginError(f"{config.config_file_path}: extra.print_whole_handbook: {whole!r} "
                          "is not true or false. Fix: write `print_whole_handbook: true` to "
                          "print every page, or leave it out to print the staff chapters.")
    return whole


@event_priority(order.LATE)  # after the pages the other hooks add (hooks/generated.py puts
# the pages that render last at the end of the render order)
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if current().audience != STAFF:
        return files
    env = template_env(autoescape=False, trim=False)
    # The review date is today's until the chapters' dates are known (carekb/build/session.py).
    source = env.get_template("staff/print_page.md.j2").render(reviewed=dt.date.today(),
                                                                 whole=_whole(config))
    files.append(File.generated(config, PRINT_PAGE, content=source))
    current().render_last(PRINT_PAGE)
    return files


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """The chapters, in nav order: the print page renders after them and takes their dates."""
    session = current()
    if session.audience == STAFF:
        pages = [p.file.src_uri for p in nav.pages if p.file.src_uri != PRINT_PAGE]
        if not _whole(config):
            pages = [src for src in pages if src.startswith("staff/")]
        session.made_of(PRINT_PAGE, pages)
    return nav


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    session = current()
    if session.audience != STAFF or page.file.src_uri != PRINT_PAGE:
        return html
    pages = [files.get_file_from_path(src).page for src in session.parts(PRINT_PAGE)]
    missing = [p.file.src_uri for p in pages if p.content is None]
    if missing:
        raise RuntimeError(f"print page: rendered before {', '.join(missing)}")
    chapters = [Chapter(p.title or p.file.src_uri, p.url, p.content,
                        tuple(s.title for s in reversed(p.ancestors)))
                for p in pages]
    return print_html(chapters, print_url=page.url, intro=html)
