"""A newcomer's first hour, for real: clone the repository, set it up the way the Makefile
does, and run every command the README and `make help` name, exactly as typed, with no
PYTHONPATH (issue 21).

The clone is of the commit the tests run from (`git rev-parse HEAD`; in CI a fresh clone of
main), so what is tested is what is committed: commit before running it. `make setup` creates
the clone's own `.venv/` (pip's cache makes that quick). Then:

- the Makefile's commands: `make help`, `make check`, `make impact`, `make build` (both
  languages), `make staff`, `make publish`, `make publish-staff`, `make translated`, `make test`
  and `make test-fast` (each on one small module: the whole suite would run this test again),
  `make serve` and `make serve-es`;
- inside the venv, as `source .venv/bin/activate` leaves a shell: `mkdocs build` and
  `properdocs build`, each also with `-f mkdocs.staff.yml` and `-f mkdocs.es.yml`,
  `mkdocs serve --livereload` and `properdocs serve` (each for both sites), `carekb-serve -f
  mkdocs.staff.yml`, `carekb-serve -f mkdocs.es.yml` and `carekb-translate status`.

The Spanish site publishes only with every crisis, safety, medicine and self-check text
translated (docs/translating.md): `make check`, `make build` and `make publish` pass on a
clone whose translation is complete.

Each must exit 0 (a server: start, serve a page over HTTP, stop on Ctrl-C) and print no
traceback. Commands that write to different folders run two at a time.

Run it alone with `make test PYTEST_ARGS='-m newcomer'` (or `pytest -m newcomer`).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.sitebuilds import as_from_a_terminal

pytestmark = pytest.mark.newcomer

STAFF_NAME = "Staff Handbook"
Command = tuple[str, ...]


def _env(venv: Path | None = None) -> dict[str, str]:
    """The newcomer's environment: no PYTHONPATH, no virtual environment of ours on PATH, and
    not inside our `make test` (whose MAKELEVEL makes every `make` print "Entering directory");
    with `venv`, as `source venv/bin/activate` leaves it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "MAKELEVEL",
                        "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR")}
    ours = {str(Path(sys.prefix) / "bin"), str(Path(sys.executable).parent)}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p not in ours]
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        path.insert(0, str(venv / "bin"))
    env["PATH"] = os.pathsep.join(path)
    env["NO_MKDOCS_2_WARNING"] = "1"  # as the README and the Makefile set it
    return env


def _run(clone: Path, command: Command, env: dict[str, str], timeout: float = 600) -> str:
    """Run `command` in the clone; its output, after checking its exit status and that it
    printed no traceback."""
    started = time.monotonic()
    done = subprocess.run(command, cwd=clone, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout)
    said = done.stdout
    typed = " ".join(command)
    assert done.returncode == 0, f"`{typed}` exited {done.returncode}:\n{said[-4000:]}"
    assert "Traceback" not in said, f"`{typed}` printed a traceback:\n{said[-4000:]}"
    print(f"{time.monotonic() - started:6.1f} s  {typed}")
    return said


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(clone: Path, command: Command, env: dict[str, str], port: int, expect: str,
           log: Path) -> None:
    """Start a server as typed, fetch its home page over HTTP, stop it with Ctrl-C."""
    started = time.monotonic()
    typed = " ".join(command)
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(as_from_a_terminal(command), cwd=clone, env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        page = None
        deadline = time.monotonic() + 300
        while page is None and time.monotonic() < deadline:
            assert server.poll() is None, f"`{typed}` stopped:\n{log.read_text()[-4000:]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                    page = (answer.status, answer.read().decode("utf-8", "replace"))
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert page is not None, f"`{typed}` served nothing:\n{log.read_text()[-4000:]}"
        assert page[0] == 200 and expect in page[1], f"`{typed}` served:\n{page[1][:1000]}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # Ctrl-C, as a user stops it
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            pytest.fail(f"`{typed}` did not stop on Ctrl-C:\n{log.read_text()[-4000:]}")
    said = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in said, f"`{typed}` printed a traceback:\n{said[-4000:]}"
    print(f"{time.monotonic() - started:6.1f} s  {typed} (served {expect!r}, stopped)")


def _two_at_a_time(jobs: list) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(*job) for job in jobs]:
            future.result()


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the commit under test, in a fresh folder."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                          text=True)
    if head.returncode != 0:
        pytest.fail(f"{REPO_ROOT} is not a git repository: the newcomer test clones it "
                    f"({head.stderr.strip()})", pytrace=False)
    target = tmp_path_factory.mktemp("newcomer") / "levels-of-care-kb"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO_ROOT), str(target)],
                   check=True, capture_output=True, timeout=300)
    subprocess.run(["git", "checkout", "--quiet", head.stdout.strip()], cwd=target, check=True,
                   capture_output=True, timeout=300)
    return target


def test_every_command_works_on_a_fresh_clone(clone: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    plain = _env()
    venv = clone / ".venv"
    inside = _env(venv)
    assert not venv.exists()
    said = _run(clone, ("make", "help"), plain)
    for command in ("make serve", "make serve-es", "make test", "make test-fast", "make check",
                    "make impact", "make build", "make staff", "make publish", "make publish-staff",
                    "make translated"):
        assert command in said, f"`make help` does not name {command}"
    _run(clone, ("make", "setup"), plain, timeout=1200)
    for script in ("mkdocs", "properdocs", "carekb-check", "carekb-impact", "carekb-serve",
                   "carekb-publish", "carekb-translate"):
        assert (venv / "bin" / script).is_file(), f"make setup installed no {script}"

    said = _run(clone, ("make", "check"), plain)
    assert said.strip().splitlines()[-1] == "facts.yaml and the pages are good and ready to publish."
    said = _run(clone, ("make", "impact"), plain)
    assert "No facts changed in facts.yaml" in said
    _run(clone, ("make", "translated", "FIELD=--all-current"), plain)
    _run(clone, ("carekb-translate", "status"), inside)
    _two_at_a_time([(_run, clone, ("make", "build"), plain), (_run, clone, ("make", "staff"), plain)])
    assert (clone / "site" / "index.html").is_file() and (clone / "site-staff" / "index.html").is_file()
    assert '<html lang="es"' in (clone / "site" / "es" / "index.html").read_text(encoding="utf-8")
    _two_at_a_time([(_run, clone, ("make", "publish"), plain),
                    (_run, clone, ("make", "publish-staff"), plain)])
    public = (clone / "publish" / "public" / "index.html").read_text(encoding="utf-8")
    staff = (clone / "publish" / "staff" / "index.html").read_text(encoding="utf-8")
    assert STAFF_NAME not in public and STAFF_NAME in staff
    assert (clone / "publish" / "public" / "es" / "index.html").is_file()
    for engine in ("mkdocs", "properdocs"):  # inside the venv, as a MkDocs user types them
        _two_at_a_time([(_run, clone, (engine, "build"), inside),
                        (_run, clone, (engine, "build", "-f", "mkdocs.staff.yml"), inside)])
        _run(clone, (engine, "build", "-f", "mkdocs.es.yml"), inside)

    servers = []
    for command, expect in [
        (("make", "serve"), "<title>"),
        (("make", "serve-es"), '<html lang="es"'),
        (("carekb-serve", "-f", "mkdocs.staff.yml"), STAFF_NAME),
        (("carekb-serve", "-f", "mkdocs.es.yml"), '<html lang="es"'),
        (("mkdocs", "serve", "--livereload"), "<title>"),
        (("mkdocs", "serve", "--livereload", "-f", "mkdocs.staff.yml"), STAFF_NAME),
        (("properdocs", "serve"), "<title>"),
        (("properdocs", "serve", "-f", "mkdocs.staff.yml"), STAFF_NAME),
    ]:
        port = _free_port()
        address = (f"ADDR=127.0.0.1:{port}",) if command[0] == "make" else ("-a", f"127.0.0.1:{port}")
        log = tmp_path / f"{re.sub(r'[^a-z]+', '-', ' '.join(command))}.log"
        servers.append((_serve, clone, command + address, plain if command[0] == "make" else inside,
                        port, expect, log))
    _two_at_a_time(servers)

    said = _run(clone, ("make", "test", "PYTEST_ARGS=-q -p no:cacheprovider tests/test_architecture.py"),
                plain)
    assert re.search(r"\d+ passed", said), said[-2000:]
    said = _run(clone, ("make", "test-fast", "PYTEST_ARGS=-q -p no:cacheprovider tests/test_markers.py"),
                plain)
    assert re.search(r"\d+ passed", said), said[-2000:]
    print(f"{time.monotonic() - started:6.1f} s  in all")
