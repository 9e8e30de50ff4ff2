"""Keep the built site from reaching any other host (HHS OCR guidance on tracking, 2022/2024).

Two jobs:

- `disarm_script` rewrites web addresses of other hosts inside the string literals of the
  theme's JavaScript (Material loads a Mermaid and a ResizeObserver polyfill from unpkg.com and
  asks api.github.com for repository facts, on code paths this site never takes) so that they
  point at `about:blank`: even if such a path ran one day, the browser would fetch nothing.
- `foreign_urls` lists every address in HTML, CSS and JavaScript that points to another host.
  Links in the page body (`<article>`) to the sources and crisis services named in facts.yaml
  are the only ones allowed: a reader follows them on purpose, and the page never loads them.
  `page_foreign` does the same for one page's HTML, so each page can be checked as MkDocs
  writes it instead of being read back from disk after the build.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from carekb import collector, htmlscan

# Schemes that never leave the machine (or never load anything by themselves).
LOCAL_SCHEMES = {"", "data", "blob", "about", "javascript", "tel", "sms", "mailto"}
# XML namespace names look like web addresses but are only names; nothing fetches them.
NAMESPACES = {
    "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/", "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1998/Math/MathML",
}
# A quoted string (or template literal) that starts with an absolute or protocol-relative address.
_JS_URL = re.compile(r"""(["'`])((?:[a-zA-Z][\w+.-]*:)?//[^"'`\s\\]*)([^"'`\n]*)\1""")
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)|@import\s+(["'])([^"']+)\3""", re.I)


@dataclass(frozen=True)
class Foreign:
    file: str  # relative to the site folder
    url: str
    where: str  # e.g. "<iframe src>", "url() in CSS", "string in JavaScript"

    def __str__(self) -> str:
        return f"{self.file}: {self.where} points to another host: {self.url}"


def is_foreign(url: str, own_hosts: Iterable[str] = ()) -> bool:
    """True when loading or following `url` would contact a host other than this site's.

    `own_hosts`: the site's own host names (from `site_url`), e.g. for canonical links.
    """
    url = url.strip()
    if not url or url in NAMESPACES:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "//[bad": unreadable, so never taken for a local address
        return True
    if parts.scheme.lower() in LOCAL_SCHEMES and not url.startswith("//"):
        return False
    if (parts.hostname or "") in set(own_hosts):
        return False
    return bool(parts.netloc or url.startswith("//"))


def _css_urls(text: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(text)]


def _js_urls(text: str) -> list[str]:
    return [m.group(2) + m.group(3) for m in _JS_URL.finditer(text)]


# -- the fast reading of a page ---------------------------------------------------------------
# Reading every tag of every page with html.parser was the slowest of our hooks. But an
# address can only reach another host if it holds "//" (after `&...;` references are decoded
# and tabs and line breaks dropped, as browsers and urlsplit do), so a tag whose text has no
# "//" (even split by tabs or line breaks), no "&" and no "<" can hold no such address. One
# regular expression skips those tags, text and comments in C, and stops only at the tags that
# matter: <article> and </article> (links in the page body may cite sources), <script> and
# <style> with their bodies, and every other tag with a "//", a "&" or a "<" in it. Those are
# read exactly as html.parser reads them. Quotes open a value only after "=", as in html.parser,
# and a skipped tag never holds "<", so a skipped span can never hide a tag html.parser reads.
_B = r"[\t\n\r\f />\x00]"  # what ends a tag name in html.parser
_SLASH = r"/(?![\t\n\r]*/)"  # a slash that does not start "//"
_DQ = r'"[^"/&<]*(?:' + _SLASH + r'[^"/&<]*)*"'
_SQ = r"'[^'/&<]*(?:" + _SLASH + r"[^'/&<]*)*'"
_NAME = r"(?:[b-rt-z]|a(?!rticle" + _B + r")|s(?!(?:cript|tyle)" + _B + r"))"
_HARMLESS_TAG = (r"<" + _NAME + r"[^>/&=<]*(?:(?:" + _SLASH + r"|=++\s*+(?:" + _DQ + r"|" + _SQ
                 + r"|(?!['\"])))[^>/&=<]*)*+>")
_HARMLESS = (r"(?:[^<]+|<!--.*?--\s*>|</(?!\s*article" + _B + r")[^>]*>|<[!?][^>]*>|"
             + _HARMLESS_TAG + r"|(?!" + htmlscan.ANY_TAG + r")<)")
_MATTERS = re.compile(r"(?:" + _HARMLESS + r")*+(?:" + htmlscan.TAG_TOKENS + r"|\Z)", re.S | re.I)
_JS_TYPES = ("", "text/javascript", "module", "application/javascript")


@htmlscan.remembered
def page_urls(html: str) -> list[tuple[str, str, bool]]:
    """Every address in one HTML page that could point to another host, as (url, where, link
    in the page body), as html.parser reads the page, without reading the tags that cannot
    hold one (a page the pattern cannot read is read through `htmlscan.tokens`)."""
    return _urls_in(_MATTERS.findall(html), html)


def _urls_in(found_tokens, html: str | None) -> list[tuple[str, str, bool]]:
    """The addresses in a page's tokens (`htmlscan.TAG_TOKENS` groups, text ignored); `html`:
    the page, read again through `htmlscan.tokens` if the pattern could not read it."""
    found: list[tuple[str, str, bool]] = []
    article = 0
    for raw, raw_attrs, body, end, tag, attrs, *_text in found_tokens:
        if raw:
            name = raw.lower()
            values = _read_attrs(name, raw_attrs, found, article)
            if name == "style":
                found += [(u, "url() in <style>", False) for u in _css_urls(body)]
            elif values.get("type", "").lower() in _JS_TYPES:
                found += [(u, "string in <script>", False) for u in _js_urls(body)]
        elif end:
            if end.lower() == "article" and article:
                article -= 1
        elif tag:
            name = tag.lower()
            if html is not None and htmlscan.raw_tag_needs_parser(name, attrs):
                return _urls_in(htmlscan.tokens(html), None)
            if name == "article":
                article += 1
            _read_attrs(name, attrs, found, article)
    return found


def _read_attrs(tag: str, text: str, found: list[tuple[str, str, bool]], article: int) -> dict[str, str]:
    """Add the addresses in one start tag's attribute text to `found`; returns its attributes."""
    attrs = htmlscan.attributes(text)
    _found_in(tag, attrs, found, article)
    return {k: v or "" for k, v in attrs}


def _found_in(tag: str, attrs: list[tuple[str, str | None]], found: list[tuple[str, str, bool]],
              article: int) -> None:
    """Add the addresses of one start tag to `found`: those `htmlscan.urls` reads (the one
    list of URL attributes every check shares) and those in a `style` attribute."""
    for name, url in htmlscan.urls(tag, attrs):
        where = "<meta refresh>" if name == "content" else f"<{tag} {name}>"
        found.append((url, where, tag == "a" and name == "href" and article > 0))
    for name, value in attrs:
        if name == "style" and value:
            found += [(u, f"<{tag} style>", False) for u in _css_urls(value)]


def page_foreign(rel: str, html: str, allowed: set[str], own_hosts: Iterable[str] = ()) -> list[Foreign]:
    """The addresses of other hosts in one HTML page (`rel`: its path in the site).

    `allowed`: addresses (as `norm` gives them) that may appear as `<a href>` inside the
    page's `<article>`. `own_hosts`: the site's own host names.
    """
    own = set(own_hosts)
    with collector.paused():  # the scan's tuples come and go (see carekb/collector.py)
        return [Foreign(rel, url, where) for url, where, body_link in page_urls(html)
                if is_foreign(url, own) and not (body_link and norm(url) in allowed)]


def fingerprint(data: bytes) -> tuple[int, int]:
    """Length and CRC-32 of a file's bytes: tells whether a page changed after it was checked."""
    return len(data), zlib.crc32(data)


def foreign_urls(site: Path, allowed_links: Iterable[str] = (), own_hosts: Iterable[str] = (),
                 checked: Mapping[str, tuple[tuple[int, int], list[Foreign]]] | None = None) -> list[Foreign]:
    """Every address in the site's HTML, CSS and JS files that points to another host.

    `allowed_links`: addresses that may appear as `<a href>` inside a page's `<article>`
    (citation links to sources and crisis services). `own_hosts`: the site's own host names.
    `checked`: pages already checked from the HTML MkDocs wrote (path in the site ->
    (`fingerprint` of the bytes written, findings)); a file whose bytes still match them is
    not read again, any other file is.
    """
    allowed = {norm(u) for u in allowed_links}
    own = set(own_hosts)
    checked = checked or {}
    out: list[Foreign] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js") or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".html" and rel in checked and checked[rel][0] == fingerprint(data):
            out += checked[rel][1]
            continue
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".html":
            out += page_foreign(rel, text, allowed, own)
        elif path.suffix == ".css":
            out += [Foreign(rel, u, "url() in CSS") for u in _file_css(text) if is_foreign(u, own)]
        else:
            out += [Foreign(rel, u, "string in JavaScript") for u in _file_js(text)
                    if is_foreign(u, own)]
    return out


# The site's style sheets and scripts, read again after each build of the preview.
_file_css = htmlscan.remembered(_css_urls)
_file_js = htmlscan.remembered(_js_urls)


@htmlscan.remembered
def disarm_script(text: str) -> tuple[str, list[str]]:
    """Point every other-host address in the script's string literals at `about:blank`.

    Only the inside of a matched literal changes, and never its quotes, so the script's
    syntax is untouched. Returns the new text and the addresses that were disarmed.
    """
    disarmed: list[str] = []

    def swap(m: re.Match[str]) -> str:
        quote, start, rest = m.group(1), m.group(2), m.group(3)
        if not is_foreign(start + rest):
            return m.group(0)
        disarmed.append(start + rest)
        target = start.split("//", 1)[1]
        return f"{quote}about:blank#blocked:{target}{rest}{quote}"

    return _JS_URL.sub(swap, text), disarmed


def line_column(source: str, needle: str) -> tuple[int, int] | None:
    """(line, column) where `needle` (an address) first appears in a page's source, or None."""
    at = source.find(needle) if needle else -1
    if at < 0:
        return None
    return source.count("\n", 0, at) + 1, at - (source.rfind("\n", 0, at) + 1) + 1


def norm(url: str) -> str:
    return url.strip().rstrip("/")
