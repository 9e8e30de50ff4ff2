"""html5lib readings of a page: the reference the checks' reader (carekb/web/htmlscan.py, Lexbor) is
compared with. html5lib is an independent implementation of the same WHATWG parsing rules, in
pure Python; where both read a page alike, the checks judge the tree a browser builds.

(The one known difference: html5lib 1.1 predates the 2025 rules for content inside <select>,
which Lexbor and Chromium follow; the random mixes leave <select> out.)"""

from __future__ import annotations

import html5lib

from carekb.web.htmlscan import RAW, Element
from carekb.checks.privacy import _css_urls, _found_in, _js_urls

_PREFIX = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:",
           "http://www.w3.org/2000/xmlns/": "xmlns:"}


def _name(key: object) -> str:
    """An attribute's name as written ("xlink:href"), from html5lib's "{namespace}name"."""
    key = str(key)
    if key.startswith("{"):
        namespace, local = key[1:].split("}", 1)
        prefix = _PREFIX.get(namespace, "")
        return local if prefix == "xmlns:" and local == "xmlns" else prefix + local
    return key.lower()


def reference_elements(html: str, *, scripting: bool = True, fragment: bool = False) -> list[Element]:
    """Every element html5lib builds from `html`, in document order, as `htmlscan.Element`s."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    root = (parser.parseFragment(html, container="article", scripting=scripting) if fragment
            else parser.parse(html, scripting=scripting))
    out: list[Element] = []
    pending = [(root, False, fragment)]
    while pending:
        node, in_article, is_root = pending.pop()
        if not is_root and isinstance(node.tag, str):
            tag = node.tag.rsplit("}", 1)[-1].lower()
            attrs = [(_name(k), v) for k, v in node.attrib.items()]
            body = "".join(node.itertext()) if tag in RAW else ""
            out.append(Element(tag, attrs, body, in_article))
            # a template's content is never a cited link (htmlscan._walk)
            in_article = (in_article or tag == "article") and tag != "template"
        pending += [(child, in_article, False) for child in reversed(list(node))]
    return out


def reference_readings(html: str, *, fragment: bool = False) -> list[Element]:
    """Both readings, as `htmlscan.elements` gives them: scripting on, then what only the
    scripting-off reading holds."""
    first = reference_elements(html, scripting=True, fragment=fragment)
    seen = {(e.tag, tuple(e.attrs), e.body) for e in first}
    return first + [e for e in reference_elements(html, scripting=False, fragment=fragment)
                    if (e.tag, tuple(e.attrs), e.body) not in seen]


def parse_urls(html: str) -> list[tuple[str, str, bool]]:
    """Every address in the page, as reading html5lib's trees finds them (once each)."""
    found: list[tuple[str, str, bool]] = []
    for e in reference_readings(html):
        if e.tag == "style":
            found += [(u, "url() in <style>", False) for u in _css_urls(e.body)]
        elif e.tag == "script" and (dict(e.attrs).get("type") or "").strip().lower() in (
                "", "text/javascript", "module", "application/javascript"):
            found += [(u, "string in <script>", False) for u in _js_urls(e.body)]
        _found_in(e.tag, e.attrs, found, e.in_article)
    return found


def parse_start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]], str]]:
    """`htmlscan.start_tags` (a page body, both readings) as html5lib reads it."""
    return [(e.tag, e.attrs, e.body) for e in reference_readings(html, fragment=True)]
