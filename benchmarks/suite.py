"""Time the test suite of two commits, one after the other, as CI runs it (`make test`).

    .venv/bin/python -m benchmarks.suite main testspeed         # the old suite, then the new one
    .venv/bin/python -m benchmarks.suite HEAD --pytest-args "-q tests/test_markers.py"
    .venv/bin/python benchmarks/suite.py main HEAD --json suite.json

Each commit is cloned into a temporary folder (`git clone` of this repository, then a checkout of
the commit), set up with `make setup` (not timed: pip's cache makes it quick), then `make test`
runs, timed, with pytest's assertion-pass hook on and a small plugin that counts, in every pytest
process (pytest-xdist workers included), the assertions that passed and the tests' outcomes.

It prints, per commit: tests passed / failed / errors / skipped, passing assertions, wall time,
CPU time, how busy the cores were, and the load average before, during (mean of samples every
5 s) and after; then the new/old ratios, and where each run's CPU went (`CPUSplit`: Chromium's
processes, Playwright's driver, pytest and the builds it starts). The machine is shared: compare
CPU as well as wall time, and run it when the load average is low. Nothing in the repository is
changed; the clones are deleted.

CPU time is counted two ways. "machine CPU" is the busy time of every core during the run
(/proc/stat), which is exact for the run when nothing else runs. "reaped CPU" is what
getrusage(RUSAGE_CHILDREN) reports for the process tree `make test` started: it misses every
process nobody waited for, which is most of Chromium's (browsers the test workers leave to
Playwright's driver), and so was about 60 % of the real figure for this suite in Dec 2026.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A pytest plugin (loaded with -p from a folder on PYTHONPATH, so the old commit needs no copy of
# it): each pytest process writes what it counted into $KB_SUITE_COUNTS when its session ends.
COUNTER = '''
import json, os

_asserts = [0]


def pytest_assertion_pass(item, lineno, orig, expl):
    _asserts[0] += 1


def pytest_sessionfinish(session):
    out = {"asserts": _asserts[0]}
    if not hasattr(session.config, "workerinput"):  # the main process (or the xdist controller)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        stats = reporter.stats if reporter is not None else {}
        out["outcomes"] = {key: len(stats.get(key, []))
                           for key in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
    name = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}.json"
    with open(os.path.join(os.environ["KB_SUITE_COUNTS"], name), "w", encoding="utf-8") as file:
        json.dump(out, file)
'''


@dataclass
class Run:
    """One commit's `make test`."""

    commit: str
    sha: str
    exit_code: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    asserts: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # reaped CPU: getrusage(RUSAGE_CHILDREN), user + system
    machine_cpu: float = 0.0  # busy time of all cores during the run (/proc/stat)
    split: dict[str, float] = field(default_factory=dict)  # CPU by kind of process (CPUSplit)
    load_before: float = 0.0
    load_during: float = 0.0
    load_after: float = 0.0
    summary: str = ""


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _load() -> float:
    return os.getloadavg()[0]


def machine_busy(stat: Path = Path("/proc/stat")) -> float:
    """Seconds of CPU every core of the machine has spent busy since boot (not idle, not waiting
    for a disk), from the first line of /proc/stat; 0.0 where there is none."""
    try:
        fields = stat.read_text(encoding="ascii").splitlines()[0].split()
    except (OSError, IndexError):
        return 0.0
    ticks = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def kind_of(argv: list[str]) -> str:
    """What a process is, from its command line: chromium renderer / browser / gpu / other,
    node (Playwright's driver), pytest (the main process and its xdist workers), python (builds
    and commands the tests start), or other."""
    line = " ".join(argv)
    if argv and "chromium" in argv[0]:
        for kind in ("renderer", "gpu", "utility", "zygote"):
            if f"--type={kind}" in line:
                return f"chromium {kind}"
        return "chromium other" if "--type=" in line else "chromium browser"
    if argv and (os.path.basename(argv[0]) == "node" or "run-driver" in line):
        return "node"
    if "pytest" in line or "exec(eval(sys.stdin.readline()))" in line:  # how execnet starts xdist workers
        return "pytest"
    if (argv and os.path.basename(argv[0]).startswith("python")) or "/.venv/bin/" in line:
        return "python"
    return "other"


class CPUSplit:
    """CPU time by kind of process (`kind_of`) of every process that runs while it samples (every
    half second, from /proc). A process that lives less than half a second between two samples
    is missed; CPU a process had spent before the first sample is left out."""

    def __init__(self, proc: Path = Path("/proc"), every: float = 0.5) -> None:
        self.proc, self.every = proc, every
        self.totals: dict[str, float] = {}
        self._last: dict[tuple[str, str], tuple[float, str]] = {}
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="cpu-split", daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> CPUSplit:
        self.sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._done.wait(self.every):
            self.sample()

    def sample(self, first: bool = False) -> None:
        with self._lock:
            self._sample(first)

    def _sample(self, first: bool) -> None:
        for entry in self.proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
                used = (int(stat[11]) + int(stat[12])) / self._tick  # utime + stime
                key = (entry.name, stat[19])  # pid and start time: a pid used again is a new process
                if key not in self._last:
                    argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
                    self._last[key] = (used if first else 0.0, kind_of([a for a in argv if a]))
            except (OSError, IndexError, ValueError):
                continue  # it ended while being read
            before, kind = self._last[key]
            self.totals[kind] = self.totals.get(kind, 0.0) + used - before
            self._last[key] = (used, kind)


def count(folder: Path) -> tuple[int, dict[str, int]]:
    """The passing assertions of every pytest process, and the main process's outcomes."""
    asserts, outcomes = 0, {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        asserts += data["asserts"]
        for key, value in data.get("outcomes", {}).items():
            outcomes[key] = outcomes.get(key, 0) + value
    return asserts, outcomes


def last_line(log: Path) -> str:
    """pytest's closing summary line ("... passed ... in 123.45s")."""
    if not log.is_file():
        return ""
    lines = [ln.strip("= \n") for ln in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if re.search(r"\d+ (passed|failed|error)", ln)]
    return lines[-1] if lines else ""


def run_commit(commit: str, pytest_args: str | None, keep: bool) -> Run:
    sha = _git("rev-parse", "--verify", f"{commit}^{{commit}}")
    run = Run(commit, sha[:10])
    work = Path(tempfile.mkdtemp(prefix=f"kb-suite-{sha[:8]}-"))
    try:
        clone = work / "repo"
        _git("clone", "--quiet", "--no-checkout", str(ROOT), str(clone), cwd=work)
        _git("checkout", "--quiet", sha, cwd=clone)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTEST_ADDOPTS")}
        print(f"[{commit} {sha[:10]}] make setup in {clone}", flush=True)
        subprocess.run(["make", "setup"], cwd=clone, env=env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL)
        plugin, counts = work / "plugin", work / "counts"
        plugin.mkdir()
        counts.mkdir()
        (plugin / "kb_suite_counter.py").write_text(COUNTER, encoding="utf-8")
        env.update(PYTHONPATH=str(plugin), KB_SUITE_COUNTS=str(counts), PYTHONDONTWRITEBYTECODE="1",
                   PYTEST_ADDOPTS="-p kb_suite_counter -o enable_assertion_pass_hook=true")
        command = ["make", "test"] + ([f"PYTEST_ARGS={pytest_args}"] if pytest_args is not None else [])
        samples: list[float] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(5):
                samples.append(_load())

        print(f"[{commit} {sha[:10]}] {' '.join(command)}", flush=True)
        run.load_before = _load()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        busy = machine_busy()
        started = time.monotonic()
        with CPUSplit() as split:
            finished = subprocess.run(command, cwd=clone, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run.wall = time.monotonic() - started
        run.machine_cpu = machine_busy() - busy
        run.split = {kind: round(seconds, 1) for kind, seconds in sorted(split.totals.items())
                     if seconds >= 0.05}
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        done.set()
        run.load_after = _load()
        run.load_during = sum(samples) / len(samples) if samples else run.load_after
        run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        run.exit_code = finished.returncode
        run.asserts, run.outcomes = count(counts)
        run.summary = last_line(clone / "artifacts" / "pytest.log")
    finally:
        if keep:
            print(f"[{commit}] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return run


def table(runs: list[Run]) -> str:
    cores = os.cpu_count() or 1
    rows = [("commit", "exit", "passed", "failed", "errors", "skipped", "assertions", "wall s",
             "machine CPU s", "cores busy", "reaped CPU s", "load before/during/after")]
    for r in runs:
        o = r.outcomes
        rows.append((f"{r.commit} ({r.sha})", str(r.exit_code), str(o.get("passed", 0)), str(o.get("failed", 0)),
                     str(o.get("error", 0)), str(o.get("skipped", 0)), str(r.asserts), f"{r.wall:.0f}",
                     f"{r.machine_cpu:.0f}", f"{r.machine_cpu / r.wall / cores:.0%}" if r.wall else "-",
                     f"{r.cpu:.0f}", f"{r.load_before:.1f} / {r.load_during:.1f} / {r.load_after:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]
    if len(runs) == 2 and runs[0].wall and runs[0].machine_cpu:
        old, new = runs
        out.append(f"new/old: wall {new.wall / old.wall:.2f}, machine CPU {new.machine_cpu / old.machine_cpu:.2f}, "
                   f"tests passed {new.outcomes.get('passed', 0)} vs {old.outcomes.get('passed', 0)}, "
                   f"assertions {new.asserts} vs {old.asserts}")
    for r in runs:
        total = sum(r.split.values()) or 1.0
        out.append(f"{r.commit}: CPU by process: " + ", ".join(
            f"{kind} {seconds:.0f} s ({seconds / total:.0%})"
            for kind, seconds in sorted(r.split.items(), key=lambda item: -item[1])))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="+", help="commits to time, in order (e.g. main HEAD)")
    parser.add_argument("--pytest-args", default=None,
                        help="PYTEST_ARGS for make test (default: the Makefile's own, as CI runs it)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the clones (and their logs)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    runs = [run_commit(commit, args.pytest_args, args.keep) for commit in args.commits]
    print(table(runs))
    for r in runs:
        print(f"{r.commit}: {r.summary}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
