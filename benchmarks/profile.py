"""Profile one build of a scaled copy of the site with pyinstrument, and say where the hooks spend.

    .venv/bin/pip install -r benchmarks/requirements.txt     # pyinstrument, once
    .venv/bin/python -m benchmarks.profile --factor 10 [--patch fix.diff] [--html out.html]

Prints the time spent inside each hook module (outermost hook frame, so nothing is counted
twice), the total, and pyinstrument's call tree. The build runs in this process (in a
throwaway copy of the project, with the copy's hooks first on sys.path).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from benchmarks.site import apply_patch, copy_project
from benchmarks.synthetic import write_scaled


def hook_times(root, hooks_dir: Path) -> dict[str, float]:
    """Seconds per hook file (and carekb file), counted at the outermost frame inside hooks/."""
    prefix = str(hooks_dir) + os.sep
    out: dict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        path = frame.file_path or ""
        if path.startswith(prefix):
            out[os.path.relpath(path, hooks_dir.parent)] += frame.time
            continue
        stack.extend(frame.children)
    return dict(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10, help="size of the fact base (default 10x)")
    parser.add_argument("--patch", type=Path, help="a unified diff to apply to the copy first")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    parser.add_argument("--depth", type=int, default=40, help="lines of the call tree to print")
    parser.add_argument("--save", type=Path, help="save the pyinstrument session (view: pyinstrument --load FILE)")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is missing: .venv/bin/pip install -r benchmarks/requirements.txt", file=sys.stderr)
        return 2
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryDirectory(prefix="kb-profile-") as tmp:
        project = copy_project(Path(tmp) / "site")
        if args.patch:
            apply_patch(project, args.patch)
        if args.factor != 1:
            write_scaled(args.factor, project / "facts.yaml")
        sys.path.insert(0, str(project))
        for name in [m for m in sys.modules if m == "hooks" or m.startswith("hooks.")]:
            del sys.modules[name]
        os.chdir(project)
        from mkdocs.__main__ import cli

        profiler = Profiler(interval=0.002)
        profiler.start()
        try:
            cli(["build", "--no-strict", "-q", "-d", str(Path(tmp) / "out")], standalone_mode=False)
        finally:
            session = profiler.stop()
        root = session.root_frame()
        total = root.time
        times = hook_times(root, project / "hooks")
        print(f"\n{args.factor}x build: {total:.2f} s in total (wall, CPU {session.cpu_time:.2f} s)")
        print(f"in hooks: {sum(times.values()):.2f} s ({sum(times.values()) / total:.0%})")
        for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds:7.2f} s  {name}")
        text = profiler.output_text(unicode=True, color=False, show_all=False)
        print("\n".join(text.splitlines()[: args.depth]))
        if args.save:
            session.save(str(args.save))
        if args.html:
            args.html.write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
