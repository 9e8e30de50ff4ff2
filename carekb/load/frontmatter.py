"""A page's front matter (the settings between the two `---` lines at its top), typed like
facts.yaml.

Only the keys in `fields` are accepted, each with a type and a length bound; an unknown key is
an error with "did you mean"; a key given twice is an error naming both lines (the YAML is read
as a node tree by carekb/load/yamlload.py, never with "the last one wins"). Text obeys the same
plain-text rules as facts (carekb/load/plaintext.py): no tag, link, brace, control or invisible
character; the theme still gets it escaped (hooks/titles.py).

The block is found exactly as MkDocs finds it (`YAML_RE`, from mkdocs/utils/meta.py), so what
is checked here is what MkDocs reads. MkDocs also reads `key: value` lines at the top of a page
without `---` (MultiMarkdown meta-data): a page that starts that way is refused, since its first
lines would silently become settings. The page's `audience` is checked by carekb/model/audience.py,
which has its own messages.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from carekb.base.problems import Problem
from carekb.load.spec.core import Ctx, Field, Spec
from carekb.load.spec.scalars import Date, Enum, Flag, Line, ListOf, Number
from carekb.load.spec.shapes import Obj
from carekb.load.yamlload import PLAIN, STR, yaml_tree

YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
MAX_CHARS = 16_000  # a front matter holds a few short lines
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")  # Material's `hide:` values
STATUS = ("new", "deprecated")  # Material's page status
_TAGS = {PLAIN, STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class Description(Line):
    """One line for search results and link previews."""

    max_chars = 500


class Subtitle(Line):
    """A short line under the title in the navigation."""

    max_chars = 120


class _Audience(Spec):
    """`audience:` is read and reported by carekb/model/audience.py."""

    def read(self, node: yaml.Node, path: str, ctx: Ctx) -> Any:
        return None


def fields(templates: list[str]) -> dict[str, Field]:
    """The keys a page's front matter may hold; `templates`: the page templates of the theme's
    custom folder (overrides/*.html) that `template:` may name."""
    search = Obj({"exclude": Field(Flag("true: leave the page out of site search")),
                  "boost": Field(Number("rank in site search, 0 to 10", minimum=0, maximum=10))},
                 lambda values, *_: values)
    return {
        "title": Field(Line("the page's title (one line, at most 300 characters)")),
        "description": Field(Description("one sentence for search results (at most 500 characters)")),
        "reviewed": Field(Date("the date the page was last checked, like 2026-11-23")),
        "audience": Field(_Audience()),
        "template": Field(Enum(sorted(templates), "a page template in overrides/", "page templates")),
        "hide": Field(ListOf(Enum(list(HIDE), what="parts Material can hide"),
                             "parts of the page to hide")),
        "search": Field(search),
        "subtitle": Field(Subtitle("a short line under the title in the navigation")),
        "status": Field(Enum(list(STATUS), "Material's page status", "statuses")),
        "readability_limit": Field(Number("this page's reading grade limit", minimum=1, maximum=20)),
        "readability_reason": Field(Description("why this page may read harder")),
        # A Spanish page's record of the English it was made from (carekb/i18n/page_translations.py);
        # `carekb-translate mark` writes it, never an editor.
        "translation": Field(Obj({
            "of": Field(Line("the English page this translates, like costs.md")),
            "hash": Field(Line("the short hash of that English page, written by carekb-translate mark")),
            "reviewed": Field(Date("when the translation was last checked against the English page")),
        }, lambda values, *_: values)),
    }


def split(text: str) -> tuple[str, int] | None:
    """The front matter's YAML, as MkDocs finds it, and the line after it (None: no block)."""
    found = YAML_RE.match(text)
    return (found.group(1), text.count("\n", 0, found.end()) + 1) if found else None


def check(text: str, name: str, templates: list[str]) -> list[Problem]:
    """Every problem of the page `name`'s front matter; `text` is the page, newlines as `\\n`."""
    found = split(text)
    if found is None:
        return _no_block(text, name)
    block, _ = found
    if len(block) > MAX_CHARS:
        return [Problem(name, 1, 1, "", f"the front matter is {len(block):,} characters long; page "
                        f"settings take a few short lines (at most {MAX_CHARS:,} characters).",
                        "keep only the settings; move the text into the page.")]
    root, problems = yaml_tree("\n" + block, name)  # line numbers count the opening `---`
    if problems:
        return problems
    if not isinstance(root, yaml.MappingNode):
        return [Problem(name, 2, 1, "", "the front matter is not a block of `name: value` lines, so "
                        "MkDocs would show it as text.",
                        "write one setting per line, like `title: Paying for care`, or remove the "
                        "two `---` lines.")]
    problems = _tags(root, name)
    if problems:
        return problems
    ctx = Ctx(file=name, today=dt.date.today())
    # `Audience:` and other spellings of the key are carekb/model/audience.py's to explain.
    root = yaml.MappingNode(root.tag, [(k, v) for k, v in root.value if not _other_audience(k)],
                            root.start_mark, root.end_mark)
    Obj(fields(templates), lambda values, *_: values).read(root, "", ctx)
    return ctx.problems


def _other_audience(key: yaml.Node) -> bool:
    return (isinstance(key, yaml.ScalarNode) and key.value != "audience"
            and key.value.strip().strip("'\"").casefold() == "audience")


def _tags(root: yaml.Node, name: str) -> list[Problem]:
    """YAML tags (`!!binary`, `!something`) turn text into other things: never in front matter."""
    pending, problems = [root], []
    while pending:
        node = pending.pop()
        if node.tag not in _TAGS:
            problems.append(Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                    f"`{node.tag[:40]}` is a YAML tag; front matter holds plain "
                                    "values only.", "remove the `!…` before the value."))
        if isinstance(node, yaml.MappingNode):
            pending += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
    return problems


def _no_block(text: str, name: str) -> list[Problem]:
    """A page without a front-matter block: refuse what MkDocs would still read as settings."""
    first = text.split("\n", 1)[0]
    if META_RE.match(first):
        key = META_RE.match(first).group("key")
        return [Problem(name, 1, 1, "", f"the page starts with `{key}:`, which MkDocs reads as a "
                        "page setting, not as text: this line and the ones after it would "
                        "vanish from the page.", "start the page with its heading (`# …`), or put "
                        "settings between two lines holding only `---`.")]
    lines = text.split("\n", 3)
    if first.rstrip() == "---" and len(lines) > 1 and META_RE.match(lines[1]):
        return [Problem(name, 1, 1, "", "the front matter opened on line 1 is never closed, so "
                        "MkDocs would show it as text.",
                        "add a line holding only `---` after the last setting.")]
    return []
