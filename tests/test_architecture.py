"""The layout keeps its promises (docs/architecture.md): what may import what, thin hooks, and
the size limits. These read the source tree, so a change that breaks a rule fails here first.

The rules live in two tables below (STAGES, AROUND); docs/architecture.md shows the same two
tables, and test_the_doc_shows_the_tables_these_tests_check keeps them equal."""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "architecture.md"
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 200
PACKAGES = ("carekb", "engine", "hooks", "scripts", "benchmarks")
OURS = ("carekb", "engine", "hooks", "scripts")  # this project's packages
MKDOCS = ("mkdocs", "material", "properdocs")  # the engine and its theme

# The stage folders of carekb/, lowest first, each with the folders it may import besides itself.
# Every folder named is above it in this list: nothing imports a higher stage.
STAGES: dict[str, tuple[str, ...]] = {
    "base": (),
    "model": ("base",),
    "meaning": ("base", "model"),
    "load": ("base", "model", "meaning"),
    "web": ("base",),
    "i18n": ("base", "model", "load"),
    "pages": ("base", "model", "i18n"),
    "render": ("base", "model", "i18n", "pages"),
    "checks": ("base", "model", "load", "web", "render"),
    "staff": ("base", "model", "web", "render"),
    "build": ("base", "model", "i18n", "pages", "render", "staff"),
    "change": ("base", "model", "load", "i18n", "render"),
    "publish": ("base", "build"),
    "cli": ("base", "model", "load", "i18n", "build", "change"),
}


@dataclass(frozen=True)
class Around:
    """What one top folder may import: of this project (dotted prefixes), and of MkDocs/Material."""

    ours: tuple[str, ...]
    mkdocs: bool  # may import mkdocs, material or properdocs
    mkdocs_private: bool  # may use their private (`_name`) names


AROUND: dict[str, Around] = {
    "carekb": Around(("carekb",), mkdocs=False, mkdocs_private=False),
    "hooks": Around(("carekb", "engine.pagesource"), mkdocs=True, mkdocs_private=False),
    "engine": Around(("carekb", "engine"), mkdocs=True, mkdocs_private=True),
    "scripts": Around(("carekb", "engine"), mkdocs=False, mkdocs_private=False),
}


# --- reading the source ---------------------------------------------------------------------

def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO_ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def _dotted(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@dataclass(frozen=True)
class Import:
    """One imported name: `module` is the dotted module, `name` what was taken from it (or None)."""

    file: Path
    line: int
    module: str
    name: str | None
    text: str  # the statement as written, for messages

    def where(self) -> str:
        return f"{_rel(self.file)} line {self.line}: `{self.text}`"


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@cache
def _imports(path: Path) -> tuple[Import, ...]:
    """Every import in a file, wherever it is: at the top, in a function, under `if TYPE_CHECKING:`."""
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path).rpartition(".")[0]
    found = []
    for node in ast.walk(_tree(path)):
        text = ast.unparse(node) if isinstance(node, (ast.Import, ast.ImportFrom)) else ""
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name, None, text) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found += [Import(path, node.lineno, module, alias.name, text) for alias in node.names]
    return tuple(found)


def _top(module: str) -> str:
    return module.split(".")[0]


@cache
def _carekb_modules() -> dict[str, Path]:
    return {_dotted(p): p for p in _modules("carekb")}


def _targets(imp: Import) -> list[str]:
    """The carekb modules an import runs: the one named and the packages above it."""
    modules = _carekb_modules()
    named = f"{imp.module}.{imp.name}" if imp.name and f"{imp.module}.{imp.name}" in modules else imp.module
    while named and named not in modules:
        named = named.rpartition(".")[0]
    found = []
    while named:
        found.append(named)
        named = named.rpartition(".")[0]
    return found


def _folder(module: str) -> str | None:
    """The stage folder of a carekb module (`carekb.render.language.api` -> `render`)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "carekb" else None


def _stage_folders_on_disk() -> set[str]:
    return {p.name for p in (REPO_ROOT / "carekb").iterdir()
            if p.is_dir() and any(p.rglob("*.py"))}


def _fail(broken: list[str], rule: str) -> None:
    assert not broken, f"{rule}\n" + "\n".join(f"  - {line}" for line in sorted(set(broken)))


# --- the doc shows these tables ---------------------------------------------------------------

def _doc_table(heading: str) -> list[list[str]]:
    """The rows of the first table under `heading` in docs/architecture.md, cells stripped."""
    lines = DOC.read_text(encoding="utf-8").split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i, line in enumerate(lines) if i > start and not line.startswith("|")), len(lines))
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in lines[start + 2:end]]


def _names(cell: str) -> tuple[str, ...]:
    return tuple(name.strip("/") for name in re.findall(r"`([^`]+)`", cell))


def test_the_doc_shows_the_tables_these_tests_check():
    stages = [(_names(row[0])[0], _names(row[1])) for row in _doc_table("### Inside carekb/")]
    assert stages == list(STAGES.items()), (
        "docs/architecture.md's table under 'Inside carekb/' differs from STAGES in "
        "tests/test_architecture.py: change both together (same folders, same order, same lists)")
    around = {_names(row[0])[0]: Around(_names(row[1]), row[2].startswith("yes"), row[3].startswith("yes"))
              for row in _doc_table("### Around carekb/") if row[0] != "`benchmarks/`, `tests/`"}
    assert around == AROUND, (
        "docs/architecture.md's table under 'Around carekb/' differs from AROUND in "
        "tests/test_architecture.py: change both together")
    tree = DOC.read_text(encoding="utf-8").split("## The tree", 1)[1].split("\n## ", 1)[0]
    missing = [folder for folder in STAGES if f"  {folder}/" not in tree]
    assert not missing, f"docs/architecture.md's tree does not show carekb/{missing}/"


# --- (a) no circles ---------------------------------------------------------------------------

def _graph() -> dict[str, dict[str, Import]]:
    """carekb module -> {module it imports: the import that does}."""
    graph: dict[str, dict[str, Import]] = {}
    for module, path in _carekb_modules().items():
        edges = graph.setdefault(module, {})
        for imp in _imports(path):
            if _top(imp.module) == "carekb":
                for target in _targets(imp):
                    if target != module:
                        edges.setdefault(target, imp)
    return graph


def _circle(graph: dict[str, dict[str, Import]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the path being walked, 2 = done
    path: list[str] = []

    def walk(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, {})):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := walk(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := walk(module)):
            return found
    return None


def test_no_import_circle_in_carekb():
    """Type-only imports (`if TYPE_CHECKING:`) and imports inside functions count too."""
    graph = _graph()
    circle = _circle(graph)
    if circle:
        steps = "\n".join(f"  {graph[a][b].where()}  ({a} -> {b})" for a, b in zip(circle, circle[1:]))
        raise AssertionError(
            f"import circle: {' -> '.join(circle)}\n{steps}\n"
            "Rule (docs/architecture.md): no module imports, even for types only, a module that "
            "imports it back. Move what both need into the lower one, or into a lower folder.")


# --- (b) nothing imports a higher stage -------------------------------------------------------

def test_carekb_folders_are_the_declared_stages():
    on_disk = _stage_folders_on_disk()
    assert on_disk == set(STAGES), (
        f"carekb/ folders not in the stage table: {sorted(on_disk - set(STAGES))}; in the table but "
        f"gone: {sorted(set(STAGES) - on_disk)}. Declare each folder in docs/architecture.md "
        "('Inside carekb/') and in STAGES, with the folders it may import.")
    loose = [_rel(p) for p in (REPO_ROOT / "carekb").glob("*.py") if p.name != "__init__.py"]
    assert not loose, f"{loose}: every module of carekb/ belongs in a stage folder"
    order = list(STAGES)
    upward = [f"{folder} may import {lower}" for folder, allowed in STAGES.items()
              for lower in allowed if order.index(lower) >= order.index(folder)]
    assert not upward, f"the stage table lets a folder import one at or above it: {upward}"


def test_no_import_from_a_lower_stage_to_a_higher_one():
    broken = []
    for module, path in _carekb_modules().items():
        here = _folder(module)
        for imp in _imports(path):
            if _top(imp.module) != "carekb":
                continue
            there = _folder(_targets(imp)[0]) if _targets(imp) else None
            if there is None or there == here:
                continue
            if here is None or there not in STAGES.get(here, ()):
                allowed = ", ".join(STAGES.get(here or "", ())) or "nothing"
                broken.append(f"{imp.where()}: carekb/{here}/ may not import carekb/{there}/ "
                              f"(it may import: {allowed})")
    _fail(broken, "A folder of carekb/ imports only the lower stages its row in docs/architecture.md "
                  "('Inside carekb/') names:")


# --- (c) no private names across modules ------------------------------------------------------

def _bound_names(path: Path) -> dict[str, str]:
    """Local name -> the dotted thing it stands for, for every name an import binds."""
    bound = {}
    for imp in _imports(path):
        if imp.name is None:
            alias = next(a for node in ast.walk(_tree(path)) if isinstance(node, ast.Import)
                         and node.lineno == imp.line for a in node.names if a.name == imp.module)
            bound[alias.asname or imp.module.split(".")[0]] = imp.module if alias.asname else _top(imp.module)
        else:
            alias = next(a for node in ast.walk(_tree(path)) if isinstance(node, ast.ImportFrom)
                         and node.lineno == imp.line for a in node.names if a.name == imp.name)
            bound[alias.asname or imp.name] = f"{imp.module}.{imp.name}"
    return bound


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_uses(path: Path) -> list[tuple[str, str]]:
    """(where, the private name with what it belongs to) for each private name of another module."""
    found = [(imp.where(), f"{imp.module}.{imp.name}")
             for imp in _imports(path) if imp.name and _private(imp.name)]
    bound = _bound_names(path)
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain, value = [], node.value
            while isinstance(value, ast.Attribute):
                chain.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in bound:
                owner = ".".join([bound[value.id], *chain])
                found.append((f"{_rel(path)} line {node.lineno}: `{ast.unparse(node)}`", f"{owner}.{node.attr}"))
    return found


def test_no_module_uses_a_private_name_of_another_of_our_modules():
    broken = [f"{where} uses {name}, a private name of another module"
              for path in _modules(*OURS) for where, name in _private_uses(path) if _top(name) in OURS]
    _fail(broken, "No module uses another module's private (`_name`) names: make the name public "
                  "(drop the underscore, and document it) or move the code that needs it:")


# --- (d) what hooks/, engine/, scripts/ (and carekb/) may import of this project ---------------

def test_what_each_top_folder_may_import_of_this_project():
    broken = []
    for folder, rule in AROUND.items():
        for path in _modules(folder):
            for imp in _imports(path):
                full = f"{imp.module}.{imp.name}" if imp.name else imp.module
                if _top(imp.module) in OURS and not any(
                        full == allowed or full.startswith(allowed + ".") for allowed in rule.ours):
                    broken.append(f"{imp.where()}: {folder}/ may import only {', '.join(rule.ours)} "
                                  "of this project")
    _fail(broken, "What a top folder may import (docs/architecture.md, 'Around carekb/'); a hook "
                  "never imports another hook, and nothing imports hooks/ (MkDocs loads them):")


def test_hooks_folder_holds_exactly_the_registered_hooks():
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses !!python/name tags for Material's extensions: read them as plain text.
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    registered = {Path(entry).name for entry in config["hooks"]}
    present = {p.name for p in (REPO_ROOT / "hooks").glob("*.py")} - {"__init__.py"}
    assert present == registered, (f"not registered in mkdocs.yml: {sorted(present - registered)}; "
                                   f"registered but missing: {sorted(registered - present)}")
    assert not [p for p in (REPO_ROOT / "hooks").iterdir() if p.is_dir() and p.name != "__pycache__"]


# --- (e) who touches MkDocs and Material ------------------------------------------------------

def test_only_engine_and_hooks_import_mkdocs_and_only_engine_uses_its_private_names():
    broken = []
    for folder, rule in AROUND.items():
        for path in _modules(folder):
            if not rule.mkdocs:
                broken += [f"{imp.where()}: {folder}/ may not import MkDocs or Material"
                           for imp in _imports(path) if _top(imp.module) in MKDOCS]
            if not rule.mkdocs_private:
                broken += [f"{where}: {folder}/ may not use {name}, a private name of MkDocs or Material"
                           for where, name in _private_uses(path) if _top(name) in MKDOCS]
    _fail(broken, "Only engine/ and hooks/ touch MkDocs and Material, and only engine/ their private "
                  "names (docs/architecture.md, 'Around carekb/'): move the use behind engine/:")


# --- size: a warning, not a failure ----------------------------------------------------------

def test_size_limits_warn():
    """About 400 lines a module and 200 a class: past that a warning (pytest shows it), not a
    failure. A folder, not a line count, is the reason to split (issue 23)."""
    for path in _modules(*PACKAGES):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            warnings.warn(f"{_rel(path)} has {lines} lines (about {MAX_MODULE_LINES} is the limit)",
                          stacklevel=1)
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                warnings.warn(f"class {node.name} in {_rel(path)} has {node.end_lineno - node.lineno + 1} "
                              f"lines (about {MAX_CLASS_LINES} is the limit)", stacklevel=1)


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
