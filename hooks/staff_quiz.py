"""Give pages the staff handbook's macros: `quiz("billing")` and `group_types()`.

`{{ quiz("billing") }}` renders a chapter's "Check your understanding" questions from
carekb/quiz.py, answers folded until clicked (carekb/templates/staff/quiz.md.j2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from carekb.model import STAFF
from carekb.quiz import group_types, questions, render_answer
from carekb.session import current

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    renderer = current().renderer
    facts = renderer.facts

    def quiz(topic: str) -> Markup:
        if renderer.audience != STAFF:  # the questions are handbook material, about staff facts
            raise ValueError(f"quiz({topic!r}) belongs on a staff page (content/staff/): its "
                             "questions are part of the staff handbook, and this page is public")
        template = renderer.env.get_template("staff/quiz.md.j2")
        return Markup(template.render(items=questions(facts, topic),
                                      answer=lambda item: render_answer(item, renderer)))

    def groups() -> list[Any]:
        return renderer.visible(group_types(facts))

    renderer.env.globals.update(quiz=quiz, group_types=groups)
    return config
