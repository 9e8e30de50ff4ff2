"""What a build may read from disk: ordinary files inside the project, decided by real paths.

MkDocs walks `docs_dir` following every symlink and copies or reads whatever it finds, and the
theme's custom folder (overrides/) is read the same way. Before it walks, `check_tree` refuses,
with one located line each:

- a symlink whose real path leaves the folder (`content/x.md -> /proc/self/environ`), points to
  nothing, or points to a folder (a folder link can loop, or show one folder under two names);
  a symlink to an ordinary file inside the folder is followed, and what it is (a staff page, for
  one) is decided by its real path (`real_src`);
- devices, FIFOs and sockets (reading one can hang the build or read a device);
- a file that is a hard link of a file under content/staff/ (the same file under a public name);
- a tree past MAX_ENTRIES entries or MAX_DEPTH folders deep, and the folder itself when its real
  path is outside the project.

`outside` is the second fence, once MkDocs has listed its files: any file whose real path is
not inside the folders a build may read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from carekb.base.problems import Problem

MAX_ENTRIES = 100_000  # content/ holds about 50 files
MAX_DEPTH = 32
_SPECIAL = [(stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]


def real(path: str | Path) -> Path:
    return Path(os.path.realpath(path))


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether real path `path` is real folder `folder` or under it."""
    path, folder = Path(path), Path(folder)
    return path == folder or folder in path.parents


def real_src(abs_src_path: str | Path, docs_dir: str | Path) -> str:
    """Where a file of docs_dir really is, as a path inside docs_dir ("staff/billing.md" for a
    symlink to it); the file's own path if its real path is outside (then `check_tree` refused it)."""
    docs = real(docs_dir)
    found = real(abs_src_path)
    if not inside(found, docs):
        return Path(os.path.relpath(abs_src_path, docs_dir)).as_posix()
    return found.relative_to(docs).as_posix()


def _kind(mode: int) -> str | None:
    return next((what for test, what in _SPECIAL if test(mode)), None)


def check_tree(root: str | Path, label: str, project: str | Path, private: str | None = None) -> list[Problem]:
    """Problems of the tree at `root` (shown as `label`, such as "content"); `project` is the
    folder holding mkdocs.yml; `private`: a sub-folder (staff) no file outside may hard-link."""
    root = Path(root)
    base = real(root)
    if not root.exists():
        return []
    if not inside(base, real(project)):
        return [Problem(label, None, None, "", f"is {base}, outside the project folder, so a build "
                        "would publish files from elsewhere.",
                        f"make {label}/ an ordinary folder inside the project.")]
    problems: list[Problem] = []
    private_files: dict[tuple[int, int], str] = {}
    linked: list[tuple[tuple[int, int], str]] = []
    pending, count = [(base, label, 0)], 0
    while pending:
        folder, shown_folder, depth = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            problems.append(Problem(shown_folder, None, None, "", f"cannot be read ({error.strerror})."))
            continue
        for entry in entries:
            count += 1
            if count > MAX_ENTRIES:
                return problems + [Problem(label, None, None, "", f"holds more than {MAX_ENTRIES:,} "
                                           "files and folders; a site needs a few hundred.",
                                           "remove what does not belong in it.")]
            shown = f"{shown_folder}/{entry.name}"
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                problem = _symlink(entry.path, shown, base, label)
                if problem:
                    problems.append(problem)
            elif stat.S_ISDIR(info.st_mode):
                if depth + 1 > MAX_DEPTH:
                    problems.append(Problem(shown, None, None, "", f"is nested more than {MAX_DEPTH} "
                                            "folders deep.", "flatten the folders."))
                else:
                    pending.append((Path(entry.path), shown, depth + 1))
            elif _kind(info.st_mode):
                problems.append(Problem(shown, None, None, "", f"is {_kind(info.st_mode)}, not a file; "
                                        f"{label}/ holds only ordinary files and folders.",
                                        "delete it (a build would hang or read a device)."))
            elif private is not None:
                key = (info.st_dev, info.st_ino)
                if shown[len(label) + 1:].split("/", 1)[0].casefold() == private and depth:
                    private_files[key] = shown
                elif info.st_nlink > 1:
                    linked.append((key, shown))
    problems += [Problem(shown, None, None, "", f"is the same file as {private_files[key]} (a hard "
                         f"link): a file under {label}/{private}/ is {private}-only, whatever its other "
                         "names.", f"delete {shown}; keep the file under {label}/{private}/ only.")
                 for key, shown in linked if key in private_files]
    return problems


def _symlink(path: str, shown: str, base: Path, label: str) -> Problem | None:
    """The problem of one symlink in the tree, or None for a link to an ordinary file inside it."""
    target = real(path)
    where = os.readlink(path)
    fix = f"replace the link with the file itself, or delete it; {label}/ holds the site's own files."
    if not os.path.lexists(target) or not target.exists():
        return Problem(shown, None, None, "", f"is a symlink to {where}, which does not exist.", fix)
    if not inside(target, base):
        return Problem(shown, None, None, "", f"is a symlink to {where}, outside {label}/: a build "
                       "would publish that file.", fix)
    info = os.stat(target)
    if stat.S_ISDIR(info.st_mode):
        return Problem(shown, None, None, "", f"is a symlink to a folder ({where}); only links to "
                       f"files inside {label}/ are followed.", fix)
    if not stat.S_ISREG(info.st_mode):
        return Problem(shown, None, None, "", f"is a symlink to {_kind(info.st_mode) or 'a special file'}.", fix)
    return None


def outside(paths: Iterable[tuple[str, str]], allowed: Iterable[str | Path]) -> list[Problem]:
    """Problems of (shown name, path) pairs whose real path is in none of the `allowed` folders."""
    folders = [real(folder) for folder in allowed]
    return [Problem(shown, None, None, "", f"is really {real(path)}, outside the folders a build may "
                    "read; it would be published.", "delete it, or replace it with the file itself.")
            for shown, path in paths if not any(inside(real(path), f) for f in folders)]
