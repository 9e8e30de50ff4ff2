"""Run every benchmark and print one table of measurements, ratios and targets.

    .venv/bin/python -m benchmarks.run            # full run (7 to 10 minutes on 2 shared cores)
    .venv/bin/python -m benchmarks.run --quick    # smoke run: 1x and 10x, one run each (1 to 2 minutes)
    .venv/bin/python benchmarks/run.py --json results.json

What it measures (all in throwaway copies of the project; content/ and site/ are never touched):

- Hook overhead: `ours` = the site built with our hooks; `floor` = plain `mkdocs build`, same
  theme, plugins and Markdown extensions, of the same pages already rendered to Markdown (the
  crisis bar frozen into the theme, the descriptions of pages made from facts in their front
  matter), so both builds write the same HTML. Median of several
  alternating runs, each in a fresh process.
- Growth: fact bases 1x, 10x and 100x the real one (benchmarks/synthetic.py); build time, CPU
  time and peak memory (ru_maxrss of the build process) for ours and the floor, and time per page.
- Edit-to-preview under the incremental preview (scripts/serve.py), on the real site and at 10x:
  a figure in facts.yaml, a sentence in a page, and a level's name (in the navigation of every
  page, so a full rebuild); each the median of 7 saves or more, from the save to the page served
  with the change. Full runs also measure plain `mkdocs serve --livereload` as the old baseline.
- Weight: HTML + CSS + JS of a first visit to the home page, against stock Material.
- Validation: `load_facts` on the 100x fact base, in a fresh process.
- Spanish: both public sites against the English one alone (target <= 2.1x), and a save in the
  Spanish preview against one in the English preview (benchmarks/bilingual.py).

`--patch fix.diff` applies a diff to every copy first: the way to measure a proposed fix to the
hooks before it is committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bilingual, preview, validate, weight  # noqa: E402
from benchmarks.site import ROOT, BuildTimeout, Prepared, Run, apply_patch, copy_project, prepare  # noqa: E402
from benchmarks.synthetic import write_scaled  # noqa: E402

# Targets from issues 7 and 15.
OVERHEAD_MAX = 1.10  # ours / floor CPU, at every size (issue 15); issue 7 asked it at 1,000+ pages
OVERHEAD_PAGES = 1000
GROWTH_MAX = 1.5  # time per page at 100x / time per page at 10x
PREVIEW_MAX = 2.0  # seconds, plain `mkdocs serve` (the old baseline)
FIGURE_MAX = {1: 0.3, 10: 0.5}  # seconds, figure edit to preview updated, incremental
PROSE_MAX = {1: 0.3}  # seconds, page-prose edit, incremental
MEMORY_MAX = 1.3  # peak memory ours / floor at 100x
WEIGHT_MAX = 1.10  # ours / stock Material
VALIDATE_MAX = 0.5  # seconds, 100x fact base


@dataclass
class Size:
    factor: int
    pages: int = 0
    generated: int = 0
    prepare_seconds: float = 0.0
    ours: list[Run] = field(default_factory=list)
    floor: list[Run] = field(default_factory=list)
    timed_out: str | None = None

    def median(self, which: str, attr: str = "wall") -> float | None:
        runs = getattr(self, which)
        return statistics.median(getattr(r, attr) for r in runs) if runs else None

    def peak(self, which: str) -> float | None:
        runs = getattr(self, which)
        return max(r.peak_mb for r in runs) if runs else None

    def ratio(self, attr: str = "wall") -> float | None:
        o, f = self.median("ours", attr), self.median("floor", attr)
        return o / f if o and f else None

    def per_page(self, which: str, attr: str = "wall") -> float | None:
        t = self.median(which, attr)
        return t / self.pages if t and self.pages else None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": metadata.version("mkdocs"), "material": metadata.version("mkdocs-material"),
        "commit": commit,
    }


def measure_size(workdir: Path, factor: int, runs: int, patch: Path | None, timeout: float) -> tuple[Size, Prepared | None]:
    size = Size(factor)
    start = time.perf_counter()
    try:
        prep = prepare(workdir, factor, patch, timeout=timeout)
    except BuildTimeout:
        size.timed_out = f"our build took over {timeout:.0f} s"
        log(f"{factor}x: {size.timed_out}; skipped")
        return size, None
    size.prepare_seconds = time.perf_counter() - start
    size.pages, size.generated = prep.pages, prep.generated
    log(f"{factor}x: {prep.pages} pages ({prep.generated} generated); ready in {size.prepare_seconds:.0f} s")
    for i in range(runs):
        order = ("ours", "floor") if i % 2 == 0 else ("floor", "ours")
        for which in order:
            try:
                run = prep.build_ours(timeout=timeout) if which == "ours" else prep.build_floor(timeout=timeout)
            except BuildTimeout:
                size.timed_out = f"a {which} build took over {timeout:.0f} s"
                log(f"{factor}x: {size.timed_out}; no more runs at this size")
                return size, prep
            getattr(size, which).append(run)
            log(f"{factor}x run {i + 1}/{runs} {which:5}: {run.wall:6.2f} s wall, {run.cpu:6.2f} s CPU, "
                f"{run.peak_mb:5.0f} MB")
    return size, prep


# --- the table ---------------------------------------------------------------------------------

def _s(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def _kb(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1024:,.1f} KB"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *map(line, rows)])


def report(results: dict) -> str:
    out: list[str] = []
    m = results["machine"]
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}; Python {m['python']}, "
               f"MkDocs {m['mkdocs']}, Material {m['material']}; commit {m['commit']}; {m['date']}"
               + (f"; patch {results['patch']}" if results.get("patch") else ""))
    out.append(f"Load average before/after: {results['load_before']} / {results['load_after']} "
               "(other work on this machine makes wall times noisy; CPU times are steadier)")
    sizes: list[Size] = results["sizes"]

    out.append("\nBuilds (median of alternating runs; wall seconds, CPU seconds, peak memory):")
    rows = []
    for s in sizes:
        if not s.ours:
            rows.append([f"{s.factor}x", s.pages or "n/a", s.generated or "n/a", "timed out", "", "", "", "", "", "",
                         "", ""])
            continue
        rows.append([f"{s.factor}x", s.pages, s.generated, len(s.ours),
                     _s(s.median("ours")), _s(s.median("floor")), _s(s.ratio(), 3), _s(s.ratio("cpu"), 3),
                     f"{_s(s.peak('ours'), 0)} / {_s(s.peak('floor'), 0)}",
                     _s((s.per_page("ours") or 0) * 1000, 1), _s((s.per_page("floor") or 0) * 1000, 1),
                     s.timed_out or ""])
    out.append(table(rows, ["size", "pages", "generated", "runs", "ours s", "floor s", "ours/floor",
                            "CPU ours/floor", "peak MB ours / floor", "ours ms/page", "floor ms/page", "note"]))

    targets = []
    big = [s for s in sizes if s.generated >= OVERHEAD_PAGES and s.ours and s.floor]
    at = big[0] if big else next((s for s in reversed(sizes) if s.ours and s.floor), None)
    if at is not None:
        r = at.ratio()
        note = "" if big else f" (largest size measured; the target is for {OVERHEAD_PAGES:,}+ generated pages)"
        if big:
            verdict = _verdict(r <= OVERHEAD_MAX)
        else:  # a bigger size that did not finish is a miss; a quick run that never tried is not
            verdict = "MISS" if any(s.timed_out for s in sizes) else "n/a"
        targets.append(["Hook overhead, ours/floor", f"{_s(r, 3)}x at {at.factor}x, {at.generated:,} generated pages"
                        f" (CPU {_s(at.ratio('cpu'), 3)}x){note}", f"<= {OVERHEAD_MAX:.2f}x", verdict])
    else:
        timed = [s for s in sizes if s.timed_out]
        targets.append(["Hook overhead, ours/floor", "no size completed", f"<= {OVERHEAD_MAX:.2f}x",
                        "MISS" if timed else "n/a"])
    by = {s.factor: s for s in sizes}
    if 10 in by and 100 in by:
        a, b = by[10], by[100]
        if a.per_page("ours") and b.per_page("ours"):
            g = b.per_page("ours") / a.per_page("ours")
            gf = b.per_page("floor") / a.per_page("floor") if a.per_page("floor") and b.per_page("floor") else None
            targets.append(["Growth: time/page 100x / 10x", f"ours {g:.2f}x (floor {_s(gf)}x)",
                            f"<= {GROWTH_MAX:.1f}x", _verdict(g <= GROWTH_MAX)])
        else:
            targets.append(["Growth: time/page 100x / 10x", b.timed_out or a.timed_out or "not measured",
                            f"<= {GROWTH_MAX:.1f}x", "MISS" if (a.timed_out or b.timed_out) else "n/a"])
    else:
        targets.append(["Growth: time/page 100x / 10x", "not measured (needs --sizes with 10 and 100)",
                        f"<= {GROWTH_MAX:.1f}x", "n/a"])
    for s in sizes:  # every ratio measured, at every size
        if s.ours and s.floor:
            targets.append([f"Hook overhead at {s.factor}x, CPU ours/floor",
                            f"{_s(s.ratio('cpu'), 3)}x (wall {_s(s.ratio(), 3)}x, {s.pages} pages)",
                            f"<= {OVERHEAD_MAX:.2f}x", _verdict(s.ratio("cpu") <= OVERHEAD_MAX)])
            peak = s.peak("ours") / s.peak("floor") if s.peak("floor") else None
            targets.append([f"Peak memory at {s.factor}x, ours/floor",
                            f"{_s(peak, 3)}x ({_s(s.peak('ours'), 0)} / {_s(s.peak('floor'), 0)} MB)",
                            f"<= {MEMORY_MAX:.1f}x" if s.factor == 100 else "(target at 100x)",
                            _verdict(peak <= MEMORY_MAX) if s.factor == 100 and peak else "n/a"])
    for factor, inc in sorted((results.get("incremental") or {}).items()):
        for kind, label, limits in (("figure", "figure edit", FIGURE_MAX), ("prose", "page-prose edit", PROSE_MAX),
                                    ("name", "navigation-name edit (full rebuild)", {})):
            d = inc[kind]
            limit = limits.get(factor)
            targets.append([f"Incremental preview {factor}x: {label}",
                            f"{d['median']:.2f} s median of {d['edits']} ({d['min']:.2f}-{d['max']:.2f} s)",
                            f"<= {limit} s" if limit else "(none)",
                            _verdict(d["median"] <= limit) if limit else "n/a"])
    p = results.get("preview")
    if p:
        targets.append(["Edit-to-preview, plain mkdocs serve (real site)", f"{p['median']:.2f} s median of {p['edits']} edits "
                        f"({p['min']:.2f}-{p['max']:.2f} s)", f"<= {PREVIEW_MAX:.0f} s",
                        _verdict(p["median"] <= PREVIEW_MAX)])
    w = results.get("weight")
    if w:
        ours, same = w["ours"]["total"]["bytes"], w["stock_same_pages"]["total"]["bytes"]
        targets.append(["First-visit weight (HTML+CSS+JS)",
                        f"{_kb(ours)} vs stock Material {_kb(same)} = {ours / same:.3f}x",
                        f"<= {WEIGHT_MAX:.2f}x", _verdict(ours / same <= WEIGHT_MAX)])
    v = results.get("validation")
    if v:
        c = v["counts"]
        targets.append(["Validation of the 100x fact base", f"{v['median']:.2f} s load_facts, median of {v['runs']} "
                        f"({c['levels']} levels, {c['modalities']} modalities, {c['sources']} sources)",
                        f"<= {VALIDATE_MAX:.1f} s", _verdict(v["median"] <= VALIDATE_MAX)])
    out.append("\nTargets:")
    out.append(table(targets, ["benchmark", "measured", "target", "result"]))

    if w:
        out.append("\nWeight of a first visit to the home page (bytes as stored / gzip):")
        rows = []
        for name, key in (("ours", "ours"), ("stock Material, same pages", "stock_same_pages"),
                          ("stock Material, one page", "stock_minimal")):
            d = w[key]
            rows.append([name, _kb(d["html"]["bytes"]), _kb(d["css"]["bytes"]), _kb(d["js"]["bytes"]),
                         f"{_kb(d['total']['bytes'])} / {_kb(d['total']['gzip'])}",
                         _kb(d["search_index_json"]), ", ".join(d["remote"]) or "none"])
        out.append(table(rows, ["site", "HTML", "CSS", "JS", "total (gzip)", "search index JSON (not counted)",
                                 "remote files"]))
    for factor, inc in sorted((results.get("incremental") or {}).items()):
        out.append(f"\nIncremental preview {factor}x: edited {inc['edited']}; first build "
                   f"{inc['first_build']:.1f} s; inotify events, no polling.")
    if p:
        out.append(f"\nEdit-to-preview: edited {p['edited']}; first serve build {p['first_build']:.1f} s. "
                   "mkdocs serve polls files every 0.5 s, so up to 0.5 s of each figure is waiting to notice.")
    if results.get("bilingual"):
        out += bilingual.report(results["bilingual"])
    if v:
        out.append(f"Validation CLI (python -m carekb.cli.check --facts-only, start-up included): {v['cli']:.2f} s; load_facts runs: "
                   f"{v['min']:.2f}-{v['max']:.2f} s")
    return "\n".join(out)


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 1x and 10x, one run each")
    parser.add_argument("--sizes", help="fact base sizes, comma-separated (default 1,10,100)")
    parser.add_argument("--runs", type=int, help="alternating runs per size (default: 5 at 1x, 3 above)")
    parser.add_argument("--edits", type=int, help="edits for edit-to-preview (default 5; --quick 2)")
    parser.add_argument("--incremental-edits", type=int, default=7,
                        help="saves of each kind for the incremental preview (default 7)")
    parser.add_argument("--patch", type=Path, help="apply this diff to every copy (measure a proposed fix)")
    parser.add_argument("--build-timeout", type=float, default=240.0,
                        help="stop a build that runs longer than this many seconds (default 240)")
    parser.add_argument("--skip", default="",
                        help="comma-separated: builds, incremental, preview, weight, validation, bilingual")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (its path is printed)")
    args = parser.parse_args(argv)

    sizes = [int(x) for x in (args.sizes or ("1,10" if args.quick else "1,10,100")).split(",")]
    skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    results: dict = {"machine": machine(), "load_before": load_average(), "sizes": [],
                     "patch": str(args.patch) if args.patch else None}
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    log(f"work folder: {work}")
    try:
        if "validation" not in skip:
            facts100 = write_scaled(100, work / "facts-100x.yaml")
            log("validation: load_facts on the 100x fact base")
            checker = ROOT
            if args.patch:
                checker = copy_project(work / "checker")
                apply_patch(checker, args.patch)
            results["validation"] = validate.measure(facts100, runs=1 if args.quick else 3, project=checker)
        prepared: dict[int, Prepared] = {}
        if "builds" not in skip:
            for factor in sizes:
                runs = args.runs or (1 if args.quick else (5 if factor == 1 else 3))
                size, prep = measure_size(work, factor, runs, args.patch, args.build_timeout)
                results["sizes"].append(size)
                if prep is not None:
                    prepared[factor] = prep
                    if factor != 1:  # keep the disk small: only the 1x copy is needed later
                        for name in ("site-ours", "site-floor", "floor-docs"):
                            shutil.rmtree(prep.project / name, ignore_errors=True)
        if "weight" not in skip:
            prep = prepared.get(1) or prepare(work, 1, args.patch, timeout=args.build_timeout)
            if not (prep.project / "site-ours" / "index.html").exists():
                prep.build_ours()
            log("weight: stock Material references")
            results["weight"] = {
                "ours": weight.first_visit(prep.project / "site-ours"),
                "stock_same_pages": weight.first_visit(weight.stock_same_pages(prep, work / "stock-same")),
                "stock_minimal": weight.first_visit(weight.stock_minimal(work)),
            }
        if "incremental" not in skip:
            results["incremental"] = {}
            for factor in (1, 10):
                log(f"incremental preview {factor}x: {args.incremental_edits} saves of each kind")
                results["incremental"][factor] = preview.measure_incremental(
                    factor, args.incremental_edits, workdir=work, patch=args.patch)
        if "bilingual" not in skip:
            log("Spanish: both sites against English alone, and preview saves")
            results["bilingual"] = bilingual.measure(work, runs=1 if args.quick else 3,
                                                     saves=3 if args.quick else 5)
        if "preview" not in skip and not args.quick:  # the old baseline; --quick leaves it out
            edits = args.edits or 5
            log(f"edit-to-preview: mkdocs serve, {edits} edits")
            results["preview"] = preview.measure(edits, patch=args.patch, workdir=work)
    finally:
        results["load_after"] = load_average()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    if args.json:
        data = dict(results, sizes=[dict(asdict(s), ours_median=s.median("ours"), floor_median=s.median("floor"),
                                         ratio=s.ratio(), cpu_ratio=s.ratio("cpu")) for s in results["sizes"]])
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
