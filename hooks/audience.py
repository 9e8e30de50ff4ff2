"""Decide every page's audience once (carekb/audience.py), and keep staff material out of
the public build: staff pages, and every file under content/staff/, pages or not.

A page under content/staff/ is staff-only whatever its front matter says; an `audience` value
other than exactly `public` or `staff` fails the build (both builds), naming the page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.utils.meta import get_data

from carekb.audience import AudienceError, in_staff_dir
from carekb.model import PUBLIC, STAFF
from carekb.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

log = get_plugin_logger(__name__)


def audience_of(file: File, config: MkDocsConfig) -> str:
    """PUBLIC or STAFF for a hand-written page; a wrong `audience` is a PluginError."""
    name = None
    if file.abs_src_path:
        project = Path(config.config_file_path).parent
        name = Path(os.path.relpath(file.abs_src_path, project)).as_posix()
    try:
        return current().audiences.of(file.src_uri, file.content_string,
                                      lambda text: get_data(text)[1], name)
    except AudienceError as err:
        raise PluginError(str(err)) from None


@event_priority(60)  # before hooks/staff_links.py, which reads `staff_pages`
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    problems = []
    staff = []
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        try:
            if audience_of(file, config) == STAFF:
                staff.append(file)
        except PluginError as err:
            problems.append(str(err))
    if problems:  # every wrong page at once, in both builds
        raise PluginError("\n".join(problems))
    session = current()
    session.staff_pages = {f.src_uri: f for f in staff}
    if session.audience != PUBLIC:
        return files
    # Non-page files under content/staff/ (images, PDFs, notes) are staff material too.
    staff += [f for f in files if in_staff_dir(f.src_uri) and f not in staff]
    for file in staff:
        files.remove(file)
        log.debug(f"left out of the public build (staff-only): {file.src_uri}")
    return files
