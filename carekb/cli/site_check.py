"""Check the pages as publishing does: `make check` after facts.yaml is read.

Publishing builds a site with `--strict` and refuses it on any error or warning: a page-language
call that fails (`block("cost_tabel")`), a broken link, front matter that is wrong, a figure
typed by hand, a page over its reading grade, a review overdue, live HTML, a request to another
host, a link to a staff page. The only way to know what it would say is to do the same:
`build_problems` builds the public site, its Spanish twin and the staff handbook strictly, side by side, into a
temporary folder that is then deleted (nothing is published, no site folder is touched), and
returns each build's messages one per line, each said once.

In a child process, as `make impact` does: this package imports no MkDocs, and a build's
state (the session, the frozen heap) ends with its process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SITES = (("mkdocs.yml", "the public site"), ("mkdocs.es.yml", "the Spanish site"),
         ("mkdocs.staff.yml", "the staff handbook"))
_RECORD = re.compile(r"^(ERROR|WARNING)\s+-\s+", re.M)
_HOOK = re.compile(r"^hooks/[\w.]+: ")  # the prefix MkDocs puts before a hook's message
_STRICT = "--strict: "
_WRAPPER = re.compile(r"^Error (reading|building) page '[^']*':$")  # the engine's line before ours


@dataclass(frozen=True)
class SiteProblem:
    """One line a strict build printed: "error" or "warning", and what it said."""

    severity: str
    text: str
    sites: tuple[str, ...]  # which builds said it

    def __str__(self) -> str:
        only = f" (in {self.sites[0]} only)" if len(self.sites) == 1 else ""
        return f"{self.severity}: {self.text}{only}"


def project_of(facts_file: Path) -> Path | None:
    """The folder whose mkdocs.yml builds from `facts_file` (None: a file on its own)."""
    folder = facts_file.resolve().parent
    config = folder / "mkdocs.yml"
    if not config.is_file():
        return None
    try:
        named = (_read_config(config).get("extra") or {}).get("facts", "facts.yaml")
    except (OSError, yaml.YAMLError, AttributeError):
        named = "facts.yaml"
    return folder if (folder / str(named)).resolve() == facts_file.resolve() else None


def _read_config(config: Path) -> dict[str, Any]:
    """mkdocs.yml as data; its `!!python/...` and `!ENV` tags are read as nothing."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - SafeLoader
    return data if isinstance(data, dict) else {}


def build_problems(project: Path) -> tuple[list[SiteProblem], list[str]]:
    """Build every site of `project` strictly, as publishing does; (the problems, the sites
    built). Each problem once, in the order the builds said them."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    sites = [(config, name) for config, name in SITES if (project / config).is_file()]
    with tempfile.TemporaryDirectory(prefix="kb-check-") as tmp:
        runs = [(name, subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config,
             "-d", str(Path(tmp) / Path(config).stem)],
            cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)) for config, name in sites]
        said: dict[tuple[str, str], list[str]] = {}
        for name, run in runs:
            _, stderr = run.communicate()
            lines = messages(stderr)
            if run.returncode != 0 and not lines:
                last = [ln for ln in stderr.splitlines() if ln.strip()][-1:] or ["no message"]
                lines = [("error", f"the build of {name} stopped: {last[0].strip()}")]
            for found in lines:
                said.setdefault(found, []).append(name)
    every = tuple(name for _, name in sites)
    return [SiteProblem(sev, text, tuple(names) if len(names) < len(every) else every)
            for (sev, text), names in said.items()], list(every)


def messages(stderr: str) -> list[tuple[str, str]]:
    """(severity, text) of each message a `build --strict -q` printed: its errors, and the
    warnings its strict gate listed (carekb/build/gates.py), without the engine's wrapping."""
    out: list[tuple[str, str]] = []
    starts = [m.start() for m in _RECORD.finditer(stderr)] + [len(stderr)]
    for start, end in zip(starts, starts[1:]):
        record = _RECORD.sub("", stderr[start:end], count=1).split("\n\nAborted")[0].strip()
        record = _HOOK.sub("", record)
        if record.startswith("The build failed, so") or _WRAPPER.match(record):
            continue  # hooks/atomic kept the last good site; the engine's wrapper says nothing
        if record.startswith(_STRICT):
            out += [("warning", _HOOK.sub("", line.strip()[2:]))
                    for line in record.splitlines()[1:] if line.strip().startswith("- ")]
        elif record:
            out.append(("error", record))
    return out
