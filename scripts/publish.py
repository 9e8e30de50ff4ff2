"""Publish the site safely: build with --strict beside the target, swap it in only if that worked.

    python scripts/publish.py public            # mkdocs.yml        -> publish/public/
                                                # and mkdocs.es.yml -> publish/public/es/
    python scripts/publish.py staff             # mkdocs.staff.yml  -> publish/staff/
    python scripts/publish.py public --dest /srv/www/kb

The new site is built once, into a fresh staging folder next to the target (same disk, so the
swap is one rename); the public site's Spanish twin (mkdocs.es.yml) is built into es/ of the
same staging folder, so both languages go live in one swap, or neither does: while a Spanish
crisis, safety, medicine or self-check text is stale or missing, nothing is published, through the same `Stage` as `mkdocs build` and the preview
(carekb/publish/staging.py): the target is locked, so a second publish into it waits (at most
--wait seconds, then it is refused), and the swap exchanges the two folders in one step. A
target that is a symlink keeps being one: the new site goes where it points. On any failure (a
failed build, a full or read-only disk, Ctrl-C) the published folder is left exactly as it was,
the staging folder is removed, and one line says "Not published: ..." (exit code 1).

Publishing never deletes what it did not make (carekb/publish/target.py): the target must be
new, empty, or a site this project published (it holds `.carekb-site`); the project folder,
a folder holding it, the home folder and `/` are refused with one line. The target's dotfiles
(`.git`, `.nojekyll`...) and its CNAME are kept in the new site.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# This project's `hooks` package, not whichever one is installed in the environment.
sys.path.insert(0, str(PROJECT))

from carekb.load.pageinput import config_problems  # noqa: E402
from carekb.publish.staging import WAIT_SECONDS, NotChanged, Stage  # noqa: E402
from engine.build import BuildFailed, build_strict  # noqa: E402

# audience -> (config file, default target relative to the config's folder)
AUDIENCES = {
    "public": ("mkdocs.yml", Path("publish/public")),
    "staff": ("mkdocs.staff.yml", Path("publish/staff")),
}
# audience -> the sites in other languages built into a folder of it: (config file, folder)
LANGUAGES = {"public": (("mkdocs.es.yml", "es"),)}


class PublishError(Exception):
    """Publishing stopped; the published folder was not changed."""


def build(config: Path, out: Path) -> None:
    """A strict `mkdocs build` of `config` into `out`, in this process (engine/build.py); raise
    PublishError if it fails."""
    try:
        build_strict(config, out)
    except BuildFailed as error:
        raise PublishError(str(error)) from None


def publish(config: Path, dest: Path, wait: float = WAIT_SECONDS,
            languages: tuple[tuple[Path, str], ...] = ()) -> None:
    """Build `config` strictly into a staging folder (and each of `languages`, (config, folder),
    into that folder of it) and, only if every build succeeded, swap it in at `dest`."""
    config = config.resolve()
    for file in (config, *(c for c, _ in languages)):
        if not file.is_file():
            raise PublishError(f"{file}: no such config file")
        problems = config_problems(file, config.parent)  # MkDocs' own error has no line, no fix
        if problems:
            raise PublishError("; ".join(map(str, problems)))
    stage = Stage(dest, wait=wait, waiting=lambda said: print(said, file=sys.stderr), project=config.parent)
    try:
        with stage:
            staging = stage.open()
            try:
                build(config, staging)
                for other, folder in languages:
                    build(other.resolve(), staging / folder)
            except OSError as error:  # a full or read-only disk while writing pages
                raise stage.problem(error) from None
            if not (staging / "index.html").is_file():
                raise PublishError("the build finished but produced no index.html")
            stage.commit()
    except KeyboardInterrupt:
        if not stage.committed:
            raise
        # Ctrl-C came after the swap: the new site is live, only its tidying up was cut short.


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM handler: stop like Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Publish from the command line; 0 when published, 1 (and one "Not published: …" line) otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("audience", nargs="?", default="public", choices=sorted(AUDIENCES))
    parser.add_argument("--config", type=Path, help="mkdocs config (default: mkdocs.yml or mkdocs.staff.yml)")
    parser.add_argument("--dest", type=Path, help="published folder (default: publish/<audience>/)")
    parser.add_argument("--wait", type=float, default=WAIT_SECONDS, metavar="SECONDS",
                        help=f"how long to wait for another publish into the same folder (default: {WAIT_SECONDS:.0f})")
    args = parser.parse_args(argv)

    config_name, default_dest = AUDIENCES[args.audience]
    config = args.config or PROJECT / config_name
    # With a config of your own, that site alone; otherwise its twins in other languages too.
    languages = () if args.config else tuple((config.resolve().parent / name, folder)
                                             for name, folder in LANGUAGES.get(args.audience, ()))
    dest = (args.dest or config.resolve().parent / default_dest).absolute()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        publish(config, dest, args.wait, languages)
    except NotChanged as problem:
        print(problem.sentence("published"), file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"Not published: {error}; the site in {dest} was not changed.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"Not published: interrupted; the site in {dest} was not changed.", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - fail closed with one line, never a traceback
        print(f"Not published: the build stopped on an unexpected error ({type(error).__name__}: {error}); "
              f"the site in {dest} was not changed.", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    both = " (English, and Spanish in es/)" if languages else ""
    print(f"Published the {args.audience} site{both} to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
