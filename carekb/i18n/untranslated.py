"""English shown in a Spanish page, marked: never silently.

A text with no current Spanish translation (carekb/i18n/translations.py) reaches a Spanish page in
English, between two marks (`mark`): SHIFT OUT and SHIFT IN, control characters that no page,
fact or YAML file may hold (carekb/load/plaintext.py, carekb/load/pageinput.py, YAML itself), so only
this module writes them. They survive Jinja, Markdown and every filter (a first letter put in
lower case, a sentence joined to another). Once a page is HTML, `to_html` turns each marked
text into `<span lang="en" class="kb-untranslated">…</span>` where it is text, and drops the
marks inside a tag's attributes, a `<title>` or a script (a tooltip or a JSON-LD string cannot
hold markup); the page then gets one Spanish notice at its top (hooks/language.py). What is
left anywhere else (the search index) is stripped (`strip`). The Spanish reading ease skips
the marked English (carekb/checks/readability.py, `kb-untranslated`).
"""

from __future__ import annotations

import re

OPEN, CLOSE = "\x0e", "\x0f"
CLASS = "kb-untranslated"
_MARKED = re.compile(f"{OPEN}([^{OPEN}{CLOSE}]*){CLOSE}")
_BLOCK = re.compile(r"</?(p|div|li|ul|ol|table|tr|td|th|h[1-6]|section|details|summary|blockquote)\b", re.I)
_RAW = re.compile(r"(<(script|title|style|textarea)\b[^>]*>)(.*?)(</\2\s*>)", re.S | re.I)
_MARKED_TAG = re.compile(f"<[^>{OPEN}{CLOSE}]*[{OPEN}{CLOSE}][^>]*>")  # a tag holding a mark


def mark(english: str) -> str:
    """English text, marked as untranslated."""
    return f"{OPEN}{strip(english)}{CLOSE}"


def strip(text: str) -> str:
    """The text without marks."""
    return text.replace(OPEN, "").replace(CLOSE, "") if OPEN in text or CLOSE in text else text


def marked(text: str) -> bool:
    """Whether the text holds marked English."""
    return OPEN in text


def to_html(html: str) -> tuple[str, int]:
    """The page with each marked text as a `lang="en"` span (in text) or plain (in a tag, a
    title, a script); and how many spans it made. A marked text may hold inline elements (an
    abbreviation's tooltip); one that crosses a block is left unmarked rather than broken."""
    if OPEN not in html and CLOSE not in html:
        return html, 0
    html = _RAW.sub(lambda m: m.group(1) + strip(m.group(3)) + m.group(4), html)
    html = _MARKED_TAG.sub(lambda m: strip(m.group(0)), html)
    count = 0

    def span(m: re.Match[str]) -> str:
        nonlocal count
        if _BLOCK.search(m.group(1)):
            return m.group(1)
        count += 1
        return f'<span lang="en" class="{CLASS}">{m.group(1)}</span>'

    return strip(_MARKED.sub(span, html)), count
