"""Build beside the live site, one build at a time, and swap it in only when the build succeeded.

`mkdocs build` (hooks/atomic.py), `scripts/publish.py` and the preview (`scripts/serve.py`) all
go through `Stage`:

1. lock the target (`.<name>.lock` beside it, an `fcntl.flock`): a second build or publish into
   the same folder waits up to `WAIT_SECONDS`, then is refused with one plain sentence;
2. remove staging folders left by runs that were killed (their pid, in the name, is not alive);
3. write into a fresh `.<name>.staging-<pid>-<random>` beside the target (a `--dirty` build
   starts from a copy of the live site);
4. swap: one `renameat2(RENAME_EXCHANGE)`, so the live folder is at every moment the complete old
   site or the complete new one (two renames where the file system cannot exchange).

A target that is a symlink is resolved: the new site goes where the link points, the link stays.

A language's site nested in the public site (`nested`: site/es/) takes the outer site's lock and
swaps es/ alone; an English swap carries the live es/ over (publish_target.carry_over). Its
report goes beside the outer site (`build-report/site.es.json`).
A target is accepted only if nothing in it would be lost (carekb/publish/target.py: new, empty,
or a site this project published, never the project, home or root folder); its dotfiles and
CNAME are carried into the new site, which is marked as ours (`.carekb-site`). Any OSError (a
full or read-only disk, no permission) becomes `NotChanged`, whose text is one plain sentence;
the staging folder is removed and the live site is left as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from carekb.publish import target as publish_target
from carekb.build.report import REPORT_FOLDER
from carekb.build.report import default_report_path as report_of

WAIT_SECONDS = 120.0  # a public build takes seconds; two minutes means the other run is stuck
_STAGING = re.compile(r"^\.(?P<name>.+)\.staging-(?P<pid>\d+)-[0-9a-f]+$")
# A report of a staging folder, or of a language's site built inside it (".public.staging-1-ab.es").
_STAGED_REPORT = re.compile(r"^(?P<outer>[^.]*\.)?\.(?P<name>.+)\.staging-(?P<pid>\d+)-[0-9a-f]+(?:\.\w+)?$")


class NotChanged(Exception):
    """Staging or swapping stopped; the live site was not changed. `str()` says why, plainly."""

    def __init__(self, reason: str, live: Path, had_site: bool, fix: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.live, self.had_site, self.fix = reason, live, had_site, fix

    def sentence(self, verb: str = "published") -> str:
        """One line for the terminal: "Not published: <why>; the last good site in <live> was not changed."."""
        kept = (f"the last good site in {self.live} was not changed" if self.had_site
                else f"nothing was written to {self.live}")
        return f"Not {verb}: {self.reason}; {kept}." + (f" Fix: {self.fix}." if self.fix else "")


def describe(error: OSError, where: Path) -> str:
    """What an OSError means for an editor, in words ("the disk is full at /x")."""
    if error.errno is None:  # not from the system (e.g. Jinja's TemplateNotFound): its own words
        return str(error) or type(error).__name__
    path = error.filename or where
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full at {path}"
    if error.errno == errno.EROFS:
        return f"the disk is read-only at {path}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"there is no permission to write at {path}"
    return f"{error.strerror or error} at {path}"


def fix_for(error: OSError) -> str | None:
    """What to do about an OSError, when there is one plain answer."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free space on that disk, then run this again"
    if error.errno == errno.EROFS:
        return "choose a folder on a writable disk, or remount the disk read-write"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "make that folder writable for this user, or choose another folder"
    return None


def target_of(site_dir: str | Path) -> Path:
    """The real folder a site folder stands for: a symlink is followed to where it points."""
    return Path(os.path.realpath(site_dir))


def is_staging(site_dir: str | Path) -> bool:
    """True for a folder named like a staging folder (then it is already staged: never stage it again)."""
    return bool(_STAGING.match(Path(site_dir).name))


def in_staging(site_dir: str | Path) -> bool:
    """True for a staging folder or a folder inside one (the Spanish site publishing builds into
    the public site's staging folder): it is staged already."""
    return any(is_staging(folder) for folder in (Path(site_dir), *Path(site_dir).parents))


def live_for(site_dir: str | Path) -> Path:
    """The live folder a (possibly staged) site folder stands for."""
    site = Path(site_dir)
    match = _STAGING.match(site.name)
    return site.with_name(match["name"]) if match else site


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a killed run's pid is gone once it has been reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def clean_stale(live: Path, nested: bool = False) -> list[Path]:
    """Remove staging folders (and their reports) beside `live` whose process is gone; return them."""
    removed = []
    reports = live.parent.parent if nested else live.parent
    outer = f"{live.parent.name}." if nested else ""
    for place, pattern in ((live.parent, _STAGING), (reports / REPORT_FOLDER, _STAGED_REPORT)):
        if not place.is_dir():
            continue
        for entry in place.iterdir():
            match = pattern.match(entry.name.removesuffix(".json") if pattern is _STAGED_REPORT
                                  else entry.name)
            if (match and match["name"] == live.name and (match.groupdict().get("outer") or "") == outer
                    and not _alive(int(match["pid"]))):
                discard(entry)
                removed.append(entry)
    return removed


def discard(path: Path) -> None:
    """Remove a staging folder or file; never fails (a leftover is cleaned by the next run)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


_libc = ctypes.CDLL(None, use_errno=True)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, live: Path) -> Path | None:
    """Make `staging` the folder at `live`; return where the old site now is (to delete), if any."""
    if not os.path.lexists(live):
        os.rename(staging, live)
        return None
    if _exchange(staging, live):
        return staging
    # No exchange on this file system: two renames, so `live` is missing for an instant.
    aside = live.with_name(f".{live.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(live, aside)
    try:
        os.rename(staging, live)
    except BaseException:
        os.rename(aside, live)
        raise
    return aside


def _copy_site(source: Path, dest: Path) -> None:
    """Copy a site folder (a `--dirty` build's starting point); raise the first OSError as it is."""
    # Not hard links: MkDocs rewrites files in place, which would change the live site too.
    # Not shutil.copytree: it gathers errors into one shutil.Error and loses the errno.
    dest.mkdir()
    for folder, dirs, files in os.walk(source):
        if folder == str(source):  # dotfiles and CNAME are carried over at the swap, as hard links
            dirs[:] = [d for d in dirs if not publish_target.kept(d)]
            files = [f for f in files if not publish_target.kept(f)]
        into = dest / Path(folder).relative_to(source)
        for name in dirs:
            path = Path(folder) / name
            if path.is_symlink():
                os.symlink(os.readlink(path), into / name)
            else:
                (into / name).mkdir()
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                os.symlink(os.readlink(path), into / name)
            else:
                shutil.copy2(path, into / name)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, so a swap is never cut in half."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, OSError, ValueError):
        old = None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Lock:
    """An exclusive `flock` on `.<name>.lock` beside the live folder; the file goes when released."""

    def __init__(self, live: Path) -> None:
        self.path = live.parent / f".{live.name or 'root'}.lock"  # "/" has no name (and is refused)
        self.fd: int | None = None

    def acquire(self, wait: float, waiting: Callable[[], None] | None) -> bool:
        """Take the lock, polling for up to `wait` seconds (calling `waiting` once); False if it stayed taken."""
        deadline = time.monotonic() + wait
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    return False
                if waiting and not told:
                    waiting()
                    told = True
                time.sleep(0.1)
                continue
            except BaseException:
                os.close(fd)
                raise
            # The last holder deletes the file when done: lock only the file still at this path.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                return True
            os.close(fd)

    def release(self) -> None:
        """Give the lock up and remove its file; safe to call when not held."""
        if self.fd is not None:
            try:
                os.unlink(self.path)  # while still held, so no one locks a file about to vanish
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None


class Stage:
    """One build of a target folder: lock, fresh staging folder, swap on `commit()`, cleanup always."""

    def __init__(self, target: str | Path, *, wait: float = WAIT_SECONDS, from_live: bool = False,
                 waiting: Callable[[str], None] | None = None, project: str | Path | None = None,
                 nested: bool = False) -> None:
        self.target = Path(target)
        self.nested = nested  # a language's site inside the public site (see the module docstring)
        self.project = project  # the folder holding mkdocs.yml: never a target, nor what holds it
        self.live = target_of(target)
        self.wait, self.from_live, self.waiting = wait, from_live, waiting
        self.had_site = self.live.is_dir()
        self.staging: Path | None = None
        self.committed = False  # the new site is live (an interrupt after this changes nothing)
        self._name: str | None = None  # the staging folder's name, which its build report carries
        self._lock = _Lock(self.live.parent if nested else self.live)

    def _problem(self, reason: str, fix: str | None = None) -> NotChanged:
        """A `NotChanged` about this stage's live folder."""
        return NotChanged(reason, self.live, self.had_site, fix)

    def problem(self, error: OSError) -> NotChanged:
        """The `NotChanged` for an OSError met while writing this stage (named by the live folder's place)."""
        # The staging folder, a file in it or the lock file mean nothing to an editor; their folder does.
        shown = error.filename
        ours = f"{self.live.parent}{os.sep}.{self.live.name}."
        if error.errno is None:
            return self._problem(describe(error, self.live.parent))
        if not shown or os.fspath(shown).startswith(ours):
            shown = self.live.parent
        return self._problem(describe(OSError(error.errno, error.strerror), Path(shown)), fix_for(error))

    def _check(self) -> None:
        """Refuse a target that holds what this project did not make (nothing is written)."""
        try:
            publish_target.check_target(self.target, self.project)
        except publish_target.Refused as refused:
            raise NotChanged(refused.reason, self.live, False, refused.fix) from None

    def open(self) -> Path:
        """Lock the target, clean up after killed runs, and return a fresh staging folder to write."""
        parent = self.live.parent
        self._check()
        try:
            parent.mkdir(parents=True, exist_ok=True)
            told = (lambda: self.waiting(f"Waiting for another build or publish into {self.live} to finish "
                                         f"(at most {self.wait:.0f} s)")) if self.waiting else None
            if not self._lock.acquire(self.wait, told):
                raise self._problem(f"another build or publish into {self.live} was still running after "
                                    f"{self.wait:.0f} s", "wait for it to finish, then run this again")
            self._check()  # again, now that no other run can change it
            clean_stale(self.live, self.nested)
            self.had_site = self.live.is_dir()
            staging = parent / f".{self.live.name}.staging-{os.getpid()}-{secrets.token_hex(4)}"
            self.staging, self._name = staging, staging.name
            if self.from_live and self.had_site:
                _copy_site(self.live, staging)
            else:
                staging.mkdir()
        except OSError as error:
            self.abandon()
            raise self.problem(error) from None
        except BaseException:
            self.abandon()
            raise
        return staging

    def commit(self) -> None:
        """Swap the staging folder in (and its build report), then clean up and unlock."""
        assert self.staging is not None and self._name, "commit() before open()"
        try:
            self._check()
            publish_target.check_audience(self.live, self.staging)
            if publish_target.read_marker(self.staging) is None:
                publish_target.write_marker(self.staging)
            publish_target.carry_over(self.live, self.staging)
            with _signals_deferred():
                self.staging = swap_in(self.staging, self.live)  # now the old site, to delete
                self.committed = True
        except publish_target.Refused as refused:
            self.abandon()
            raise NotChanged(refused.reason, self.live, self.had_site, refused.fix) from None
        except NotChanged:
            self.abandon()
            raise
        except OSError as error:
            self.abandon()
            raise self.problem(error) from None
        try:
            # The report describes the live site, so it moves only with a successful swap; so do
            # the reports of a language's site built inside it (publishing builds both at once).
            for report, live in self._reports():
                os.replace(report, live)
        except OSError:
            pass  # the site is live; only its report is older (abandon removes the new one)
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Remove the staging folder (and its report) and unlock; safe to call more than once."""
        if self.staging is not None:
            discard(self.staging)
            self.staging = None
        if self._name:
            for report, _ in self._reports():
                discard(report)
        self._lock.release()

    def _reports(self) -> list[tuple[Path, Path]]:
        """(report of the staging folder, where it goes once live), with those of the sites
        built inside the staging folder (`<staging>.es.json`)."""
        staged = report_of(self.live.with_name(self._name), self.nested)
        found = [(staged, report_of(self.live, self.nested))] if staged.exists() else []
        if not self.nested and staged.parent.is_dir():
            for report in staged.parent.glob(f"{self._name}.*.json"):
                inner = report.name[len(self._name) + 1:]
                found.append((report, staged.parent / f"{self.live.name}.{inner}"))
        return found

    def __enter__(self) -> Stage:
        """`with Stage(...) as stage:` abandons the stage however the block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Abandon (a no-op after `commit()`)."""
        self.abandon()
