"""Keep the built site from reaching any other host (HHS OCR guidance on tracking, 2022/2024).

Two jobs:

- `disarm_script` rewrites web addresses of other hosts inside the string literals of the
  theme's JavaScript (Material loads a Mermaid and a ResizeObserver polyfill from unpkg.com and
  asks api.github.com for repository facts, on code paths this site never takes) so that they
  point at `about:blank`: even if such a path ran one day, the browser would fetch nothing.
- `foreign_urls` lists every address in HTML, CSS, JavaScript and the search index that
  points to another host. Pages are read as a browser builds them (carekb/web/htmlscan.py), CSS
  as a browser tokenizes it (carekb/web/css.py), and each address is resolved against the
  file's own address as a browser resolves it (carekb/web/urls.py). Links in the page body (`<article>`) to the sources and crisis services named in facts.yaml
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
import json
from pathlib import Path

from carekb.base import collector

# XML namespace names look like web addresses but are only names; nothing fetches them.

from carekb.web import css, htmlscan, urls
NAMESPACES = {
    "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/", "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1998/Math/MathML",
}
# A quoted string (or template literal) that starts with an absolute or protocol-relative address.
_JS_URL = re.compile(r"""(["'`])((?:[a-zA-Z][\w+.-]*:)?//[^"'`\s\\]*)([^"'`\n]*)\1""")


@dataclass(frozen=True)
class Foreign:
    file: str  # relative to the site folder
    url: str
    where: str  # e.g. "<iframe src>", "url() in CSS", "string in JavaScript"

    def __str__(self) -> str:
        return f"{self.file}: {self.where} points to another host: {self.url}"


def is_foreign(url: str, own_hosts: Iterable[str] = (), base: str = urls.ROOT) -> bool:
    """True when loading or following `url` from the page at `base` would contact a host
    other than this site's, the address read as a browser reads it (carekb/web/urls.py).

    `own_hosts`: the site's own host names (from `site_url`), e.g. for canonical links.
    """
    if url.strip() in NAMESPACES:
        return False
    return urls.other_host(url, base, own_hosts)


def _css_urls(text: str) -> list[str]:
    return css.urls(text)


def _js_urls(text: str) -> list[str]:
    return [m.group(2) + m.group(3) for m in _JS_URL.finditer(text)]


_JS_TYPES = ("", "text/javascript", "module", "application/javascript")
SEARCH_INDEX = "search/search_index.json"  # the search plugin's index: an output like the pages


@htmlscan.remembered
def page_urls(html: str) -> list[tuple[str, str, bool]]:
    """Every address in one HTML page that could point to another host, as (url, where, link
    in the page body), in every tree a browser may build from the page (carekb/web/htmlscan.py)."""
    found: list[tuple[str, str, bool]] = []
    for element in htmlscan.elements(html):
        name = element.tag
        if name == "style":
            found += [(u, "url() in <style>", False) for u in _css_urls(element.body)]
        elif name == "script" and (dict(element.attrs).get("type") or "").strip().lower() in _JS_TYPES:
            found += [(u, "string in <script>", False) for u in _js_urls(element.body)]
        _found_in(name, element.attrs, found, element.in_article)
    return found


def _found_in(tag: str, attrs: list[tuple[str, str | None]], found: list[tuple[str, str, bool]],
              article: bool) -> None:
    """Add the addresses of one element to `found`: those `htmlscan.urls` reads (the one
    list of URL attributes every check shares) and those in a `style` attribute."""
    for name, url in htmlscan.urls(tag, attrs):
        where = "<meta refresh>" if name == "content" else f"<{tag} {name}>"
        found.append((url, where, tag == "a" and name == "href" and bool(article)))
    for name, value in attrs:
        if name == "style" and value:
            found += [(u, f"<{tag} style>", False) for u in _css_urls(value)]


def page_foreign(rel: str, html: str, allowed: set[str], own_hosts: Iterable[str] = ()) -> list[Foreign]:
    """The addresses of other hosts in one HTML page (`rel`: its path in the site).

    `allowed`: addresses (as `norm` gives them) that may appear as `<a href>` inside the
    page's `<article>`. `own_hosts`: the site's own host names.
    """
    own = set(own_hosts)
    base = urls.page_address(rel)
    with collector.paused():  # the scan's tuples come and go (see carekb/base/collector.py)
        return [Foreign(rel, url, where) for url, where, body_link in page_urls(html)
                if is_foreign(url, own, base) and not (body_link and norm(url) in allowed)]


def index_foreign(rel: str, text: str, own_hosts: Iterable[str] = ()) -> list[Foreign]:
    """The addresses of other hosts in a search index (`rel`: search/search_index.json): each
    entry's `location` (an address in the site), and the addresses in its `title` and `text`,
    which the theme shows as HTML in search results."""
    own = set(own_hosts)
    try:
        docs = json.loads(text).get("docs", [])
    except (ValueError, AttributeError):
        return [Foreign(rel, "(unreadable)", "search index that is not JSON")]
    out: list[Foreign] = []
    for doc in docs if isinstance(docs, list) else []:
        if not isinstance(doc, dict):
            continue
        location = str(doc.get("location", ""))
        if is_foreign(location, own):
            out.append(Foreign(rel, location, "search entry location"))
        for field in ("title", "text"):
            snippet = str(doc.get(field, ""))
            if "=" in snippet or "style" in snippet.lower():  # no address without either
                out += [Foreign(rel, url, f"search entry {field}: {where}")
                        for url, where, _ in page_urls(snippet) if is_foreign(url, own)]
    return out


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
        rel = path.relative_to(site).as_posix()
        if (path.suffix not in (".html", ".css", ".js") and rel != SEARCH_INDEX) or not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".html" and rel in checked and checked[rel][0] == fingerprint(data):
            out += checked[rel][1]
            continue
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".html":
            out += page_foreign(rel, text, allowed, own)
        elif rel == SEARCH_INDEX:
            out += index_foreign(rel, text, own)
        elif path.suffix == ".css":
            base = urls.page_address(rel)
            out += [Foreign(rel, u, "url() in CSS") for u in _file_css(text) if is_foreign(u, own, base)]
        else:
            out += [Foreign(rel, u, "string in JavaScript") for u in _file_js(text)
                    if is_foreign(u, own)]
    return out


# The site's style sheets and scripts, read again after each build of the preview.
_file_css = htmlscan.remembered(_css_urls)
_file_js = htmlscan.remembered(_js_urls)


_ALTERNATES = '"link[rel=alternate]"'  # Material's selector of alternate pages (see disarm_script)


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

    text = _JS_URL.sub(swap, text)
    if _ALTERNATES in text:
        # Material fetches sitemap.xml from the site of each <link rel="alternate"> (the hreflang
        # links to a page's twin: absolute, so from the published host even on a copy served
        # elsewhere), to keep its own language selector on the same page. Ours links each
        # page's twin itself (overrides/partials/kb-language.html): the fetch is switched off.
        text = text.replace(_ALTERNATES, '"link[rel=alternate][data-kb-never]"')
        disarmed.append("sitemap.xml of each hreflang alternate")
    return text, disarmed


def line_column(source: str, needle: str) -> tuple[int, int] | None:
    """(line, column) where `needle` (an address) first appears in a page's source, or None."""
    at = source.find(needle) if needle else -1
    if at < 0:
        return None
    return source.count("\n", 0, at) + 1, at - (source.rfind("\n", 0, at) + 1) + 1


def norm(url: str) -> str:
    """One spelling of an address, to compare a link with the allowed ones (carekb/web/urls.py)."""
    return urls.norm(url)
