"""Issue 19's hostile corpus for HTML, addresses and CSS: every case names its class.

Most cases test a decision or a message in-process, on strings: the raw-HTML allow-list on a
page's Markdown as its editor wrote it (carekb/checks/sanitize.py), and the output checks on the HTML
a build would publish (carekb/checks/safety.py, carekb/checks/privacy.py, carekb/staff/links.py), which must
each catch the payload on their own (the second fence). A handful of real builds at the end
make the end-to-end claim: the build fails naming the page and line, or publishes nothing live.
"""

from __future__ import annotations

import pytest

from carekb.web import css, urls
from carekb.checks.privacy import index_foreign, page_foreign
from carekb.checks.safety import body_problems, index_problems, page_problems
from carekb.checks.sanitize import raw_html_problems
from carekb.staff.links import staff_links
from tests.sitebuilds import WarmProject
from tests.test_hostile_output import (PAGE, assert_failed_cleanly, hostile, live_payloads,  # noqa: F401
                                         warm_hostile, write_page)

X = "<img src=x onerror=alert(1)>"
HIDES = ["noscript", "xmp", "textarea", "noembed", "noframes"]
STAFF_PAGES = {"staff/billing.md": "staff/billing/"}

# (id, class, Markdown an editor writes). The allow-list refuses each, located; the output
# checks (body_problems, on the same text read as HTML) catch the live ones too.
SOURCE = [
    ("comment-abrupt", "parser-differential", f"<!-->{X}-->"),
    *[(f"{tag}-title", "parser-differential", f'<div><{tag}><p title="</{tag}>{X}"></{tag}></div>') for tag in HIDES],
    *[(f"{tag}-in-span", "parser-differential", f'<span><{tag}><p title="</{tag}>{X}"></{tag}></span>') for tag in HIDES],
    ("style-stray-end", "parser-differential", f"<style>p{{}}</style x>{X}"),
    ("script-stray-end", "parser-differential", f"<script>a</script/>{X}"),
    ("mathml-confusion", "raw-html-allowlist", f"<math><mtext><table><mglyph><style>{X}"),
    ("script", "raw-html-allowlist", "<script>alert(1)</script>"),
    ("iframe", "raw-html-allowlist", '<iframe src="https://example.org/"></iframe>'),
    ("form", "raw-html-allowlist", '<form action="https://evil.example/"><input name=q></form>'),
    ("style-attribute", "raw-html-allowlist", '<p style="color: red">Red</p>'),
    ("unknown-element", "raw-html-allowlist", "<marquee>Hi</marquee>"),
    ("svg", "raw-html-allowlist", '<svg><circle r="4"/></svg>'),
    ("jinja-element-name", "raw-html-allowlist", '<{{ "img" }} src=x onerror=alert(1)>'),
    ("javascript-href", "raw-html-allowlist", '<a href="java&#x09;script:alert(1)">x</a>'),
    ("data-src", "raw-html-allowlist", '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="">'),
    ("abbr-tag", "abbr-title", f"ZZQ here.\n\n*[ZZQ]: {X}"),
    ("abbr-entity", "abbr-title", "ZZQ here.\n\n*[ZZQ]: &lt;img src=x onerror=alert(1)&gt;"),
    ("attr-list-handler", "attr-list", 'A paragraph.\n{: onclick="alert(1)" }'),
    ("attr-list-title", "attr-list", f'A paragraph.\n{{: title="{X}" }}'),
    ("attr-list-style", "attr-list", '## Head { style="background:url(//evil.example/x)" }'),
    ("link-title", "link-title", f'[FAQ](faq.md "{X}")'),
    ("link-title-entity", "link-title", '[FAQ](faq.md "&lt;img src=x onerror=alert(1)&gt;")'),
    ("ref-link-title", "link-title", f'[FAQ][f]\n\n[f]: faq.md "{X}"'),
    ("span-title", "raw-html-allowlist", '<span title="&lt;img src=x onerror=alert(1)&gt;">x</span>'),
]

CONTROLS = [
    ("details", "<details><summary>More</summary>\n\nSome more words.\n\n</details>"),
    ("table", "<table><thead><tr><th scope=\"col\">Level</th></tr></thead><tbody><tr><td>IOP</td></tr></tbody></table>"),
    ("abbr-plain", "ZZQ helps.\n\n*[ZZQ]: A made-up word & more"),
    ("attr-list-class", "A next step.\n{ .kb-next-step }\n\n## Head { #head-id title=\"Plain words\" }"),
    ("span-class", '<span class="kb-note">A note</span> and <abbr title="Partial hospitalization">PHP</abbr>.'),
    ("code", "Write `<script>` in code only.\n\n```html\n<iframe src=x></iframe>\n```"),
    ("autolink", "See <https://www.asam.org/asam-criteria> for more."),
    ("jinja", 'A fact.{{ cite("asam3") }} {% if true %}Yes{% endif %}'),
    ("less-than", "In maths, a < b and b > a."),
]


@pytest.mark.parametrize("case,cls,markdown", SOURCE, ids=[f"{c[1]}:{c[0]}" for c in SOURCE])
def test_the_allow_list_refuses_and_locates(case: str, cls: str, markdown: str) -> None:
    """Each hostile page body is refused as written, with a line, a column and a fix."""
    problems = raw_html_problems(markdown)
    assert problems, f"{cls}: {case} passed the allow-list"
    assert all(p.line >= 1 and p.column >= 1 and p.fix for p in problems), problems


@pytest.mark.parametrize("case,cls,markdown", [c for c in SOURCE if c[1] == "parser-differential"],
                         ids=[c[0] for c in SOURCE if c[1] == "parser-differential"])
def test_the_output_check_alone_catches_parser_tricks(case: str, cls: str, markdown: str) -> None:
    """The second fence: the same payload in published HTML is found by the output checks,
    whichever reading of the page (scripting on or off) builds the live element."""
    assert any("onerror" in f for f in body_problems(markdown)), case
    assert any("onerror" in f for f in page_problems(f"<!doctype html><html><body>{markdown}</body></html>")), case


@pytest.mark.parametrize("case,markdown", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_controls_pass_the_allow_list(case: str, markdown: str) -> None:
    assert raw_html_problems(markdown) == []


@pytest.mark.parametrize("tag", HIDES)
def test_tricks_hide_no_staff_link_or_foreign_image(tag: str) -> None:
    """The same hiding places cannot hide a link to a staff page or an image from another host."""
    staff = f'<div><{tag}><p title="</{tag}><a href=../staff/billing/>x</a>"></{tag}></div>'
    found = staff_links(staff, page_src="faq.md", page_url="faq/", staff_pages=STAFF_PAGES)
    assert [link.staff_src for link in found] == ["staff/billing.md"]
    foreign = f'<div><{tag}><p title="</{tag}><img src=//evil.example/p.png>"></{tag}></div>'
    assert [f.url for f in page_foreign("faq/index.html", foreign, set())] == ["//evil.example/p.png"]
    commented = "<!--><img src=//evil.example/c.png>-->"
    assert [f.url for f in page_foreign("faq/index.html", commented, set())] == ["//evil.example/c.png"]


# (id, class, HTML a page publishes, the address a browser would load from another host)
ADDRESSES = [
    ("backslash-slash", "url-normalisation", '<img src="/\\evil.example/p.png">', "/\\evil.example/p.png"),
    ("scheme-backslashes", "url-normalisation", '<img src="https:\\\\evil.example\\p.png">', "https:\\\\evil.example\\p.png"),
    ("tab-entity", "url-normalisation", '<img src="/&Tab;/evil.example/p.png">', "/\t/evil.example/p.png"),
    ("newline", "url-normalisation", '<img src="/\n/evil.example/p.png">', "/\n/evil.example/p.png"),
    ("leading-control", "url-normalisation", '<img src="\x01 //evil.example/p.png">', "\x01 //evil.example/p.png"),
    ("scheme-case", "url-normalisation", '<img src="HtTpS://EVIL.example/p.png">', "HtTpS://EVIL.example/p.png"),
    ("srcset-backslash", "url-normalisation", '<img src="a.png" srcset="a.png 1x, \\\\evil.example/b.png 2x">',
     "\\\\evil.example/b.png"),
    ("style-escape", "css-url", '<p style="background:\\75 rl(//evil.example/e.png)">', "//evil.example/e.png"),
    ("style-image-set", "css-url", "<p style=\"background:image-set('//evil.example/i.png' 1x)\">",
     "//evil.example/i.png"),
    ("style-import", "css-url", '<style>@import "//evil.example/a.css";</style>', "//evil.example/a.css"),
    ("style-upper-case", "css-url", "<style>p{background:URL( '//evil.example/u.png' )}</style>",
     "//evil.example/u.png"),
    ("svg-style-import", "svg-style", "<svg><style>@import url(//evil.example/s.css);</style></svg>",
     "//evil.example/s.css"),
    ("svg-style-url", "svg-style", "<svg><style>circle{fill:url(https://evil.example/#g)}</style></svg>",
     "https://evil.example/#g"),
    ("svg-style-backslash", "svg-style", '<svg><style>circle{fill:url("/\\\\evil.example/#g")}</style></svg>',
     "/\\evil.example/#g"),
]


@pytest.mark.parametrize("case,cls,html,url", ADDRESSES, ids=[f"{c[1]}:{c[0]}" for c in ADDRESSES])
def test_addresses_and_css_are_read_as_a_browser_reads_them(case: str, cls: str, html: str, url: str) -> None:
    """Each address resolves, as a browser resolves it, to another host; the check names it."""
    found = [f.url for f in page_foreign("faq/index.html", html, set())]
    assert url in found, (cls, found)


def test_the_site_own_addresses_are_not_another_host() -> None:
    """Controls: relative, root-relative, fragment and own-host addresses; data: images in CSS."""
    html = ('<img src="../a.png"><img src="/b.png"><a href="#x">x</a><a href="mailto:a@b.example">m</a>'
            '<p style="background:url(data:image/png;base64,AAAA)">'
            '<a href="https://kb.example.org/faq/">own</a>')
    assert page_foreign("a/index.html", html, set(), {"kb.example.org"}) == []
    assert css.urls("a{b:url(x.png)} @import 'y.css'; c{d:image-set('z.png' 1x)}") == ["x.png", "y.css", "z.png"]
    assert urls.other_host("/\\evil.example/") and not urls.other_host("/ok/\\path")


def test_search_index_is_an_output() -> None:
    """search-index: a live entry or an address of another host in the index fails."""
    index = ('{"docs": [{"location": "a/", "title": "<img src=x onerror=alert(1)>", "text": ""},'
             ' {"location": "b/", "title": "B", "text": "<p style=\\"background:url(//evil.example/x)\\">"}]}')
    assert any("onerror" in f for f in index_problems(index))
    assert [f.url for f in index_foreign("search/search_index.json", index)] == ["//evil.example/x"]
    assert index_problems('{"docs": [{"location": "", "title": "Home", "text": "<p>Plain &amp; <code>x</code></p>"}]}') == []


def test_no_written_page_may_hold_an_inline_script() -> None:
    """csp: the site's policy blocks inline scripts, so none may be published; data blocks are fine."""
    assert any("inline <script>" in f for f in page_problems("<html><head><script>var a=1</script>"))
    assert page_problems('<script type="application/ld+json">{"a": 1}</script><script src="x.js"></script>') == []


# -- end to end: a few real builds (of the warm copy, tests/test_hostile_output.py) ------------

@pytest.mark.parametrize("case,body,expected,where", [
    ("parser-differential", f'<div><noscript><p title="</noscript>{X}"></noscript></div>', "the element <noscript>",
     f"{PAGE}:10:6:"),
    ("abbr-title", f"ZZQ here.\n\n*[ZZQ]: {X}", "an abbreviation's definition holds HTML", f"{PAGE}:12:9:"),
    ("url-normalisation", '<img src="/\\evil.example/p.png" alt="">', "privacy: ", f"page {PAGE}:10:"),
], ids=["parser-differential", "abbr-title", "url-normalisation"])
def test_a_hostile_page_fails_the_build_located(case: str, body: str, expected: str, where: str,
                                                warm_hostile: WarmProject) -> None:
    write_page(warm_hostile, body)
    result = warm_hostile.build()
    assert_failed_cleanly(result)
    assert expected in result.stderr and where in result.stderr, result.stderr[-2000:]
    assert result.wrote == [], "a failed build changed the site"


def test_controls_build_with_a_policy_and_nothing_live(warm_hostile: WarmProject) -> None:
    """A page with <details>, a table, a plain abbreviation and an attribute list builds; every
    page carries the Content-Security-Policy and no inline script."""
    write_page(warm_hostile, "\n\n".join(body for _, body in CONTROLS if "cite" not in body))
    result = warm_hostile.build()
    assert result.returncode == 0, result.stderr[-3000:]
    site = result.site
    assert live_payloads(site) == []
    html = (site / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<details>" in html and "<table>" in html and 'class="kb-next-step"' in html
    assert "<abbr title=\"A made-up word &amp; more\">ZZQ</abbr>" in html
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';" \
            in text, page
