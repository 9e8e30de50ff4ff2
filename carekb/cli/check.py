"""Check facts.yaml and the pages as publishing would, without publishing anything.

    carekb-check                     # (make check) facts.yaml, then every page of both sites
    carekb-check --facts-only        # facts.yaml alone, in under a second
    carekb-check --write-schema      # regenerate facts.schema.json
    (python -m carekb.cli.check ... is the same)

First facts.yaml: every problem, one line each. Then the Spanish translations: every stale or
missing translation of a fact text (facts.es.yaml) or a page (content/es/), with the file and
line to change and the English in force now (carekb/cli/translate.py); one of crisis help, safety,
medicines or the self-check, or a translation of nothing, is a warning (publishing refuses the
Spanish site), any other a notice (the Spanish site shows the English, marked). Then, when it
has no errors and a mkdocs.yml beside it builds from it, the pages: the public site, its Spanish
twin and the staff handbook are built strictly into a temporary folder, as publishing builds
them (carekb/cli/site_check.py), so a page-language call, a block name, a link or front matter that
publishing would refuse is reported here too.

Exit status: the one publishing would have. 0 when everything is good; 1 when there are errors
or warnings (publishing builds with --strict, which refuses warnings). The last line says
whether it is ready to publish, and never says so when publishing would refuse. Notices (a
review falls due within 60 days) are printed and never change the exit status. `--strict` is
still accepted; it changes nothing, as warnings always count.
2 when the checker itself failed (one plain line, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from carekb.load.facts_yaml import NOTICE, NOTICE_DAYS, read_facts
from carekb.base.problems import ERROR, WARNING, Problem
from carekb.load.schema import SCHEMA_FILE, schema_text
from carekb.cli.site_check import build_problems, project_of
from carekb.cli.translate import TranslateError, all_statuses


def main(argv: list[str] | None = None) -> int:
    """Check the file (or write the schema); never a traceback, whatever the input."""
    try:
        return _main(argv)
    except (SystemExit, KeyboardInterrupt):
        raise  # argparse's own usage errors and Ctrl-C keep their usual behaviour
    except Exception as exc:  # noqa: BLE001 - the last resort: one plain line instead of a traceback
        said = " ".join(str(exc).split())[:200]
        print(f"error: the checker itself failed ({type(exc).__name__}: {said}); nothing was changed. "
              "Please report this, with the file you checked.", file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:
    """Print every problem in the facts file; return the exit status publishing would have."""
    parser = argparse.ArgumentParser(prog="carekb-check", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="facts.yaml", help="the facts file (default: facts.yaml)")
    parser.add_argument("--strict", action="store_true",
                        help="accepted for compatibility: warnings always fail the check, as in publishing")
    parser.add_argument("--facts-only", action="store_true",
                        help="check facts.yaml only, not the pages (fast; publishing checks both)")
    parser.add_argument("--write-schema", action="store_true",
                        help=f"write {SCHEMA_FILE} next to the facts file and stop")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if args.write_schema:
        target = path.parent / SCHEMA_FILE
        if target.exists() and not stat.S_ISREG(os.stat(target).st_mode):
            # writing into a FIFO would wait for a reader for ever; into a device, worse
            print(f"error: {target} is not an ordinary file, so the schema was not written. Fix: remove it, "
                  "then run the command again.", file=sys.stderr)
            return 1
        target.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {target}")
        return 0
    facts, problems = read_facts(path, display_name=str(args.file))
    errors = [p for p in problems if p.severity == ERROR]
    notices = [p for p in problems if p.severity == NOTICE]
    warnings = [p for p in problems if p.severity not in (ERROR, NOTICE)]
    for p in errors:
        print(f"error: {p}", file=sys.stderr)
    for p in warnings:
        print(f"warning: {p}", file=sys.stderr)
    for p in notices:
        print(f"notice: {p}")
    counts = f"{len(errors)} error(s), {len(warnings)} warning(s), {len(notices)} notice(s)"
    if errors:
        print(f"\n{args.file}: {counts}. Nothing was changed; fix the lines above and check again.",
              file=sys.stderr)
        return 1
    assert facts is not None
    print(f"{args.file}: {len(facts.levels)} levels, {len(facts.modalities)} modalities, "
          f"{len(facts.formats)} session formats, {len(facts.sources)} sources; {counts}.",
          flush=True)
    soon = f" {len(notices)} review(s) fall due within {NOTICE_DAYS} days (listed above)." if notices else ""
    project = None if args.facts_only else project_of(path)
    if project is not None and (project / "mkdocs.es.yml").is_file():
        translated = _translations(project)
        if translated is None:
            return 1
        warnings = [*warnings, *translated]
    if project is None:
        if warnings:
            print(f"{args.file} is NOT ready to publish: publishing refuses warnings. "
                  "Fix the warning lines above and check again.", file=sys.stderr)
            return 1
        print(f"{args.file} is good and ready to publish.{soon}")
        return 0
    return _pages(args.file, project, warnings, soon)


def _translations(project: Path) -> list[Problem] | None:
    """Print every stale or missing Spanish translation; the warnings among them (None: the
    translations could not be read, which is said)."""
    try:
        facts, pages = all_statuses(project)
    except TranslateError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    found = [s for s in [*facts, *pages] if s.kind != "current"]
    for status in found:
        print(f"{status.severity}: {status.message()}",
              file=sys.stderr if status.severity == WARNING else sys.stdout)
    current = sum(1 for s in facts if s.kind == "current")
    print(f"Spanish translations: {current} of {len(facts)} fact texts and "
          f"{sum(1 for s in pages if s.kind == 'current')} of {len(pages)} pages are current; "
          f"{len(found)} stale or missing (listed above).", flush=True)
    return [Problem("", None, None, "", s.message(), severity=WARNING)
            for s in found if s.severity == WARNING]


def _pages(file: str, project: Path, warnings: list[Problem], soon: str) -> int:
    """Build the sites as publishing does; print what it would refuse and the one verdict."""
    print("Checking the pages: building the public site, its Spanish twin and the staff handbook strictly, as "
          "publishing does, in a temporary folder (nothing is published) ...", flush=True)
    found, sites = build_problems(project)
    said = [f"{p.path}: {p.message}" if p.path else p.message for p in warnings]
    found = [p for p in found if not any(s in p.text for s in said)]  # the facts' own, again
    for problem in found:
        print(problem, file=sys.stderr, flush=True)
    errors = sum(1 for p in found if p.severity == "error")
    print(f"Pages of {' and '.join(sites)}: {errors} error(s), {len(found) - errors} warning(s).",
          flush=True)
    if found or warnings:
        print(f"Publishing would refuse this: fix the {len(found) + len(warnings)} problem(s) "
              "listed above and check again (nothing was changed).", file=sys.stderr, flush=True)
        return 1
    print(f"{file} and the pages are good and ready to publish.{soon}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
