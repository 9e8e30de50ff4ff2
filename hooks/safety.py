"""Fail the build on raw HTML outside the allow-list in a page as its editor wrote it
(carekb/checks/sanitize.py), on live HTML in what a page publishes (scripts, event handlers, script
URLs...; carekb/checks/safety.py), and make `--strict` fail on every warning even under `-q`, under
MkDocs and ProperDocs alike.

Both are errors whatever the flags: a PluginError stops `mkdocs build` and `mkdocs serve`
alike, with a one-line message naming the page (carekb/checks/safety.py says what is refused and
why). hooks/atomic.py then keeps the last good site.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order

from carekb.checks import sanitize
from carekb.build.gates import strict_message, tap
from carekb.checks.safety import body_problems, index_problems, message, page_problems
from engine.pagesource import line_offset, source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


@event_priority(order.FIRST)  # before hooks/facts.py logs its warnings (reviews overdue)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start counting this build's warnings, on the top logger of whichever engine runs it
    (found from the logger it gives hooks, never by name: carekb/build/gates.py)."""
    tap.install(get_plugin_logger(__name__).logger)
    return config


@event_priority(order.EARLY)  # the page as its editor wrote it, before Jinja renders it
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: object) -> str:
    """Refuse raw HTML outside the allow-list, and titles that are not plain text, naming the
    page, line and column of each. Generated pages are our templates' output: not judged here."""
    if page.file.generated_by:
        return markdown
    problems = sanitize.raw_html_problems(markdown)
    if problems:
        raise PluginError(sanitize.message(source_name(page, config), problems,
                                           line_offset(page, markdown)))
    return markdown


@event_priority(order.LAST)  # the page as written, after every hook changed it and after the
# privacy check, whose message about an embed from another host says more than ours
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    """Refuse live HTML in the page body, then event handlers and script URLs in the whole page."""
    problems = body_problems(page.content or "")
    if problems:
        raise PluginError(message(source_name(page, config), problems, source=_source(page)))
    problems = page_problems(output)
    if problems:
        raise PluginError(message(source_name(page, config), problems, written=True,
                                  source=_source(page)))
    return output


@event_priority(order.LAST)
def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    """The theme's own pages (404.html): the same check as every written page."""
    if template_name.endswith(".html"):
        problems = page_problems(output_content)
        if problems:
            raise PluginError(message(f"{template_name} (theme template)", problems, written=True))
    return output_content


def _source(page: Page) -> str | None:
    """The page's Markdown file as the editor wrote it (None for a generated page)."""
    return None if page.file.generated_by else page.file.content_string


@event_priority(order.LAST)  # after every check that may warn, and after search wrote its index
def on_post_build(*, config: MkDocsConfig) -> None:
    """The search index is an output too (the theme shows its entries as HTML); then a strict
    build with warnings fails here, even when -q hid them, whichever the engine."""
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file():
        problems = index_problems(index.read_text(encoding="utf-8", errors="replace"))
        if problems:
            raise PluginError(message("search/search_index.json (search index)", problems, written=True))
    if config.strict and tap.warnings:
        raise PluginError(strict_message(tap.warnings))


def on_shutdown() -> None:
    """Give the engine its logger back."""
    tap.uninstall()
