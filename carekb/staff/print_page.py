"""The print page: every page of the handbook in reading order, as one HTML document.

Each page's rendered HTML becomes a chapter. Pages were rendered on their own, so a
chapter's ids are made unique (footnotes and headings repeat from page to page), its links
to other chapters become links within the print page, its other relative links and images
are rebased to the print page's address, and its headings move one level down so the
document keeps one outline. The HTML around the chapters lives in
`carekb/templates/staff/print.html.j2`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from carekb.render.jinja_env import template_env

_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"(?P<lead>\s)(?P<name>id|for|href|src)=\"(?P<value>[^\"]*)\"")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HEADING = re.compile(r"^h([1-6])$", re.I)
_OPEN = re.compile(r"\sopen(?:[\s=]|$)")
_BASE = "http://kb.invalid/"


@dataclass(frozen=True)
class Chapter:
    """One page of the handbook: its title, its site URL ("levels/iop/", "" for home),
    the nav sections above it (outermost first) and its rendered HTML."""

    title: str
    url: str
    html: str
    sections: tuple[str, ...] = ()


@dataclass
class TocNode:
    title: str
    anchor: str | None = None  # a chapter's anchor; None for a nav section
    children: list[TocNode] = field(default_factory=list)


@dataclass(frozen=True)
class PrintChapter:
    anchor: str
    title: str
    html: Markup
    has_title: bool  # the page's own HTML starts with its title (an <h1>)


def anchor_for(url: str) -> str:
    """A chapter's anchor from its URL: "" -> "ch-home", "levels/iop/" -> "ch-levels-iop"."""
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower().removesuffix(".html")).strip("-")
    return f"ch-{slug or 'home'}"


def site_path(href: str, from_url: str) -> tuple[str, str] | None:
    """(site path, fragment) that a relative or root-relative `href` on page `from_url`
    points to, or None for external links and links within the page."""
    if not href or href.startswith("#") or _SCHEME.match(href) or href.startswith("//"):
        return None
    absolute = urljoin(_BASE + from_url, href)
    parts = urlsplit(absolute)
    path = parts.path.removeprefix("/")
    return path, parts.fragment


def _normal(path: str) -> str:
    """Treat "x/index.html" and "x/" as the same page."""
    return path.removesuffix("index.html")


def rebase_chapter(html: str, *, url: str, anchor: str, anchors: dict[str, str],
                   print_url: str) -> str:
    """One page's HTML made fit to sit inside the print page (see the module docstring)."""
    by_path = {_normal(u): a for u, a in anchors.items()}

    def attr(m: re.Match[str]) -> str:
        name, value = m.group("name"), m.group("value")
        if name in ("id", "for"):
            return f'{m.group("lead")}{name}="{anchor}--{value}"'
        if value.startswith("#") and len(value) > 1:
            new = f"#{anchor}--{value[1:]}"
        else:
            target = site_path(value, url)
            if target is None:
                return m.group(0)
            path, fragment = target
            if name == "href" and _normal(path) in by_path:
                chapter = by_path[_normal(path)]
                new = f"#{chapter}--{fragment}" if fragment else f"#{chapter}"
            else:
                new = _relative(path, print_url) + (f"#{fragment}" if fragment else "")
        return f'{m.group("lead")}{name}="{new}"'

    def tag(m: re.Match[str]) -> str:
        name = m.group("name")
        heading = _HEADING.match(name)
        if heading:
            name = f"h{min(int(heading.group(1)) + 1, 6)}"
        attrs = _ATTR.sub(attr, m.group("attrs"))
        if name.lower() == "details" and not m.group("close") and not _OPEN.search(attrs):
            attrs += " open"  # answers and notes folded on screen are printed in full
        return f"<{m.group('close')}{name}{attrs}>"

    return _TAG.sub(tag, html)


def _relative(path: str, from_url: str) -> str:
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + path, "/" + base)
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel == "." else rel


def toc_tree(chapters: Sequence[Chapter]) -> list[TocNode]:
    """Chapters nested under the nav sections they sit in, in reading order."""
    root: list[TocNode] = []
    open_sections: list[tuple[str, TocNode]] = []  # the sections of the previous chapter
    for chapter in chapters:
        keep = 0
        while (keep < len(open_sections) and keep < len(chapter.sections)
               and open_sections[keep][0] == chapter.sections[keep]):
            keep += 1
        open_sections = open_sections[:keep]
        for title in chapter.sections[keep:]:
            node = TocNode(title)
            (open_sections[-1][1].children if open_sections else root).append(node)
            open_sections.append((title, node))
        leaf = TocNode(chapter.title, anchor_for(chapter.url))
        (open_sections[-1][1].children if open_sections else root).append(leaf)
    return root


def print_chapters(chapters: Iterable[Chapter], print_url: str) -> list[PrintChapter]:
    chapters = list(chapters)
    anchors = {c.url: anchor_for(c.url) for c in chapters}
    if len(set(anchors.values())) != len(anchors):
        raise ValueError("print page: two pages give the same chapter anchor: "
                         + ", ".join(sorted(anchors)))
    out = []
    for chapter in chapters:
        anchor = anchors[chapter.url]
        html = rebase_chapter(chapter.html, url=chapter.url, anchor=anchor, anchors=anchors,
                              print_url=print_url)
        out.append(PrintChapter(anchor, chapter.title, Markup(html),
                                re.search(r"<h1[\s>]", chapter.html) is not None))
    return out


def print_html(chapters: Sequence[Chapter], *, print_url: str, intro: str = "") -> str:
    """The print page's body: `intro` (already HTML), a table of contents, then every chapter."""
    template = template_env().get_template("staff/print.html.j2")
    return template.render(intro=Markup(intro), toc=toc_tree(chapters),
                           chapters=print_chapters(chapters, print_url))
