"""Where a build or publish may write: never over anything this project did not make.

Publishing replaces the whole target folder (carekb/publish/staging.py swaps a new one in), so the
target is accepted only when nothing in it would be lost (`check_target`, decided by real
paths, symlinks resolved):

- it does not exist yet, or it is empty;
- or it holds a site this project published: the marker file `.carekb-site` (`MARKER`), which
  every build and publish writes into the site it makes (`write_marker`);
- or it holds only what a publish keeps anyway (`kept`): dotfiles (`.git`, `.nojekyll`,
  `.well-known`...) and `CNAME`, which a static host needs. As MkDocs' own clean keeps
  dotfiles, they are carried into each new site (`carry_over`, hard links: nothing is copied,
  and the live folder is not touched before the swap).

Never, whatever it holds: the root of the file system, the home folder or a folder holding
it, the project folder or a folder holding it, and anything that is not a folder. A site
marked as the public site never receives the staff handbook, nor the other way round, and a
site in one language never replaces one in another.

The Spanish site lives inside the public site (site/es/), marked as ours with its language. A
folder holding only such a site is ours too, and a new English site carries the live es/ into
itself (`carry_over`, hard links, as for dotfiles): an English build never deletes it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

MARKER = ".carekb-site"
MADE_BY = "carekb"
_KEPT_NAMES = frozenset({"CNAME"})  # not a dotfile, but GitHub Pages reads it from the site's root
_MARKER_MAX = 4096
_STAGED = re.compile(r"^\..+\.staging-\d+-[0-9a-f]+$")  # carekb/publish/staging.py's staging folders


class Refused(Exception):
    """This target may not be written; `reason` and `fix` in plain words."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def kept(name: str) -> bool:
    """Whether an entry at the top of a site folder survives a publish (dotfiles and CNAME)."""
    return name.startswith(".") or name in _KEPT_NAMES


def marker_text(site_name: str | None = None, audience: str | None = None,
                language: str | None = None) -> str:
    """What `.carekb-site` holds: who made the folder, which site, for whom and in which language
    (English is not written: markers written before the Spanish site say none)."""
    data: dict[str, Any] = {"made_by": MADE_BY}
    if site_name:
        data["site_name"] = str(site_name)[:300]
    if audience:
        data["audience"] = str(audience)
    if language and language != "en":
        data["language"] = str(language)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_marker(folder: str | Path, site_name: str | None = None, audience: str | None = None,
                 language: str | None = None) -> None:
    """Mark `folder` as a site this project made."""
    Path(folder, MARKER).write_text(marker_text(site_name, audience, language), encoding="utf-8")


def nested_site(folder: str | Path) -> bool:
    """Whether `folder` holds a site in another language than English that this project made
    (the Spanish site inside the public site): a real folder, never a symlink."""
    path = Path(folder)
    marker = read_marker(path) if path.is_dir() and not path.is_symlink() else None
    return bool(marker and marker.get("language", "en") != "en")


def read_marker(folder: str | Path) -> dict[str, Any] | None:
    """The marker of `folder` (a dict), or None when it has none that this project wrote. Only a
    small ordinary file counts: never a symlink, a folder or a pipe."""
    path = Path(folder, MARKER)
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MARKER_MAX:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("made_by") == MADE_BY else None


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(path))


def _holds(outer: Path, inner: Path) -> bool:
    """Whether real folder `outer` is `inner` or holds it."""
    return inner == outer or outer in inner.parents


def check_target(target: str | Path, project: str | Path | None = None) -> None:
    """Raise Refused when publishing into `target` could delete something this project did not
    make (see the module docstring); `project` is the folder holding mkdocs.yml, if known."""
    shown = Path(target)
    real = _real(target)
    if real == Path(real.anchor):
        raise Refused(f"{shown} is the root of the file system",
                      "give a folder of its own for the site, such as publish/public")
    home = _real(Path.home())
    if _holds(real, home):
        said = "your home folder" if real == home else f"a folder holding your home folder ({home})"
        raise Refused(f"{shown} is {said}", "give a folder of its own for the site, such as publish/public")
    if project is not None:
        project_real = _real(project)
        if _holds(real, project_real):
            said = ("the project folder itself" if real == project_real
                    else f"a folder holding the project ({project_real})")
            raise Refused(f"{shown} is {said}: publishing there would delete it",
                          "give a folder of its own for the site, such as publish/public")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return  # a new folder
    except OSError as error:
        raise Refused(f"{shown} cannot be read ({error.strerror})", "choose another folder") from None
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(f"{shown} is a file, not a folder", "give the path of a folder for the site")
    try:
        others = sorted(name for name in os.listdir(real) if not kept(name))
    except OSError as error:
        raise Refused(f"{shown} cannot be read ({error.strerror})", "choose another folder") from None
    if not others or read_marker(real) is not None or all(nested_site(real / n) for n in others):
        return
    listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    raise Refused(f"{shown} holds files this project did not publish ({listed}), and a publish "
                  f"replaces the whole folder (it has no {MARKER} file)",
                  "give a new or empty folder, or move those files out of it first")


def check_audience(live: str | Path, new: str | Path) -> None:
    """Raise Refused when the new site is for another audience than the one it would replace."""
    old, made = read_marker(live), read_marker(new)
    if not old or not made or not old.get("audience") or not made.get("audience"):
        return
    if old.get("language", "en") != made.get("language", "en"):
        raise Refused(f"{live} holds the site in {old.get('language', 'en')}, and this is the "
                      f"site in {made.get('language', 'en')}", "build each language into its own "
                      "folder: the Spanish site goes into es/ of the public site (site/es)")
    if old["audience"] != made["audience"]:
        raise Refused(f"{live} holds the {old['audience']} site, and this is the "
                      f"{made['audience']} site", "publish each site into its own folder "
                      "(publish/public and publish/staff); never put the staff handbook "
                      "where the public site was")


def carry_over(live: Path, staging: Path) -> None:
    """Put the dotfiles and CNAME of the live site, and the sites in other languages inside it
    (es/), into the new one (hard links), unless the new site has its own; the old marker and
    staging folders left by killed runs are never carried."""
    if not live.is_dir():
        return
    for name in os.listdir(live):
        if os.path.lexists(staging / name) or name == MARKER or _STAGED.match(name):
            continue
        if kept(name) or nested_site(live / name):
            _link_tree(live / name, staging / name)


def _link_tree(source: Path, dest: Path) -> None:
    """`source` again at `dest`: folders made anew, everything else hard-linked (copied where a
    hard link is impossible), symlinks recreated as they are."""
    if source.is_symlink() or not source.is_dir():
        _link_one(source, dest)
        return
    folders = []
    for folder, dirs, files in os.walk(source):  # never follows a symlink
        into = dest / os.path.relpath(folder, source)
        into.mkdir()
        folders.append((Path(folder), into))
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            _link_one(Path(folder, name), into / name)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
    for folder, into in reversed(folders):  # permissions last: a read-only folder is filled first
        shutil.copystat(folder, into, follow_symlinks=False)


def _link_one(source: Path, dest: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), dest)
        return
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)
