"""Make the staff build look and read as the staff handbook.

Staff build only (`extra.audience: staff`, set by mkdocs.staff.yml): the staff entries come
first in the navigation and the staff start page is the home page, at `/` (the public home
moves to `public-home/`: carekb/staff/nav.py); the theme gets a "staff only" notice on every
page, its own styles and the checklist script (ticks kept in the reader's browser only) from
`carekb/templates/staff/theme/`. The public build is left exactly as it is, so none of this
can reach it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from carekb.build import order
from carekb.model.facts import STAFF
from carekb.render.jinja_env import TEMPLATES
from carekb.build.session import current
from carekb.staff.nav import HOME, PUBLIC_HOME, check_staff_nav, staff_home, unlisted, with_staff

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger(__name__)

THEME = TEMPLATES / "staff" / "theme"
STYLESHEET = "assets/stylesheets/kb-staff.css"
CHECKLIST = "assets/javascripts/kb-checklist.js"  # staff_theme/main.html loads it


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if current().audience != STAFF:
        return config
    try:
        staff_nav = check_staff_nav(config.extra.get("staff_nav"))
        staff_home(staff_nav)
    except ValueError as err:
        raise PluginError(f"{config.config_file_path}: {err}") from None
    config.nav = with_staff(config.nav, staff_nav)
    return config


@event_priority(order.LATE)  # after the other hooks have added their pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if current().audience != STAFF:
        return files
    for asset in (STYLESHEET, CHECKLIST):
        files.append(File.generated(config, asset, abs_src_path=str(THEME / asset)))
    home = staff_home(config.extra["staff_nav"])
    if home != HOME and files.get_file_from_path(home) is not None:
        _move(files.get_file_from_path(home), "index.html")
        if files.get_file_from_path(HOME) is not None:
            _move(files.get_file_from_path(HOME), PUBLIC_HOME)
    # hooks/audience.py decided every page's audience once (a page under content/staff/ is
    # staff-only even without `audience: staff`).
    staff = list(current().staff_pages)
    for src in unlisted(staff, config.nav or []):
        log.warning(f"{config.docs_dir}/{src} is a staff page missing from extra.staff_nav in "
                    f"{Path(config.config_file_path).name}; add it so the handbook and its "
                    "print page include it.")
    return files


def _move(file: File, dest_uri: str) -> None:
    """Write `file` to `dest_uri` (its address follows); links to it follow it by themselves."""
    file.dest_uri = dest_uri
    for worked_out in ("url", "abs_dest_path"):  # MkDocs works these out once, from dest_uri
        file.__dict__.pop(worked_out, None)


@event_priority(order.LATE)
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    """A page left out of the navigation is a warning (so a strict build refuses it)."""
    listed = {page.file.src_uri for page in nav.pages}
    session = current()
    staff = set(session.staff_pages) if session.audience == STAFF else set()
    for file in files.documentation_pages():
        if (file.src_uri in listed or file.src_uri in staff or file.generated_by
                or file.inclusion.is_not_in_nav()):
            continue  # staff pages have their own warning above; generated pages list themselves
        log.warning(f"{Path(config.docs_dir).name}/{file.src_uri} is not in the navigation, "
                    f"so readers cannot find it from the menu. Fix: add a line such as `- "
                    f"{file.src_uri}` under `nav:` in {Path(config.config_file_path or 'mkdocs.yml').name}.")
    return nav


def on_env(env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
           ) -> jinja2.Environment:
    if current().audience != STAFF:
        return env
    # Staff templates first; "kb-public/main.html" reaches the public overrides/main.html,
    # which the staff main.html extends, so the crisis bar and review dates stay. The preview
    # keeps the theme's environment from build to build: it is wrapped once.
    public = env.loader
    if isinstance(public, _StaffLoader):
        return env
    env.loader = _StaffLoader([
        jinja2.FileSystemLoader(str(THEME)),
        jinja2.PrefixLoader({"kb-public": public}),
        public,
    ])
    return env


class _StaffLoader(jinja2.ChoiceLoader):
    """The theme's loader with the staff templates in front (see on_env)."""
