"""html.parser readings of a page, the references the fast scans (carekb/htmlscan.py and the
checks reading through it) are compared with: what the privacy check, the reading grade and the
start-tag list found when they parsed every page with html.parser."""

from __future__ import annotations

from html.parser import HTMLParser

from carekb.htmlscan import RAW
from carekb.privacy import _css_urls, _found_in, _js_urls
from carekb.readability import _BLOCKS, _SKIP, _SKIP_CLASSES, _VOID


class _Page(HTMLParser):
    """Every address in one HTML file, with whether it is a link inside the page body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, bool]] = []  # (url, where, body link)
        self.article = 0
        self.inside: str | None = None  # "style" or "script" while in one
        self.script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "article":
            self.article += 1
        if tag in ("style", "script"):
            self.inside = tag
            self.script_type = values.get("type", "").lower()
        _found_in(tag, attrs, self.found, self.article)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("style", "script"):
            self.inside = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article:
            self.article -= 1
        if tag in ("style", "script"):
            self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside == "style":
            self.found += [(u, "url() in <style>", False) for u in _css_urls(data)]
        elif self.inside == "script" and self.script_type in ("", "text/javascript", "module",
                                                              "application/javascript"):
            self.found += [(u, "string in <script>", False) for u in _js_urls(data)]


def parse_urls(html: str) -> list[tuple[str, str, bool]]:
    """Every address in the page, as `_Page` (html.parser) lists them."""
    page = _Page()
    page.feed(html)
    page.close()
    return page.found


class _BodyText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in _SKIP or bool(classes & _SKIP_CLASSES) or dict(attrs).get("hidden") is not None
        self.stack.append(skip)
        if skip:
            self.skip_depth += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:  # `<hr />` arrives here too; it opened nothing on the stack
            return
        if tag in _BLOCKS:
            self.parts.append("\n")
        if self.stack:
            if self.stack.pop():
                self.skip_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data.replace("\n", " "))


def parse_body_text(html: str) -> str:
    """The page's prose as `_BodyText` (html.parser) reads it."""
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def parse_start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]], str]]:
    """`start_tags` as html.parser reads them."""
    out: list[tuple[str, list[tuple[str, str | None]], str]] = []

    class _Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append((tag, attrs, ""))

        def handle_data(self, data):
            if out and out[-1][0] in RAW and self.cdata_elem:
                name, attrs, body = out[-1]
                out[-1] = (name, attrs, body + data)

    parser = _Tags(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return out
