"""What a build reads from content/: only the project's own files, each page decoded and its
front matter typed; every page's audience decided once (carekb/model/audience.py, through the
session); staff material kept out of the public build: staff pages, and every file under
content/staff/, pages or not.

Before MkDocs walks content/ (on_config), the tree is checked by real paths
(carekb/load/filetree.py): a symlink leaving content/ (or overrides/), to a folder or to nothing, a
FIFO, socket or device, or a hard link of a staff file fails the build; a symlink to a file
inside content/ is followed, and its audience is decided by where it really is. Each page is
then read as bytes (carekb/load/pageinput.py: UTF-8, no invisible characters, typed front matter).
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

from carekb.build import order
from carekb.model.audience import STAFF_DIR, AudienceError, in_staff_dir
from carekb.load.filetree import check_tree, outside, real_src
from carekb.checks.nav import nav_problems
from carekb.load.pageinput import config_problems, read_page
from carekb.model.facts import PUBLIC, STAFF
from carekb.build.session import StaffPage, current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger(__name__)


def _name(file: File, config: MkDocsConfig) -> str:
    """The page's file as an editor finds it ("content/staff/billing.md")."""
    if not file.abs_src_path:
        return file.src_uri
    project = Path(config.config_file_path).parent
    return Path(os.path.relpath(file.abs_src_path, project)).as_posix()


def _label(folder: str, project: Path) -> str:
    return Path(os.path.relpath(folder, project)).as_posix()


@event_priority(order.EARLY)  # before MkDocs walks content/ (it does once every on_config ran)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Refuse a file tree that would make the build read anything but the project's own files."""
    project = Path(config.config_file_path).parent
    problems = config_problems(config.config_file_path, project)  # invisible characters
    problems += check_tree(config.docs_dir, _label(config.docs_dir, project), project, private=STAFF_DIR)
    for folder in current().source_dirs:  # the English pages a Spanish build shows in English
        problems += check_tree(folder, _label(str(folder), project), project, private=STAFF_DIR)
    if config.theme.custom_dir:
        problems += check_tree(config.theme.custom_dir, _label(config.theme.custom_dir, project), project)
    if problems:
        raise PluginError("\n".join(map(str, problems)))
    return config


@event_priority(order.EARLY)  # before any hook adds pages or asks for the staff pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    session = current()
    problems = [str(p) for p in outside(
        ((_name(f, config), f.abs_src_path) for f in files if f.abs_src_path and not f.generated_by),
        [config.docs_dir, *session.source_dirs, *config.theme.dirs])]
    custom = config.theme.custom_dir
    templates = sorted(p.name for p in Path(custom).glob("*.html")) if custom else []
    staff = []
    for file in files.documentation_pages():
        if file.generated_by or not file.abs_src_path:
            continue
        name = _name(file, config)
        text, found = read_page(file.abs_src_path, name, templates)
        problems += map(str, found)
        if text is None:
            continue
        try:  # a symlink to a staff page is a staff page: decided by where the file really is
            if session.audience_of(real_src(file.abs_src_path, config.docs_dir), text,
                                   lambda text: get_data(text)[1], name) == STAFF:
                staff.append(file)
        except AudienceError as err:
            problems.append(str(err))
    if problems:  # every wrong page at once, in both builds
        raise PluginError("\n".join(problems))
    session.record_staff_pages({f.src_uri: StaffPage(f.url, _name(f, config)) for f in staff})
    if session.audience != PUBLIC:
        return files
    # Non-page files under content/staff/ (images, PDFs, notes) are staff material too.
    staff += [f for f in files if f not in staff and in_staff_dir(
        real_src(f.abs_src_path, config.docs_dir) if f.abs_src_path and not f.generated_by else f.src_uri)]
    for file in staff:
        files.remove(file)
        log.debug(f"left out of the public build (staff-only): {file.src_uri}")
    return files


@event_priority(order.EARLY)  # every file is known; nothing has been rendered yet
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Every nav entry leads to a page of this build (never a staff page in the public build)
    or an https address, under a plain one-line title (carekb/checks/nav.py)."""
    session = current()
    project = Path(config.config_file_path).parent
    problems = nav_problems(
        config.nav, public=session.audience == PUBLIC,
        exists=lambda src: files.get_file_from_path(src) is not None,
        staff_only=lambda src: src in session.staff_pages or in_staff_dir(src),
        configs=[Path(config.config_file_path), project / "mkdocs.yml"])
    if problems:
        raise PluginError("\n".join(problems))
    return nav
