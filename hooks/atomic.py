"""`mkdocs build` writes beside the site folder and swaps in only a successful build.

MkDocs empties the site folder before it renders pages, so without this a template typo or a
--strict warning would leave an empty or half-built site. The shared `Stage`
(carekb/publish/staging.py) locks the target, so two builds into one folder take turns, and swaps
in one step. A `--dirty` build starts from a copy of the live site, so a failed one changes
nothing either. Only the `build` command is staged here: the preview stages its own rebuilds
(scripts/serve.py), and a site folder that is already a staging folder (scripts/publish.py
staged it, or the Spanish site publishing builds inside it) is written as it is, never staged
twice. The Spanish site built into es/ of the public site is staged as nested in it
(carekb/publish/staging.py): it takes the public site's lock, and only es/ is swapped.

Every site it writes is marked as this project's (`.carekb-site`, with the site's name and
audience), and a site folder is accepted only if nothing in it would be lost
(carekb/publish/target.py): `mkdocs build -d ~/notes` or `-d .` is refused with one line, and
the dotfiles of a site folder (`.git`, `.nojekyll`) and its CNAME survive every build.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb.build import order
from carekb.publish.target import Refused, check_target, write_marker
from carekb.publish.staging import NotChanged, Stage, in_staging

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


class _Run:
    """This process's `mkdocs` command and the staged build under way.

    Per process, not per build session: `on_startup` comes before any session exists, and the
    stage outlives the build's session until `on_shutdown` swaps it in. `mkdocs build` runs
    one build per process; the preview stages its own rebuilds and never opens a stage here.
    """

    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty = False
        self.stage: Stage | None = None  # the build under way
        self.built = False  # every page was written; only then may the stage be swapped in

    def take_stage(self) -> Stage | None:
        """The stage under way, which is no longer this run's to finish (None if none)."""
        stage, self.stage = self.stage, None
        return stage


_run = _Run()  # the one per-process object of the hooks (tests/test_pipeline.py checks so)


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember which command runs and whether it is a --dirty build."""
    _run.command, _run.dirty = command, dirty


@event_priority(order.FIRST)  # before every other hook reads site_dir
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """`mkdocs build`: lock the site folder and send the build to a fresh staging folder."""
    project = Path(config.config_file_path).parent
    if _run.command == "build" and _run.stage is None and not in_staging(config.site_dir):
        stage = Stage(config.site_dir, from_live=_run.dirty, waiting=log.info, project=project,
                      nested=nested(config))
        try:
            config.site_dir = str(stage.open())
        except NotChanged as problem:
            raise Abort(problem.sentence("built")) from None
        _run.stage, _run.built = stage, False
    elif _run.command == "serve" and not config.extra.get("kb_engine_preview"):
        # Plain `mkdocs serve` / `properdocs serve` inject an inline live-reload script, which the
        # pages' Content-Security-Policy (overrides/main.html) would block. Their pages are built
        # into a temporary folder and never published, so the policy lets inline scripts run
        # there; published pages and `make serve` (engine/serve.py, no inline script) keep it.
        config.extra["kb_csp_script"] = "'self' 'unsafe-inline'"
    elif _run.command == "gh-deploy":  # MkDocs cleans the folder itself: refuse one not ours
        try:
            check_target(config.site_dir, project)
        except Refused as refused:
            raise Abort(f"Not built: {refused.reason}. Fix: {refused.fix}.") from None
    return config


@event_priority(order.LAST)  # after every other hook's own post-build work
def nested(config: MkDocsConfig) -> bool:
    """A language's site built into its folder of the public site (mkdocs.es.yml into site/es)."""
    language = config.extra.get("language", "en")
    return language != "en" and Path(config.site_dir).name == language


def on_post_build(*, config: MkDocsConfig) -> None:
    """Every page is written: mark the site as this project's; the stage may be swapped in at
    shutdown."""
    write_marker(config.site_dir, str(config.site_name), config.extra.get("audience", "public"),
                 config.extra.get("language", "en"))
    _run.built = _run.stage is not None


@event_priority(order.LAST)  # last, since it may replace the error with a plain message
def on_build_error(*, error: Exception) -> None:
    """Drop the staging folder; a disk error becomes one plain line instead of a traceback."""
    stage = _run.take_stage()
    if stage is None:
        return
    stage.abandon()
    if isinstance(error, OSError):  # a full or read-only disk: one sentence, not a traceback
        raise Abort(stage.problem(error).sentence("built")) from None
    kept = f"the last good site in {stage.live} was left as it was" if stage.had_site else "nothing was written"
    log.error(f"The build failed, so {kept}.")


def on_shutdown() -> None:
    """Swap the finished build in, or drop it if the build was cut short."""
    stage = _run.take_stage()
    if stage is None:
        return
    # Interrupted (Ctrl-C) or stopped before every page was written: never swap that in.
    if not _run.built or sys.exc_info()[1] is not None:
        stage.abandon()
        return
    try:
        stage.commit()
    except NotChanged as problem:
        raise Abort(problem.sentence("built")) from None
