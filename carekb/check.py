"""Check facts.yaml without building the site.

    python -m carekb.check facts.yaml            # every problem, one line each
    python -m carekb.check --write-schema        # regenerate facts.schema.json

Exit status: the one publishing would have for the same file. 0 when the file is good; 1 when
it has errors or warnings (publishing builds with --strict, which refuses warnings). Notices
(a review falls due within 60 days) are printed and never change the exit status. `--strict`
is still accepted; it changes nothing, as warnings always count.
2 when the checker itself failed (one plain line, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from carekb.facts import NOTICE, NOTICE_DAYS, read_facts
from carekb.problems import ERROR
from carekb.schema import SCHEMA_FILE, schema_text


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
    parser = argparse.ArgumentParser(prog="python -m carekb.check", description="Check facts.yaml.")
    parser.add_argument("file", nargs="?", default="facts.yaml", help="the facts file (default: facts.yaml)")
    parser.add_argument("--strict", action="store_true",
                        help="accepted for compatibility: warnings always fail the check, as in publishing")
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
          f"{len(facts.formats)} session formats, {len(facts.sources)} sources; {counts}.")
    if warnings:
        print(f"{args.file} is NOT ready to publish: publishing refuses warnings. "
              "Fix the warning lines above and check again.", file=sys.stderr)
        return 1
    soon = f" {len(notices)} review(s) fall due within {NOTICE_DAYS} days (listed above)." if notices else ""
    print(f"{args.file} is good and ready to publish.{soon}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
