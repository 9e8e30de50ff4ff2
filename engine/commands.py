"""Console scripts for the project's commands that live in scripts/ (pyproject.toml's
[project.scripts]): `carekb-publish` runs scripts/publish.py as `python scripts/publish.py`
would, in the project folder it is run from (as `mkdocs build` builds the mkdocs.yml there).
The other commands are modules of their own: `carekb-check` (carekb/cli/check.py),
`carekb-impact` (carekb/cli/impact.py), `carekb-serve` (engine/serve.py)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

INSTALLED = Path(__file__).resolve().parent.parent  # the project is installed editable (-e .)


def publish() -> None:
    """`carekb-publish public|staff [--dest FOLDER]`: scripts/publish.py of the project in the
    current folder (else of the installed one), with its exit status."""
    here = Path.cwd() / "scripts" / "publish.py"
    script = here if here.is_file() else INSTALLED / "scripts" / "publish.py"
    if not script.is_file():
        sys.exit(f"Not published: {script} is missing; install the project from its folder "
                 "with `pip install -e .` (make setup does).")
    sys.argv[0] = "carekb-publish"
    runpy.run_path(str(script), run_name="__main__")
