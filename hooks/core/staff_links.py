"""Find links from a public page to staff-only pages.

In the public build staff pages do not exist, so such a link would be broken at best and, at
worst, tell the public where staff material lives. The page's rendered HTML is checked, so
Markdown links, reference links and raw HTML links are all caught, whether MkDocs resolved
them ("../staff/billing/") or left them as written ("staff/billing.md").
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hooks.core.staff_print import site_path

_HREF = re.compile(r"<(?:a|area|link)\b[^>]*?\shref=\"(?P<href>[^\"]*)\"", re.I)


@dataclass(frozen=True)
class StaffLink:
    href: str  # as written in the page's HTML
    staff_src: str  # the staff page it reaches, e.g. "staff/billing.md"


def _as_src(href_path: str, page_src: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_src), href_path))


def staff_links(html: str, *, page_src: str, page_url: str,
                staff_pages: Mapping[str, str]) -> list[StaffLink]:
    """Every link in `html` (page `page_src` at `page_url`) to a page in `staff_pages`
    (src path -> the URL it would have)."""
    by_url = {url.removesuffix("index.html"): src for src, url in staff_pages.items()}
    names = _last_names(staff_pages)
    found = []
    for m in _HREF.finditer(html):
        href = m.group("href")
        path = href.split("#", 1)[0].split("?", 1)[0]
        # Resolving every link is most of this check's time. A link can only end on a staff
        # page by naming that page (its file or folder name), or by climbing to it with dots
        # and slashes alone ("..", "./"): any other link cannot reach one.
        if path.strip("./") and not any(name in path for name in names):
            continue
        if path.endswith(".md") and not href.startswith("/") and site_path(href, "") is not None:
            src = _as_src(path, page_src)
            if src in staff_pages:
                found.append(StaffLink(href, src))
                continue
        target = site_path(href, page_url)
        if target is None:
            continue
        url = target[0].removesuffix("index.html")
        for candidate in (url, url + "/" if url and not url.endswith("/") else url):
            if candidate in by_url:
                found.append(StaffLink(href, by_url[candidate]))
                break
    return found


def _last_names(staff_pages: Mapping[str, str]) -> set[str]:
    """The names a link to each staff page must contain: its file name without ".md" and the
    last part of its address ("staff/billing.md" at "staff/billing/": "billing")."""
    names = set()
    for src, url in staff_pages.items():
        names.add(posixpath.splitext(posixpath.basename(src))[0])
        names.add(url.removesuffix("index.html").rstrip("/").rpartition("/")[2])
    return names


def message(page: str, links: Iterable[StaffLink], staff_name: Mapping[str, str]) -> str:
    """One error naming the public page and every staff page it links to."""
    links = list(links)
    lines = [f"{page} is public but links to staff-only {'pages' if len(links) > 1 else 'page'}:"]
    for link in links:
        lines.append(f"  - {staff_name.get(link.staff_src, link.staff_src)} "
                     f"(audience: staff), linked as '{link.href}'")
    lines.append("Remove the link from the public page, or remove `audience: staff` from the "
                 "staff page if the public may read it.")
    return "\n".join(lines)
