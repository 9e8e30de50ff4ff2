"""What the Spanish site costs (issue 22 point 10): both public sites against the English one
alone, and a save in the Spanish preview against a save in the English one.

- Builds: `mkdocs build` of mkdocs.yml alone, and of mkdocs.yml then mkdocs.es.yml into its es/
  (what `make build` and `make publish` do), each in fresh processes, alternating, median of
  `runs`; the ratio both / English alone, in wall and CPU seconds (target: at most 2.1x).
- Saves: an in-process `Engine` (engine/preview.py) per language on its own copy; the seconds of
  a save of a fact's text (English: a sentence in facts.yaml; Spanish: its text in
  facts.es.yaml) and of a page's prose (content/costs.md; content/es/teens.md), median of
  `saves` saves of each kind; the ratio Spanish / English (target: at most 1.0, within noise).

The builds are measured twice: the project as it is (a Spanish page or text not translated yet
is built as the Spanish site shows it: its English page, or its English text, marked), and with
every text and page translated (tests/spanish_samples.py completes a copy, as the tests do).

    .venv/bin/python -m benchmarks.bilingual [--runs 3] [--saves 5]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.site import copy_project, run_build

BUILD_TARGET = 2.1


def measure_builds(work: Path, runs: int, complete: bool = False) -> dict:
    project = copy_project(work / ("builds-complete" if complete else "builds"))
    if complete:
        from tests.spanish_samples import complete_spanish  # the tests' complete translation

        complete_spanish(project)
    english, both = [], []
    for _ in range(runs):
        english.append(run_build(project / "mkdocs.yml", project / "site-en"))
        first = run_build(project / "mkdocs.yml", project / "site")
        second = run_build(project / "mkdocs.es.yml", project / "site" / "es")
        both.append((first.wall + second.wall, first.cpu + second.cpu))
    en_wall = statistics.median(r.wall for r in english)
    en_cpu = statistics.median(r.cpu for r in english)
    both_wall = statistics.median(w for w, _ in both)
    both_cpu = statistics.median(c for _, c in both)
    return {"runs": runs, "english_wall": en_wall, "english_cpu": en_cpu, "both_wall": both_wall,
            "both_cpu": both_cpu, "ratio": both_wall / en_wall, "cpu_ratio": both_cpu / en_cpu}


def _saves(project: Path, config: str, edits: list[tuple[Path, str, str]], saves: int) -> dict:
    from engine.preview import Engine  # loads MkDocs: only when measured

    engine = Engine(project / config, project / "preview" / "site")
    engine.build()
    out = {}
    for path, old, new in edits:
        seconds = []
        for i in range(saves):
            was, now = (old, new) if i % 2 == 0 else (new, old)
            path.write_text(path.read_text(encoding="utf-8").replace(was, now, 1), encoding="utf-8")
            start = time.perf_counter()
            result = engine.build({path})
            seconds.append(time.perf_counter() - start)
            assert not result.full, f"{path.name}: a save rebuilt everything"
        out[path.name] = statistics.median(seconds)
    return out


def measure_saves(work: Path, saves: int, complete: bool = False) -> dict:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    tag = "-complete" if complete else ""
    english = copy_project(work / f"preview-en{tag}")
    spanish = copy_project(work / f"preview-es{tag}")
    if complete:
        from tests.spanish_samples import complete_spanish  # the tests' complete translation

        complete_spanish(spanish)
    en = _saves(english, "mkdocs.yml", [
        (english / "facts.yaml", "Several hours of treatment on several days each week",
         "Several hours of care on several days each week"),
        (english / "content" / "costs.md", "The cost of care depends on the level,",
         "The cost of care always depends on the level,"),
    ], saves)
    es = _saves(spanish, "mkdocs.es.yml", [
        (spanish / "facts.yaml", "Several hours of treatment on several days each week",
         "Several hours of care on several days each week"),
        (spanish / "content" / "es" / "teens.md", "El tratamiento y la escuela pueden ir juntos.",
         "El tratamiento y la escuela pueden ir bien juntos."),
    ], saves)
    return {"saves": saves, "english": en, "spanish": es,
            "text_ratio": es["facts.yaml"] / en["facts.yaml"],
            "page_ratio": es["teens.md"] / en["costs.md"]}


def report(result: dict) -> list[str]:
    """Lines for benchmarks/run.py's report."""
    lines = []
    for key, what in (("builds", "the project as it is"), ("builds_complete", "every text translated")):
        b = result.get(key)
        if b:
            lines.append(f"\nBoth public sites (English, then Spanish in es/) against English alone, {what}, "
                         f"median of {b['runs']} alternating runs: {b['both_wall']:.2f} s / "
                         f"{b['english_wall']:.2f} s = {b['ratio']:.2f}x wall, {b['cpu_ratio']:.2f}x CPU "
                         f"(target <= {BUILD_TARGET}x: {'pass' if b['ratio'] <= BUILD_TARGET else 'MISS'}).")
    for key, what in (("saves", "the project as it is"), ("saves_complete", "every text translated")):
        s = result.get(key)
        if s:
            lines.append(f"Spanish preview save / English preview save, {what}, in process, median of "
                         f"{s['saves']}: a fact's text {s['spanish']['facts.yaml']:.2f} s / "
                         f"{s['english']['facts.yaml']:.2f} s = {s['text_ratio']:.2f}x; a page "
                         f"{s['spanish']['teens.md']:.2f} s / {s['english']['costs.md']:.2f} s = "
                         f"{s['page_ratio']:.2f}x.")
    return lines


def measure(work: Path, runs: int = 3, saves: int = 5) -> dict:
    return {"builds": measure_builds(work, runs), "builds_complete": measure_builds(work, runs, True),
            "saves": measure_saves(work, saves), "saves_complete": measure_saves(work, saves, True)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bilingual", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-bench-es-") as work:
        print("\n".join(report(measure(Path(work), args.runs, args.saves))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
