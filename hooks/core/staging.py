"""Build beside the live site and swap it in only when the build succeeded.

A failed build (bad facts, a template typo, a warning under --strict) then never leaves a
half-built or emptied site where the last good one was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SUFFIX = ".building"


def staging_for(live: Path) -> Path:
    """The folder a build writes to before it becomes `live`."""
    return live.with_name(live.name + SUFFIX)


def live_for(site_dir: Path) -> Path:
    """The live folder a (possibly staged) site folder stands for."""
    return site_dir.with_name(site_dir.name.removesuffix(SUFFIX))


def swap_in(staging: Path, live: Path) -> None:
    """Replace `live` with `staging`; if the last rename fails, the old site is put back."""
    aside = live.with_name(live.name + ".old")
    shutil.rmtree(aside, ignore_errors=True)
    had_live = live.exists() or live.is_symlink()  # a published folder may be a link
    if had_live:
        os.rename(live, aside)
    try:
        os.rename(staging, live)
    except BaseException:  # an interrupt mid-swap must not leave the site missing either
        if had_live:
            os.rename(aside, live)
        raise
    # The new site is already live; a leftover old copy would only be untidy.
    shutil.rmtree(aside, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
