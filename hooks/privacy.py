"""Make sure the built site contacts no other host, and fail the build if it could.

Each page is checked as MkDocs writes it (a finding stops the build there). After the build, the theme's scripts get their
dormant third-party addresses pointed at `about:blank`, then every HTML, CSS and JS file of
the site is checked; a page whose bytes are still the ones checked when it was written is not
read again. Links in page bodies to the sources and crisis services in facts.yaml are the only
addresses of other hosts allowed (the site's own `site_url` host, e.g. in canonical links, is
not another host). A finding is a build error (PluginError), not a warning: `-q`, a build
without `--strict` or `mkdocs serve` cannot let it through.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.checks.privacy import (Foreign, disarm_script, fingerprint, foreign_urls, line_column, norm,
                            page_foreign)
from carekb.build.session import current
from engine.pagesource import source_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

THEME_SCRIPTS = "assets/javascripts"


def own_hosts(config: MkDocsConfig) -> set[str]:
    host = urlsplit(config.site_url).hostname if config.site_url else None
    return {host} if host else set()


def on_pre_build(*, config: MkDocsConfig) -> None:
    """What the pages may link to, for this build's checks."""
    session = current()
    session.written.allowed = {norm(u) for u in session.allowed_links}
    session.written.own_hosts = own_hosts(config)


@event_priority(order.CHECKS)  # the HTML as written, after every other hook changed it
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    written = current().written
    rel = page.file.dest_uri
    # MkDocs writes exactly these bytes (mkdocs.commands.build._build_page).
    fingerprinted = fingerprint(output.encode("utf-8", errors="xmlcharrefreplace"))
    findings = page_foreign(rel, output, written.allowed, written.own_hosts)
    if findings:
        name = source_name(page, config)
        where = None if page.file.generated_by else line_column(page.file.content_string, findings[0].url)
        raise PluginError(privacy_message(findings, {rel: f"{name}:{where[0]}:{where[1]}" if where else name}))
    written.checked[rel] = (fingerprinted, findings)
    written.sources[rel] = source_name(page, config)
    return output


@event_priority(order.CHECKS)  # after every other hook wrote its files
def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for script in sorted((site / THEME_SCRIPTS).rglob("*.js")):
        text = script.read_text(encoding="utf-8")
        new, disarmed = disarm_script(text)
        if disarmed:
            script.write_text(new, encoding="utf-8")
            log.info(f"privacy: {script.relative_to(site).as_posix()}: pointed "
                     f"{len(disarmed)} unused third-party addresses at about:blank")
    session = current()
    written = session.written
    findings = foreign_urls(site, set(session.allowed_links), own_hosts(config),
                            checked=written.checked)
    written.checked.clear()
    if findings:
        raise PluginError(privacy_message(findings, written.sources))


def privacy_message(findings: list[Foreign], sources: dict[str, str]) -> str:
    """One line: each address of another host, where it is, and the page's source when known."""
    shown = "; ".join(f"{f}" + (f" (page {sources[f.file]})" if f.file in sources else "")
                      for f in findings[:10])
    more = f"; and {len(findings) - 10} more" if len(findings) > 10 else ""
    return (f"privacy: {shown}{more}. The site must not contact other hosts: host the file here, "
            "or link to it from a page only if it is a source in facts.yaml.")
