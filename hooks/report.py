"""Write the build report (which page shows which fact) beside the site, never inside it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.build.report import default_report_path, report_path, write_report
from carekb.build.session import current
from carekb.publish.staging import live_for

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


@event_priority(order.REPORT)  # after every gate: a failed build writes none
def on_post_build(*, config: MkDocsConfig) -> None:
    session = current()
    # While staged, the report is named after the staging folder; the swap (carekb/publish/staging.py)
    # renames it after the live folder, so a failed build never replaces the live site's report.
    configured = config.extra.get("build_report")
    # The Spanish site in es/ of the public site reports beside that site (build-report/site.es.json).
    language = config.extra.get("language", "en")
    nested = language != "en" and live_for(config.site_dir).name == language
    path = report_path(Path(config.site_dir), configured, session.project, nested)
    write_report(session, path)
    shown = path if configured else default_report_path(live_for(config.site_dir), nested)
    log.info(f"build report: {shown}")
