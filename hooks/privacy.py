"""Make sure the built site contacts no other host, and warn (failing --strict) if it could.

After the build: the theme's scripts get their dormant third-party addresses pointed at
`about:blank`, then every HTML, CSS and JS file is checked. Links in page bodies to the
sources and crisis services in facts.yaml are the only addresses of other hosts allowed
(the site's own `site_url` host, e.g. in canonical links, is not another host).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority, get_plugin_logger

from hooks.core.privacy import disarm_script, foreign_urls
from hooks.core.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)

THEME_SCRIPTS = "assets/javascripts"


def allowed_links() -> set[str]:
    """Addresses a page body may link to: its sources and the crisis services."""
    renderer = current().renderer
    facts = renderer.facts
    found = {s.url for s in renderer.visible(facts.sources.values()) if s.url}
    found |= {c.url for c in renderer.visible(facts.crisis.values()) if c.url}
    return found


@event_priority(-100)  # after every other hook wrote its files
def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for script in sorted((site / THEME_SCRIPTS).rglob("*.js")):
        text = script.read_text(encoding="utf-8")
        new, disarmed = disarm_script(text)
        if disarmed:
            script.write_text(new, encoding="utf-8")
            log.info(f"privacy: {script.relative_to(site).as_posix()}: pointed "
                     f"{len(disarmed)} unused third-party addresses at about:blank")
    own = {urlsplit(config.site_url).hostname} if config.site_url else set()
    for finding in foreign_urls(site, allowed_links(), own - {None}):
        log.warning(f"privacy: {finding}. The site must not contact other hosts: host the file "
                    "here, or link to it from a page only if it is a source in facts.yaml.")
