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

from carekb.staging import NotChanged, Stage, is_staging

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)

_command: str | None = None
_dirty = False
_stage: Stage | None = None  # the build under way
_built = False  # every page was written; only then may the stage be swapped in


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember which command runs and whether it is a --dirty build."""
    global _command, _dirty
    _command, _dirty = command, dirty


@event_priority(200)  # before every other hook reads site_dir
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """`mkdocs build`: lock the site folder and send the build to a fresh staging folder."""
    global _stage, _built
    if _command == "build" and _stage is None and not is_staging(config.site_dir):
        stage = Stage(config.site_dir, from_live=_dirty, waiting=log.info)
        try:
            config.site_dir = str(stage.open())
        except NotChanged as problem:
            raise Abort(problem.sentence("built")) from None
        _stage, _built = stage, False
    return config


@event_priority(-200)  # after every other hook's own post-build work
def on_post_build(*, config: MkDocsConfig) -> None:
    """Every page is written: the stage may be swapped in at shutdown."""
    global _built
    _built = _stage is not None


@event_priority(-200)  # last, since it may replace the error with a plain message
def on_build_error(*, error: Exception) -> None:
    """Drop the staging folder; a disk error becomes one plain line instead of a traceback."""
    global _stage
    if _stage is None:
        return
    stage, _stage = _stage, None
    stage.abandon()
    if isinstance(error, OSError):  # a full or read-only disk: one sentence, not a traceback
        raise Abort(stage.problem(error).sentence("built")) from None
    kept = f"the last good site in {stage.live} was left as it was" if stage.had_site else "nothing was written"
    log.error(f"The build failed, so {kept}.")


def on_shutdown() -> None:
    """Swap the finished build in, or drop it if the build was cut short."""
    global _stage
    if _stage is None:
        return
    stage, _stage = _stage, None
    # Interrupted (Ctrl-C) or stopped before every page was written: never swap that in.
    if not _built or sys.exc_info()[1] is not None:
        stage.abandon()
        return
    try:
        stage.commit()
    except NotChanged as problem:
        raise Abort(problem.sentence("built")) from None
