"""Building and publishing under concurrency and faults: the live site is always complete, and
nothing is ever written over what this project did not make.

Two builds or publishes into one folder, a symlinked target, a full or read-only disk, a killed
or interrupted run, leftovers of dead runs and a failed `--dirty` build; targets that are the
project, hold it, are the home folder or `/`, or hold the user's files (class "publish-target",
run against throwaway folders and copies of the project only). Each case looks at what
an editor sees: exit codes, one-line messages (never a traceback) and the files in the folder.
Builds run as commands, in child processes, on the tiny sample project (tests/tinyproject.py),
and on a copy of the real one where a build must be cut short mid-way.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sitebuilds import as_from_a_terminal
from tests.spanish_samples import complete_spanish

from carekb.publish.target import write_marker

REPO = Path(__file__).resolve().parent.parent
PUBLISH = REPO / "scripts" / "publish.py"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

# `mkdocs build --strict -d SITE` with a fault injected: ERRNO while writing pages, or at the swap.
FAULTY_BUILD = """
import errno, os, sys
import mkdocs.utils
import carekb.publish.staging as staging
code, where, site = getattr(errno, sys.argv[1]), sys.argv[2], sys.argv[3]
if where == "write":
    real, calls = mkdocs.utils.write_file, []
    def write_file(content, path):
        calls.append(path)
        if len(calls) > 5:
            raise OSError(code, os.strerror(code), path)
        real(content, path)
    mkdocs.utils.write_file = write_file
else:
    def exchange(a, b):
        raise OSError(code, os.strerror(code), str(b))
    staging._exchange = exchange
from mkdocs.__main__ import cli
cli.main(args=["build", "--strict", "-d", site], prog_name="mkdocs")
"""


# --- helpers -----------------------------------------------------------------------------------


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(site: Path) -> list[str]:
    """Staging folders, lock files or staged build reports that a run left beside `site`."""
    places = [site.parent, site.parent / "build-report"]
    return sorted(p.name for place in places if place.is_dir() for p in place.iterdir()
                  if p.name.startswith(f".{site.name}."))


def build_command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site), *extra]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


def assert_plain(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output[-3000:]


def wait_for_staging(site: Path, process: subprocess.Popen, inside: str | None = None) -> Path:
    """Wait until `process` has created its staging folder beside `site` (holding `inside`, if given)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = [p for p in site.parent.glob(f".{site.name}.staging-*") if p.is_dir()]
        if found and (inside is None or (found[0] / inside).exists()):
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    pytest.fail("no staging folder appeared")


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def last_good(dest: Path, text: str = "last good") -> Path:
    """`dest` holding a site an earlier publish made (its marker, and an index.html saying `text`)."""
    dest.mkdir(parents=True)
    (dest / "index.html").write_text(text, encoding="utf-8")
    write_marker(dest)
    return dest


def tiny_site(root: Path, page: str = "# Tiny\n") -> Path:
    """A minimal MkDocs project (built-in theme, no hooks); returns its config."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text("site_name: Tiny\ndocs_dir: docs\n", encoding="utf-8")
    return config


def load_publish():
    spec = importlib.util.spec_from_file_location("publish_script_hostile", PUBLISH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, tiny_copier) -> Path:
    """The tiny sample project (tests/tinyproject.py): the real hooks and publish script, a small
    fact base, a strict build in about a second."""
    return tiny_copier(tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory, project_copier: Callable[[Path], Path]) -> Path:
    """A copy of the real project, whose build is long enough to be cut short mid-way. Publishing
    builds the Spanish site too: with its translation complete (tests/spanish_samples.py)."""
    return complete_spanish(project_copier(tmp_path_factory.mktemp("hostile-real") / "project"))


@pytest.fixture(scope="module")
def reference(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good strict build of the project's public site, to compare every other outcome with."""
    site = tmp_path_factory.mktemp("reference") / "site"
    result = run(build_command(site), project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "index.html").is_file() and (site / "assets").is_dir()
    return site


def good_site(reference: Path, site: Path) -> Path:
    """A complete last good site at `site` (a copy of the reference build, file times kept)."""
    shutil.copytree(reference, site)
    return site


# --- two at once -------------------------------------------------------------------------------


def test_two_builds_into_one_folder_leave_a_complete_site_at_every_moment(project, reference, tmp_path):
    """Two `mkdocs build -d same` started together both succeed (one waits) and the site is never partial."""
    site = good_site(reference, tmp_path / "site")
    processes = [subprocess.Popen(build_command(site), cwd=project, env=ENV, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    partial = 0
    while any(p.poll() is None for p in processes):
        if not ((site / "index.html").is_file() and (site / "assets").is_dir()):
            partial += 1
        time.sleep(0.005)
    outputs = [p.communicate() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs[0][1][-2000:] + outputs[1][1][-2000:]
    assert partial == 0, "the live folder was missing or partial while the builds ran"
    assert files_of(site) == files_of(reference)
    assert leftovers(site) == []
    assert_plain(*(err for _, err in outputs))


def test_two_publishes_into_one_folder_both_publish_a_complete_site(project, reference, tmp_path):
    """Two `scripts/publish.py` into one --dest started together both succeed, one after the other."""
    dest = tmp_path / "www" / "public"
    command = [sys.executable, str(project / "scripts" / "publish.py"), "public", "--dest", str(dest)]
    processes = [subprocess.Popen(command, env=ENV, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs[0][1][-2000:] + outputs[1][1][-2000:]
    # The public site, and its Spanish twin in es/ (publishing builds both, swapped in at once).
    assert {f for f in files_of(dest) if not f.startswith("es/")} == files_of(reference)
    assert (dest / "es" / "index.html").is_file()
    assert (dest.parent / "build-report" / "public.json").is_file()
    assert (dest.parent / "build-report" / "public.es.json").is_file()
    assert leftovers(dest) == []
    assert_plain(*(err for _, err in outputs))


def test_publish_that_waits_too_long_is_refused_with_one_line(tmp_path):
    """While another run holds the folder, publish --wait 1 gives up with a plain line; nothing changes."""
    config = tiny_site(tmp_path / "tiny")
    dest = last_good(tmp_path / "www" / "public")
    with open(dest.with_name(".public.lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # what a running build or publish holds
        result = run([sys.executable, str(PUBLISH), "--config", str(config), "--dest", str(dest), "--wait", "1"],
                     tmp_path)
    assert result.returncode == 1
    assert f"Not published: another build or publish into {dest} was still running after 1 s" in result.stderr
    assert "Waiting for another build or publish" in result.stderr
    assert (dest / "index.html").read_text(encoding="utf-8") == "last good"
    assert [n for n in leftovers(dest) if n != ".public.lock"] == []
    assert_plain(result.stdout, result.stderr)


# --- symlinked targets -------------------------------------------------------------------------


def test_build_into_a_symlink_updates_where_it_points(project, reference, tmp_path):
    """`mkdocs build -d link` puts the new site where the link points and leaves the link a link."""
    real = good_site(reference, tmp_path / "served" / "site")
    (real / "stale.html").write_text("from an older build", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    result = run(build_command(link), project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert files_of(real) == files_of(reference)  # the stale file is gone, assets/ included
    assert leftovers(real) == [] and leftovers(link) == []
    assert_plain(result.stderr)


def test_publish_to_a_symlinked_dest_updates_where_it_points(tmp_path):
    """`publish.py --dest link` keeps the link and publishes into the folder it points to."""
    config = tiny_site(tmp_path / "tiny", "# Second edition\n")
    real = last_good(tmp_path / "srv" / "guide", "first edition")
    link = tmp_path / "www"
    link.symlink_to(real)
    result = run([sys.executable, str(PUBLISH), "--config", str(config), "--dest", str(link)], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Second edition" in (real / "index.html").read_text(encoding="utf-8")
    assert leftovers(real) == [] and leftovers(link) == []


# --- full, read-only and failing disks ---------------------------------------------------------


@pytest.mark.parametrize(("code", "where", "said"), [
    ("ENOSPC", "write", "the disk is full at"),
    ("ENOSPC", "swap", "the disk is full at"),
    ("EROFS", "write", "the disk is read-only at"),
])
def test_build_on_a_failing_disk_says_so_and_keeps_the_site(project, reference, tmp_path, code, where, said):
    """A full or read-only disk while writing pages or at the swap: one line, the last good site unchanged."""
    site = good_site(reference, tmp_path / "site")
    before = digest(site)
    result = run([sys.executable, "-c", FAULTY_BUILD, code, where, str(site)], project)
    said_all = result.stdout + result.stderr  # mkdocs prints its closing message on stdout
    assert result.returncode == 1
    assert f"Not built: {said} {tmp_path}" in said_all
    assert f"the last good site in {site} was not changed." in said_all
    assert digest(site) == before
    assert leftovers(site) == []
    assert_plain(result.stdout, result.stderr)


@pytest.mark.parametrize(("code", "said"), [
    ("ENOSPC", "the disk is full at"),
    ("EROFS", "the disk is read-only at"),
    ("EACCES", "there is no permission to write at"),
])
def test_publish_on_a_failing_disk_says_so_and_keeps_the_site(tmp_path, monkeypatch, capsys, code, said):
    """publish.py meeting ENOSPC, EROFS or EACCES while writing: "Not published: …", exit 1, site kept."""
    import mkdocs.utils

    publish = load_publish()
    config = tiny_site(tmp_path / "tiny")
    dest = last_good(tmp_path / "www" / "public")

    def write_file(content: bytes, path: str) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)), path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    assert publish.main(["--config", str(config), "--dest", str(dest)]) == 1
    err = capsys.readouterr().err
    assert f"Not published: {said} {dest.parent};" in err
    assert f"the last good site in {dest} was not changed." in err
    assert (dest / "index.html").read_text(encoding="utf-8") == "last good"
    assert leftovers(dest) == []
    assert_plain(err)


def _without_write_override() -> list[str]:
    """Run as root without the power to ignore permissions, so a 0o555 folder really is read-only."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test a read-only folder as root"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("tool", ["publish", "build"])
def test_read_only_folder_gives_one_line_and_keeps_the_site(project, tmp_path, tool):
    """A target whose folder is chmod 0o555: a plain "no permission" line, the last good site unchanged."""
    parent = tmp_path / "www"
    dest = last_good(parent / "site")
    parent.chmod(0o555)
    try:
        if tool == "publish":
            config = tiny_site(tmp_path / "tiny")
            command = [sys.executable, str(PUBLISH), "--config", str(config), "--dest", str(dest)]
        else:
            command = build_command(dest)
        result = run(_without_write_override() + command, project)
    finally:
        parent.chmod(0o755)
    verb = "published" if tool == "publish" else "built"
    assert result.returncode == 1
    assert f"Not {verb}: there is no permission to write at {parent};" in result.stdout + result.stderr
    assert (dest / "index.html").read_text(encoding="utf-8") == "last good"
    assert leftovers(dest) == []
    assert_plain(result.stdout, result.stderr)


# --- killed, interrupted and dead runs ---------------------------------------------------------


def test_killed_build_is_cleaned_up_by_the_next_one(project, real_project, reference, tmp_path):
    """A build killed mid-way leaves the last good site live; the next build removes its staging folder."""
    site = good_site(reference, tmp_path / "site")
    before = digest(site)
    process = subprocess.Popen(build_command(site), cwd=real_project, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = wait_for_staging(site, process, inside="assets")
    process.kill()
    process.wait()
    assert staging.exists(), "the kill came too late to leave a staging folder behind"
    assert digest(site) == before

    result = run(build_command(site), project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert files_of(site) == files_of(reference)
    assert leftovers(site) == []


def test_stale_staging_of_a_dead_run_goes_and_of_a_live_run_stays(project, reference, tmp_path):
    """Only staging left by a process that is gone is removed; a running one's is kept."""
    site = good_site(reference, tmp_path / "site")
    dead = site.with_name(f".site.staging-{dead_pid()}-0badc0de")
    alive = site.with_name(f".site.staging-{os.getpid()}-0badc0de")
    report = tmp_path / "build-report" / f"{dead.name}.json"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "index.html").write_text("half a site", encoding="utf-8")
    report.parent.mkdir(exist_ok=True)
    report.write_text("{}", encoding="utf-8")

    result = run(build_command(site), project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not dead.exists() and not report.exists()
    assert (alive / "index.html").read_text(encoding="utf-8") == "half a site"
    shutil.rmtree(alive)
    assert leftovers(site) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_publish_says_so_and_cleans_up(real_project, reference, tmp_path, sig):
    """Ctrl-C (or SIGTERM) during a publish: "Not published: interrupted", exit 1, old site, no staging."""
    dest = good_site(reference, tmp_path / "www" / "public")
    before = digest(dest)
    command = [sys.executable, str(real_project / "scripts" / "publish.py"), "public", "--dest", str(dest)]
    for _ in range(3):  # a machine too busy to signal before the publish ended: that run tested nothing
        process = subprocess.Popen(as_from_a_terminal(command), env=ENV, text=True, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        wait_for_staging(dest, process)
        time.sleep(0.3)  # into the build
        if process.poll() is None:
            break
        process.communicate()
        shutil.rmtree(dest)
        good_site(reference, dest)
    process.send_signal(sig)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err[-3000:]
    assert f"Not published: interrupted; the site in {dest} was not changed." in err
    assert digest(dest) == before
    assert leftovers(dest) == []
    assert_plain(out, err)


# --- --dirty -----------------------------------------------------------------------------------


def test_failed_dirty_build_leaves_the_site_byte_identical(project, reference, tmp_path):
    """A `--dirty` build that fails under --strict changes nothing live; a good one then updates the page."""
    site = good_site(reference, tmp_path / "site")
    before = digest(site)
    page = project / "content" / "faq.md"
    original = page.read_text(encoding="utf-8")
    try:
        # Under --strict the figure typed by hand fails the build after every page was written.
        page.write_text(original + "\nIt takes 9 to 19 hours a week.\n", encoding="utf-8")
        failed = run(build_command(site, "--dirty"), project)
        assert failed.returncode != 0
        assert "by hand" in failed.stderr
        assert digest(site) == before
        assert leftovers(site) == []

        page.write_text(original + "\nA sentence added by the dirty build.\n", encoding="utf-8")
        # MkDocs itself warns about every --dirty build, so a good one needs --no-strict.
        good = run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "--dirty", "-d", str(site)], project)
    finally:
        page.write_text(original, encoding="utf-8")
    assert good.returncode == 0, good.stderr[-3000:]
    assert "A sentence added by the dirty build." in (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert files_of(site) >= files_of(reference)
    assert leftovers(site) == []
    assert_plain(failed.stderr, good.stderr)


# --- where a build or publish may write (carekb/publish/target.py) ------------------------------


def user_folder(path: Path) -> Path:
    """A folder of the user's: notes, a CNAME and a git repository, and no site marker."""
    (path / ".git" / "objects").mkdir(parents=True)
    (path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (path / "notes.txt").write_text("my notes", encoding="utf-8")
    (path / "CNAME").write_text("guide.example.org\n", encoding="utf-8")
    return path


def publish_to(dest: Path | str, config: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PUBLISH), "--config", str(config), "--dest", str(dest)], cwd=cwd,
                          env={**ENV, **env}, capture_output=True, text=True, timeout=300)


def refused_with_one_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 1, result.stderr[-2000:]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Not published: "), result.stderr
    assert re.search(says, lines[0]), lines[0]
    assert_plain(result.stdout, result.stderr)


def test_publish_target_a_folder_of_user_files_is_refused_and_kept(tmp_path):
    """publish-target: --dest a folder holding notes.txt, CNAME and .git: one line, all three kept."""
    config = tiny_site(tmp_path / "tiny")
    dest = user_folder(tmp_path / "mine")
    before = digest(dest)
    result = publish_to(dest, config, tmp_path)
    refused_with_one_line(result, rf"{dest} holds files this project did not publish \(notes\.txt\).*"
                                  rf"nothing was written to {dest}\. Fix: give a new or empty folder")
    assert digest(dest) == before and (dest / ".git").is_dir()
    assert leftovers(dest) == []


@pytest.mark.parametrize("where", [".", "..", "link"], ids=["publish-target: --dest .", "publish-target: --dest ..",
                                                          "publish-target: --dest a link to the project"])
def test_publish_target_the_project_and_what_holds_it_are_refused(tmp_path, tiny_copier, where):
    """Run from a throwaway project (the tiny sample, never the real checkout): the project, its
    .git and its neighbours survive."""
    project = tiny_copier(tmp_path / "holder" / "project")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    neighbour = tmp_path / "holder" / "neighbour.txt"
    neighbour.write_text("next door", encoding="utf-8")
    if where == "link":
        (tmp_path / "link").symlink_to(project)
        where = str(tmp_path / "link")
    before = digest(project)
    result = subprocess.run([sys.executable, "scripts/publish.py", "public", "--dest", where], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=300)
    said = "a folder holding the project" if where == ".." else "the project folder itself"
    refused_with_one_line(result, rf"is {said}.*publishing there would delete it")
    assert digest(project) == before and neighbour.read_text(encoding="utf-8") == "next door"


def test_publish_target_root_home_and_a_file_are_refused(tmp_path):
    """publish-target: `/`, the home folder (and what holds it) and a file are never targets."""
    config = tiny_site(tmp_path / "tiny")
    home = user_folder(tmp_path / "home" / "me")
    a_file = tmp_path / "page.html"
    a_file.write_text("mine", encoding="utf-8")
    for dest, says in (("/", r"/ is the root of the file system"), (home, r"is your home folder"),
                       (home.parent, r"is a folder holding your home folder"), (a_file, r"is a file, not a folder")):
        refused_with_one_line(publish_to(dest, config, tmp_path, HOME=str(home)), says)
    assert a_file.read_text(encoding="utf-8") == "mine" and (home / "notes.txt").is_file()


def test_publish_target_mkdocs_build_into_a_user_folder_is_refused(project, tmp_path):
    """publish-target: plain `mkdocs build -d DIR` (the atomic stage) refuses a folder of user files."""
    dest = user_folder(tmp_path / "mine")
    before = digest(dest)
    result = run(build_command(dest), project)
    assert result.returncode == 1
    assert f"Not built: {dest} holds files this project did not publish (notes.txt)" in result.stdout + result.stderr
    assert digest(dest) == before
    assert_plain(result.stdout, result.stderr)


def test_publish_target_dotfiles_and_cname_survive_a_build_into_a_site(project, reference, tmp_path):
    """publish-target: a site folder's .git, .nojekyll, .well-known and CNAME are kept by `mkdocs
    build -d`, as MkDocs itself keeps dotfiles; the site's own files are replaced."""
    site = good_site(reference, tmp_path / "site")
    kept = user_folder(tmp_path / "kept")
    (kept / "notes.txt").unlink()
    for name in (".git", "CNAME"):
        shutil.move(str(kept / name), site / name)
    (site / ".nojekyll").write_text("", encoding="utf-8")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:x@example.org\n", encoding="utf-8")
    (site / "stale.html").write_text("old", encoding="utf-8")
    result = run(build_command(site), project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (site / "CNAME").read_text(encoding="utf-8") == "guide.example.org\n"
    assert (site / ".nojekyll").is_file() and (site / ".well-known" / "security.txt").is_file()
    assert not (site / "stale.html").exists()
    assert json.loads((site / ".carekb-site").read_text(encoding="utf-8"))["audience"] == "public"
    assert leftovers(site) == []


def test_publish_target_control_fresh_folder_then_over_the_last_publish(tmp_path):
    """publish-target control: a publish into a new folder marks it; one over it (dotfiles kept) works."""
    config = tiny_site(tmp_path / "tiny", "# First\n")
    dest = tmp_path / "www" / "guide"
    assert publish_to(dest, config, tmp_path).returncode == 0
    assert (dest / ".carekb-site").is_file()
    (dest / ".nojekyll").write_text("", encoding="utf-8")
    (dest / "CNAME").write_text("guide.example.org\n", encoding="utf-8")
    tiny_site(tmp_path / "tiny", "# Second\n")
    result = publish_to(dest, config, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Second" in (dest / "index.html").read_text(encoding="utf-8")
    assert (dest / ".nojekyll").is_file() and (dest / "CNAME").read_text(encoding="utf-8") == "guide.example.org\n"
    assert leftovers(dest) == []


def test_publish_target_an_empty_folder_or_one_of_dotfiles_is_accepted(tmp_path):
    """publish-target control: a new gh-pages checkout (only .git and CNAME) takes a site and keeps both."""
    config = tiny_site(tmp_path / "tiny")
    dest = user_folder(tmp_path / "gh-pages")
    (dest / "notes.txt").unlink()
    result = publish_to(dest, config, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (dest / "index.html").is_file() and (dest / ".git" / "HEAD").is_file() and (dest / "CNAME").is_file()


def test_publish_target_the_staff_handbook_never_replaces_the_public_site(tmp_path):
    """publish-target: a site marked public is never swapped for the staff handbook (nor the other way)."""
    from carekb.publish.staging import NotChanged, Stage

    live = tmp_path / "public"
    live.mkdir()
    (live / "index.html").write_text("public site", encoding="utf-8")
    write_marker(live, "Guide", "public")
    stage = Stage(live)
    staging = stage.open()
    write_marker(staging, "Guide - Staff", "staff")
    (staging / "index.html").write_text("staff handbook", encoding="utf-8")
    with pytest.raises(NotChanged) as refused:
        stage.commit()
    assert "holds the public site, and this is the staff site" in refused.value.sentence()
    assert (live / "index.html").read_text(encoding="utf-8") == "public site"
    assert leftovers(live) == []


def test_encoding_invalid_utf8_in_mkdocs_yml_is_one_located_line(tmp_path):
    """encoding: a byte that is not UTF-8 in the config: "Not published: mkdocs.yml:LINE:COL: …"."""
    config = tiny_site(tmp_path / "tiny")
    config.write_bytes(b"site_name: Ti\xe9ny\ndocs_dir: docs\n")
    result = publish_to(tmp_path / "www", config, tmp_path)
    refused_with_one_line(result, r"mkdocs\.yml:1:14: the file is not UTF-8 text \(byte 0xe9 cannot be read\)\. "
                                  r"Fix: save the file with UTF-8 encoding")
