"""Find links from a public page to staff-only pages.

In the public build staff pages do not exist, so such a link would be broken at best and, at
worst, tell the public where staff material lives. The page's rendered HTML is checked, so
Markdown links, reference links and raw HTML are all caught, whether MkDocs resolved them
("../staff/billing/") or left them as written ("staff/billing.md"), in every attribute that
holds an address (href, src, srcset, action, data, poster, a meta refresh, ...), in every tree
a browser may build from the page (carekb/web/htmlscan.py), each address read the way a browser
reads it (carekb/web/urls.py: ends trimmed, tabs and line breaks dropped, backslashes as slashes,
the host decided by resolving it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from carekb.base import collector

from carekb.web import htmlscan, urls
from carekb.staff.print_page import site_path

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class StaffLink:
    href: str  # as written in the page's HTML (after its character references are decoded)
    staff_src: str  # the staff page it reaches, e.g. "staff/billing.md"
    attribute: str = "href"  # the attribute that holds it, e.g. "src", "srcset", "action"


def _as_src(href_path: str, page_src: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_src), href_path))


def _readable(href: str, own_hosts: frozenset[str], root: str) -> str | None:
    """`href` as the browser goes to it, in lower case with %XX decoded (servers and file
    systems that ignore case would serve the page at "STAFF/" too); a root-relative path for
    an address with a host or a scheme on this site's own host; None for an address on
    another host, or no web address."""
    href = urls.clean(href)
    if href.startswith("//") or _SCHEME.match(href):
        path = urls.same_site_path(href, urls.ROOT, own_hosts)
        if path is None:
            return None
        href = path
    href = unquote(href).lower()
    if root and href.startswith("/" + root):  # the site lives under a folder of its host
        href = "/" + href[len(root) + 1:]
    return href


def staff_links(html: str, *, page_src: str, page_url: str, staff_pages: Mapping[str, str],
                own_hosts: Iterable[str] = (), root: str = "") -> list[StaffLink]:
    """Every address in `html` (page `page_src` at `page_url`) that reaches a page in
    `staff_pages` (src path -> the URL it would have): in any URL attribute (`htmlscan.urls`),
    however it is quoted, entity- or percent-encoded or cased. `own_hosts`: this site's host
    names (absolute addresses on them count); `root`: the site's folder on its host, e.g. "kb/"."""
    by_url = {url.removesuffix("index.html").lower(): src for src, url in staff_pages.items()}
    by_src = {src.lower(): src for src in staff_pages}
    names = _last_names(staff_pages)
    hosts = frozenset(h.lower() for h in own_hosts)
    root = root.strip("/").lower() + "/" if root.strip("/") else ""
    found = []
    with collector.paused():  # the scan's tuples come and go (see carekb/base/collector.py)
        tags = htmlscan.start_tags(html)
    for tag, attrs, _body in tags:
        for attribute, written in htmlscan.urls(tag, attrs):
            if _cannot_reach(written.lower(), names):
                continue
            href = _readable(written, hosts, root)
            if href is None:
                continue
            src = _reaches(href, page_src, page_url, by_url, by_src, names)
            if src is not None:
                found.append(StaffLink(written, src, attribute))
    return found


# An address that names no staff page may still climb to one with dots and slashes alone.
_CLIMB = re.compile(r"[\x00-\x20./]*(?:[?#]|$)")


def _cannot_reach(lowered: str, names: set[str]) -> bool:
    """A quick no for most addresses: no staff page's name, nothing that `_readable` decodes
    (%XX, a backslash, characters browsers drop) and more than dots and slashes."""
    return not (any(name in lowered for name in names) or "%" in lowered or "\\" in lowered
                or "\t" in lowered or "\n" in lowered or "\r" in lowered or _CLIMB.match(lowered))


def _reaches(href: str, page_src: str, page_url: str, by_url: Mapping[str, str],
             by_src: Mapping[str, str], names: set[str]) -> str | None:
    """The staff page (src path) that `href` (from `_readable`) reaches, or None."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    # Resolving every link is most of this check's time. A link can only end on a staff
    # page by naming that page (its file or folder name), or by climbing to it with dots
    # and slashes alone ("..", "./"): any other link cannot reach one.
    if path.strip("./") and not any(name in path for name in names):
        return None
    if path.endswith(".md") and not href.startswith("/") and site_path(href, "") is not None:
        src = _as_src(path, page_src.lower())
        if src in by_src:
            return by_src[src]
    target = site_path(href, page_url.lower())
    if target is None:
        return None
    url = target[0].removesuffix("index.html")
    for candidate in (url, url + "/" if url and not url.endswith("/") else url):
        if candidate in by_url:
            return by_url[candidate]
    return None


def _last_names(staff_pages: Mapping[str, str]) -> set[str]:
    """The names a link to each staff page must contain: its file name without ".md" and the
    last part of its address ("staff/billing.md" at "staff/billing/": "billing")."""
    names = set()
    for src, url in staff_pages.items():
        names.add(posixpath.splitext(posixpath.basename(src))[0].lower())
        names.add(url.removesuffix("index.html").rstrip("/").rpartition("/")[2].lower())
    return names


def message(page: str, links: Iterable[StaffLink], staff_name: Mapping[str, str]) -> str:
    """One error naming the public page and every staff page it links to."""
    links = list(links)
    lines = [f"{page} is public but links to staff-only {'pages' if len(links) > 1 else 'page'}:"]
    for link in links:
        lines.append(f"  - {staff_name.get(link.staff_src, link.staff_src)} "
                     f"(audience: staff), linked as {link.attribute}='{link.href}'")
    lines.append("Remove the link from the public page, or remove `audience: staff` from the "
                 "staff page if the public may read it.")
    return "\n".join(lines)
