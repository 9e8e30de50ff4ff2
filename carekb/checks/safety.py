"""Refuse live payloads in what the site publishes: scripts, event handlers, frames, script URLs.

Markdown lets an editor write raw HTML, and whatever HTML a page body holds is published. A
careless paste or a hostile edit could run script in every reader's browser. `body_problems`
lists what a page body (the editor's Markdown rendered, plus our own templates' output) may not
hold; `page_problems` lists what no written page may hold at all. Both judge every tree a
browser may build from the HTML (carekb/web/htmlscan.py: an HTML5 parser, scripting on and off),
never its text, read CSS with a CSS tokenizer (carekb/web/css.py), and compare addresses after
dropping the whitespace and control characters browsers ignore, in any letter case.

The site ships a Content-Security-Policy without 'unsafe-inline' for scripts (overrides/
main.html), so no written page may hold an inline script: that would be blocked in readers'
browsers, or, if it came from a page, a payload. Material shows `title` attributes as HTML
in its tooltips, so no title may hold what would parse as a tag.

What our own templates put in page bodies is allowed, and nothing wider: the self-check form
(a `<form>` with no `action`) and its `<script type="application/json" id="self-check-data">`
and `id="self-check-words"` (data, never run), the chart's inline SVG, footnotes, tooltips,
`<details>`.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import unescape

from markupsafe import Markup

from carekb.base import collector

from carekb.web import css, htmlscan
from carekb.base.problems import Problem


class Finding(str):
    """One live thing in a page, in plain words; `needles`: text that finds it in the source."""

    needles: tuple[str, ...]

    def __new__(cls, text: str, *needles: str) -> Finding:
        found = super().__new__(cls, text)
        found.needles = needles
        return found

# Elements that run, embed or redirect to another document, or change where links go.
_REFUSED_TAGS = {
    "script": "runs script", "iframe": "embeds another page", "frame": "embeds another page",
    "frameset": "embeds other pages", "object": "embeds a plug-in or page",
    "embed": "embeds a plug-in or page", "applet": "embeds a plug-in", "base": "changes where every link goes",
    "meta": "can redirect the reader or change how the page runs", "link": "loads a style sheet or other file",
    "portal": "embeds another page",
}
# SVG animation can set an attribute (e.g. a link's href) to a script URL after the page loads.
_ANIMATION = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
# Schemes that run code or smuggle a whole document in an address.
_LIVE_SCHEMES = ("javascript:", "vbscript:", "data:")
# Characters browsers ignore inside an address ("java\tscript:" runs), and characters that hide
# or reorder what a reader sees: C0 and C1 controls but tab and line breaks, bidi controls.
_CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_HIDDEN = re.compile("[" + re.escape(_CONTROL + _BIDI) + "]")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
# Elements judged even without attributes (the others need one to be live).
_BODY_TAGS = frozenset(_REFUSED_TAGS) | {"style"}
# Script types a browser runs; any other type (application/json, application/ld+json) is data.
_JS_TYPES = {"", "text/javascript", "module", "application/javascript", "text/ecmascript",
             "application/ecmascript", "text/jscript", "text/livescript", "text/x-javascript"}
# What makes an element if a tooltip inserts a title as HTML.
_TAG_OPENER = re.compile(r"<[a-zA-Z!/?]")


# The only script element our templates put in a page body: data the self-check reads (the
# staff print page prefixes its id with the chapter's anchor, carekb/staff/print_page.py).
_DATA_SCRIPT_ID = re.compile(r"(?:ch-[a-z0-9-]+--)?self-check-(?:data|words)")


def _char_name(char: str) -> str:
    """"U+202E" for a character."""
    return f"U+{ord(char):04X}"


def _is_data_script(attrs: list[tuple[str, str | None]]) -> bool:
    """`<script type="application/json" id="self-check-data">` (or `-words`), with no other attribute."""
    values = dict(attrs)
    return (len(values) == len(attrs) == 2 and (values.get("type") or "").strip().lower() == "application/json"
            and _DATA_SCRIPT_ID.fullmatch(values.get("id") or "") is not None)


def _scheme(url: str) -> str:
    """The scheme a browser sees in `url` (lower case, ignored characters dropped), e.g. "javascript:"."""
    cleaned = _IGNORED_IN_URL.sub("", url).lower()
    return next((s for s in _LIVE_SCHEMES if cleaned.startswith(s)), "")


def _css_is_live(text: str) -> str:
    """The construct in CSS `text` that loads a file or runs script, or "" (carekb/web/css.py)."""
    return css.live(text)


def _is_url_attr(name: str) -> bool:
    """Attributes read as addresses: the shared list, and any *href or *src (xlink:href, lowsrc)."""
    return name in htmlscan.URL_ATTRS or name.endswith(("href", "src"))


def _tag_problems(tag: str, attrs: list[tuple[str, str | None]], body: str, *, whole_page: bool) -> list[Finding]:
    """What is live in one start tag (and a style element's CSS)."""
    out: list[Finding] = []
    values = {k: v for k, v in attrs}
    if whole_page and tag == "script" and "src" not in values and \
            (values.get("type") or "").strip().lower() in _JS_TYPES:
        out.append(Finding("an inline <script> (the site's Content-Security-Policy blocks it in "
                           "readers' browsers; scripts go in files)", "<script"))
    if not whole_page:
        if tag == "script" and _is_data_script(attrs):
            pass  # the self-check's data: the browser never runs it
        elif tag in _REFUSED_TAGS:
            out.append(Finding(f"a <{tag}> element ({_REFUSED_TAGS[tag]})", f"<{tag}"))
        elif tag == "style" and _css_is_live(body):
            out.append(Finding(f"a <style> element using {_css_is_live(body)}", "<style"))
        elif tag == "form" and "action" in values:
            out.append(Finding("a <form> with an action (it would send what readers type elsewhere)", "<form"))
        elif tag in _ANIMATION and "href" in (values.get("attributename") or "").lower():
            out.append(Finding(f"an SVG <{tag}> that changes a link's address", f"<{tag}"))
    for name, value in attrs:
        if name == "title" and value and _TAG_OPENER.search(value):
            out.append(Finding(f"a title= on <{tag}> that holds HTML ({value.strip()[:40]!r}; the theme "
                               "shows titles as HTML in its tooltips)", value.strip()[:20], "title"))
        if name.startswith("on") and value and value.strip():  # a bare or empty `onclick` runs nothing
            out.append(Finding(f"an event handler attribute {name}= on <{tag}> (it runs script)", name))
            continue
        if whole_page:
            found = [value] if value is not None and _is_url_attr(name) else []
        else:
            found = [u for a, u in htmlscan.urls(tag, [(name, value)])]
            if value is not None and _is_url_attr(name) and name not in htmlscan.URL_ATTRS:
                found.append(value)
        for url in found:
            scheme = _scheme(url)
            if scheme and (scheme != "data:" or not whole_page):
                out.append(Finding(f"a {scheme} address in <{tag} {name}> ({url.strip()[:40]!r})",
                                   url.strip()[:20], scheme[:4], name))
        if whole_page:
            continue
        if name == "srcdoc":
            out.append(Finding(f"a srcdoc= attribute on <{tag}> (it holds a whole page)", name))
        elif name == "formaction":
            out.append(Finding(f"a formaction= attribute on <{tag}> (it would send a form elsewhere)", name))
        elif name == "style" and value and _css_is_live(value):
            out.append(Finding(f"a style= attribute on <{tag}> using {_css_is_live(value)}", "style"))
    return out


@htmlscan.remembered
def body_problems(html: str) -> list[Finding]:
    """Everything live in a page body (MkDocs' page content), each in plain words; [] if none."""
    out = []
    with collector.paused():  # the scan's tuples come and go (see carekb/base/collector.py)
        for tag, attrs, body in htmlscan.start_tags(html):
            if attrs or tag in _BODY_TAGS:  # an element with neither can hold nothing live
                out += _tag_problems(tag, attrs, body, whole_page=False)
    hidden = _HIDDEN.findall(unescape(html) if "&" in html else html)
    for char in sorted(set(hidden)):
        kind = "a bidirectional-text control" if char in _BIDI else "a control character"
        out.append(Finding(f"{kind} {_char_name(char)} (it hides or reorders what readers see)",
                           char, f"&#x{ord(char):x};", f"&#{ord(char)};"))
    return _unique(out)


@htmlscan.remembered
def page_problems(html: str) -> list[Finding]:
    """What no written page may hold anywhere (event handlers, javascript: and vbscript:
    addresses, inline scripts, titles holding HTML); our theme's templates write none."""
    out = []
    with collector.paused():
        for element in htmlscan.elements(html):
            if element.attrs or element.tag == "script":
                out += _tag_problems(element.tag, element.attrs, "", whole_page=True)
    return _unique(out)


_LIVE_ALONE = re.compile(r"<(?:script|style|iframe|frame|object|embed|svg|math|noscript|template)", re.I)


def index_problems(text: str) -> list[Finding]:
    """What is live in a search index (search/search_index.json): the theme shows each entry's
    title and text as HTML in its results, so each is judged as a page body is."""
    try:
        docs = json.loads(text).get("docs", [])
    except (ValueError, AttributeError):
        return [Finding("a search index that is not JSON")]
    out: list[Finding] = []
    for doc in docs if isinstance(docs, list) else []:
        for field in ("title", "text"):
            snippet = str(doc.get(field, "")) if isinstance(doc, dict) else ""
            # Without "=" no element has an attribute; without these, no element is live alone.
            if "=" in snippet or _LIVE_ALONE.search(snippet) or _HIDDEN.search(unescape(snippet)):
                out += [Finding(f"search entry {doc.get('location', '')!r}: {f}") for f in body_problems(snippet)]
    return _unique(out)


def _unique(items: Iterable[Finding]) -> list[Finding]:
    """The findings once each, in page order."""
    return list(dict.fromkeys(items))


def locate(source: str, findings: Iterable[Finding]) -> tuple[int, int] | None:
    """(line, column) in the page's source of the first finding it shows, or None (a finding
    made by a template, or written with character references)."""
    lowered = source.lower()
    # Each finding's needles go from the most to the least telling: the first one found counts.
    spots = [next((i for n in f.needles if n and (i := lowered.find(n.lower())) >= 0), -1)
             for f in findings]
    spots = [i for i in spots if i >= 0]
    if not spots:
        return None
    first = min(spots)
    return lowered.count("\n", 0, first) + 1, first - (lowered.rfind("\n", 0, first) + 1) + 1


def message(page: str, problems: Iterable[Finding], *, written: bool = False,
            source: str | None = None) -> str:
    """One line naming the page (file:line:column of the first finding, when its source shows
    it), what is live in it and how to fix it."""
    problems = list(problems)
    where = locate(source, problems) if source else None
    shown = "; ".join(problems[:8]) + (f"; and {len(problems) - 8} more" if len(problems) > 8 else "")
    return str(Problem(page, where[0] if where else None, where[1] if where else None, "",
                       f"{'the written page' if written else 'the page'} holds HTML that could run "
                       f"in readers' browsers: {shown}.",
                       "remove that raw HTML (write links as [text](page.md) and images as "
                       "![alt](file.png)); pages may not carry scripts, event handlers (on...=), frames, "
                       "forms that send elsewhere, or javascript:, vbscript: or data: addresses."))


def safe_title(title: object) -> object:
    """A page or nav title as HTML text for the theme, which prints titles unescaped: `&`, `<`,
    `>` and `"` escaped once, as Markup so Jinja's `| e` leaves it alone. Already Markup, or
    not text (None): returned as it is, so escaping twice is impossible."""
    if not isinstance(title, str) or isinstance(title, Markup):
        return title
    return Markup(title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                  .replace('"', "&quot;"))
