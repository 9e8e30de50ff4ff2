"""Give pages the staff handbook's macros: `quiz("billing")` and `group_types()`.

`{{ quiz("billing") }}` renders a chapter's "Check your understanding" questions from
carekb/staff/quiz.py, answers folded until clicked (carekb/templates/staff/quiz.md.j2); the session
(carekb/build/session.py) adds both to the page language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carekb.build.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    current().add_staff_macros()
    return config
