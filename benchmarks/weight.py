"""Weight: the bytes of HTML, CSS and JS a first visit to the home page downloads.

Counted from the built files: the page itself, every stylesheet and script it links, and
Material's search worker (named in the page's `__config`, started on load). The search
index is JSON, so it is reported beside the total, not in it. Bytes are as stored and as
gzip would send them.

References, built from the same dumped Markdown as the floor:
- stock Material, same pages: theme `material` with default settings (font: false, so
  nothing remote), no overrides, no extra CSS or JS, the same Markdown extensions and nav;
- stock Material, one page: a minimal site with a one-line home page.
"""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from benchmarks.site import Prepared, _loose_load, run_build


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.css: list[str] = []
        self.js: list[str] = []
        self._config = False
        self.config_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._config = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._config = False

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config_text += data


def _local(site: Path, page: str, ref: str) -> Path | None:
    url = urljoin(f"http://site/{page}", ref)
    parts = urlsplit(url)
    if parts.netloc != "site":
        return None  # another host: counted as missing, a privacy problem of its own
    return site / parts.path.lstrip("/")


def first_visit(site: Path, page: str = "index.html") -> dict:
    """Bytes (raw and gzip) of the page's HTML, linked CSS, linked JS and the search worker."""
    html_path = site / page
    parser = _Assets()
    parser.feed(html_path.read_text(encoding="utf-8"))
    files: dict[str, list[Path]] = {"html": [html_path], "css": [], "js": []}
    remote: list[str] = []
    for kind, refs in (("css", parser.css), ("js", parser.js)):
        for ref in refs:
            path = _local(site, page, ref)
            if path is None or not path.is_file():
                remote.append(ref)
            else:
                files[kind].append(path)
    search_index = None
    if parser.config_text.strip():
        config = json.loads(parser.config_text)
        base = config.get("base", ".")
        if config.get("search"):
            worker = _local(site, page, urljoin(base.rstrip("/") + "/", config["search"]))
            if worker is not None and worker.is_file():
                files["js"].append(worker)
        index = site / "search" / "search_index.json"
        if index.is_file():
            search_index = index.stat().st_size
    out: dict = {"remote": remote, "search_index_json": search_index}
    raw = gz = 0
    for kind, paths in files.items():
        kind_raw = sum(p.stat().st_size for p in paths)
        kind_gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in paths)
        out[kind] = {"files": len(paths), "bytes": kind_raw, "gzip": kind_gz}
        raw += kind_raw
        gz += kind_gz
    out["total"] = {"bytes": raw, "gzip": gz}
    return out


def stock_same_pages(prep: Prepared, out: Path) -> Path:
    """Build the dumped pages with stock Material (default theme settings, font: false)."""
    project_cfg = _loose_load(prep.ours)
    nav = yaml.safe_load((prep.project / "nav.yaml").read_text(encoding="utf-8"))
    theme: dict = {"name": "material", "font": False}
    # A page may name one of the project's page templates (`template: self-check.html`); stock
    # Material has none, so there each one is Material's plain page.
    named = [p.name for p in (prep.project / "overrides").glob("*.html") if p.name not in ("main.html", "404.html")]
    if named:
        stock = prep.project / "stock-overrides"
        stock.mkdir(exist_ok=True)
        for name in named:
            (stock / name).write_text('{% extends "main.html" %}\n', encoding="utf-8")
        theme["custom_dir"] = "stock-overrides"
    config = {
        "site_name": project_cfg.get("site_name", "Stock"),
        "docs_dir": "floor-docs",
        "theme": theme,
        "markdown_extensions": project_cfg.get("markdown_extensions") or [],
    }
    if nav:
        config["nav"] = nav
    cfg = prep.project / "mkdocs.stock.yml"
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run_build(cfg, out)
    return out


def stock_minimal(workdir: Path) -> Path:
    """A one-page stock Material site."""
    project = workdir / "stock-minimal"
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    cfg = project / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump({"site_name": "Stock", "theme": {"name": "material", "font": False}}),
                   encoding="utf-8")
    run_build(cfg, project / "site")
    return project / "site"
