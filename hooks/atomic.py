"""`mkdocs build` writes beside the site folder and swaps in only a successful build.

MkDocs empties the site folder before it renders pages, so without this a template typo or a
--strict warning would leave an empty or half-built site. The shared `Stage`
(carekb/staging.py) locks the target, so two builds into one folder take turns, and swaps
in one step. A `--dirty` build starts from a copy of the live site, so a failed one changes
nothing either. Only the `build` command is staged here: the preview stages its own rebuilds
(scripts/serve.py), and a site folder that is already a staging folder (scripts/publish.py
staged it) is written as it is, never staged twice.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger

from carekb import order
from carekb.staging import NotChanged, Stage, is_staging

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
    if _run.command == "build" and _run.stage is None and not is_staging(config.site_dir):
        stage = Stage(config.site_dir, from_live=_run.dirty, waiting=log.info)
        try:
            config.site_dir = str(stage.open())
        except NotChanged as problem:
            raise Abort(problem.sentence("built")) from None
        _run.stage, _run.built = stage, False
    return config


@event_priority(order.LAST)  # after every other hook's own post-build work
def on_post_build(*, config: MkDocsConfig) -> None:
    """Every page is written: the stage may be swapped in at shutdown."""
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
