"""The one-pass HTML reader used by the reading grade reads pages exactly as `html.parser` does."""

from __future__ import annotations

import pytest

from carekb import htmlscan
from carekb.htmlscan import attributes, closes
from carekb.readability import body_text
from tests.html_reference import parse_body_text as _parse
from tests.markup_mixes import random_markup

TRICKY = [
    "<p>One. Two words</p><br><br/><hr />After.",
    '<div class="footnote"><p>Hidden text.</p></div><p>Shown.</p>',
    '<div class="x kb-crisis">Call</div><p hidden>bare hidden is read</p><p hidden="">empty value is not</p>',
    '<h2 CLASS="headerlink">Upper-case attribute</h2>',
    "<p>&amp; &lt;b&gt; &#10;line</p>",
    "<div/>text after a self-closed div",
    "<script>if (a < b) { x = '</div>'; }</script><p>After script.</p>",
    '<style>p { content: "</p>"; }</style><p>After style.</p>',
    "<script src=a/><p>script start read by html.parser</p></script><p>Back.</p>",
    "<!-- a <p>comment</p> --><p>After comment.</p>",
    "<!-- never closed > then text",
    "a < b and c > d",
    '<p title=\'x>\' class="footnote">quoted gt</p><p>Next.</p>',
    '<p title=x"y="z>bare quote</p>',
    "<ul><li>It is.</li><li>Item</li></ul></3><?pi x><!DOCTYPE html>",
    "<table><tr><td>cell</td></tr></table><pre><code>code</code></pre>",
    '<span class="md-source-file">file</span><span class="kb-review">review</span>Tail',
]


@pytest.mark.parametrize("html", TRICKY)
def test_body_text_matches_html_parser_on_tricky_markup(html: str) -> None:
    """Skipped elements, hidden, entities, raw text, comments and odd quoting read the same both ways."""
    assert body_text(html) == _parse(html)


def test_body_text_matches_html_parser_on_random_markup() -> None:
    """Thousands of random mixes of page markup give the same prose both ways."""
    pieces = TRICKY + [
        "<p>", "</p>", "</div>", "<table>", "</table>", "<td>", "<br>", "<li>", "</li>", "</h2>", "<a href='x'>",
        "</a>", "</br>", "<img src=x>", "<svg><path d='M0'/></svg>", "<", ">", '"', "'", "=", "<!--", "-->",
        "Word one. ", "Sentence! ", "What? ", "\n", " ", "&amp;",
    ]
    for html in random_markup(pieces, seed=11, count=4000, longest=14):
        assert body_text(html) == _parse(html), html


def test_attributes_are_read_like_html_parser() -> None:
    """Names lower-cased, values unquoted and unescaped, a bare attribute has no value."""
    assert attributes(' CLASS="a b" hidden data-x=\'1&amp;2\' title=x"y') == [
        ("class", "a b"), ("hidden", None), ("data-x", "1&2"), ("title", 'x"y')]


@pytest.mark.parametrize("attrs,closed", [("/", True), (' x="1"/', True), (" x/", True), (" href=a/", False),
                                          (" x=/", False), (' x="1"', False)])
def test_a_trailing_slash_closes_a_tag_unless_it_ends_a_bare_value(attrs: str, closed: bool) -> None:
    """`<br/>` and `<p x="1"/>` close at once; in `<a href=a/>` the slash belongs to the address."""
    assert closes(attrs) is closed


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


def test_a_page_the_pattern_cannot_read_is_read_by_html_parser() -> None:
    """`<script src=a.js/>` opens a script as html.parser reads it; the tokens of such a page come
    from html.parser, and every check reading them sees what html.parser sees."""
    html = ('<p>Before &amp; after</p><script src=a.js/>var u = "https://js.org/";</script>'
            '<img src="x.png" alt="a&quot;b"/><br/><article><a href="//c.org">c</a></article>')
    found = htmlscan.tokens(html)
    assert found == htmlscan.parse(html)
    assert body_text(html) == _parse(html)
    from tests.html_reference import parse_start_tags
    assert htmlscan.start_tags(html) == parse_start_tags(html)
    assert ("img", [("src", "x.png"), ("alt", 'a"b')], "") in htmlscan.start_tags(html)
