"""Edit-to-preview: seconds from saving facts.yaml to `mkdocs serve` serving the changed page.

In a throwaway copy of the real site, start `mkdocs serve --livereload` on a free local port,
change one figure in facts.yaml (written in place, as an editor saves), and poll the page
that shows it until the new number appears. Repeated for a few edits; the median is reported.
"""

from __future__ import annotations

import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.site import apply_patch, bench_env, copy_project
from carekb.load.facts_yaml import load_facts
from carekb.model.facts import Figure

POLL = 0.02  # seconds between requests while waiting for the new page



def _stop(server: subprocess.Popen) -> None:
    """Stop a preview server as Ctrl-C would; kill it if it does not exit within 10 s."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass
class Target:
    """The figure that is edited: where it is written and the page that shows it."""

    line: int  # 1-based line of the figure in facts.yaml
    key: str  # the field changed: about, median, min or max
    value: float
    url_path: str  # e.g. levels/iop/


def pick_target(facts_file: Path) -> Target:
    """A public figure on a public level page that is written on one line, like {about: 462, …}."""
    facts, _ = load_facts(facts_file)
    lines = facts_file.read_text(encoding="utf-8").splitlines()
    for level in facts.levels.values():
        if level.staff_only:
            continue
        figures: list[Figure] = [*level.cost, *level.length_of_stay, *level.hours_per_week.values()]
        for fig in figures:
            if fig.staff_only:
                continue
            for key in ("about", "median", "max", "min"):
                value = getattr(fig, key)
                if value is None:
                    continue
                line = lines[fig.loc.line - 1]
                if len(re.findall(rf"\b{key}:\s*[0-9.]+", line)) == 1:
                    return Target(fig.loc.line, key, value, f"levels/{level.id}/")
    raise LookupError(f"no one-line figure to edit in {facts_file}")


def _set(facts_file: Path, target: Target, value: int) -> None:
    lines = facts_file.read_text(encoding="utf-8").split("\n")
    i = target.line - 1
    lines[i] = re.sub(rf"\b({target.key}:\s*)[0-9.]+", rf"\g<1>{value}", lines[i], count=1)
    with open(facts_file, "w", encoding="utf-8") as f:  # in place, as an editor saves
        f.write("\n".join(lines))


def _shows(html: str, value: int) -> bool:
    return re.search(rf"(?<![\d,.]){value}(?![\d])|(?<![\d,.]){value:,}(?![\d])", html) is not None


def measure(edits: int = 3, timeout: float = 60.0, workdir: Path | None = None, patch: Path | None = None) -> dict:
    """Median seconds from save to served page over `edits` edits of the real site."""
    with tempfile.TemporaryDirectory(prefix="kb-preview-", dir=workdir) as tmp:
        project = copy_project(Path(tmp) / "site")
        if patch is not None:
            apply_patch(project, patch)
        facts_file = project / "facts.yaml"
        target = pick_target(facts_file)
        port = free_port()
        url = f"http://127.0.0.1:{port}/{target.url_path}"
        log = open(Path(tmp) / "serve.log", "w+")
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--no-strict",
               "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")]
        env = dict(bench_env(), PYTHONPATH=str(project))  # the copy's hooks package
        server = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            start = time.perf_counter()
            while fetch(url) is None:
                if server.poll() is not None or time.perf_counter() - start > timeout:
                    log.seek(0)
                    raise RuntimeError(f"mkdocs serve did not start:\n{log.read()[-4000:]}")
                time.sleep(0.1)
            first_ready = time.perf_counter() - start
            # Unused numbers, far from any figure on the page.
            values = [int(target.value) + 7919 * (i + 1) for i in range(edits)]
            seconds = []
            for value in values:
                time.sleep(1.0)  # let the server settle, as between two saves by a person
                page = fetch(url) or ""
                if _shows(page, value):
                    raise RuntimeError(f"{value} is already on {url}; choose another value")
                _set(facts_file, target, value)
                saved = time.perf_counter()
                while True:
                    page = fetch(url)
                    if page is not None and _shows(page, value):
                        seconds.append(time.perf_counter() - saved)
                        break
                    if time.perf_counter() - saved > timeout or server.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(f"{value} never appeared on {url}:\n{log.read()[-4000:]}")
                    time.sleep(POLL)
        finally:
            _stop(server)
            log.close()
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "edits": edits, "first_build": first_ready,
            "edited": f"facts.yaml line {target.line} ({target.key}), /{target.url_path}"}


if __name__ == "__main__":
    print(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3))


# --- the incremental preview (scripts/serve.py) ------------------------------------------------

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
         "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]
PROSE_PAGE = ("content/costs.md", "costs/")


def _rename_level(text: str, level: str, name: str) -> str:
    """facts.yaml text with one level's `name:` replaced (the nav shows it on every page)."""
    block = re.search(rf"(?m)^  {level}:\n(?:(?:    .*|\s*)\n)*?    name: (.+)$", text)
    if block is None:
        raise LookupError(f"no levels.{level}.name in facts.yaml")
    return text[:block.start(1)] + name + text[block.end(1):]


def _timed(save, url: str, shows, server, log, timeout: float) -> float:
    """Seconds from `save()` to `url` serving a page for which `shows(html)` is true."""
    save()
    saved = time.perf_counter()
    while True:
        page = fetch(url)
        if page is not None and shows(page):
            return time.perf_counter() - saved
        if time.perf_counter() - saved > timeout or server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the change never appeared on {url}:\n{log.read()[-4000:]}")
        time.sleep(POLL)


def _stats(seconds: list[float]) -> dict:
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "edits": len(seconds)}


def measure_incremental(factor: int = 1, edits: int = 7, timeout: float = 180.0,
                        workdir: Path | None = None, patch: Path | None = None) -> dict:
    """Median save-to-served seconds under scripts/serve.py: a figure, page prose, a nav name."""
    from benchmarks.synthetic import write_scaled

    with tempfile.TemporaryDirectory(prefix=f"kb-incr-{factor}x-", dir=workdir) as tmp:
        project = copy_project(Path(tmp) / "site")
        if patch is not None:
            apply_patch(project, patch)
        facts_file = project / "facts.yaml"
        if factor > 1:
            write_scaled(factor, facts_file)
        target = pick_target(facts_file)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        log = open(Path(tmp) / "serve.log", "w+")
        cmd = [sys.executable, "scripts/serve.py", "--dev-addr", f"127.0.0.1:{port}"]
        env = dict(bench_env(), PYTHONPATH=str(project))
        server = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        out: dict = {"factor": factor}
        try:
            start = time.perf_counter()
            while fetch(base + target.url_path) is None:
                if server.poll() is not None or time.perf_counter() - start > timeout:
                    log.seek(0)
                    raise RuntimeError(f"scripts/serve.py did not start:\n{log.read()[-4000:]}")
                time.sleep(0.1)
            out["first_build"] = time.perf_counter() - start
            figure, prose, name = [], [], []
            page_file = project / PROSE_PAGE[0]
            prose_text = page_file.read_text(encoding="utf-8")
            facts_text = facts_file.read_text(encoding="utf-8")
            for i in range(edits):
                time.sleep(0.5)  # a person between two saves; the server settles
                value = int(target.value) + 7919 * (i + 1)
                figure.append(_timed(lambda: _set(facts_file, target, value), base + target.url_path,
                                     lambda html: _shows(html, value), server, log, timeout))
                time.sleep(0.5)
                word = f"{WORDS[i % len(WORDS)]}{WORDS[(i // len(WORDS)) % len(WORDS)]}"
                sentence = f"\n\nThis line is a preview check, {word}.\n"
                prose.append(_timed(lambda: page_file.write_text(prose_text + sentence, encoding="utf-8"),
                                    base + PROSE_PAGE[1], lambda html: word in html, server, log, timeout))
                time.sleep(0.5)
                label = f"Intensive outpatient {word}"
                current = facts_file.read_text(encoding="utf-8")
                # Shown in the navigation of every page: checked on a page that is not the level's.
                name.append(_timed(lambda: facts_file.write_text(_rename_level(current, "iop", label),
                                                                 encoding="utf-8"),
                                   base + PROSE_PAGE[1], lambda html: label in html, server, log,
                                   timeout))
            facts_file.write_text(facts_text, encoding="utf-8")
        finally:
            _stop(server)
            log.seek(0)
            out["log_tail"] = log.read()[-1500:]
            log.close()
    out.update(figure=_stats(figure), prose=_stats(prose), name=_stats(name),
               edited=f"facts.yaml line {target.line} ({target.key}) on /{target.url_path}; "
                      f"{PROSE_PAGE[0]}; levels.iop.name")
    return out
