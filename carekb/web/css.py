"""CSS read as a browser reads it: the addresses a style sheet or a `style=` attribute loads.

tinycss2 tokenizes the CSS the way the CSS Syntax standard says (comments, escapes such as
`\\75 rl(`, strings, nested blocks), and the walk below collects every address that can make
the browser load something: `url(...)` tokens and functions, `src()`, the strings of
`image-set()` (and its -webkit- twin), `image()` and `cross-fade()`, and `@import`'s
string. `live` names the first construct that loads a file or runs script, for the places
(page bodies) where CSS may do neither.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import tinycss2
from tinycss2 import ast

# Functions whose string arguments are addresses (url() and src() take one, the others a list).
_URL_FUNCTIONS = {"url", "src"}
_IMAGE_FUNCTIONS = {"image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade"}
# Constructs that run script in old browsers, or bind behaviour (never needed in a page).
_SCRIPTED_FUNCTIONS = {"expression"}
_SCRIPTED_PROPERTIES = {"behavior", "-moz-binding"}


def _tokens(nodes: Iterable[ast.Node]) -> Iterator[tuple[ast.Node, ast.Node | None]]:
    """Every token of `nodes`, nested blocks and functions included, each with the token
    before it at its level (comments and white space left out)."""
    pending = [iter(list(nodes))]
    previous: list[ast.Node | None] = [None]
    while pending:
        node = next(pending[-1], None)
        if node is None:
            pending.pop()
            previous.pop()
            continue
        if node.type in ("comment", "whitespace"):
            continue
        yield node, previous[-1]
        previous[-1] = node
        inner = node.arguments if node.type == "function" else getattr(node, "content", None)
        if isinstance(inner, list):
            pending.append(iter(inner))
            previous.append(None)


def _parse(text: str) -> list[ast.Node]:
    return tinycss2.parse_component_value_list(text)


def urls(text: str) -> list[str]:
    """Every address the CSS `text` (a style sheet, or a `style=` attribute's declarations) loads."""
    found: list[str] = []
    for node, before in _tokens(_parse(text)):
        if node.type == "url":
            found.append(node.value)
        elif node.type == "function" and node.lower_name in _URL_FUNCTIONS | _IMAGE_FUNCTIONS:
            strings = [a.value for a in node.arguments if a.type == "string"]
            found += strings[:1] if node.lower_name in _URL_FUNCTIONS else strings
        elif node.type == "string" and before is not None and before.type == "at-keyword" \
                and before.lower_value == "import":
            found.append(node.value)
    return found


def live(text: str) -> str:
    """The first construct in the CSS `text` that loads a file or runs script, in plain
    words ("url(", "@import", "image-set(", "expression(", "behavior", "javascript:"), or ""."""
    for node, _before in _tokens(_parse(text)):
        if node.type == "url":
            return "url("
        if node.type == "at-keyword" and node.lower_value == "import":
            return "@import"
        if node.type == "function" and node.lower_name in _URL_FUNCTIONS | _IMAGE_FUNCTIONS | _SCRIPTED_FUNCTIONS:
            return f"{node.lower_name}("
        if node.type == "ident" and node.lower_value in _SCRIPTED_PROPERTIES:
            return node.lower_value
        if node.type in ("string", "ident") and "javascript:" in node.value.lower().replace(" ", ""):
            return "javascript:"
    return ""
