"""Publish the site safely: build with --strict into a fresh folder, swap it in only if that worked.

    python scripts/publish.py public            # mkdocs.yml        -> publish/public/
    python scripts/publish.py staff             # mkdocs.staff.yml  -> publish/staff/
    python scripts/publish.py public --dest /srv/www/kb

The new site is built in a temporary folder next to the target (same disk, so renames are
instant). Only when mkdocs exits 0 is the old target renamed aside, the new one renamed into
place, and the old one deleted. On any failure the published folder is left exactly as it was
and the temporary folder is removed. The swap is the one `mkdocs build` and the preview use
(hooks/core/staging.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hooks.core.staging import swap_in

PROJECT = Path(__file__).resolve().parent.parent

# audience -> (config file, default target relative to the config's folder)
AUDIENCES = {
    "public": ("mkdocs.yml", Path("publish/public")),
    "staff": ("mkdocs.staff.yml", Path("publish/staff")),
}


class PublishError(Exception):
    """Publishing stopped; the published folder was not changed."""


def build(config: Path, out: Path) -> int:
    """Run a strict mkdocs build of `config` into `out`; return mkdocs' exit code."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)]
    return subprocess.run(command, cwd=config.parent, env=env).returncode


def _report_of(site: Path) -> Path:
    # The build report hook writes `<site>/../build-report/<site name>.json` (never inside the site).
    return site.parent / "build-report" / f"{site.name}.json"


def publish(config: Path, dest: Path) -> None:
    """Build `config` strictly and, only if that succeeded, make the result the folder `dest`."""
    config = config.resolve()
    dest = dest.resolve()
    if not config.is_file():
        raise PublishError(f"{config}: no such config file.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{dest.name}.building-", dir=dest.parent))
    try:
        code = build(config, building)
        if code != 0:
            raise PublishError(f"The build failed (mkdocs exit code {code}); see the messages above.")
        if not (building / "index.html").is_file():
            raise PublishError("The build finished but produced no index.html.")
        swap_in(building, dest)
        if _report_of(building).exists():
            os.replace(_report_of(building), _report_of(dest))
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
        _report_of(building).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("audience", nargs="?", default="public", choices=sorted(AUDIENCES))
    parser.add_argument("--config", type=Path, help="mkdocs config (default: mkdocs.yml or mkdocs.staff.yml)")
    parser.add_argument("--dest", type=Path, help="published folder (default: publish/<audience>/)")
    args = parser.parse_args(argv)

    config_name, default_dest = AUDIENCES[args.audience]
    config = args.config or PROJECT / config_name
    dest = args.dest or config.resolve().parent / default_dest
    try:
        publish(config, dest)
    except PublishError as error:
        print(f"Not published: {error}\nThe site in {dest} was not changed.", file=sys.stderr)
        return 1
    print(f"Published the {args.audience} site to {dest.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
