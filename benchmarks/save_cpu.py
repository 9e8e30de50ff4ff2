"""CPU seconds of one preview save, measured in this process: what the preview's own work costs.

    .venv/bin/python -m benchmarks.save_cpu --factor 10 --saves 5 [--profile out.prof]

In a throwaway copy of the project (its fact base `--factor` times the real one), one
`engine.preview.Engine` makes a full build, then alternates a figure edit in facts.yaml and a
sentence added to content/costs.md, timing each `Engine.build` with the process's CPU clock.
Unlike `benchmarks.run`'s edit-to-preview (wall time from the save to the served page, through
scripts/serve.py), this leaves out the file watcher, the HTTP server and other work on the
machine, so two versions of the code can be compared on a busy machine. `--profile` saves a
cProfile of the saves (not of the first build).
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/save_cpu.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.preview import PROSE_PAGE, _set, pick_target  # noqa: E402
from benchmarks.site import copy_project  # noqa: E402
from benchmarks.synthetic import write_scaled  # noqa: E402


def measure(factor: int, saves: int, profile: Path | None = None) -> dict[str, list[float]]:
    """CPU seconds of each figure save and each prose save."""
    with tempfile.TemporaryDirectory(prefix=f"kb-save-{factor}x-") as tmp:
        project = copy_project(Path(tmp) / "site")
        sys.path.insert(0, str(project))  # the copy's hooks
        from engine.preview import Engine

        facts = project / "facts.yaml"
        if factor > 1:
            write_scaled(factor, facts)
        target = pick_target(facts)
        page = project / PROSE_PAGE[0]
        text = page.read_text(encoding="utf-8")
        engine = Engine(project / "mkdocs.yml", Path(tmp) / "out")
        engine.build()
        profiler = cProfile.Profile() if profile else None
        times: dict[str, list[float]] = {"figure": [], "prose": []}
        for i in range(saves):
            for kind, path, save in (
                    ("figure", facts, lambda: _set(facts, target, int(target.value) + 7919 * (i + 1))),
                    ("prose", page, lambda: page.write_text(text + f"\n\nA preview check, {i}.\n",
                                                            encoding="utf-8"))):
                save()
                if profiler:
                    profiler.enable()
                start = time.process_time()
                engine.build({path})
                times[kind].append(time.process_time() - start)
                if profiler:
                    profiler.disable()
        if profiler:
            profiler.dump_stats(str(profile))
        sys.path.remove(str(project))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.save_cpu", description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=1, help="size of the fact base (default 1x)")
    parser.add_argument("--saves", type=int, default=5, help="saves of each kind (default 5)")
    parser.add_argument("--profile", type=Path, help="save a cProfile of the saves here")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    times = measure(args.factor, args.saves, args.profile)
    for kind, seconds in times.items():
        print(f"{args.factor}x {kind} save: median {statistics.median(seconds):.3f} s CPU "
              f"({min(seconds):.3f}-{max(seconds):.3f} s, {len(seconds)} saves)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
