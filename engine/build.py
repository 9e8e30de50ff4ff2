"""One strict `mkdocs build` in this process, for publishing (scripts/publish.py): MkDocs'
command line is called here so that scripts/ imports no MkDocs."""

from __future__ import annotations

import logging
import os
from pathlib import Path


class BuildFailed(Exception):
    """The build failed; MkDocs has already logged why."""


def build_strict(config: Path, out: Path) -> None:
    """`mkdocs build --strict -f config -d out`, run from the config's folder, in this process.
    Raise BuildFailed if it fails, KeyboardInterrupt on Ctrl-C."""
    import click
    from mkdocs.__main__ import cli

    here = Path.cwd()
    os.chdir(config.parent)  # as if run from the config's folder, like `make`
    try:
        cli.main(args=["build", "--strict", "-f", str(config), "-d", str(out)], prog_name="mkdocs",
                 standalone_mode=False)
    except click.exceptions.Abort:  # click's answer to Ctrl-C
        raise KeyboardInterrupt from None
    except click.ClickException as error:  # mkdocs' Abort: it has logged what went wrong
        error.show()
        raise BuildFailed("the build failed (see the messages above)") from None
    finally:
        os.chdir(here)
        # mkdocs adds its terminal handler on every run; one run's handler is enough.
        logger = logging.getLogger("mkdocs")
        for handler in [h for h in logger.handlers if h.name == "MkDocsStreamHandler"]:
            logger.removeHandler(handler)
