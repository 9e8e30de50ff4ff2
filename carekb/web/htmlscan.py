"""Read HTML the way a browser reads it: one WHATWG HTML5 parser for every output check.

The unsafe-content gate, the staff-link check, the privacy check and the reading grade judge
the tree a browser would build from a page, never its text: comments, raw-text elements
(`<noscript>`, `<xmp>`, `<textarea>`, `<style>`...), stray end tags, foreign content (SVG,
MathML) and character references are read by Lexbor, a conformant HTML5 parser (through
`selectolax`; measured against html5lib and justhtml in benchmarks/parsers.py).

A browser builds one of two trees from the same page: with scripting on, `<noscript>` holds
raw text; with it off, markup. A payload may hide in either reading, so a page holding
"noscript" is read both ways and the checks judge every element of both (`elements`). The
content of every `<template>` counts too, although it is inert until a script uses it.

`urls` lists the addresses one element holds (the one list of URL attributes every check
shares, `URL_ATTRS`, the candidates of a srcset, a meta refresh target).

`remembered` keeps a check's results between the builds of the preview.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

T = TypeVar("T")

RAW = ("script", "style")  # elements whose text the checks read as code (CSS or JavaScript)
_NOSCRIPT = re.compile("noscript", re.I)  # tag names are never written with character references


class Element(NamedTuple):
    """One element of the tree."""

    tag: str  # local name, lower case
    attrs: list[tuple[str, str | None]]  # (name in lower case, decoded value; None: written bare)
    body: str  # the text inside <script> and <style> (HTML or SVG), else ""
    in_article: bool  # inside an <article> (the page body, where cited links may be)


def readings(html: str, *, fragment: bool = False) -> tuple[LexborHTMLParser, ...]:
    """The trees a browser may build from `html`: scripting on, and, when the page holds a
    <noscript>, scripting off. `fragment`: `html` is a page body (MkDocs' page.content),
    read as the content of an <article>. Kept for the last two pages read (the checks read
    the same page one after the other; callers never change the trees)."""
    return _readings(html, fragment)


@functools.lru_cache(maxsize=2)
def _readings(html: str, fragment: bool) -> tuple[LexborHTMLParser, ...]:
    options = {"is_fragment": True, "fragment_tag": "article"} if fragment else {}
    trees = [LexborHTMLParser(html, scripting=True, **options)]
    if _NOSCRIPT.search(html):
        trees.append(LexborHTMLParser(html, scripting=False, **options))
    return tuple(trees)


def _walk(tree: LexborHTMLParser) -> Iterator[tuple[LexborNode, bool]]:
    """Every element of one tree, template contents included, with whether it is in an
    <article> (never, in a template's content: a template's links are not cited links)."""
    root = tree.root
    if root is None:
        return
    inside = ({n.mem_id for n in tree.css("article *")} if tree.css_first("article") else set())
    pending = [root]
    while pending:
        top = pending.pop()
        for node in top.traverse():
            if node.is_element_node:
                yield node, node.mem_id in inside
        pending += [fragment for fragment in top.template_fragments() if fragment is not None]


def _elements(tree: LexborHTMLParser) -> list[Element]:
    out = []
    for node, in_article in _walk(tree):
        tag = node.tag
        tag = tag if tag.islower() else tag.lower()
        found = node.attributes
        attrs = [(k if k.islower() else k.lower(), v) for k, v in found.items()] if found else []
        body = node.text(deep=True) if tag in RAW else ""
        out.append(Element(tag, attrs, body, in_article))
    return out


@functools.lru_cache(maxsize=2)
def _cached(html: str, fragment: bool) -> list[Element]:
    trees = readings(html, fragment=fragment)
    found = _elements(trees[0])
    if len(trees) > 1:  # what only the scripting-off reading builds
        seen = {_key(e) for e in found}
        found += [e for e in _elements(trees[1]) if _key(e) not in seen]
    return found


def _key(element: Element) -> tuple:
    return element.tag, tuple(element.attrs), element.body


def elements(html: str, *, fragment: bool = False) -> list[Element]:
    """Every element of every tree a browser may build from `html` (see `readings`), in page
    order: the scripting-on reading, then what only the scripting-off reading holds. Kept for the last two pages read: the checks read
    the same page one after the other (callers never change the result)."""
    return _cached(html, fragment)


def start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]], str]]:
    """(name, attributes, raw body) of every element of a page body (see `elements`)."""
    return [(e.tag, e.attrs, e.body) for e in elements(html, fragment=True)]


# -- the addresses in an element (shared by the staff-link, privacy and safety checks) ---------
# Attributes whose value is (or holds) an address a browser may load, follow or send a form to.
URL_ATTRS = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "data", "background", "ping",
    "manifest", "icon", "longdesc", "cite", "codebase", "imagesrcset", "xlink:href", "lowsrc",
    "dynsrc", "archive", "usemap",
})
_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I | re.S)
_SRCSET_SPACE = re.compile(r"[\t\n\f\r ]+")


def refresh_url(content: str) -> str:
    """The address in a `<meta http-equiv=refresh content="5; url=...">` (browsers also take
    one without "url="), or ""."""
    m = _REFRESH.match(content)
    return m.group(2).strip() if m else ""


def srcset_urls(value: str) -> list[str]:
    """The addresses of a srcset, as the HTML standard splits it: each candidate is an address
    up to white space, then an optional descriptor up to a comma (an address may hold commas)."""
    out: list[str] = []
    rest = value
    while True:
        rest = rest.lstrip("\t\n\f\r ,")
        if not rest:
            return out
        m = _SRCSET_SPACE.search(rest)
        url, rest = (rest[:m.start()], rest[m.end():]) if m else (rest, "")
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptor, up to the next comma outside parentheses
            depth = 0
            for i, char in enumerate(rest):
                depth += (char == "(") - (char == ")" and depth > 0)
                if char == "," and depth == 0:
                    rest = rest[i + 1:]
                    break
            else:
                rest = ""
        if url:
            out.append(url)


def urls(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """(attribute, address) for every address one element holds: URL attributes, each
    candidate of a srcset, and the target of a meta refresh."""
    found: list[tuple[str, str]] = []
    values = None
    for name, value in attrs:
        if value is None or name.startswith("xmlns"):
            continue
        if name in URL_ATTRS:
            if name.endswith("srcset"):
                found += [(name, url) for url in srcset_urls(value)]
            else:
                found.append((name, value))
        elif tag == "meta" and name == "content":
            values = values if values is not None else {k: v or "" for k, v in attrs}
            if "refresh" in values.get("http-equiv", "").lower() and refresh_url(value):
                found.append(("content", refresh_url(value)))
    return found


# -- results kept between builds (the preview) --------------------------------------------------
# The preview (engine/preview.py) hands the checks the same HTML of every unchanged page on
# each save. A check that is a pure function of a page's text can keep its result for the next
# build: `remembered` does, once `keep_results()` was called. A plain build keeps nothing, so
# it holds no page longer than MkDocs does.
_kept: dict[tuple[str, str], Any] | None = None
_previous: dict[tuple[str, str], Any] = {}


def keep_results() -> None:
    """From now on, `remembered` functions keep their results for the next build."""
    global _kept
    if _kept is None:
        _kept = {}


def next_build() -> None:
    """A new build starts: results the last build did not ask for are dropped after this one."""
    global _kept, _previous
    if _kept is not None:
        _kept, _previous = {}, _kept


def remembered(check: Callable[[str], T]) -> Callable[[str], T]:
    """`check(text)`, computed once per text while results are kept (callers never change
    the result)."""
    name = f"{check.__module__}.{check.__qualname__}"

    @functools.wraps(check)
    def kept(text: str) -> T:
        if _kept is None:
            return check(text)
        key = (name, text)
        if key in _kept:
            return _kept[key]
        value = _previous.pop(key) if key in _previous else check(text)
        _kept[key] = value
        return value

    return kept
