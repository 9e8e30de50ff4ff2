"""The staff-link check skips only links that cannot reach a staff page: it finds what resolving every link finds."""

from __future__ import annotations

import posixpath
import random

from carekb.staff.links import staff_links
from carekb.staff.print_page import site_path

STAFF = {"staff/billing.md": "staff/billing/", "staff/index.md": "staff/", "staff/intake/forms.md": "staff/intake/forms/"}


def every_link_resolved(hrefs: list[str], page_src: str, page_url: str) -> list[str]:
    """The reference: resolve each link, as the check did before it learned to skip."""
    by_url = {url.removesuffix("index.html"): src for src, url in STAFF.items()}
    found = []
    for href in hrefs:
        path = href.split("#", 1)[0].split("?", 1)[0]
        if path.endswith(".md") and not href.startswith("/") and site_path(href, "") is not None:
            if posixpath.normpath(posixpath.join(posixpath.dirname(page_src), path)) in STAFF:
                found.append(href)
                continue
        target = site_path(href, page_url)
        if target is None:
            continue
        url = target[0].removesuffix("index.html")
        if url in by_url or (url and not url.endswith("/") and url + "/" in by_url):
            found.append(href)
    return found


def test_skipping_links_finds_the_same_staff_links_as_resolving_all() -> None:
    """Thousands of random links (dots, folders, .md paths, index.html, queries, anchors) from pages at several depths."""
    parts = ["..", ".", "staff", "billing", "intake", "forms", "levels", "iop", "faq", "index.html", "billing.md",
             "forms.md", "index.md", ""]
    pages = [("faq.md", "faq/"), ("levels/iop.md", "levels/iop/"), ("index.md", ""),
             ("staff/public-note.md", "staff/public-note/"), ("staff/intake/public.md", "staff/intake/public/")]
    rng = random.Random(5)
    for _ in range(300):
        page_src, page_url = rng.choice(pages)
        hrefs = []
        for _ in range(20):
            href = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
            href = rng.choice(["", "/", "./"]) + href + rng.choice(["", "/", "#top", "?q=1", "/#x"])
            hrefs.append(href)
        html = "".join(f'<a href="{h}">x</a>' for h in hrefs)
        found = [link.href for link in staff_links(html, page_src=page_src, page_url=page_url, staff_pages=STAFF)]
        assert found == every_link_resolved(hrefs, page_src, page_url), (page_url, hrefs)
