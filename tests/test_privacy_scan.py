"""The fast privacy scan finds exactly what a full `html.parser` reading finds, and the hook re-reads a page changed after it was checked."""

from __future__ import annotations

import re

import pytest
import yaml

from carekb.privacy import is_foreign, page_foreign, page_urls
from tests.html_reference import _Page
from tests.markup_mixes import random_markup


def parsed(html: str) -> list[tuple[str, str, bool]]:
    """Addresses of other hosts as the full html.parser reading (the reference) lists them."""
    page = _Page()
    page.feed(html)
    page.close()
    return [f for f in page.found if is_foreign(f[0])]


def scanned(html: str) -> list[tuple[str, str, bool]]:
    return [f for f in page_urls(html) if is_foreign(f[0])]


TRICKY = [
    '<a href="https://x.org/a">',
    "<A HREF=//UP.ORG>",
    "<a\nhref=//nl.org>",
    '<iframe src="https:&#47;&#47;v.org">',
    '<a href="/&#9;/tabent.org">',
    '<a href="/\t/tab.org">',
    '<a href="&#104;ttps://ent.org">',
    "<a title='x>' href=\"//quoted-gt.org\">",
    '<p title=x"y="z>"<a href=//after.org>',
    '<a href="x"src="//glued.org">',
    "<a x='1'y=//glued2.org>",
    '<a =x href=//eq.org>',
    '<a href = "//spaced.org">',
    '<img src="a.png" srcset="//i.org/a 1x, b.png 2x">',
    '<div style="background:url(https://bg.org/x)">',
    '<meta http-equiv="refresh" content="0; url=https://r.org/">',
    '<link rel=stylesheet href=//l.org/a.css>',
    '<form action="//f.org">',
    '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>',
    '<script>var u = "https://js.org/x";</script>',
    '<script type="application/json">{"u": "https://json.org/"}</script>',
    '<style>@import "//imp.org/a.css"; p{background:url(//bg2.org/y)}</style>',
    '<script src=a/><p>text</p><a href=//after-odd-script.org>',
    '<script src="x"/><a href=//after-closed-script.org>',
    '<!-- <a href=//commented.org> --><a href=//real.org>',
    '<article><a href="https://cited.org/">cite</a></article><a href="https://cited.org/">out</a>',
    '<article/><a href=//in-unclosed-article.org>',
    '</ article><article>x</ article><a href=//after-spaced-end.org>',
    '<articlex><a href=//not-article.org></articlex>',
    '<a <article/><a href=//attr-named-article.org>',
    '<p title="a<b" data-x="//d.org">',
    '<a href="//[broken">',
]


@pytest.mark.parametrize("html", TRICKY)
def test_fast_scan_matches_html_parser_on_tricky_markup(html: str) -> None:
    """Entities, tabs, odd quoting, comments, raw elements and <article> context read the same both ways."""
    assert scanned(html) == parsed(html)


def test_fast_scan_matches_html_parser_on_random_markup() -> None:
    """Thousands of random mixes of tags, quotes, entities and addresses give the same findings both ways."""
    pieces = [t for t in TRICKY if "<script src=a/>" not in t] + [
        "<", ">", "/", "//", "&", "&#47;", "&sol;", '"', "'", "=", " ", "\n", "\t", "text", "<!--", "-->",
        "<article>", "</article>", "<script>", "</script>", "<style>", "</style>", "url(//u.org)",
        '"https://s.org/x"', "<a", "href", "<p hidden>", "<br/>", "</3>", "<?x>", "<!DOCTYPE html>",
    ]
    for html in random_markup(pieces, seed=7, count=3000, longest=12):
        reference = _Page()
        reference.feed(html)
        reference.close()
        if reference.cdata_elem is not None:
            continue  # html.parser drops a script or style body left open at the end; we scan it
        assert scanned(html) == parsed(html), html


def test_page_foreign_allows_cited_links_only_in_the_article() -> None:
    """A source's address is allowed as a link in the page body, nowhere else."""
    html = ('<link href="https://cited.org/x.css" rel="stylesheet">'
            '<article><a href="https://cited.org/">source</a></article>')
    found = page_foreign("p/index.html", html, {"https://cited.org"})
    assert [(f.url, f.where) for f in found] == [("https://cited.org/x.css", "<link href>")]


def test_page_changed_after_it_was_written_is_checked_again(copy_project, build, tmp_path) -> None:
    """A hook that rewrites a page after the build (with a foreign iframe) cannot slip past the check."""
    project = copy_project()
    (project / "late_hook.py").write_text(
        "from pathlib import Path\n"
        "from mkdocs.plugins import event_priority\n\n"
        "@event_priority(0)\n"
        "def on_post_build(*, config):\n"
        "    page = Path(config.site_dir) / 'faq' / 'index.html'\n"
        "    text = page.read_text(encoding='utf-8')\n"
        "    page.write_text(text.replace('</body>', '<iframe src=\"https://late.example.net/v\"></iframe></body>'),\n"
        "                    encoding='utf-8')\n", encoding="utf-8")
    hooks = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["hooks"]
    config = project / "mkdocs.late.yml"
    config.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", "hooks": [*hooks, "late_hook.py"]}),
                      encoding="utf-8")
    result = build(config, tmp_path / "out")
    assert result.returncode != 0
    assert re.search(r"privacy: faq/index\.html: <iframe src> points to another host: "
                     r"https://late\.example\.net/v", result.stderr), result.stderr[-2000:]
