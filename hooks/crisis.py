"""Hand the crisis numbers and page descriptions from facts.yaml, and the site's own words in
its language, to the theme (overrides/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carekb.i18n.interface import words
from carekb.build.session import current

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    session = current()
    env.globals["kb_crisis"] = session.crisis()
    env.globals["kb_audience"] = session.audience
    # The site's own words in its language (carekb/i18n/interface.py): crisis bar, skip link, review dates.
    env.globals["kb_words"] = words(session.language)
    env.globals["kb_language"] = session.language
    # Meta description and JSON-LD of pages made from facts (a level's summary, ...).
    env.globals["kb_descriptions"] = session.descriptions()
    return env
