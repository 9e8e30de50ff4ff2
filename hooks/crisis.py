"""Hand the crisis numbers from facts.yaml to the theme (overrides/partials/kb-crisis.html)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hooks.core.session import current

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    renderer = current().renderer
    env.globals["kb_crisis"] = renderer.visible(renderer.facts.crisis.values())
    env.globals["kb_audience"] = current().audience
    return env
