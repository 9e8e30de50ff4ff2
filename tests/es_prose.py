"""The prose and the structure of a Spanish page (content/es/), read before a Spanish build exists.

Until the Spanish site is built (issue 22), a Spanish page cannot be rendered with Spanish
wording for its figures. `page_ease` reads the page's Markdown, replaces each page-language
call by a short placeholder word (`_placeholder`), renders it with Python-Markdown and scores
the body with carekb/checks/readability_es.py, which reads the same blocks the English grade reads.
`structure` lists what a translation must keep from its English page.

    .venv/bin/python -m tests.es_prose     # each Spanish page's two scores
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import yaml

from carekb.checks.readability_es import Ease, score_html

ROOT = Path(__file__).resolve().parent.parent
_CALL = re.compile(r"\{\{.*?\}\}", re.S)
_EXTENSIONS = ["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables",
               "pymdownx.details", "pymdownx.superfences"]


def spanish_pages() -> list[Path]:
    return sorted((ROOT / "content" / "es").glob("*.md"))


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return yaml.safe_load(head) or {}, body
    return {}, text


def _placeholder(match: re.Match[str]) -> str:
    """What stands in for a call: citations and blocks (their own text) say nothing here,
    a link says its given text, crisis numbers and addresses are not words."""
    call = match.group(0)
    name = re.match(r"\{\{\s*([\w.]+)", call)
    name_s = name.group(1) if name else ""
    if name_s in ("cite", "block"):
        return ""
    if name_s == "link":
        text = re.search(r'link\(\s*"[^"]*"\s*,\s*"([^"]*)"', call)
        if text:
            return text.group(1)
        return "IOP" if "short=True" in call else "programa"
    if name_s.startswith("crisis."):
        return "línea de ayuda" if name_s.endswith(".name") else ""
    return "dato"


def page_ease(path: Path) -> Ease:
    """Both Spanish reading-ease scores of a page's prose, calls replaced by placeholders."""
    _, body = _split_front_matter(path.read_text(encoding="utf-8"))
    html = markdown.markdown(_CALL.sub(_placeholder, body), extensions=_EXTENSIONS)
    return score_html(html)


# The words a call carries for the reader, which a translation translates: a link's own text,
# the text a block puts after each item (`after="..."`) and the words that join a list.
_CALL_WORDS = (re.compile(r'(link\(\s*"[^"]*"\s*,\s*)"[^"]*"'), re.compile(r'(\bafter=)"[^"]*"'),
               re.compile(r'(\bjoin\()"[^"]*"'))


def _normal_call(call: str) -> str:
    """A call with its spacing normalised and the words it carries for the reader blanked."""
    call = re.sub(r"\s+", " ", call)
    for words in _CALL_WORDS:
        call = words.sub(r'\1"…"', call)
    return call


def structure(path: Path) -> dict[str, Any]:
    """What a translation keeps: per section (between headings) the page-language calls and
    the number of list items; the heading levels in order; every link target; admonitions."""
    meta, body = _split_front_matter(path.read_text(encoding="utf-8"))
    sections = re.split(r"(?m)^#{1,6} ", body)
    return {
        "calls": [sorted(_normal_call(c) for c in _CALL.findall(s)) for s in sections],
        "headings": re.findall(r"(?m)^(#{1,6}) ", body),
        "links": sorted(re.sub(r"\s+", " ", t) for t in re.findall(r"\]\(([^)]*)\)", body)),
        "lists": [len(re.findall(r"(?m)^\s*(?:[-*+]|\d+\.)\s", s)) for s in sections],
        "admonitions": re.findall(r"(?m)^(?:!!!|\?\?\?\+?) *(\w+)", body),
        "front_matter_keys": sorted(k for k in meta if k != "translation"),  # its record (carekb-translate)
        "title": meta.get("title"),
        "description": meta.get("description"),
        "reviewed": meta.get("reviewed"),
    }


def main() -> None:
    print(f"{'page':40} {'words':>6} {'sentences':>9} {'F-Huerta':>9} {'INFLESZ':>8}")
    for page in spanish_pages():
        e = page_ease(page)
        print(f"{'content/es/' + page.name:40} {e.words:6} {e.sentences:9} {e.fernandez_huerta:9.1f} {e.inflesz:8.1f}")


if __name__ == "__main__":
    main()
