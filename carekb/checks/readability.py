"""Reading grade of a page's body text (Flesch–Kincaid), computed offline.

Syllables come from pyphen's hyphenation dictionaries, which ship inside the package
(textstat's cmudict download would fail offline and in CI). Only the article body counts:
navigation, the crisis bar, tables, code, footnotes and review dates are not prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
import pyphen

from carekb.base import collector

from carekb.web import htmlscan

_HYPHENATOR = pyphen.Pyphen(lang="en_US", left=1, right=1)
_VOWEL = re.compile(r"[aeiouy]", re.I)
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")

# Elements whose text is not prose to be graded.
_SKIP = {"table", "pre", "code", "script", "style", "nav", "svg", "figure", "button", "form", "kbd", "abbr-list",
         "noscript", "textarea"}
_SKIP_CLASSES = {"footnote", "kb-review", "kb-crisis", "kb-disclaimer", "kb-sources", "headerlink", "md-source-file",
                 "kb-untranslated", "kb-untranslated-notice"}  # English in a Spanish page, and its notice
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}
# Elements that end a sentence even without a full stop (headings, list items, cells).
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "div", "blockquote",
           "summary", "details", "br", "tr"}


@dataclass(frozen=True)
class Grade:
    grade: float
    words: int
    sentences: int
    syllables: int


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Syllables in one English word: hyphenation pieces that hold a vowel (at least one)."""
    pieces = _HYPHENATOR.inserted(word.lower()).split("-")
    return max(1, sum(1 for p in pieces if _VOWEL.search(p)))


def grade_text(text: str) -> Grade:
    """Flesch–Kincaid grade level of plain text whose sentences end in . ! ? or a newline."""
    chunks = [c for c in re.split(r"\n+", text) if c.strip()]
    sentences = 0
    words: list[str] = []
    for chunk in chunks:
        chunk_words = _WORD.findall(chunk)
        if not chunk_words:
            continue
        words += chunk_words
        sentences += max(1, len(_SENTENCE_END.findall(chunk.strip())))
    if not words:
        return Grade(0.0, 0, 0, 0)
    syl = sum(map(syllables, words))
    fk = 0.39 * (len(words) / sentences) + 11.8 * (syl / len(words)) - 15.59
    return Grade(round(max(fk, 0.0), 1), len(words), sentences, syl)


def body_text(html: str) -> str:
    """The prose of a rendered page body (MkDocs' page.content), one block per line.

    Reads the tree a browser builds (carekb/web/htmlscan.py, scripting on): elements skipped
    (_SKIP, _SKIP_CLASSES, `hidden`) and all they hold are left out, and each block element
    starts and ends a line.
    """
    parts: list[str] = []
    tree = htmlscan.readings(html, fragment=True)[0]
    # (node, inside a skipped element) in reading order; None closes the last block opened.
    pending: list = [(tree.root, False)] if tree.root is not None else []
    while pending:
        item = pending.pop()
        if item is None:
            parts.append("\n")
            continue
        node, skipped = item
        if node.next is not None and node.parent is None:
            pending.append((node.next, skipped))  # the fragment's next top-level node
        if node.is_text_node:
            if not skipped:
                parts.append(node.text_content.replace("\n", " "))
            continue
        if not node.is_element_node:
            continue  # a comment
        name = node.tag.lower()
        if name in _VOID:
            if name == "br":
                parts.append("\n")
            continue
        if name in _BLOCKS:
            parts.append("\n")
            pending.append(None)
        skipped = skipped or _skipped(name, node.attributes)
        children = []
        # A <template>'s content is not in the tree; its script shows it (the self-check's end).
        child = node.template_fragments()[0].child if name == "template" else node.child
        while child is not None:
            children.append((child, skipped))
            child = child.next
        pending += reversed(children)
    return "".join(parts)


def _skipped(name: str, attrs: dict[str, str | None]) -> bool:
    """An element whose text is not prose (see _SKIP, _SKIP_CLASSES), or `hidden="..."`. A bare
    `hidden` is read: our templates mark so what their script shows (the self-check tool), and
    the grade has always counted it."""
    if name in _SKIP:
        return True
    if not attrs:
        return False
    values = {k.lower(): v for k, v in attrs.items()}
    return bool(set((values.get("class") or "").split()) & _SKIP_CLASSES) or values.get("hidden") is not None


def grade_html(html: str) -> Grade:
    with collector.paused():  # the token list: hundreds of short-lived tuples
        return grade_text(body_text(html))
