"""Validation speed: time `load_facts` (the checker alone, no MkDocs) on a fact base.

Each timing runs in a fresh process, so one run's heap never slows the next:

    python -m benchmarks.validate /tmp/facts-100x.yaml --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.site import ROOT, bench_env

_CHILD = """
import json, sys, time
from carekb.load.facts_yaml import load_facts
start = time.perf_counter()
facts, warnings = load_facts(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "levels": len(facts.levels), "modalities": len(facts.modalities),
                  "sources": len(facts.sources), "warnings": len(warnings)}))
"""


def _env(project: Path) -> dict[str, str]:
    return dict(bench_env(), PYTHONPATH=str(project))  # that project's hooks package


def time_load(path: Path, project: Path = ROOT) -> dict:
    """One load_facts in a fresh interpreter: its seconds and what it loaded."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=project, env=_env(project),
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"load_facts({path}) failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_checker_cli(path: Path, project: Path = ROOT) -> float:
    """Wall seconds of `python -m carekb.cli.check --facts-only <file>` (facts.yaml alone, not the
    pages), interpreter start-up included."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "carekb.cli.check", "--facts-only", str(path)], cwd=project, env=_env(project),
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"carekb.cli.check {path} failed:\n{out.stderr[-4000:]}")
    return time.perf_counter() - start


def measure(path: Path, runs: int = 3, project: Path = ROOT) -> dict:
    """load_facts on `path` with `project`'s hooks package, `runs` times in fresh processes."""
    loads = [time_load(path, project) for _ in range(runs)]
    seconds = [r["seconds"] for r in loads]
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "runs": runs, "cli": time_checker_cli(path, project), "counts": {k: v for k, v in loads[0].items()
                                                                    if k != "seconds"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.validate")
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.file.resolve(), args.runs), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
