"""Count our hooks' warnings even when `-q` silences them, so `--strict` fails whatever the flags.

MkDocs counts warnings for `--strict` with a handler on its "mkdocs" logger; `-q` sets that
logger to ERROR, so a warning is dropped before any handler sees it and a strict build passes
with pages over the reading grade or figures typed by hand. `Tap` sits on "mkdocs.plugins" (the
parent of every hook's logger), lets warnings through to itself, counts those of our hooks,
and hands every record on to "mkdocs" exactly when "mkdocs" would have shown it: the log looks
as it did, and nothing extra is printed under `-q`.

Plain Python (logging only): no MkDocs import.
"""

from __future__ import annotations

import logging

PARENT = "mkdocs.plugins"  # MkDocs' get_plugin_logger names every hook's logger below this
OURS = ("mkdocs.plugins.hooks/", "mkdocs.plugins.hooks.")  # our hooks: `hooks/<name>.py`


class Tap(logging.Handler):
    """Counts our hooks' warnings and passes every record on as "mkdocs" would have handled it."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.warnings: list[str] = []
        self._saved: tuple[int, bool] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING and record.name.startswith(OURS):
            self.warnings.append(record.getMessage())
        up = logging.getLogger("mkdocs")
        if up.isEnabledFor(record.levelno):
            up.handle(record)

    def install(self) -> None:
        """Start counting (again) for a new build; idempotent."""
        self.warnings.clear()
        logger = logging.getLogger(PARENT)
        if self._saved is None:
            self._saved = (logger.level, logger.propagate)
            logger.addHandler(self)
            logger.propagate = False  # `emit` hands records on instead
        shown = logging.getLogger("mkdocs").getEffectiveLevel()
        logger.setLevel(min(shown, logging.WARNING))

    def uninstall(self) -> None:
        """Put the logger back as MkDocs set it."""
        if self._saved is None:
            return
        logger = logging.getLogger(PARENT)
        logger.removeHandler(self)
        logger.setLevel(self._saved[0])
        logger.propagate = self._saved[1]
        self._saved = None


def strict_message(warnings: list[str]) -> str:
    """The error that ends a strict build with warnings from our checks, listing them."""
    lines = [f"--strict: {len(warnings)} warning{'s' if len(warnings) != 1 else ''} from the "
             "site's checks (each is an error in a strict build, also under -q):"]
    lines += [f"  - {w}" for w in warnings[:30]]
    if len(warnings) > 30:
        lines.append(f"  - ... and {len(warnings) - 30} more")
    return "\n".join(lines)


tap = Tap()  # one per process: `mkdocs serve` reinstalls it for every rebuild
