"""The checks' HTML reader builds the trees a browser builds (WHATWG HTML5 parsing, scripting on
and off), checked against html5lib, an independent implementation; the reading grade's text
comes from that tree; results are remembered between preview builds."""

from __future__ import annotations

import pytest

from carekb.web import htmlscan
from carekb.checks.readability import body_text
from tests.html_reference import reference_readings
from tests.markup_mixes import random_markup

TRICKY = [
    "<p>One. Two words</p><br><br/><hr />After.",
    '<div class="footnote"><p>Hidden text.</p></div><p>Shown.</p>',
    "<p>&amp; &lt;b&gt; &#10;line</p>",
    "<div/>text after a self-closed div",
    "<script>if (a < b) { x = '</div>'; }</script><p>After script.</p>",
    '<style>p { content: "</p>"; }</style><p>After style.</p>',
    "<script src=a/><p>script body</p></script><p>Back.</p>",
    "<!-- a <p>comment</p> --><p>After comment.</p>",
    "<!-- never closed > then text",
    "a < b and c > d",
    '<p title=\'x>\' class="footnote">quoted gt</p><p>Next.</p>',
    '<p title=x"y="z>bare quote</p>',
    "<ul><li>It is.</li><li>Item</li></ul></3><?pi x><!DOCTYPE html>",
    "<table><tr><td>cell</td></tr></table><pre><code>code</code></pre>",
    # What the old tokenizer read differently from a browser (issue 19)
    "<!--><img src=x onerror=alert(1)>-->",
    '<div><noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript></div>',
    '<span><xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp></span>',
    '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    '<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<noframes><p title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    "<style>p{}</style x><img src=x onerror=alert(1)>",
    "<script>a</script/><img src=x onerror=alert(1)>",
    '<svg><style>@import "//e.example/a.css"</style><a xlink:href="//x.example">x</a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "<template><img src=//t.example/x></template>",
    '<a href="a" HREF="b" OnClick="c">dup</a>',
]


def _key(elements: list[htmlscan.Element]) -> set:
    """Elements as a set of comparable tuples (a bare attribute: "" as html5lib gives it)."""
    return {(e.tag, tuple(sorted((k, v or "") for k, v in e.attrs)), e.body, e.in_article) for e in elements}


@pytest.mark.parametrize("html", TRICKY)
def test_the_reader_builds_what_html5lib_builds(html: str) -> None:
    """Comments, raw text, stray end tags, foreign content and templates: the same elements,
    attributes and raw bodies as html5lib's trees (scripting on and off)."""
    for fragment in (False, True):
        assert _key(htmlscan.elements(html, fragment=fragment)) == _key(reference_readings(html, fragment=fragment))


def test_the_reader_matches_html5lib_on_random_markup() -> None:
    """Thousands of random mixes of markup pieces: the same elements both ways."""
    pieces = TRICKY + [
        "<p>", "</p>", "</div>", "<table>", "</table>", "<td>", "<br>", "<li>", "</li>", "</h2>", "<a href='x'>",
        "</a>", "</br>", "<img src=x>", "<svg><path d='M0'/></svg>", "<", ">", '"', "'", "=", "<!--", "-->",
        "Word. ", "\n", " ", "&amp;", "<noscript>", "</noscript>", "<xmp>", "</xmp>", "<textarea>", "<math><mi>",
        "<iframe>", "<noembed>", "</style x>", "</script/>", "<!-->", "<article>", "</article>",
    ]
    for html in random_markup(pieces, seed=11, count=1500, longest=12):
        assert _key(htmlscan.elements(html)) == _key(reference_readings(html)), html


def test_noscript_is_read_both_ways() -> None:
    """Scripting on, <noscript> holds text and the <img> after it is real; scripting off, the
    <img> is inside a title and a <p> is real: the checks see both."""
    html = '<noscript><p title="</noscript><img src=x>"></noscript>'
    tags = [e.tag for e in htmlscan.elements(html, fragment=True)]
    assert "img" in tags and "p" in tags
    assert [t.tag for t in htmlscan.readings("<p>no such element</p>")[0].root.traverse()] == [
        "html", "head", "body", "p"]
    assert len(htmlscan.readings("<p>x</p>")) == 1 and len(htmlscan.readings("<NoScript>x")) == 2


@pytest.mark.parametrize("html,expected", [
    ("<p>One. Two words</p><br><br/><hr />After.", ["One. Two words", "After."]),
    ('<div class="footnote"><p>Hidden text.</p></div><p>Shown.</p>', ["Shown."]),
    ("<p>&amp; &lt;b&gt;</p>", ["& <b>"]),
    ("<table><tr><td>cell</td></tr></table><p>Before</p><pre>code</pre>after", ["Before", "after"]),
    ('<p hidden="">Hidden.</p><div hidden><p>Shown by script.</p></div>', ["Shown by script."]),
    ("<template><h3>Shown later.</h3></template><noscript><p>No script.</p></noscript>", ["Shown later."]),
    ("<!--><p>After an empty comment.</p>-->", ["After an empty comment.", "-->"]),
    ("<xmp><p>raw</p></xmp>Tail", ["<p>raw</p>Tail"]),
])
def test_body_text_reads_the_tree(html: str, expected: list[str]) -> None:
    """Skipped elements, hidden, entities, templates, raw text: the prose, one block a line."""
    assert [line.strip() for line in body_text(html).split("\n") if line.strip()] == expected


def test_deeply_nested_markup_is_read_without_recursion() -> None:
    """Twenty thousand nested elements: read, no RecursionError."""
    html = "<span>" * 20000 + "Deep words." + "</span>" * 20000
    assert body_text(html).strip() == "Deep words."
    assert len(htmlscan.elements(html, fragment=True)) >= 1


@pytest.mark.parametrize("value,expected", [
    ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
    ("a.png,//evil.example/b.png", ["a.png,//evil.example/b.png"]),
    ("a.png, //evil.example/b.png 2x", ["a.png", "//evil.example/b.png"]),
    ("  a.png  100w (x, y), c.png", ["a.png", "c.png"]),
    (",,a.png,,", ["a.png"]),
])
def test_srcset_is_split_as_the_standard_says(value: str, expected: list[str]) -> None:
    assert htmlscan.srcset_urls(value) == expected


def test_remembered_results_are_kept_only_while_asked_and_for_one_more_build(monkeypatch) -> None:
    calls: list[str] = []
    # As in a plain build, whatever a preview Engine made earlier in this test run did.
    monkeypatch.setattr(htmlscan, "_kept", None)
    monkeypatch.setattr(htmlscan, "_previous", {})

    @htmlscan.remembered
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert shout("a") == shout("a") == "A" and calls == ["a", "a"]  # a plain build keeps nothing
    htmlscan.keep_results()
    calls.clear()
    assert [shout("a"), shout("b"), shout("a")] == ["A", "B", "A"] and calls == ["a", "b"]
    htmlscan.next_build()
    assert shout("a") == "A" and calls == ["a", "b"]  # asked again: kept
    htmlscan.next_build()  # "b" was not asked for in the last build: dropped
    assert [shout("a"), shout("b")] == ["A", "B"] and calls == ["a", "b", "b"]
