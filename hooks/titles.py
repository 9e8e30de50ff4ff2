"""Hand Material escaped page and nav titles (and descriptions): it prints them unescaped.

A title with markup (a nav title in mkdocs.yml; markup in front matter is refused earlier by
carekb/load/frontmatter.py, and this is its second fence) would otherwise run in the nav, the
header, the footer and the search results of every page.
`safe_title` escapes `& < > "` once and marks the result as Markup, so Material's own `| e`
does not escape it twice; ordinary titles come out byte for byte as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section

from carekb.build import order
from carekb.checks.safety import safe_title

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation


def _escape_items(items: list) -> None:
    """Sections and links of the nav (pages get theirs in `on_env`, once their titles are known)."""
    for item in items:
        if not item.is_page:
            item.title = safe_title(item.title)
        if isinstance(item, Section):
            _escape_items(item.children)


@event_priority(order.CHECKS)  # after every hook that sets them
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The site's name, description and author are printed like titles (header, <title>,
    <meta content="...">): escape them too."""
    config.site_name = safe_title(config.site_name)
    config.site_description = safe_title(config.site_description)
    config.site_author = safe_title(config.site_author)
    return config


@event_priority(order.CHECKS)  # after every hook that adds to the nav (hooks/staff_site.py)
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Escape the titles of the nav's sections and links."""
    _escape_items(nav.items)
    return nav


@event_priority(order.CHECKS)  # every page has been read (titles from H1s are known), none written yet
def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    """Escape every page's title (and the front matter Material prints) before any page is written."""
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        page.title = safe_title(page.title)
        # Material prints these in <meta content="...">, and the subtitle in the nav, unescaped;
        # carekb/load/frontmatter.py already refused markup in them: this is the second fence.
        for key in ("description", "author", "subtitle"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = safe_title(page.meta[key])
        if page.meta.get("title") is not None:
            page.meta["title"] = safe_title(str(page.meta["title"]))
        elif page.title and not page.is_homepage:
            # Material's <title> prints `page.title | striptags`, and striptags unescapes: it
            # prints `page.meta.title` as it is when set, so set it to the escaped title.
            page.meta["title"] = page.title
    return env
