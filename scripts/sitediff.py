"""Build the public site and the staff handbook and compare them with a saved pair, file by file.

A refactor must leave both built sites byte-identical. Save them before, check after each step:

    python scripts/sitediff.py save /tmp/sites-before      # build both sites into that folder
    python scripts/sitediff.py check /tmp/sites-before     # build again, list every difference

`check` exits 0 when every file is identical, 1 when any differs (each named, with the first
differing line for text files), 2 when a build fails. `--engine properdocs` builds with
ProperDocs instead of MkDocs; `--ignore-generator` ignores the `<meta name="generator">` tag,
the one line where the two engines differ.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = {"public": "mkdocs.yml", "staff": "mkdocs.staff.yml"}
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build(dest: Path, *, engine: str = "mkdocs", root: Path = ROOT) -> None:
    """Build both sites into dest/public and dest/staff (replacing what is there)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name, config in SITES.items():
        out = dest / name
        if out.exists():
            shutil.rmtree(out)
        run = subprocess.run([sys.executable, "-m", engine, "build", "--quiet", "-f",
                              str(root / config), "-d", str(out)],
                             cwd=root, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"{engine} build of {config} failed:\n{run.stderr}")


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def _normal(data: bytes, ignore_generator: bool) -> bytes:
    return _GENERATOR.sub(b"", data) if ignore_generator else data


def _clip(lines: list[str], width: int = 160) -> list[str]:
    """Long lines (a search index is one line) cut to a window around where they differ."""
    if not lines or max(map(len, lines)) <= width:
        return lines
    start = 0
    olds = [line for line in lines if line.startswith("-")]
    news = [line for line in lines if line.startswith("+")]
    if olds and news:
        a, b = olds[0][1:], news[0][1:]
        start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, start - width // 2)
    return [line[0] + "…" + line[1 + start:1 + start + width] + "…" for line in lines]


def differences(before: Path, after: Path, *, ignore_generator: bool = False) -> list[str]:
    """Every file that is missing, added or different between two built folders, explained."""
    old, new = _files(before), _files(after)
    found = [f"only in {before}: {name}" for name in sorted(old.keys() - new.keys())]
    found += [f"only in {after}: {name}" for name in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a = _normal(old[name].read_bytes(), ignore_generator)
        b = _normal(new[name].read_bytes(), ignore_generator)
        if a == b:
            continue
        try:
            diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(),
                                        lineterm="", n=0)
            lines = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
            found.append(f"differs: {name}\n    " + "\n    ".join(_clip(lines[:6])))
        except UnicodeDecodeError:
            found.append(f"differs: {name} (binary)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("folder", type=Path, help="where the saved pair of sites is (or goes)")
    parser.add_argument("--engine", default="mkdocs", choices=["mkdocs", "properdocs"])
    parser.add_argument("--ignore-generator", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "save":
        build(args.folder, engine=args.engine)
        print(f"saved the public site and the staff handbook in {args.folder}")
        return 0
    with tempfile.TemporaryDirectory(prefix="sitediff-") as tmp:
        build(Path(tmp), engine=args.engine)
        found = []
        for name in SITES:
            found += differences(args.folder / name, Path(tmp) / name,
                                 ignore_generator=args.ignore_generator)
    for line in found:
        print(line)
    print(f"{len(found)} difference(s)" if found else "identical: public site and staff handbook")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
