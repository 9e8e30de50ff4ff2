"""One fast pass over an HTML string: its tags, attributes and text, read the way `html.parser` reads them.

The privacy check and the reading grade read every page of the site. `html.parser` calls back
into Python for every tag, attribute and piece of text (3 ms for a 40 KB page, a third of what
our hooks cost a build). Here one compiled regular expression splits the page in C, and the
checks loop over the list it returns. The patterns for tags and attributes are
`html.parser`'s own, so both read a page alike: the same tags, the same attribute values,
`<script>` and `<style>` bodies as raw text, comments skipped.

One construct is left to `html.parser`: a `<script>` or `<style>` start tag whose last
attribute value ends in a slash (`<script src=a.js/>`). `raw_tag_needs_parser` names it, and
the callers then parse that page with `html.parser`.

`start_tags` and `urls` serve the checks that look at addresses and attributes: the
staff-link check, the privacy check and the unsafe-output gate read the same attributes, with
the same list of attributes that hold an address (`URL_ATTRS`), as the browser will.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import unescape
from typing import Any, TypeVar

T = TypeVar("T")

RAW = ("script", "style")  # elements whose body is raw text (html.parser's CDATA_CONTENT_ELEMENTS)

# The inside of a start tag after its name (html.parser's `locatestarttagend_tolerant`).
_ATTRS = (r"""(?:[\s/]*(?:(?<=['"\s/])[^\s/>][^\s/=>]*(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*)\s*)?"""
          r"""(?:\s|/(?!>))*)*)?\s*""")
# One attribute (html.parser's `attrfind_tolerant`): name, "=value" part, value.
_ATTR = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")

_NAME = r"[a-zA-Z][^\t\n\r\f />\x00]*"  # a tag name (html.parser's `tagfind_tolerant`)
# A start or end tag as html.parser reads one (no groups).
ANY_TAG = r"</\s*[a-zA-Z][^>]*>|<" + _NAME + _ATTRS + "/?>"
# Tags, with groups: 1 name of a raw element (script or style), 2 its attribute text, 3 its
# body; 4 name of an end tag; 5 name of a start tag, 6 its attribute text (a trailing "/" may
# close it: see `closes`).
TAG_TOKENS = (r"<(script|style)(?=[\t\n\r\f />])(" + _ATTRS + r")(?<!/)>([^<]*(?:<(?!/\s*\1\s*>)[^<]*)*)"
              r"(?:</\s*\1\s*>)?"
              r"|</\s*(" + _NAME + r")[^>]*>"
              r"|<(" + _NAME + r")(" + _ATTRS + r"/?)>")
# Every token of a page, in order: the groups of TAG_TOKENS, then 7 text. As in html.parser, a
# "<" that starts no tag is text, and so is a comment never closed, up to the next ">".
# Comments, <!DOCTYPE ...>, <?...?> and bogus end tags such as `</3>` match with every group empty.
TOKENS = re.compile(r"<!--.*?--\s*>|" + TAG_TOKENS + r"|([^<]+|<!--[^>]*>|<(?![!?/][^>]*>))|<[!?/][^>]*>",
                    re.S | re.I)


def _last_page(read: Callable[[str], T]) -> Callable[[str], T]:
    """`read(html)`, kept for the last page read: the staff-link, safety and reading-grade
    checks read the same page body one after the other (callers never change the result)."""
    last: list = [None, None]

    @functools.wraps(read)
    def cached(html: str) -> T:
        if last[0] is not None and last[0] == html:
            return last[1]
        value = read(html)
        last[:] = [html, value]
        return value

    return cached


@_last_page
def tokens(html: str) -> list[tuple[str, str, str, str, str, str, str]]:
    """The page as a list of token tuples (see TOKENS for what each field holds). A page the
    pattern cannot read (see `raw_tag_needs_parser`) is read by `parse`."""
    found = TOKENS.findall(html)
    if _RAW_START.search(html) and any(t[4] and raw_tag_needs_parser(t[4], t[5]) for t in found):
        found = parse(html)
    return found


_RAW_START = re.compile(r"<(?:script|style)", re.I)  # no such tag: the pattern read the page


def attributes(attrs: str) -> list[tuple[str, str | None]]:
    """(name, value) pairs of a start tag's attribute text as html.parser gives them: names in
    lower case, values unquoted and unescaped, None for a bare attribute such as `hidden`."""
    out: list[tuple[str, str | None]] = []
    for name, rest, value in _ATTR.findall(attrs):
        if not rest:
            out.append((name.lower(), None))
            continue
        if value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        out.append((name.lower(), unescape(value) if "&" in value else value))
    return out


def closes(attrs: str) -> bool:
    """True for `<tag ... />`: the slash before `>` is not part of an unquoted attribute value."""
    if not attrs.endswith("/"):
        return False
    last = None
    for last in _ATTR.finditer(attrs):
        pass
    return not (last is not None and last.end(3) == len(attrs) and last.group(3)[:1] not in ("'", '"'))


def raw_tag_needs_parser(tag: str, attrs: str) -> bool:
    """A script or style start tag the pattern could not read (see the module docstring)."""
    return tag.lower() in RAW and not closes(attrs)



# -- start tags and the addresses in them (shared by the staff-link, privacy and safety checks) --
# Attributes whose value is (or holds) an address a browser may load, follow or send a form to.
URL_ATTRS = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "data", "background", "ping",
    "manifest", "icon", "longdesc", "cite", "codebase", "imagesrcset", "xlink:href", "lowsrc",
    "dynsrc", "archive", "usemap",
})
_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I | re.S)


@_last_page
def start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]], str]]:
    """Every start tag of `html` as html.parser reads it: (name in lower case, attributes as
    `attributes` gives them, raw body text for <script> and <style>, else "")."""
    out: list[tuple[str, list[tuple[str, str | None]], str]] = []
    for raw, raw_attrs, body, _end, tag, attrs, _text in tokens(html):
        if raw:
            out.append((raw.lower(), attributes(raw_attrs), body))
        elif tag:
            out.append((tag.lower(), attributes(attrs), ""))
    return out


def parse(html: str) -> list[tuple[str, str, str, str, str, str, str]]:
    """`tokens` of a page read by html.parser itself (for the pages the pattern cannot read).

    Attributes are written back as attribute text (` name="value"`, `&` and `"` escaped) and
    text with `&` escaped, so `attributes` and `unescape` give exactly what html.parser read;
    `<tag ... />` keeps its closing slash (see `closes`).
    """
    from html.parser import HTMLParser

    out: list[tuple[str, str, str, str, str, str, str]] = []

    def text_of(attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f" {name}" if value is None else
                       f' {name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
                       for name, value in attrs)

    class _Tokens(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in RAW:  # its body follows as raw text (html.parser's CDATA mode)
                out.append((tag, text_of(attrs), "", "", "", "", ""))
            else:
                out.append(("", "", "", "", tag, text_of(attrs), ""))

        def handle_startendtag(self, tag, attrs):
            out.append(("", "", "", "", tag, text_of(attrs) + " /", ""))

        def handle_endtag(self, tag):
            if not (self._raw_open() and out[-1][0] == tag):
                out.append(("", "", "", tag, "", "", ""))

        def handle_data(self, data):
            if self.cdata_elem and self._raw_open():
                name, attrs, body = out[-1][:3]
                out[-1] = (name, attrs, body + data, "", "", "", "")
            else:
                out.append(("", "", "", "", "", "", data.replace("&", "&amp;")))

        def _raw_open(self) -> bool:
            return bool(out) and out[-1][0] in RAW and self._open

        def set_cdata_mode(self, elem):
            self._open = True
            super().set_cdata_mode(elem)

        def clear_cdata_mode(self):
            self._open = False
            super().clear_cdata_mode()

    parser = _Tokens(convert_charrefs=True)
    parser._open = False
    parser.feed(html)
    parser.close()
    return out


def refresh_url(content: str) -> str:
    """The address in a `<meta http-equiv=refresh content="5; url=...">` (browsers also take
    one without "url="), or ""."""
    m = _REFRESH.match(content)
    return m.group(2).strip() if m else ""


def urls(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """(attribute, address) for every address one start tag holds: URL attributes, each
    candidate of a srcset, and the target of a meta refresh."""
    found: list[tuple[str, str]] = []
    values = None
    for name, value in attrs:
        if value is None or name.startswith("xmlns"):
            continue
        if name in URL_ATTRS:
            if name.endswith("srcset"):
                found += [(name, item.strip().split()[0]) for item in value.split(",") if item.strip()]
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
