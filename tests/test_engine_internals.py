"""The preview's use of MkDocs and Material internals is fenced (issue 23, point 6).

engine/internals.py lists every private name and undocumented internal of MkDocs and Material
that engine/, hooks/ and scripts/ rely on. Here:

- each listed one still exists in the installed MkDocs, ProperDocs (the same name under
  `properdocs.`) and Material: a pinned upgrade that removes one fails with a plain sentence
  naming it, who uses it and what for;
- the list is complete: an AST scan of engine/, hooks/ and scripts/ finds every private
  (underscore) name they reach in MkDocs, ProperDocs or Material (imported, reached through an
  imported module or class, inherited by a subclass, set on an object of theirs, or named in a
  string), every logger of theirs and handler name they use, and the templates and blocks of
  Material that overrides/ and the staff theme override or extend; each must be listed.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from engine.internals import (ATTRIBUTE, BLOCK, HANDLER, INTERNALS, LOGGER, NAME, OUTPUT,
                              OWN_LOGGERS, TEMPLATE, Internal)
from tests.conftest import REPO_ROOT

ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "material": "Material"}
DISTRIBUTIONS = {"mkdocs": "mkdocs", "properdocs": "properdocs", "material": "mkdocs-material"}
HANDLERS = {"mkdocs": "MkDocsStreamHandler", "properdocs": "ProperDocsStreamHandler"}
SCANNED = ("engine", "hooks", "scripts")
THEMES = (REPO_ROOT / "overrides", REPO_ROOT / "carekb" / "templates" / "staff" / "theme")


def _package_dir(package: str) -> Path:
    return Path(importlib.import_module(package).__file__).parent


def _material_templates() -> Path:
    return _package_dir("material") / "templates"


@cache
def _package_source(package: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(_package_dir(package).rglob("*.py")))


def _as_in(engine: str, name: str) -> str:
    """A MkDocs name as ProperDocs spells it."""
    if engine == "properdocs" and name.split(".")[0] == "mkdocs":
        return "properdocs" + name[len("mkdocs"):]
    return name


def _resolve(dotted: str):
    """The object a dotted name leads to: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for i, part in enumerate(parts[cut:], start=cut):
            if not hasattr(found, part):
                raise LookupError(f"{'.'.join(parts[:i])} has no attribute {part}")
            found = getattr(found, part)
        return found
    raise LookupError(f"there is no module {parts[0]}")


def _sets_on_instances(cls: type, attr: str) -> bool:
    """Whether the class (or a class it inherits from) has the attribute or sets it on self."""
    if hasattr(cls, attr):
        return True
    pattern = re.compile(rf"\bself\.{re.escape(attr)}\s*(?::[^=\n]+)?=[^=]")
    for klass in cls.__mro__:
        try:
            if pattern.search(inspect.getsource(klass)):
                return True
        except (OSError, TypeError):
            continue
    return False


def _missing(internal: Internal, engine: str) -> str | None:
    """Why the engine lacks the internal, or None if it has it."""
    name = _as_in(engine, internal.name)
    if internal.kind == NAME:
        try:
            _resolve(name)
        except LookupError as error:
            return str(error)
    elif internal.kind == ATTRIBUTE:
        owner, _, attr = name.rpartition(".")
        try:
            cls = _resolve(owner)
        except LookupError as error:
            return str(error)
        if not _sets_on_instances(cls, attr):
            return f"{owner} neither has nor sets an attribute {attr}"
    elif internal.kind == LOGGER:
        if not _their_logger(name):
            return f"no module of {engine} creates the logger {name!r}"
    elif internal.kind == HANDLER:
        name = HANDLERS[engine]
        if f"'{name}'" not in _package_source(engine) and f'"{name}"' not in _package_source(engine):
            return f"{engine} names no handler {name!r}"
    elif internal.kind == TEMPLATE:
        if not (_material_templates() / name).exists():
            return f"material/templates/{name} is gone"
    elif internal.kind == BLOCK:
        base = (_material_templates() / "base.html").read_text(encoding="utf-8")
        if not re.search(rf"{{%-?\s*block\s+{re.escape(name)}\b", base):
            return f"material/templates/base.html has no block {name}"
    elif internal.kind == OUTPUT:
        plugin, _, file = name.partition("/")
        source = _package_dir("material") / "plugins" / plugin / "plugin.py"
        if not source.is_file() or file not in source.read_text(encoding="utf-8"):
            return f"Material's {plugin} plugin no longer writes {file}"
    else:
        return f"unknown kind {internal.kind!r}"
    return None


def _cases(*engines: str) -> list[tuple[Internal, str]]:
    """(internal, engine) for each engine that must have it, of `engines`."""
    out = []
    for internal in INTERNALS:
        must = ("mkdocs", "properdocs") if internal.engine == "mkdocs" else (internal.engine,)
        out.extend((internal, engine) for engine in must if engine in engines)
    return out


def _fail(internal: Internal, engine: str, why: str) -> None:
    version = importlib.metadata.version(DISTRIBUTIONS[engine])
    name = HANDLERS[engine] if internal.kind == HANDLER else _as_in(engine, internal.name)
    pytest.fail(f"{ENGINES[engine]} {version} no longer has {name}, used by {internal.used_by} "
                f"{internal.why}: {why}. See docs/engines.md, \"MkDocs internals\": adapt the "
                "code that uses it, then the list in engine/internals.py.", pytrace=False)


@pytest.mark.parametrize(("internal", "engine"), _cases("mkdocs", "material"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_each_listed_internal_still_exists(internal: Internal, engine: str) -> None:
    why = _missing(internal, engine)
    if why is not None:
        _fail(internal, engine, why)


def _properdocs_report() -> None:
    """Print, as JSON, why ProperDocs lacks each listed MkDocs internal (run in a child process:
    importing properdocs.__main__ makes every later `import mkdocs` load ProperDocs instead)."""
    print(json.dumps({i.name: _missing(i, e) for i, e in _cases("properdocs")}))


@pytest.fixture(scope="module")
def properdocs_missing() -> dict[str, str | None]:
    done = subprocess.run([sys.executable, "-c", "from tests.test_engine_internals import "
                           "_properdocs_report; _properdocs_report()"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("internal", "engine"), _cases("properdocs"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_each_listed_mkdocs_internal_exists_in_properdocs(
        internal: Internal, engine: str, properdocs_missing: dict[str, str | None]) -> None:
    """ProperDocs is the way forward (docs/engines.md): what the preview needs of MkDocs must be
    there too."""
    why = properdocs_missing[internal.name]
    if why is not None:
        _fail(internal, engine, why)


def test_the_list_names_each_internal_once() -> None:
    names = [(i.kind, i.name) for i in INTERNALS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert all(i.used_by and i.why for i in INTERNALS)


# -- The list is complete --------------------------------------------------------------------

def _scanned() -> list[Path]:
    return sorted(p for folder in SCANNED for p in (REPO_ROOT / folder).rglob("*.py")
                  if p != REPO_ROOT / "engine" / "internals.py")


def _theirs(dotted: str) -> bool:
    return dotted.split(".")[0] in ENGINES


def _private(part: str) -> bool:
    return part.startswith("_")


@cache
def _our_private_names() -> frozenset[str]:
    """Underscore names the project defines itself: functions, class attributes, self._x = ..."""
    names = set()
    for folder in (*SCANNED, "carekb"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                        and isinstance(node.value, ast.Name) and node.value.id == "self":
                    names.add(node.attr)
                elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                    for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                        if isinstance(target, ast.Name):
                            names.add(target.id)
    return frozenset(n for n in names if _private(n))


@cache
def _their_private_attributes() -> frozenset[str]:
    """Underscore attributes and methods the engines define (`self._x`, `def _x`)."""
    found = set()
    for package in ENGINES:
        source = _package_source(package)
        found |= set(re.findall(r"\bself\.(_[A-Za-z]\w*)", source))
        found |= set(re.findall(r"\bdef (_[A-Za-z]\w*)", source))
    return frozenset(n for n in found if not n.startswith("__"))


@cache
def _their_logger(name: str) -> bool:
    """Whether the engine the name starts with creates a logger of that name."""
    package = name.split(".")[0]
    if re.search(rf"getLogger\(\s*['\"]{re.escape(name)}['\"]", _package_source(package)):
        return True
    try:
        return "getLogger(__name__)" in inspect.getsource(importlib.import_module(name))
    except (ImportError, OSError, TypeError):
        return False


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> the MkDocs/ProperDocs/Material name it stands for."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _theirs(alias.name):
                    out[alias.asname or alias.name.split(".")[0]] = \
                        alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and _theirs(node.module):
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def _chain(node: ast.AST) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None if it does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def _class_attributes(cls: ast.ClassDef) -> set[str]:
    """Underscore attributes a class reaches on self or super()."""
    out = set()
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and _private(node.attr) and not node.attr.startswith("__"):
            value = node.value
            if (isinstance(value, ast.Name) and value.id == "self") or (
                    isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                    and value.func.id == "super"):
                out.add(node.attr)
        elif isinstance(node, ast.FunctionDef) and _private(node.name) and not node.name.startswith("__"):
            out.add(node.name)  # an override of the base's private method
    return out


def _uses(path: Path) -> set[tuple[str, str]]:
    """(kind, name) of each MkDocs/ProperDocs/Material internal the file relies on."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _aliases(tree)
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _theirs(node.module):
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if any(_private(p) for p in dotted.split(".")):
                    found.add((NAME, dotted))
        elif isinstance(node, ast.Import):
            found |= {(NAME, a.name) for a in node.names
                      if _theirs(a.name) and any(_private(p) for p in a.name.split("."))}
        elif isinstance(node, ast.Attribute) and _private(node.attr) and not node.attr.startswith("__"):
            chain = _chain(node)
            if chain and chain[0] in aliases:  # reached through an imported module or class
                dotted = ".".join([aliases[chain[0]], *chain[1:]]).split(".")
                first = next(i for i, p in enumerate(dotted) if _private(p))
                found.add((NAME, ".".join(dotted[:first + 1])))
            elif chain and chain[0] not in ("self", "cls") and node.attr not in _our_private_names():
                found.add((ATTRIBUTE, f"*.{node.attr}"))  # on an object of theirs
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in _their_private_attributes() and node.value not in _our_private_names():
                found.add((ATTRIBUTE, f"*.{node.value}"))  # getattr/setattr by name
            if re.fullmatch(r"(MkDocs|ProperDocs)\w*Handler", node.value):
                found.add((HANDLER, node.value))
            if re.fullmatch(r"[a-z]+(\.[a-z_]+)+", node.value) and _theirs(node.value) \
                    and _their_logger(node.value):
                found.add((LOGGER, node.value))  # a logger of theirs, named as a string
        if isinstance(node, ast.Call) and _chain(node.func) in (["logging", "getLogger"],) \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and _theirs(node.args[0].value):
            found.add((LOGGER, node.args[0].value))
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                chain = _chain(base)
                if chain and chain[0] in aliases:
                    base_name = ".".join([aliases[chain[0]], *chain[1:]])
                    cls = _resolve(base_name)
                    for attr in _class_attributes(node):
                        if _sets_on_instances(cls, attr):
                            found.add((NAME if hasattr(cls, attr) else ATTRIBUTE, f"{base_name}.{attr}"))
    return found


def _listed(kind: str, name: str) -> bool:
    if kind == LOGGER:
        return name in OWN_LOGGERS or any(i.kind == LOGGER and i.name == name for i in INTERNALS)
    if name.startswith("*."):  # an attribute of an object whose type the scan cannot know
        return any(i.kind in (NAME, ATTRIBUTE) and i.name.endswith(name[1:]) for i in INTERNALS)
    if kind == NAME:  # a private module: listed through a name inside it
        return any(i.kind in (NAME, ATTRIBUTE) and (i.name == name or i.name.startswith(name + "."))
                   for i in INTERNALS)
    return any(i.kind == kind and i.name == name for i in INTERNALS)


def test_every_internal_the_code_uses_is_listed() -> None:
    unlisted = []
    for path in _scanned():
        for kind, name in sorted(_uses(path)):
            if not _listed(kind, name):
                unlisted.append(f"{path.relative_to(REPO_ROOT)} uses {name} ({kind})")
    assert not unlisted, ("MkDocs or Material internals missing from engine/internals.py (add each "
                          "with who uses it and why): " + "; ".join(unlisted))


def test_the_scan_finds_what_it_should() -> None:
    """The scan itself: it sees the internals the preview is known to use."""
    serve = _uses(REPO_ROOT / "engine" / "serve.py")
    assert (NAME, "mkdocs.livereload.LiveReloadServer._build_loop") in serve
    assert (ATTRIBUTE, "mkdocs.livereload.LiveReloadServer._rebuild_cond") in serve
    assert (LOGGER, "mkdocs.livereload") in serve
    assert (NAME, "mkdocs.commands.build._populate_page") in _uses(REPO_ROOT / "engine" / "preview.py")
    replay = _uses(REPO_ROOT / "engine" / "replay.py")
    assert {(ATTRIBUTE, "*._current_page"), (ATTRIBUTE, "*._title_from_render")} <= replay
    assert (NAME, "mkdocs.__main__.cli") in _uses(REPO_ROOT / "engine" / "build.py")
    assert not _listed(NAME, "mkdocs.commands.build._no_such_step")


def _theme_files() -> list[Path]:
    return sorted(p for folder in THEMES for p in folder.rglob("*.html"))


def test_every_material_template_and_block_the_themes_rely_on_is_listed() -> None:
    material = _material_templates()
    unlisted = []
    for path in _theme_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(REPO_ROOT)
        relative = path.relative_to(next(f for f in THEMES if f in path.parents)).as_posix()
        if (material / relative).is_file() and not _listed(TEMPLATE, relative):
            unlisted.append(f"{where} overrides Material's {relative}")
        for used in re.findall(r"{%-?\s*(?:extends|include|import)\s+\"([^\"]+)\"", text):
            ours = used.startswith("kb-") or any((f / used).exists() for f in THEMES)
            if not ours and not used.endswith("/") and (material / used).exists() \
                    and not _listed(TEMPLATE, used):
                unlisted.append(f"{where} uses Material's {used}")
        for used in re.findall(r"{%-?\s*include\s+\"(\.\w+)/", text):
            if not _listed(TEMPLATE, used):
                unlisted.append(f"{where} includes from Material's {used}/")
        for block in re.findall(r"{%-?\s*block\s+(\w+)", text):
            if not _listed(BLOCK, block):
                unlisted.append(f"{where} fills Material's block {block}")
    assert not unlisted, "missing from engine/internals.py: " + "; ".join(unlisted)
