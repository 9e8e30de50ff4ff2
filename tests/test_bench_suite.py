"""benchmarks/suite.py counts CPU where it is spent: every core's busy time, and CPU by kind of
process, including processes nobody waits for (most of Chromium's), which getrusage misses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.suite import CPUSplit, kind_of, machine_busy


def test_machine_busy_counts_every_state_but_idle_and_waiting(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    #                 user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  700 100 200 9000 500 30 20 50 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n", encoding="ascii")
    assert machine_busy(stat) == (700 + 100 + 200 + 30 + 20 + 50) / os.sysconf("SC_CLK_TCK")
    assert machine_busy(tmp_path / "missing") == 0.0


def test_processes_are_told_apart_by_their_command_line() -> None:
    assert kind_of(["/usr/lib/chromium/chromium", "--type=renderer", "--lang=en-US"]) == "chromium renderer"
    assert kind_of(["/usr/lib/chromium/chromium", "--type=gpu-process"]) == "chromium gpu"
    assert kind_of(["/usr/lib/chromium/chromium", "--headless", "--remote-debugging-pipe"]) == "chromium browser"
    assert kind_of(["/x/playwright/driver/node", "/x/cli.js", "run-driver"]) == "node"
    assert kind_of(["/w/.venv/bin/python", "-u", "-c", "import sys;exec(eval(sys.stdin.readline()))"]) == "pytest"
    assert kind_of(["/w/.venv/bin/python", "-m", "pytest", "-n", "auto"]) == "pytest"
    assert kind_of(["/w/.venv/bin/python", "-m", "mkdocs", "build"]) == "python"
    assert kind_of(["make", "test"]) == "other"


def test_a_busy_child_nobody_reaps_yet_is_counted() -> None:
    """A child that spins for about a second shows as `python`, while it runs (it is sampled from
    /proc, not from the exit status a parent collects)."""
    spin = "import time\nend = time.process_time() + 0.8\nwhile time.process_time() < end: pass\n"
    with CPUSplit(every=0.1) as split:
        child = subprocess.Popen([sys.executable, "-c", spin + "import sys; sys.stdin.read()"],
                                 stdin=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while split.totals.get("python", 0.0) < 0.6 and time.monotonic() < deadline:
            time.sleep(0.05)
        counted = split.totals.get("python", 0.0)
        child.communicate(b"")
    assert 0.6 <= counted <= 2.0, split.totals
