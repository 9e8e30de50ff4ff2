"""Count every warning of a build even when `-q` silences it, so `--strict` fails whatever the
flags and whichever engine runs the build.

MkDocs and ProperDocs count warnings for `--strict` with a handler on their top logger
("mkdocs", "properdocs"); `-q` sets that logger to ERROR, so a warning is dropped before any
handler sees it and a strict build passes with pages over the reading grade, figures typed by
hand or reviews overdue. `Tap` sits on the engine's top logger, found from any logger the
engine gave us (a hook's: `get_plugin_logger(__name__).logger`) by walking up to the last
logger below the root, never by its name. It counts every warning that reaches it: our hooks'
and the engine's own (a broken link). Under `-q` it lets warnings be made again, and the
engine's own handlers (the terminal, its strict counter) get a filter that drops them exactly
as `-q` would have: the log looks as it did, and nothing extra is printed.

Plain Python (logging only): no MkDocs import.
"""

from __future__ import annotations

import logging


def top_logger(logger: logging.Logger) -> logging.Logger:
    """The highest logger above `logger` that is not the root: the engine's own top logger."""
    while logger.parent is not None and logger.parent is not logging.getLogger():
        logger = logger.parent
    return logger


class _Below(logging.Filter):
    """Drops records below the level `-q` chose, for the engine's own handlers."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


class Tap(logging.Handler):
    """Counts the warnings of one build on the engine's top logger (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []
        self._top: logging.Logger | None = None
        self._saved_level = logging.NOTSET
        self._quiet: _Below | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings.append(record.getMessage())

    def install(self, logger: logging.Logger) -> None:
        """Start counting (again) for a new build, on the top logger above `logger`."""
        self.uninstall()
        self.warnings.clear()
        top = top_logger(logger)
        shown = top.getEffectiveLevel()
        if shown > logging.WARNING:  # -q: warnings would not even be made
            self._quiet = _Below(shown)
            for handler in top.handlers:
                handler.addFilter(self._quiet)
            self._saved_level = top.level
            top.setLevel(logging.WARNING)
        top.addHandler(self)
        self._top = top

    def uninstall(self) -> None:
        """Give the engine its logger back as it was."""
        top, self._top = self._top, None
        if top is None:
            return
        top.removeHandler(self)
        if self._quiet is not None:
            for handler in top.handlers:
                handler.removeFilter(self._quiet)
            top.setLevel(self._saved_level)
            self._quiet = None


def strict_message(warnings: list[str]) -> str:
    """The error that ends a strict build with warnings, listing them."""
    lines = [f"--strict: {len(warnings)} warning{'s' if len(warnings) != 1 else ''} in this "
             "build (each is an error in a strict build, also under -q):"]
    lines += [f"  - {w}" for w in warnings[:30]]
    if len(warnings) > 30:
        lines.append(f"  - ... and {len(warnings) - 30} more")
    return "\n".join(lines)


tap = Tap()  # one per process: `mkdocs serve` reinstalls it for every rebuild
