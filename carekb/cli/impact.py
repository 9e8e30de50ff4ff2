"""What does my change to facts.yaml touch?

    carekb-impact                    # (make impact) what changed since git's last commit, in short
    carekb-impact --details          # and every page each change shows on
    carekb-impact --all              # every fact, and the pages that show it
    carekb-impact --against main~3
    carekb-impact --report build-report/site.json   # use a build's report instead of building
    (python -m carekb.cli.impact ... is the same)

The short report: how many facts changed and how many pages that touches, then each change
with its values as the site shows them (dates and figures in words) and the first few pages
it shows on, by title.

To know which page shows which fact, it builds the staff handbook (which holds every public
page as well as the staff pages) into a temporary folder and reads that build's report. Your
files are never changed.

Why a whole build, in a child process: which facts a page shows is only known by rendering it
as the site does (its templates, the navigation, the theme, the hooks that record every read),
and only MkDocs runs that. This package imports no MkDocs, so the command runs
`python -m mkdocs build` as a child, as an editor would; the child's per-build state (the
session, the frozen heap) ends with it. `--report` skips the build when a build's report is
at hand (`build-report/site.json` beside a site folder).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from carekb.change.impact import (Change, affected_pages, committed_version, diff, facts_by_page,
                           figure_shown, load_yaml_text)
from carekb.build.report import default_report_path

STAFF_PREFIX = "staff/"
SHORT = 4  # pages named per change in the short report


def report_from_build(project: Path, config: str) -> dict:
    """Build `config` into a temporary folder; return its build report."""
    with tempfile.TemporaryDirectory(prefix="kb-impact-") as tmp:
        site = Path(tmp) / "site"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--no-strict", "-f", config,
                              "-d", str(site)], cwd=project, env=env, capture_output=True, text=True)
        built = default_report_path(site)
        if run.returncode != 0 or not built.exists():
            raise SystemExit("The site could not be built, so the pages a fact appears on are unknown.\n"
                             "Fix the problems below first (or run `make check`):\n\n" + run.stderr.strip())
        return json.loads(built.read_text(encoding="utf-8"))


def page_facts(report: dict) -> dict[str, list[str]]:
    return {page: info["facts"] for page, info in report["pages"].items()}


def label(page: str) -> str:
    return f"{page} (staff only)" if page.startswith(STAFF_PREFIX) else page


def titles(report: dict) -> dict[str, str]:
    """Page -> its title as the site shows it (the page path when it has none)."""
    return {page: info.get("title") or page for page, info in report["pages"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carekb-impact", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="facts.yaml", help="the facts file (default: facts.yaml)")
    parser.add_argument("--against", default="HEAD", help="the git version to compare with (default: HEAD)")
    parser.add_argument("--all", action="store_true", help="list every fact and the pages that show it")
    parser.add_argument("--report", help="a build report (JSON) to read instead of building")
    parser.add_argument("--config", default="mkdocs.staff.yml",
                        help="the MkDocs config to build for the page list (default: mkdocs.staff.yml)")
    parser.add_argument("--details", action="store_true",
                        help="name every page each change shows on, one per line")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    facts_file = Path(args.file).resolve()
    project = facts_file.parent

    if not args.all:
        old_text = committed_version(facts_file, args.against)
        if old_text is None:
            print(f"git has no version of {args.file} at {args.against}; use --all to list every fact.",
                  file=sys.stderr)
            return 2
        try:
            old_data = load_yaml_text(old_text)
            new_data = load_yaml_text(facts_file.read_text(encoding="utf-8"))
            changes = diff(old_data, new_data)
        except Exception as exc:  # noqa: BLE001 - any unreadable YAML is the editor's to fix
            print(f"{args.file} cannot be read as YAML ({exc.__class__.__name__}). Run `make check` to see "
                  "where.", file=sys.stderr)
            return 1
        if not changes:
            print(f"No facts changed in {args.file} since {args.against}.")
            return 0

    report = (json.loads(Path(args.report).read_text(encoding="utf-8")) if args.report
              else report_from_build(project, args.config))
    usage = page_facts(report)

    if args.all:
        every_fact = facts_by_page(usage)
        if args.json:
            print(json.dumps(every_fact, indent=2))
            return 0
        for path, pages in every_fact.items():
            print(f"{path}\n" + "".join(f"    {label(p)}\n" for p in pages), end="")
        return 0

    touched = affected_pages(changes, usage)
    if args.json:
        print(json.dumps({"changed": [{"fact": c.path, "kind": c.kind, "old": None if c.kind == "added" else c.old,
                                       "new": None if c.kind == "removed" else c.new}
                                      for c in changes], "pages": touched}, indent=2, default=str))
        return 0
    print_changes(changes, touched, titles(report), args.file, args.against, args.details,
                  (old_data, new_data))
    return 0


def print_changes(changes: list[Change], touched: dict[str, list[str]], named: dict[str, str],
                  file: str, against: str, details: bool, data: tuple) -> None:
    """The report in plain words: a summary line, then each change (see the module docstring)."""
    every = sorted({p for pages in touched.values() for p in pages})
    staff = sum(1 for p in every if p.startswith(STAFF_PREFIX))
    also = f" ({staff} of them only in the staff handbook)" if staff else ""
    print(f"{len(changes)} fact{'s' if len(changes) != 1 else ''} changed in {file} since "
          f"{'the last commit' if against == 'HEAD' else against}; {len(every)} "
          f"page{'s' if len(every) != 1 else ''} show{'s' if len(every) == 1 else ''} them{also}.\n")
    for change in changes:
        print(f"  {change.describe()}")
        words = [figure_shown(d, change.path) for d in data]
        if words[0] != words[1] and any(words):
            print(f"      the site says: {words[0] or '(nothing)'} → {words[1] or '(nothing)'}")
        pages = touched[change.path]
        if not pages:
            print("      shown on no page")
        elif details:
            print("".join(f"      shown on {label(p)}\n" for p in pages), end="")
        else:
            first = ", ".join(named.get(p, p) + (" (staff)" if p.startswith(STAFF_PREFIX) else "")
                              for p in pages[:SHORT])
            more = f" and {len(pages) - SHORT} more" if len(pages) > SHORT else ""
            print(f"      shown on {len(pages)} page{'s' if len(pages) != 1 else ''}: {first}{more}")
    if details:
        print(f"\nPages affected ({len(every)}):")
        for page in every:
            print(f"  {label(page)}: {named.get(page, page)}")
    else:
        print("\nEvery page, one per line: carekb-impact --details (or make impact ARGS=--details).")


if __name__ == "__main__":
    sys.exit(main())
