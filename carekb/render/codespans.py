"""Code in a page: fenced code blocks and inline code, the one definition everyone uses.

Code is shown as written, Jinja and all: the renderer keeps it away from Jinja
(`protect_code`), and the hand-typed-figure check leaves it out of the page's own words.
"""

from __future__ import annotations

import re

# A fenced block: an opening fence of three or more backticks or tildes, its lines, and a
# closing fence of the same characters at the same indent.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                   re.M | re.S)
# Inline code: a run of backticks, the code, and a run of the same length.
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# Markdown attribute lists such as `## Costs {#costs}` start like a Jinja comment.
_ATTR_LIST = re.compile(r"\{#[^}\n#]*\}")
_PROTECTED = "\x00kb{}\x00"


def protect_code(markdown: str) -> tuple[str, list[str]]:
    """Swap code (fenced and inline) and `{#anchor}` attribute lists for placeholders that
    keep the line count; `restore_code` puts them back."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return _PROTECTED.format(len(kept) - 1) + "\n" * m.group(0).count("\n")

    markdown = FENCE.sub(keep, markdown)
    markdown = INLINE_CODE.sub(keep, markdown)
    markdown = _ATTR_LIST.sub(keep, markdown)
    return markdown, kept


def restore_code(markdown: str, kept: list[str]) -> str:
    """Put back what `protect_code` took out."""
    for i in reversed(range(len(kept))):
        token = _PROTECTED.format(i)
        markdown = markdown.replace(token + "\n" * kept[i].count("\n"), kept[i])
    return markdown
