"""Write the build report (which page shows which fact) beside the site, never inside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from hooks.core.report import report_path, write_report
from hooks.core.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


def on_post_build(*, config: MkDocsConfig) -> None:
    session = current()
    path = report_path(config.site_dir, config.extra.get("build_report"), session.project)
    write_report(session, path)
    log.info(f"build report: {path}")
