"""What the preview (engine/preview.py) reuses from one build to the next: the parsed mkdocs.yml
and the compiled code of page sources. Both are MkDocs 1.6.1 / Jinja internals, wrapped here.
"""

from __future__ import annotations

import copy
import logging
import re
from pathlib import Path
from typing import Any

# MkDocs internals used here (yaml_load, get_yaml_loader, the mkdocs.config logger,
# Files.add_files_from_theme) are listed in engine/internals.py.
from mkdocs import exceptions
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig, get_yaml_loader
from mkdocs.structure.files import File
from mkdocs.utils.yaml import yaml_load

log = logging.getLogger("mkdocs.config")


class ConfigReader:
    """`mkdocs.config.load_config` for one file, reading its YAML (and what it INHERITs) once.

    Each build still gets a fresh, validated config (plugins change it); only the parse of the
    file is kept. A file using YAML tags (`!ENV`, `!relative`: values bound to the config or the
    environment at load time), itself or in a file it INHERITs, is read afresh every time. `forget()` after mkdocs.yml changes.
    """

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self._raw: dict[str, Any] | None = None
        self._tagged: bool | None = None

    def forget(self) -> None:
        self._raw, self._tagged = None, None

    def load(self, **options: Any) -> MkDocsConfig:
        if self._tagged is None:
            self._tagged = _uses_tags(self.config_file)
        if self._tagged:
            return load_config(str(self.config_file), **options)
        config = MkDocsConfig(config_file_path=str(self.config_file))
        if self._raw is None:
            with open(self.config_file, "rb") as fd:
                self._raw = yaml_load(fd, get_yaml_loader(config=config))
        config.load_dict(copy.deepcopy(self._raw))
        config.load_dict({k: v for k, v in options.items() if v is not None})
        errors, warnings = config.validate()
        for name, warning in warnings:
            log.warning(f"Config value '{name}': {warning}")
        for name, error in errors:
            log.error(f"Config value '{name}': {error}")
        if errors:
            raise exceptions.Abort("Aborted with a configuration error!")
        if config.strict and warnings:
            raise exceptions.Abort(
                f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
        return config


def _uses_tags(path: Path) -> bool:
    """Whether the file, or one it INHERITs, may hold a YAML tag (any "!" counts)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    parent = re.search(r"^INHERIT:\s*['\"]?([^'\"\s#]+)", text, re.M)
    return "!" in text or (parent is not None and _uses_tags(path.parent / parent.group(1)))


def share_compiled(env, code: dict[tuple, Any]) -> None:
    """Each build's renderer compiles page sources anew; reuse the code of unchanged sources.

    Jinja's compiled code depends only on the source and the environment's settings, which
    every renderer sets the same way (a hook edit clears `code` with the hook modules).
    """
    compile_ = env.compile

    def compile_once(source, name=None, filename=None, raw=False, defer_init=False):
        key = (source, name, filename, raw, defer_init, type(env))
        if key not in code:
            if len(code) > 2000:  # many edits later: start again rather than grow for ever
                code.clear()
            code[key] = compile_(source, name, filename, raw, defer_init)
        return code[key]

    env.compile = compile_once


def add_theme_files(files, env, config, kept: list[tuple[str, str]] | None, *,
                    full: bool) -> list[tuple[str, str]]:
    """The theme's static files: MkDocs walks the theme on a full build; later builds add the
    list kept from it (returned, to keep)."""
    if full or kept is None:
        files.add_files_from_theme(env, config)
        dirs = set(config.theme.dirs)
        return [(f.src_uri, f.src_dir) for f in files if f.src_dir in dirs]
    for path, folder in kept:
        if files.get_file_from_path(path) is None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))
    return kept
