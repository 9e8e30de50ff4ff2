"""Load facts.yaml once per build and start the build session the other hooks share
(carekb/build/session.py); once the navigation is made, show the session the build's pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order, session
from carekb.load.facts_yaml import NOTICE, FactsError, load_facts
from carekb.load.filetree import inside, real
from carekb.i18n.interface import LanguageError, check_language
from carekb.i18n.translations import read_translations

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger(__name__)


@event_priority(order.EARLY)  # before every hook that asks the session anything
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Path(config.config_file_path).parent
    path = project / config.extra.get("facts", "facts.yaml")
    if not inside(real(path), real(project)):  # a symlink or a path out of the project
        raise PluginError(f"{path}: is really {real(path)}, outside the project folder, and the "
                          "build would read it into the site. Fix: keep facts.yaml in the project "
                          "as an ordinary file.")
    try:
        facts, warnings = load_facts(path)
    except FactsError as err:
        raise PluginError(str(err)) from None
    for problem in warnings:
        # A notice (a review falls due soon) is news, not a fault: --strict must not stop on it.
        (log.info if problem.severity == NOTICE else log.warning)(str(problem))
    try:
        language = check_language(config.extra.get("language", "en"))
    except LanguageError as err:
        raise PluginError(f"{config.config_file_path}: {err}") from None
    entries = None
    if language != "en":  # facts.es.yaml beside facts.yaml: the Spanish texts of its facts
        texts = path.with_name(f"{path.stem}.{language}{path.suffix}")
        if texts.exists() and not inside(real(texts), real(project)):
            raise PluginError(f"{texts}: is really {real(texts)}, outside the project folder. Fix: "
                              "keep it in the project as an ordinary file.")
        entries, problems = read_translations(texts, texts.name)
        if problems:
            raise PluginError("\n".join(map(str, problems)))
    try:
        started = session.start(facts, audience=config.extra.get("audience", "public"),
                                project=project, language=language, translations=entries)
    except ValueError as err:
        raise PluginError(f"{config.config_file_path}: {err}") from None
    started.languages.entries = entries or {}
    return config


@event_priority(order.EARLY)  # before any hook asks the session about a page
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Every page object exists now: the session reads titles and front matter from them."""

    def page_of(src: str):
        file = files.get_file_from_path(src)
        return file.page if file is not None else None

    session.current().use_pages(page_of)
    return nav
