"""The layout keeps its promises (docs/architecture.md): what may import what, thin hooks, and
the size limits. These read the source tree, so a change that breaks a rule fails here first."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT

MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 200
PACKAGES = ("carekb", "engine", "hooks", "scripts", "benchmarks")


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO_ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _registered_hooks() -> list[str]:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses !!python/name tags for Material's extensions: read them as plain text.
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return config["hooks"]


@pytest.mark.parametrize("path", _modules("carekb"), ids=lambda p: p.name)
def test_the_domain_package_imports_no_mkdocs_and_no_adapter(path):
    bad = {name for name in _imports(path)
           if name.split(".")[0] in ("mkdocs", "material", "properdocs", "hooks", "engine", "scripts")}
    assert not bad, f"{path.relative_to(REPO_ROOT)} imports {sorted(bad)}: carekb/ is plain Python"


def test_hooks_folder_holds_exactly_the_registered_hooks():
    registered = {Path(entry).name for entry in _registered_hooks()}
    present = {p.name for p in (REPO_ROOT / "hooks").glob("*.py")} - {"__init__.py"}
    assert present == registered, (f"not registered in mkdocs.yml: {sorted(present - registered)}; "
                                   f"registered but missing: {sorted(registered - present)}")
    assert not [p for p in (REPO_ROOT / "hooks").iterdir() if p.is_dir() and p.name != "__pycache__"]


@pytest.mark.parametrize("path", _modules("hooks"), ids=lambda p: p.name)
def test_a_hook_imports_no_other_hook(path):
    """Shared code belongs in carekb/ or engine/ (tests/test_hook_seam.py checks the rest of
    what a hook may touch: the session only, no module state, named priorities)."""
    assert not {name for name in _imports(path) if name.startswith("hooks")}, \
        f"{path.name} imports another hook module"


@pytest.mark.parametrize("path", _modules(*PACKAGES), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_size_limits(path):
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO_ROOT)} has {lines} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"class {node.name} in {path.name} has {size} lines"


def test_the_readme_layout_table_matches_the_tree():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Project layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:carekb|engine|scripts|benchmarks)/[\w/]+\.py)`", table))
    named |= {f"carekb/{m}" for m in re.findall(r"`(\w+\.py)`", table.split("`carekb/`", 1)[1].split("\n", 1)[0])}
    for path in named:
        assert (REPO_ROOT / path).is_file(), f"the README's layout table names {path}, which is gone"
    for path in _modules("carekb", "engine"):
        if path.name != "__init__.py":
            rel = path.relative_to(REPO_ROOT).as_posix()
            assert rel in named, f"{rel} is missing from the README's layout table"
    for folder in ("carekb/", "engine/", "hooks/", "scripts/", "benchmarks/", "tests/", "content/",
                   "overrides/", "docs/"):
        assert f"`{folder}" in table, f"the layout table does not describe {folder}"


@pytest.mark.parametrize("path", _modules("hooks", "engine", "scripts"),
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_what_the_adapters_may_import(path):
    """docs/architecture.md: hooks may use engine.pagesource only; engine and scripts never
    import a hook module (MkDocs loads the hooks, as a build does)."""
    found = _imports(path)
    folder = path.relative_to(REPO_ROOT).parts[0]
    if folder == "hooks":
        assert {n for n in found if n.split(".")[0] == "engine"} <= {"engine.pagesource"}
    else:
        assert not {n for n in found if n.split(".")[0] == "hooks"}, f"{path.name} imports a hook"
