"""Throwaway copies of the project to benchmark, and one timed `mkdocs build` per process.

`prepare(workdir, factor)` copies the project (never touching the real content/ or site/),
swaps in a fact base `factor` times the real one, builds it once with benchmarks/dump_hook.py
to save every page's final Markdown, and writes `mkdocs.floor.yml`: the same config, theme,
plugins and Markdown extensions, the dumped pages as docs_dir, and no hooks. What the hooks
hand to the theme is frozen so both builds produce the same HTML: the crisis bar into a static
partial, the descriptions of pages made from facts into those pages' front matter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.synthetic import REAL_FACTS, write_scaled
from carekb.i18n.interface import words

ROOT = Path(__file__).resolve().parent.parent
DUMP_HOOK = Path(__file__).resolve().parent / "dump_hook.py"
NOT_COPIED = {".git", ".venv", "site", "site-staff", "publish", "artifacts", "build-report", "benchmarks",
              "tests", ".pytest_cache", "__pycache__", "node_modules", ".ci"}
_CRISIS = re.compile(r'<div class="kb-crisis".*?</div>', re.S)
_BUILT_IN = re.compile(r"Documentation built in ([0-9.]+) seconds")


def bench_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("KB_BENCH_DUMP", None)
    return env


def copy_project(dest: Path) -> Path:
    def ignore(_dir: str, names: list[str]) -> set[str]:
        return {n for n in names if n in NOT_COPIED or n.startswith("site") or n.endswith((".egg-info", ".pyc"))}

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@dataclass
class Run:
    """One build in its own process."""

    wall: float  # seconds, process start to exit
    cpu: float  # user + system seconds of the process
    peak_mb: float  # its peak resident memory (ru_maxrss)
    built_in: float | None  # MkDocs' own "Documentation built in" (config load to end)


class BuildTimeout(RuntimeError):
    """A build ran longer than the time allowed and was stopped."""


# Runs the build as its own child and reports that child's rusage. The wrapper is a small fresh
# interpreter: a child forked straight from this (larger) process would report this process's
# memory as its peak, because Linux keeps the high-water mark across fork and exec.
_WRAPPER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss}, out)
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def run_build(config: Path, out: Path, *, extra_env: dict[str, str] | None = None,
              timeout: float | None = None) -> Run:
    """`mkdocs build -f config -d out` in a fresh process; raises with its log if it fails."""
    env = bench_env()
    env["PYTHONPATH"] = str(config.parent)  # the copy's hooks package, not the installed one
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "--no-strict", "-f", str(config), "-d", str(out)]
    with tempfile.TemporaryFile("w+") as log, tempfile.NamedTemporaryFile("r", suffix=".json") as usage:
        wrapper = [sys.executable, "-S", "-c", _WRAPPER, usage.name, *cmd]
        proc = subprocess.Popen(wrapper, cwd=config.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the wrapper and the build it started
            proc.wait()
            raise BuildTimeout(f"stopped after {timeout:.0f} s: {' '.join(cmd)}") from None
        log.seek(0)
        text = log.read()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-4000:]}")
        measured = json.loads(usage.read())
    found = _BUILT_IN.search(text)
    return Run(wall=measured["wall"], cpu=measured["cpu"], peak_mb=measured["maxrss_kb"] / 1024,
               built_in=float(found.group(1)) if found else None)


@dataclass
class Prepared:
    factor: int
    project: Path
    ours: Path  # mkdocs.yml of the copy (our hooks, the scaled facts)
    floor: Path  # mkdocs.floor.yml (the dumped Markdown, no hooks)
    pages: int  # pages built
    generated: int  # of which generated from facts.yaml
    dump_seconds: float

    def build_ours(self, out: Path | None = None, timeout: float | None = None) -> Run:
        return run_build(self.ours, out or self.project / "site-ours", timeout=timeout)

    def build_floor(self, out: Path | None = None, timeout: float | None = None) -> Run:
        return run_build(self.floor, out or self.project / "site-floor", timeout=timeout)


class _Loose(yaml.SafeLoader):
    pass


# mkdocs.yml may hold !!python/name or !ENV tags; they are read as null here.
_Loose.add_multi_constructor("", lambda loader, suffix, node: None)


def _loose_load(config: Path) -> dict:
    return yaml.load(config.read_text(encoding="utf-8"), Loader=_Loose) or {}


def _hooks_of(config: Path) -> list[str]:
    return list(_loose_load(config).get("hooks") or [])


def apply_patch(project: Path, patch: Path) -> None:
    """Apply a unified diff (paths like a/hooks/x.py) to a copy, to measure a proposed fix."""
    out = subprocess.run(["git", "apply", "-p1", "--whitespace=nowarn", str(patch.resolve())], cwd=project,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{patch} does not apply to the project:\n{out.stderr}")


def prepare(workdir: Path, factor: int, patch: Path | None = None, timeout: float | None = None) -> Prepared:
    project = copy_project(workdir / f"site-{factor}x")
    if patch is not None:
        apply_patch(project, patch)
    if factor != 1:
        write_scaled(factor, project / "facts.yaml", REAL_FACTS)
    ours = project / "mkdocs.yml"
    dump_dir = project / "floor-docs"

    dump_cfg = project / "mkdocs.bench-dump.yml"
    dump_cfg.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml",
                                        "hooks": [*_hooks_of(ours), str(DUMP_HOOK)]}), encoding="utf-8")
    dump = run_build(dump_cfg, project / "site-dump", extra_env={"KB_BENCH_DUMP": str(dump_dir)},
                     timeout=timeout)

    content = project / "content"
    hand_written = 0
    for path in content.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(content)
        target = dump_dir / rel
        if path.suffix == ".md":
            hand_written += target.exists()
            continue  # the rendered page is already there (or the page was left out, e.g. staff-only)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    pages = sum(1 for _ in dump_dir.rglob("*.md"))

    # The crisis bar comes from the hooks (env globals); freeze what they rendered.
    overrides = project / "overrides"
    floor_overrides = project / "floor-overrides"
    theme: dict = {}
    extra: dict = {}
    if overrides.is_dir():
        shutil.copytree(overrides, floor_overrides)
        theme["custom_dir"] = "floor-overrides"
        partial = floor_overrides / "partials" / "kb-crisis.html"
        home = (project / "site-dump" / "index.html").read_text(encoding="utf-8")
        found = _CRISIS.search(home)
        if partial.exists() and found:
            partial.write_text(found.group(0) + "\n", encoding="utf-8")
        # The other globals of the hooks the overrides read: descriptions of pages made from
        # facts are in the dumped pages' front matter; the interface words and the language, and
        # the language switch that hooks/language.py turns on, come from the floor's `extra:`.
        for template in floor_overrides.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            frozen = _HOOK_GLOBAL.sub(r"config.extra.\1", text.replace(
                "kb_descriptions.get(page.file.src_uri)", "none"))
            if frozen != text:
                template.write_text(frozen, encoding="utf-8")
        extra = {"kb_words": words("en"), "kb_language": "en", "alternate": True}

    nav = yaml.safe_load((project / "nav.yaml").read_text(encoding="utf-8"))
    floor_cfg = project / "mkdocs.floor.yml"
    floor: dict = {"INHERIT": "mkdocs.yml", "docs_dir": "floor-docs", "hooks": [], "watch": []}
    if nav:
        floor["nav"] = nav
    if theme:
        floor["theme"] = theme
    if extra:
        floor["extra"] = extra  # INHERIT merges it into mkdocs.yml's own extra
    floor_cfg.write_text(yaml.safe_dump(floor, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.rmtree(project / "site-dump")
    return Prepared(factor, project, ours, floor_cfg, pages, pages - hand_written, dump.wall)


_HOOK_GLOBAL = re.compile(r"(?<![\w.])(kb_words|kb_language)\b")


def html_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*.html"))


def same_output(a: Path, b: Path) -> float:
    """How close two built sites are: floor HTML bytes / ours HTML bytes (1.0 = same size)."""
    return html_bytes(b) / max(1, html_bytes(a))


if __name__ == "__main__":  # quick manual check: python -m benchmarks.site 10
    factor = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        prep = prepare(Path(tmp), factor, Path(sys.argv[2]) if len(sys.argv) > 2 else None)
        print(json.dumps({"pages": prep.pages, "generated": prep.generated, "dump_s": round(prep.dump_seconds, 2)}))
        ours, floor = prep.build_ours(), prep.build_floor()
        print("ours ", ours)
        print("floor", floor)
        print("floor/ours HTML bytes", round(same_output(prep.project / "site-ours", prep.project / "site-floor"), 4))
