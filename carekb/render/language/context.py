"""What the page language may ask of the page being rendered: the one interface between the
functions and filters of the page language (this folder) and the renderer that binds them
(carekb/render/renderer.py implements it; nothing here imports the renderer).

Each function of the page language takes this context first; `api.register` binds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from carekb.model.facts import Facts
from carekb.render.usage import Tracker


class FootnoteMarks(Protocol):
    """The current page's footnotes, as far as a citation needs them."""

    def marks(self, ids: list[str]) -> Markup:
        """The footnote marks for sources `ids`, numbered in the order the page cites them."""


class PageContext(Protocol):
    """The page being rendered, as the page language sees it."""

    facts: Facts  # the audience's read-only view of the facts (in Spanish on the Spanish site)
    language: str  # "en" or "es"
    env: jinja2.Environment  # the page environment the language's names are bound in
    tracker: Tracker  # records which facts and sources the page shows
    footnotes: FootnoteMarks
    page_title: Callable[[str], str | None]  # the title of a page of this build, if it has one

    def guard(self, node: Any) -> Any:
        """`node`, or a `StaffOnly` stand-in when this audience may not see it."""

    def seen(self, obj: Any, name: Any, value: Any) -> Any:
        """Record that the page read field `name` of `obj`; the value, guarded."""

    def visible(self, nodes: Iterable[Any]) -> list[Any]:
        """The nodes this audience may see."""

    def template(self, name: str, **values: Any) -> Markup:
        """Template `name` (under carekb/templates/) rendered for the current page."""

