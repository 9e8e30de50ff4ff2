"""Load facts.yaml once per build and start the build session the other hooks share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb import session
from carekb.facts import NOTICE, FactsError, load_facts

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


@event_priority(100)  # before every other hook's on_config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Path(config.config_file_path).parent
    path = project / config.extra.get("facts", "facts.yaml")
    try:
        facts, warnings = load_facts(path)
    except FactsError as err:
        raise PluginError(str(err)) from None
    for problem in warnings:
        # A notice (a review falls due soon) is news, not a fault: --strict must not stop on it.
        (log.info if problem.severity == NOTICE else log.warning)(str(problem))
    try:
        session.start(facts, audience=config.extra.get("audience", "public"), project=project)
    except ValueError as err:
        raise PluginError(f"{config.config_file_path}: {err}") from None
    return config
