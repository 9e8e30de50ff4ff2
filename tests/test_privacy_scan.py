"""The privacy scan finds what reading html5lib's trees finds, reads addresses and CSS as a browser does,
and the hook re-reads a page changed after it was checked."""

from __future__ import annotations

import re

import pytest
import yaml

from carekb.checks.privacy import index_foreign, is_foreign, page_foreign, page_urls
from tests.html_reference import parse_urls
from tests.markup_mixes import random_markup


def parsed(html: str) -> list[tuple[str, str, bool]]:
    """Addresses of other hosts as reading html5lib's trees (the reference) lists them."""
    return sorted(f for f in parse_urls(html) if is_foreign(f[0]))


def scanned(html: str) -> list[tuple[str, str, bool]]:
    return sorted(f for f in page_urls(html) if is_foreign(f[0]))


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
    # Issue 19: addresses as a browser reads them, CSS as a browser tokenizes it, parser tricks
    '<img src="/\\evil.example/p.png">',
    '<img src="https:\\\\evil.example\\p.png">',
    '<img src="/&Tab;/evil.example/p.png">',
    '<img src=" \x01//evil.example/p.png ">',
    '<img src="HTTPS://EVIL.EXAMPLE/p.png">',
    '<svg><style>@import url(//svg-import.example/a.css)</style></svg>',
    '<svg><style><![CDATA[ a { fill: url(https://cdata.example/#f) } ]]></style></svg>',
    '<p style="background:\\75 rl(//css-escape.example/x)">',
    '<p style="background-image: image-set(\'//image-set.example/a.png\' 1x)">',
    '<style>/* url(//in-comment.example) */ a{b:c}</style>',
    '<div><noscript><p title="</noscript><img src=//noscript.example/x>"></noscript></div>',
    '<!--><img src=//empty-comment.example/x>-->',
    '<xmp><p title="</xmp><img src=//xmp.example/x>"></xmp>',
    '<img srcset="a.png 1x, //srcset.example/b.png 2x">',
]


@pytest.mark.parametrize("html", TRICKY)
def test_scan_matches_html5lib_on_tricky_markup(html: str) -> None:
    """Entities, tabs, odd quoting, comments, raw elements and <article> context read the same both ways."""
    assert scanned(html) == parsed(html)


def test_scan_matches_html5lib_on_random_markup() -> None:
    """Thousands of random mixes of tags, quotes, entities and addresses give the same findings both ways."""
    pieces = [t for t in TRICKY if "<script src=a/>" not in t] + [
        "<", ">", "/", "//", "&", "&#47;", "&sol;", '"', "'", "=", " ", "\n", "\t", "text", "<!--", "-->",
        "<article>", "</article>", "<script>", "</script>", "<style>", "</style>", "url(//u.org)",
        '"https://s.org/x"', "<a", "href", "<p hidden>", "<br/>", "</3>", "<?x>", "<!DOCTYPE html>",
    ]
    for html in random_markup(pieces, seed=7, count=1500, longest=12):
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


def test_search_index_is_read_like_a_page() -> None:
    """search/search_index.json is an output: an entry's location and the HTML of its title and
    text (the theme shows them as HTML) are checked for other hosts."""
    index = ('{"docs": [{"location": "faq/", "title": "FAQ", "text": "<p>plain</p>"},'
             ' {"location": "/\\\\evil.example/", "title": "x", "text": ""},'
             ' {"location": "a/", "title": "<img src=//title.example/x>", "text": "<p style=\\"background:url(//t.example)\\">"}]}')
    found = [(f.url, f.where) for f in index_foreign("search/search_index.json", index)]
    assert found == [("/\\evil.example/", "search entry location"),
                     ("//title.example/x", "search entry title: <img src>"),
                     ("//t.example", "search entry text: <p style>")], found


def test_addresses_are_resolved_against_the_page() -> None:
    """A relative address stays on the site however deep the page; the site's own host is not another."""
    html = '<img src="../../a.png"><link href="https://kb.example.org/x.css"><img src="//kb.example.org/y.png">'
    assert page_foreign("a/b/index.html", html, set(), {"kb.example.org"}) == []
    assert [f.url for f in page_foreign("a/b/index.html", html, set())] == [
        "https://kb.example.org/x.css", "//kb.example.org/y.png"]
