"""The editors' preview: rebuilds only what a save touches, and shows mistakes in the open tab.

    carekb-serve [--dev-addr 127.0.0.1:8000] [-f mkdocs.yml] [-w PATH ...] [--strict]

(`make serve` runs it; so does `python scripts/serve.py`.) The server keeps the configuration,
the theme and the last build in memory (engine/preview.py) and watches files by inotify events
(watchdog), not by polling. A saved figure rebuilds the pages that show it; a saved page
rebuilds that page; a change that can reach every page (a name in the navigation, a crisis
number, an abbreviation, mkdocs.yml, a template, a hook or an override) rebuilds everything.
After any series of saves the preview equals a clean build.

When a rebuild fails, the last good preview stays up and every page it serves carries a box
(role="alert", fixed at the top of the window and focused, so it shows at any scroll position)
with the located messages; the site folder never holds it. The next good save removes it and
the open tab reloads by itself. The terminal shows one line per rebuild. The preview is not
strict unless you pass --strict; publishing always is.

What the server adds to a page holds no inline script, event handler or style, so a page's
Content-Security-Policy (`script-src 'self'`) lets it run: the live reload and the box's
behaviour are script files, and the box's looks a style sheet, all served from ASSETS_URL, a
path no site can have (MkDocs never publishes a name that starts with a dot).
"""

from __future__ import annotations

import argparse
import html
import logging
import mimetypes
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer  # its internals used here: engine/internals.py

from carekb.change.incremental import summary
from engine.preview import Engine

log = logging.getLogger("mkdocs.preview")
# Events that mean a file's content changed (inotify also reports opens and reads, which a
# build itself causes: reacting to those would rebuild for ever).
_CHANGES = {"modified", "created", "deleted", "moved", "closed"}
ASSETS = Path(__file__).resolve().parent / "preview_assets"  # livereload.js, preview.css
ASSETS_URL = "/.preview/"
_HEAD = f'<link rel="stylesheet" href="{ASSETS_URL}preview.css">'.encode()
_SCRIPT = (f'<script src="{ASSETS_URL}livereload.js" data-epoch="{{epoch}}" '
           'data-request="{request}"></script>')
_BOX = """<div role="alert" id="preview-error" class="kb-preview-error" tabindex="-1">
<p class="kb-preview-error__title">The preview could not be updated. \
It still shows the last good version.</p>
<ul>{items}</ul>
<p>Fix the problem and save the file: this page reloads by itself.</p>
<button type="button" class="kb-preview-error__hide" hidden>Hide this message</button>
</div>"""
# The Spanish preview, after a good rebuild: what it shows in English, and why (not an error:
# the page is not focused, and the box can be hidden).
_NOTICE = """<div role="status" id="preview-notice" class="kb-preview-error kb-preview-notice">
<p class="kb-preview-error__title">{count} translation(s) are stale or missing: the Spanish preview shows those texts in English, marked. {refused}</p>
<ul>{items}</ul>
<p>Update the Spanish, then record it: <code>make translated FIELD=&lt;path&gt;</code>. <code>make check</code> and the staff handbook's Translation queue list them all.</p>
<button type="button" class="kb-preview-error__hide" hidden>Hide this message</button>
</div>"""
_NOTICE_ITEMS = 40  # the box lists this many; make check lists all


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with event-driven watching, incremental builds and an error banner."""

    def __init__(self, engine: Engine, host: str, port: int) -> None:
        self.engine = engine
        super().__init__(builder=lambda: None, host=host, port=port, root=str(engine.site_dir))
        # inotify (or the platform's native observer) instead of MkDocs' 0.5 s polling.
        self.observer = watchdog.observers.Observer()
        self._changed: set[Path] = set()
        self.problems: list[str] = []  # the last failed rebuild's messages; empty when good
        self.notices: tuple[str, ...] = ()  # the Spanish preview's stale or missing translations
        self.error_handler = self._not_found

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Watch a folder (recursively) or one file (through its folder, so saves by rename count)."""
        target = Path(path).resolve()
        if str(target) in self._watched_paths:
            return
        self._watched_paths[str(target)] = 1
        folder = target if target.is_dir() else target.parent
        only = None if target.is_dir() else target

        def callback(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory or event.event_type not in _CHANGES:
                return
            paths = {Path(event.src_path)}
            if getattr(event, "dest_path", ""):
                paths.add(Path(event.dest_path))
            if only is not None:
                paths = {p for p in paths if p.resolve() == only}
            if not paths:
                return
            with self._rebuild_cond:
                self._changed |= paths
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[str(target)] = self.observer.schedule(
            handler, str(folder), recursive=recursive and only is None)

    def _build_loop(self) -> None:
        """Wait for saves; rebuild what they touch; show the result in every open tab."""
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(
                        lambda: self._want_rebuild or self._shutdown, timeout=self.shutdown_delay):
                    pass
                if self._shutdown:
                    break
                # Editors save in several steps: wait until the files are quiet.
                while self._rebuild_cond.wait(timeout=0.05):
                    pass
                changed, self._changed = self._changed, set()
                self._wanted_epoch = _timestamp()
                self._want_rebuild = False
            self.rebuild(changed)

    def rebuild(self, changed: set[Path] | None) -> bool:
        """One rebuild; on failure keep the last good site and remember the messages."""
        collected = _Collector()
        logging.getLogger("mkdocs").addHandler(collected)
        try:
            result = self.engine.build(changed)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure keeps the last good preview
            # MkDocs' Abort is a SystemExit whose words are in `.message` (its code is 1).
            text = getattr(error, "message", None) or str(error)
            self.problems = _problems(collected.lines, text)
            for line in self.problems:  # the terminal gets what the tab shows
                if not any(line in logged for logged in collected.lines):
                    log.error(line)
            log.error("The preview still shows the last good version, with the problem on top "
                      "of every page. Fix it and save: the open tab reloads by itself.")
            ok = False
        else:
            self.problems, self.notices = [], result.notices
            if result.rebuilt or result.full:
                log.info(summary(result.rebuilt, result.total, result.seconds,
                                 result.readability, result.warnings))
            ok = True
        finally:
            logging.getLogger("mkdocs").removeHandler(collected)
        # Either way the open tabs reload: to the new pages, or to the banner.
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()
        return ok

    def _serve_request(self, environ, start_response):
        """The preview's own files under ASSETS_URL; everything else as MkDocs serves it."""
        path = environ["PATH_INFO"]
        if path.startswith(ASSETS_URL):
            name = path[len(ASSETS_URL):]
            file = ASSETS / name
            if "/" in name or not file.is_file():
                return None  # 404
            body = file.read_bytes()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            start_response("200 OK", [("Content-Type", f"{kind}; charset=utf-8"),
                                      ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store")])
            return [body]
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """The live reload (a script file), and while the last rebuild failed, the box at the
        top of the page and its style sheet: no inline script, handler or style (see above)."""
        script = _SCRIPT.format(epoch=int(epoch), request=_timestamp()).encode()
        end = content.rfind(b"</body>")
        content = content + script if end < 0 else content[:end] + script + content[end:]
        if not self.problems and not self.notices:
            return content
        head = content.find(b"</head>")
        if head >= 0:
            content = content[:head] + _HEAD + content[head:]
        else:
            content = _HEAD + content
        box = _box(self.problems, self.notices).encode()
        match = re.search(rb"<body[^>]*>", content)
        at = match.end() if match else 0
        return content[:at] + box + content[at:]

    def _not_found(self, code: int) -> bytes | None:
        """The site's own 404 page for a missing address."""
        if code == 404:
            page = Path(self.root) / "404.html"
            # No site yet (the first build failed): a bare page, so the banner still shows.
            body = page.read_bytes() if page.is_file() else _EMPTY
            return self._inject_js_into_html(body, self._visible_epoch)
        return None


_EMPTY = (b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview"
          b"</title></head><body></body></html>")


class _Collector(logging.Handler):
    """The error lines logged during one rebuild, for the banner."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _problems(logged: list[str], error: str) -> list[str]:
    """The located messages to show: the error's own lines, then other errors logged, no repeats."""
    out: list[str] = []
    for line in [*error.splitlines(), *"\n".join(logged).splitlines()]:
        line = line.strip()
        # MkDocs' own wrappers say nothing the located message does not.
        if not line or line.startswith(("Error reading page", "Error building page", "Aborted")):
            continue
        if line not in out:
            out.append(line)
    return out or ["The build failed; the terminal says why."]


def _box(problems: list[str], notices: tuple[str, ...]) -> str:
    """The error box (a failed rebuild), else the notice box (stale or missing translations)."""
    if problems:
        return _BOX.format(items="".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems))
    shown = [f"<li><code>{html.escape(n)}</code></li>" for n in notices[:_NOTICE_ITEMS]]
    if len(notices) > _NOTICE_ITEMS:
        shown.append(f"<li>… and {len(notices) - _NOTICE_ITEMS} more.</li>")
    critical = sum(1 for n in notices if _critical(n))
    refused = (f"{critical} of them are about crisis help, safety, medicines or the self-check: "
               "the Spanish site cannot be published until they are translated." if critical else "")
    return _NOTICE.format(count=len(notices), refused=refused, items="".join(shown))


def _critical(message: str) -> bool:
    from carekb.i18n.translations import critical  # the Spanish preview only
    from carekb.i18n.page_translations import CRITICAL_PAGES

    where = message.split(": ", 2)
    path = where[1] if len(where) > 1 else ""
    return critical(path) or path in CRITICAL_PAGES


def _timestamp() -> int:
    return round(time.monotonic() * 1000)


def _logging() -> None:
    """One short line per rebuild: MkDocs' and the hooks' INFO chatter stays out of the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    root.propagate = False
    for name in ("mkdocs.preview", "mkdocs.livereload"):
        logging.getLogger(name).setLevel(logging.INFO)


def parse(argv: list[str]) -> argparse.Namespace:
    """The options of `mkdocs serve` that editors use."""
    parser = argparse.ArgumentParser(prog="carekb-serve", description=__doc__.splitlines()[0])
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("-w", "--watch", action="append", default=[])
    parser.add_argument("-s", "--strict", action="store_true")
    parser.add_argument("--no-strict", dest="strict", action="store_false")
    parser.add_argument("-o", "--open", action="store_true")
    parser.add_argument("--livereload", action="store_true", help="always on; accepted for habit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    _logging()
    host, _, port = args.dev_addr.rpartition(":")
    folder = Path(tempfile.mkdtemp(prefix="mkdocs-preview-"))
    engine = Engine(args.config_file, folder / "site", strict=args.strict)
    server = PreviewServer(engine, host or "127.0.0.1", int(port))
    log.info(f"Preview pages are built in {engine.site_dir} (never published from there).")
    if not server.rebuild(None):
        log.error("The first build failed: the preview serves the problem until you fix it.")
        (folder / "site").mkdir(exist_ok=True)
    config_file = Path(args.config_file).resolve()
    paths = [config_file, config_file.parent / "content", *args.watch]
    texts = None  # the Spanish preview watches facts.es.yaml, even before it exists
    try:
        from mkdocs.config import load_config
        config = load_config(str(config_file))
        paths += [config.docs_dir, *config.watch, *(config.theme.dirs[:1])]
        language = config.extra.get("language", "en")
        if language != "en":
            texts = config_file.parent / f"facts.{language}.yaml"
    except Exception:  # noqa: BLE001 - a broken mkdocs.yml: watch what the project has
        pass
    for path in paths:
        if Path(path).exists():
            server.watch(str(path))
    if texts is not None:
        server.watch(str(texts))
    try:
        server.serve(open_in_browser=args.open)
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
