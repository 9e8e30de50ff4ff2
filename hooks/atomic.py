"""`mkdocs build` writes beside the site folder and swaps in only a successful build.

MkDocs empties the site folder before it renders pages, so without this a template typo or a
--strict warning would leave an empty or half-built site. Only the `build` command is staged:
`serve` stages its own rebuilds (scripts/serve.py), and `--dirty` builds need the old files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from hooks.core.staging import discard, staging_for, swap_in

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)

_stage = False
_build: tuple[Path, Path] | None = None  # (staging, live) of the build under way


def on_startup(*, command: str, dirty: bool) -> None:
    global _stage
    _stage = command == "build" and not dirty


@event_priority(200)  # before every other hook reads site_dir
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    if _stage and _build is None:
        live = Path(config.site_dir)
        staging = staging_for(live)
        discard(staging)  # left over from a build that was killed
        config.site_dir = str(staging)
        _build = (staging, live)
    return config


def on_build_error(*, error: Exception) -> None:
    global _build
    if _build:
        staging, live = _build
        discard(staging)
        _build = None
        kept = f"the last good site in {live} was left as it was" if live.exists() else "nothing was written"
        log.error(f"The build failed, so {kept}.")


def on_shutdown() -> None:
    global _build
    if _build:
        staging, live = _build
        _build = None
        if staging.exists():
            swap_in(staging, live)
