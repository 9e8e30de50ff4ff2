"""Decide every page's audience once (carekb/audience.py, through the session), and keep
staff material out of the public build: staff pages, and every file under content/staff/,
pages or not.

A page under content/staff/ is staff-only whatever its front matter says; an `audience` value
other than exactly `public` or `staff` fails the build (both builds), naming the page. The
session keeps the staff pages (where each would have been, and its file) for the other hooks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.utils.meta import get_data

from carekb import order
from carekb.audience import AudienceError, in_staff_dir
from carekb.model import PUBLIC, STAFF
from carekb.session import StaffPage, current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

log = get_plugin_logger(__name__)


def _name(file: File, config: MkDocsConfig) -> str:
    """The page's file as an editor finds it ("content/staff/billing.md")."""
    if not file.abs_src_path:
        return file.src_uri
    project = Path(config.config_file_path).parent
    return Path(os.path.relpath(file.abs_src_path, project)).as_posix()


@event_priority(order.EARLY)  # before any hook adds pages or asks for the staff pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    session = current()
    problems = []
    staff = []
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        try:
            if session.audience_of(file.src_uri, file.content_string,
                                   lambda text: get_data(text)[1],
                                   _name(file, config) if file.abs_src_path else None) == STAFF:
                staff.append(file)
        except AudienceError as err:
            problems.append(str(err))
    if problems:  # every wrong page at once, in both builds
        raise PluginError("\n".join(problems))
    session.record_staff_pages({f.src_uri: StaffPage(f.url, _name(f, config)) for f in staff})
    if session.audience != PUBLIC:
        return files
    # Non-page files under content/staff/ (images, PDFs, notes) are staff material too.
    staff += [f for f in files if in_staff_dir(f.src_uri) and f not in staff]
    for file in staff:
        files.remove(file)
        log.debug(f"left out of the public build (staff-only): {file.src_uri}")
    return files
