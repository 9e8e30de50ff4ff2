"""Add the pages generated from facts.yaml (levels, therapies, compare, glossary, sources),
and render last the pages that show other pages.

They exist only in memory (`File.generated`): a build never writes into content/. The sources
page lists the pages citing each source, by title, so it declares to the session that it
renders after every other page (`render_last`); so does the staff print page
(hooks/print_page.py). MkDocs renders pages in the order of its files, so once every page is
in, those pages go to the end, in the order they were declared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from carekb.build import order
from carekb.pages.generated import SOURCES, expand_nav
from carekb.build.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    session = current()
    if config.nav:
        config.nav = expand_nav(config.nav, session.pages)
    session.render_last(SOURCES)
    return config


@event_priority(order.LAST)  # every page is in: the render order is decided here
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    session = current()
    for page in session.pages:
        clash = files.get_file_from_path(page.src)
        if clash is not None and not clash.generated_by:
            raise PluginError(f"{config.docs_dir}/{page.src}: this page is generated from "
                              "facts.yaml; delete the file and edit facts.yaml instead.")
        files.append(File.generated(config, page.src, content=page.source))
    for src in session.renders_last:
        file = files.get_file_from_path(src)
        if file is not None:
            files.remove(file)
            files.append(file)
    return files
