"""What an editor may write in a page's Markdown: raw HTML from an allow-list, plain-text titles.

Editors write Markdown, and Markdown passes raw HTML through. Raw HTML in a page is limited to
the elements and attributes below (`TAGS`, `ATTRIBUTES`, `URL_SCHEMES`): enough for what pages
use (details/summary, tables, spans and divs with classes, abbr, ...). Anything else is
refused, with the page, line and column, what was refused and the fix; nothing is removed
silently, so the editor sees what readers would have got.

The sanitizer decides: nh3 (Ammonia) cleans the page's raw HTML with the allow-list, and any
element, attribute or address it would drop is refused (both read through the HTML5 parser,
carekb/web/htmlscan.py, so both sides are read as a browser reads them). Our own templates' output
(the self-check form, the chart's SVG, footnotes, tooltips, generated pages) is not editor-written
and is not judged here: the page is checked as its editor wrote it, before Jinja renders it,
with each Jinja tag read as a word (so `<{{ x }} ...>` is an unknown element, refused). The
checks on the built page (carekb/checks/safety.py) still judge the output whole.

Markdown's own attributes are plain text too: an abbreviation's definition (`*[IOP]: ...`,
shown by the theme's tooltip as HTML), an attribute list (`{: title="..." }`: only `#id`,
`.class`, `title` and `lang`) and a link's title may not hold anything a browser would read as
a tag.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3

from carekb.web import htmlscan, urls
from carekb.render.codespans import FENCE, INLINE_CODE

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul", "var", "wbr",
})
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "markdown"},  # markdown="1": md_in_html
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "col": {"span"}, "colgroup": {"span"},
}
URL_SCHEMES = {"https", "mailto", "tel", "sms"}  # and addresses on the site itself
# Markdown that looks like a tag but is not raw HTML: autolinks and e-mail autolinks.
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<(?:[Mm][Aa][Ii][Ll][Tt][Oo]:)?[^<> !]+@[^@<> ]+>")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ESCAPED = re.compile(r"\\[<&]")
_TAG_OPENER = re.compile(r"<[a-zA-Z!/?]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ABBR = re.compile(r"^[ ]{0,3}\*\[[^\]\n]*\][ ]{0,3}:[ ]*(.*)$", re.M)
_ATTR_LIST = re.compile(r"\{:?[ ]*([^\}\n ][^\}\n]*)[ ]*\}")
_ATTR_PAIR = re.compile(r"""([^\s=}'"]+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]*)""")
_ATTR_LIST_KEYS = {"title", "lang"}
_LINK_TITLE = re.compile(r"""\]\(\s*<?[^\s)>]*>?\s+("[^"\n]*"|'[^'\n]*'|\([^)\n]*\))\s*\)""")
_REF_TITLE = re.compile(r"""^[ ]{0,3}\[[^\]\n]+\]:[ ]*<?\S+>?[ \t]+("[^"\n]*"|'[^'\n]*'|\([^)\n]*\))[ ]*$""", re.M)


@dataclass(frozen=True)
class RawProblem:
    line: int  # in the text checked (1-based)
    column: int
    what: str  # what is refused, in plain words
    fix: str


def _blank(m: re.Match[str], fill: str = " ") -> str:
    """The match as filler of the same length, line breaks kept (offsets stay true)."""
    return "".join(c if c == "\n" else fill for c in m.group(0))


def editor_text(markdown: str) -> str:
    """`markdown` with what is not raw HTML blanked out (code, autolinks, `\\<`), and each
    Jinja tag turned into a word of x's of the same length."""
    text = FENCE.sub(_blank, markdown)
    text = INLINE_CODE.sub(_blank, text)
    text = _JINJA.sub(lambda m: _blank(m, "x"), text)
    text = _AUTOLINK.sub(_blank, text)
    return _ESCAPED.sub(_blank, text)


def _where(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=False)


def _signature(fragment: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(tag, attributes) of every element the parser builds from `fragment` (both readings)."""
    return [(e.tag, tuple((k, v or "") for k, v in e.attrs)) for e in htmlscan.elements(fragment, fragment=True)]


def raw_html_problems(markdown: str) -> list[RawProblem]:
    """What the raw HTML of a page's Markdown (as its editor wrote it) holds beyond the
    allow-list, and titles that are not plain text; [] if nothing."""
    text = editor_text(markdown)
    out: list[RawProblem] = []
    if "<" in text:
        out += _html_problems(text)
    out += _title_problems(text)
    return sorted(set(out), key=lambda p: (p.line, p.column, p.what))


def _html_problems(text: str) -> list[RawProblem]:
    """Elements and attributes of `text` outside the allow-list (or that nh3 would drop), and
    titles holding HTML, each located."""
    out: list[RawProblem] = []
    seen: dict[str, int] = {}
    for element in htmlscan.elements(text, fragment=True):
        at = _locate_tag(text, element.tag, seen)
        line, column = _where(text, at) if at >= 0 else (0, 0)
        if "xxxx" in element.tag:  # a name written by a Jinja tag (see editor_text)
            out.append(RawProblem(line, column, "an element whose name a Jinja tag writes",
                                  "write the element's name out, and only an allowed one"))
            continue
        if element.tag not in TAGS:
            out.append(RawProblem(line, column, f"the element <{element.tag}> is not allowed in a page",
                                  _fix_tag(element.tag)))
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(element.tag, set())
        for name, value in element.attrs:
            where = _where(text, text.lower().find(name, at)) if at >= 0 else (line, column)
            if name not in allowed:
                out.append(RawProblem(*where, f"the attribute {name}= on <{element.tag}> is not allowed",
                                      _fix_attribute(name)))
            elif name in ("href", "src") and value is not None and not _allowed_address(value):
                out.append(RawProblem(*where, f"the address {value.strip()[:60]!r} in <{element.tag} {name}> "
                                      "is not allowed", "link with https:, mailto:, tel: or sms:, or to a "
                                      "page of this site ([text](page.md))"))
            elif name == "title" and value and _TAG_OPENER.search(value):
                out.append(RawProblem(*where, f"the title= on <{element.tag}> holds HTML ({value.strip()[:40]!r})",
                                      "write the title as plain words, without < > tags"))
    if not out:
        kept = set(_signature(_clean(text)))
        if any(sig not in kept for sig in _signature(text)):  # nh3 drops what we did not name
            out.append(RawProblem(0, 0, "raw HTML that the sanitizer (nh3) would change",
                                  "write it as plain Markdown"))
    return out


def _locate_tag(text: str, tag: str, seen: dict[str, int]) -> int:
    """Where the next start tag `<tag` (after the ones already located) is in `text`, or -1
    (an element the parser made by itself, such as <tbody>)."""
    pattern = re.compile(r"<" + re.escape(tag) + r"(?=[\s/>])", re.I)
    m = pattern.search(text, seen.get(tag, 0))
    if m is None:
        return -1
    seen[tag] = m.end()
    return m.start()


def _allowed_address(value: str) -> bool:
    """An address on this site, or one with an allowed scheme (read as a browser reads it)."""
    cleaned = urls.clean(value)
    return not _SCHEME.match(cleaned) or urls.scheme(cleaned) in URL_SCHEMES


def _fix_tag(tag: str) -> str:
    if tag in ("script", "iframe", "object", "embed", "frame", "style", "link", "meta", "base", "form"):
        return "remove it: pages may not run scripts, embed other pages, load styles or send forms"
    if tag == "svg":
        return "put the picture in content/assets/ and show it as ![alt text](assets/picture.svg)"
    return (f"write it in Markdown, or, if you meant the text <{tag}>, write &lt;{tag}&gt;; allowed "
            "elements: " + ", ".join(sorted(TAGS)))


def _fix_attribute(name: str) -> str:
    if name.startswith("on"):
        return "remove it: pages may not run scripts"
    if name == "style":
        return "remove it and use a class (class=\"...\") that the site's style sheet defines"
    return "remove it; allowed attributes: class, id, title, lang, dir, and href, src, alt on links and images"


def _title_problems(text: str) -> list[RawProblem]:
    """Abbreviation definitions, attribute lists and link titles that are not plain text."""
    out: list[RawProblem] = []
    for m in _ABBR.finditer(text):
        if _TAG_OPENER.search(html.unescape(m.group(1))):
            out.append(RawProblem(*_where(text, m.start(1)), "an abbreviation's definition holds HTML "
                                  f"({m.group(1).strip()[:40]!r}; the tooltip would show it as HTML)",
                                  "write the definition as plain words, without < > tags"))
    for m in _ATTR_LIST.finditer(text):
        for pair in _ATTR_PAIR.finditer(m.group(1)):
            key, value = pair.group(1).lower(), pair.group(2).strip("'\"")
            where = _where(text, m.start(1) + pair.start())
            if key not in _ATTR_LIST_KEYS:
                out.append(RawProblem(*where, f"the attribute list sets {key}=, which is not allowed",
                                      "attribute lists may set only #id, .class, title= and lang="))
            elif _TAG_OPENER.search(html.unescape(value)):
                out.append(RawProblem(*where, f"the attribute list's {key}= holds HTML ({value[:40]!r})",
                                      "write it as plain words, without < > tags"))
    for pattern, kind in ((_LINK_TITLE, "a link's title"), (_REF_TITLE, "a link definition's title")):
        for m in pattern.finditer(text):
            if _TAG_OPENER.search(html.unescape(m.group(1)[1:-1])):
                out.append(RawProblem(*_where(text, m.start(1)), f"{kind} holds HTML ({m.group(1)[:40]!r})",
                                      "write the title as plain words, without < > tags"))
    return out


def message(page: str, problems: list[RawProblem], line_offset: int = 0) -> str:
    """One located line per problem: page:line:column: what is refused. Fix: ..."""
    return "\n".join(f"{page}:{p.line + line_offset}:{p.column}: raw HTML: {p.what}. Fix: {p.fix}."
                     if p.line else f"{page}: raw HTML: {p.what}. Fix: {p.fix}." for p in problems)
