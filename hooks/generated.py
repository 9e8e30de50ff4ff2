"""Add the pages generated from facts.yaml (levels, therapies, compare, glossary, sources).

They exist only in memory (`File.generated`): a build never writes into content/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from carekb.pages import SOURCES, expand_nav
from carekb.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if config.nav:
        config.nav = expand_nav(config.nav, current().pages)
    return config


@event_priority(-90)  # after hooks that add or drop pages, so the sources page ends up last
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    for page in current().pages:
        clash = files.get_file_from_path(page.src)
        if clash is not None and not clash.generated_by:
            raise PluginError(f"{config.docs_dir}/{page.src}: this page is generated from "
                              "facts.yaml; delete the file and edit facts.yaml instead.")
        files.append(File.generated(config, page.src, content=page.source))
    # The sources page lists the pages citing each source, so it is rendered last.
    sources = files.get_file_from_path(SOURCES)
    if sources is not None:
        files.remove(sources)
        files.append(sources)
    return files
