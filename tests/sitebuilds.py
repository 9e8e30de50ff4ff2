"""How the tests build sites: three ways, from the dearest to the cheapest.

- `run_cli`: `python -m mkdocs build ...` in a child process, as an editor types it. For what the
  process boundary decides: a console script's `sys.path`, signals, two builds at once, a crash
  that must not print a traceback from a fresh interpreter.
- `run_in_process`: the same command-line interface (`mkdocs.__main__.cli`, its flags, its exit
  status, its log on stderr, its closing line on stdout) called in this process, with what it
  changes in the process (logging, warning filters, the working folder) put back afterwards.
  Identical output, without starting Python and importing MkDocs again for each build.
- `WarmProject`: a throwaway copy of the project rebuilt by the preview's own in-process engine
  (engine/preview.py), which keeps the theme compiled and renders again only the pages an edit
  touches. For tests of messages and output; `Built` gives the same fields as a command's run.

`shared_site` builds a real site once per test run, even across pytest-xdist workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

# Left out when the project is copied: environments, outputs and caches, never sources.
_NOT_COPIED = {
    ".git", ".venv", "site", "site-staff", "publish", "artifacts", "build-report",
    ".pytest_cache", "__pycache__", "node_modules",
}


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in _NOT_COPIED or n.endswith((".egg-info", ".pyc"))}


def copy_project_to(target: Path) -> Path:
    """Copy the project's sources (no environments, outputs or caches) to `target`."""
    shutil.copytree(REPO_ROOT, target, ignore=_ignore, symlinks=True)
    return target


@dataclass
class Built:
    """What one build did, with the fields of subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    site: Path | None = None  # where the site was (to be) written
    wrote: list[str] | None = None  # warm builds: the files of the site and its report it changed
    # (by content: a failed build may write a file again as it was)


def _site_arg(args: list[str], cwd: Path) -> Path | None:
    for flag in ("-d", "--site-dir"):
        if flag in args[:-1]:
            return cwd / args[args.index(flag) + 1]
    return None


def run_cli(args: Iterable[str], cwd: Path, engine: str = "mkdocs", timeout: float = 600) -> Built:
    """`python -m <engine> <args>` in a child process in `cwd`; never raises."""
    args = [str(a) for a in args]
    done = subprocess.run([sys.executable, "-m", engine, *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=timeout)
    return Built(done.args, done.returncode, done.stdout, done.stderr, _site_arg(args, cwd))


# A process started in the background by a script (`make test &`, some CI runners) ignores Ctrl-C
# (SIGINT), and so does every process it starts: exec keeps an ignored signal ignored (and resets
# a handled one to its default). A test that presses Ctrl-C starts its command through this.
_AS_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                  "os.execvp(sys.argv[1], sys.argv[1:])")


def as_from_a_terminal(command) -> list[str]:
    """`command` (a list of arguments), started as a terminal starts it: Ctrl-C not ignored."""
    return [sys.executable, "-c", _AS_A_TERMINAL, *map(str, command)]


@contextlib.contextmanager
def _process_state_kept(cwd: Path) -> Iterator[None]:
    """What MkDocs' command line changes in its process, put back afterwards: the `mkdocs`
    logger (level, propagation, handlers), the duplicate filters it adds to the build's logger,
    Python's warning filters, the working folder and `sys.path` (`python -m` puts the working
    folder first), and the log's line width (a child process writing to a pipe wraps nothing)."""
    from mkdocs.__main__ import ColorFormatter

    top, build_log = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build")
    kept = (top.level, top.propagate, list(top.handlers), list(build_log.filters),
            warnings.showwarning, list(warnings.filters), os.getcwd(), list(sys.path),
            ColorFormatter.text_wrapper.width)
    ColorFormatter.text_wrapper.width = 0
    os.chdir(cwd)
    sys.path.insert(0, str(cwd))
    try:
        yield
    finally:
        top.setLevel(kept[0])
        top.propagate = kept[1]
        top.handlers[:] = kept[2]
        build_log.filters[:] = kept[3]
        warnings.showwarning = kept[4]
        warnings.filters[:] = kept[5]
        warnings._filters_mutated()  # noqa: SLF001 - what warnings.simplefilter itself calls
        os.chdir(kept[6])
        sys.path[:] = kept[7]
        ColorFormatter.text_wrapper.width = kept[8]


def run_in_process(args: Iterable[str], cwd: Path) -> Built:
    """`mkdocs <args>` through MkDocs' own command-line interface, in this process; never
    raises. An exception that would end the command with a traceback is written to stderr as
    Python would print it (exit status 1), so "no traceback" stays a real check."""
    from mkdocs.__main__ import cli

    args = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with _process_state_kept(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args=args, prog_name="mkdocs", standalone_mode=True)
        except SystemExit as exit_:
            code = exit_.code
        except Exception:  # noqa: BLE001 - what an uncaught exception shows an editor
            traceback.print_exc(file=err)
            code = 1
    if isinstance(code, str):  # sys.exit("message"): printed, status 1
        err.write(code + "\n")
        code = 1
    return Built(["mkdocs", *args], int(code or 0), out.getvalue(), err.getvalue(), _site_arg(args, cwd))


def build_in_process(config: Path, out: Path, *flags: str) -> Built:
    """`mkdocs build <flags> -f config -d out` (flags: --strict unless given) in this process."""
    return run_in_process(["build", *(flags or ("--strict",)), "-f", str(config), "-d", str(out)],
                          config.parent)


def mkdocs_build(config: Path, out: Path, engine: str = "mkdocs") -> Built:
    """`mkdocs build --strict -f config -d out` in a child process, as an editor runs it
    (`engine`: "properdocs" builds with ProperDocs instead); never raises."""
    return run_cli(["build", "--strict", "-f", str(config), "-d", str(out)], config.parent, engine)


# -- one build of a real site per test run ------------------------------------------------------
def shared_root(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this run shares (the run's base temp folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_site(tmp_path_factory, name: str, config: Path, *, prepare=None, folder: str = "site") -> Built:
    """The site of `config`, built strictly once per test run into <shared root>/<name>/<folder>
    (its build report: <name>/build-report/<folder>.json):
    the first worker to ask builds it (in-process, as `mkdocs build --strict` would), the others
    wait for it and read the same folder. `prepare(project) -> config` may copy the project
    and change it first (into <name>/project). The result (with the build's log) is kept, so a
    failed build fails every test that needs it with the same message."""
    home = shared_root(tmp_path_factory) / name
    home.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = home / "built.json"
        if not done.exists():
            if prepare is not None:
                config = prepare(copy_project_to(home / "project"), config)
            result = build_in_process(config, home / folder)
            done.write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                        "stdout": result.stdout, "stderr": result.stderr}),
                            encoding="utf-8")
        saved = json.loads(done.read_text(encoding="utf-8"))
    return Built(saved["args"], saved["returncode"], saved["stdout"], saved["stderr"], home / folder)


def shared_folder(tmp_path_factory, name: str, make) -> Path:
    """<shared root>/<name>/made, made once per test run by `make(folder)` (which creates it):
    the first worker to ask makes it, the others wait for it and read the same folder. Read it,
    never change it. If `make` raises, the next to ask tries again (and fails the same way)."""
    home = shared_root(tmp_path_factory) / name
    home.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder, done = home / "made", home / "made.done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            make(folder)
            done.touch()
    return folder


# -- a warm project: the preview's engine, in-process ------------------------------------------
_LEVEL_WIDTH = 8  # MkDocs' terminal format: f"{levelname:<8}-  {message}"


class _Said(logging.Handler):
    """The build's log lines, formatted as `mkdocs build` prints them (without colour)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<{_LEVEL_WIDTH}}-  {record.getMessage()}")


@dataclass
class _Frame:
    originals: dict[Path, bytes | None] = field(default_factory=dict)  # None: the file was not there
    folders: list[Path] = field(default_factory=list)  # folders the edits made


class WarmProject:
    """A copy of the project whose sites the preview's engine rebuilds in this process.

    Edit files through `write`, `edit` and `remove`; `build(config)` then rebuilds that site
    (all of it the first time, afterwards what the edits touch, as the preview does on a save)
    and returns a `Built` whose stderr holds the build's log lines as `mkdocs build` prints
    them, and, when it fails, the error as the last line. The site is in `built.site`; a
    failed build leaves the last good one there (as the preview does).

    Edits are undone in layers: `push()` opens one, `pop()` puts every file edited since back
    (the `warm` fixtures open one per module and one per test). Never build this copy with
    `run_in_process` as well: its hooks are loaded once per process, and the command line
    would leave them set up for `mkdocs build`, not the preview.
    """

    def __init__(self, root: Path, sites: Path | None = None) -> None:
        self.root = root
        self.sites = sites or root.parent / f"{root.name}-sites"
        self._engines: dict[str, object] = {}
        self._pending: dict[str, set[Path]] = {}
        self._frames: list[_Frame] = [_Frame()]

    # -- edits ----------------------------------------------------------------------------
    def path(self, rel: str) -> Path:
        return self.root / rel

    def _touch(self, path: Path) -> None:
        frame = self._frames[-1]
        if path not in frame.originals:
            frame.originals[path] = path.read_bytes() if path.is_file() else None
        for pending in self._pending.values():
            pending.add(path)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.path(rel)
        self._touch(path)
        missing = [p for p in path.parents if not p.exists()]
        if missing:
            self._frames[-1].folders.append(missing[-1])
            path.parent.mkdir(parents=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> Path:
        """Replace `old` (which must be there) by `new`, `count` times (0: every time)."""
        text = self.read(rel)
        assert old in text, f"{old!r} is not in {rel}"
        return self.write(rel, text.replace(old, new, count or -1))

    def append(self, rel: str, text: str) -> Path:
        return self.write(rel, self.read(rel) + text)

    def remove(self, rel: str) -> None:
        path = self.path(rel)
        self._touch(path)
        path.unlink()

    def push(self) -> None:
        """Open a layer of edits (`pop` undoes them)."""
        self._frames.append(_Frame())

    def pop(self) -> None:
        """Put back every file edited since the last `push`, as it was then."""
        frame = self._frames.pop()
        for path, data in frame.originals.items():
            for pending in self._pending.values():
                pending.add(path)
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        for folder in reversed(frame.folders):
            shutil.rmtree(folder, ignore_errors=True)

    # -- builds ---------------------------------------------------------------------------
    def engine(self, config: str = "mkdocs.yml"):
        if config not in self._engines:
            from engine.preview import Engine

            self._engines[config] = Engine(self.root / config, self.sites / config.removesuffix(".yml"),
                                           strict=True)
            self._pending[config] = set()
        return self._engines[config]

    def build(self, config: str = "mkdocs.yml") -> Built:
        """Rebuild the site of `config` after the edits since its last build; never raises."""
        from mkdocs.exceptions import Abort

        engine = self.engine(config)
        before = self._files(config)
        changed, self._pending[config] = self._pending[config], set()
        last_good = engine.memory
        said = _Said()
        top = logging.getLogger("mkdocs")
        level = top.level
        top.setLevel(logging.INFO)  # as `mkdocs build` shows it (-q aside)
        top.addHandler(said)
        code, closing = 0, ""
        attempt = engine._run  # noqa: SLF001 - one pass of the engine over the pages

        def afresh(*args, **kwargs):
            # An incremental pass that finds the change reaches every page stops, and the engine
            # builds everything in a second pass: only that pass's log is this build's.
            said.lines.clear()
            return attempt(*args, **kwargs)

        engine._run = afresh  # noqa: SLF001
        try:
            engine.build(changed if engine.memory is not None else None)
        except Abort as abort:
            message = abort.format_message()
            if message.startswith("Aborted with"):
                closing = f"\n{message}\n"  # the command line's closing line, on stdout
            else:
                said.lines.append(f"{'ERROR':<{_LEVEL_WIDTH}}-  {message}")
            code = 1
        except Exception:  # noqa: BLE001 - a crash: the traceback an editor would see
            said.lines.append(traceback.format_exc())
            code = 1
        finally:
            del engine._run  # noqa: SLF001 - the method again
            top.removeHandler(said)
            top.setLevel(level)
            # What on_shutdown does when `mkdocs serve` stops (the engine never stops): the
            # strict gate's counter leaves the logger, which other builds in this process use.
            from carekb.build.gates import tap

            tap.uninstall()
        if code and last_good is not None:
            # The preview keeps the last good site, and would start its next save with a full
            # build to be safe. Every page's memory is still that good build (a failed build
            # writes and remembers nothing), so the next build here renders again only what
            # changed since: the failing page once fixed, or the next case's edit.
            engine.memory = last_good
            self._pending[config] |= changed
        after = self._files(config)
        wrote = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
        return Built(["engine", config], code, closing, "\n".join(said.lines) + "\n", engine.site_dir,
                     wrote)

    def _files(self, config: str) -> dict[str, str]:
        """A digest of each file of the site of `config` and of its build report."""
        site, report = self.sites / config.removesuffix(".yml"), self.report(config)
        found = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()} \
            if site.is_dir() else {}
        if report.is_file():
            found["../build-report/" + report.name] = report
        return {rel: hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest() for rel, p in found.items()}

    def report(self, config: str = "mkdocs.yml") -> Path:
        """Where the build report of the site of `config` is written."""
        site = self.sites / config.removesuffix(".yml")
        return site.parent / "build-report" / f"{site.name}.json"
