"""The one Jinja environment factory over `carekb/templates/`, and how render errors are told.

`template_env` makes every environment that loads our templates: the renderer's sandboxed,
tracking one (`TrackingEnvironment`), the staff print page's and the hooks'. `explain` turns
whatever a page's render raised into a `RenderError` naming the page, its line and, when the
error happened inside one of our templates, that template and line.
"""

from __future__ import annotations

import dataclasses
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from carekb.model.audience import FactGroup, hidden
from carekb.model.facts import ModelPrintError, Node, StaffOnlyError
from carekb.render.language.hints import print_hint
from carekb.render.sandbox import BoundedEnvironment, LimitError, readable
from carekb.render.wording import did_you_mean

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # carekb/templates/
E = TypeVar("E", bound=jinja2.Environment)
# Templates that hold no words of any language: every build loads them from carekb/templates/.
# Every other template a Spanish page loads comes from carekb/templates/es/ (the same path
# below it): a Spanish page never falls back on an English template.
NEUTRAL = ("macros/abbreviations.md.j2", "macros/cite_group.html.j2")


class _Only(jinja2.FileSystemLoader):
    """A loader of `names` only, from `folder`."""

    def __init__(self, folder: Path, names: tuple[str, ...]) -> None:
        super().__init__(str(folder))
        self.names = names

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        if template not in self.names:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def loader(language: str = "en") -> jinja2.BaseLoader:
    """Where a build of `language` finds its templates."""
    if language == "en":
        return jinja2.FileSystemLoader(str(TEMPLATES))
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(TEMPLATES / language)),
                                _Only(TEMPLATES, NEUTRAL)])


def template_env(make: Callable[..., E] = jinja2.Environment, *, autoescape: bool = True,
                 trim: bool = True, language: str = "en", **options: Any) -> E:
    """An environment loading `carekb/templates/` in which an undefined name fails the render.

    `make` builds it (jinja2.Environment, or a sandboxed class). `autoescape`: values are
    HTML-escaped on their way out. `trim`: a line holding only a `{% tag %}` leaves no blank
    line behind (trim_blocks and lstrip_blocks). `language`: "es" loads the Spanish templates
    (`loader`). Other options go to the environment as they are.
    """
    return make(loader=loader(language), undefined=jinja2.StrictUndefined,
                autoescape=autoescape, trim_blocks=trim, lstrip_blocks=trim, **options)


class TrackingEnvironment(BoundedEnvironment):
    """Sandboxed (immutable, bounded), strict, and reporting every fact a template touches to
    `seen(obj, name, value)`, whose return value the template gets."""

    def __init__(self, seen: Callable[[Any, Any, Any], Any], **options: Any) -> None:
        super().__init__(**options)
        self.seen = seen

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Node) and readable(obj, attribute):
            # What the sandbox decides for a fact, without its general checks on every read: a
            # public attribute of a plain (non-callable, non-type) object is safe; a missing
            # one is undefined (facts cannot be indexed).
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                value = self.undefined(obj=obj, name=attribute)
            if value is None:  # taken out of the public view? then say it is staff-only
                value = hidden(obj, attribute)
            return self._seen(obj, attribute, value)
        return self._seen(obj, attribute, super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self._seen(obj, argument, super().getitem(obj, argument))

    def _seen(self, obj: Any, name: Any, value: Any) -> Any:
        if isinstance(value, jinja2.Undefined) and isinstance(obj, (FactGroup, Node)):
            choices = ", ".join(obj if isinstance(obj, FactGroup) else _fields(obj)) or "(none)"
            return self.undefined(hint=f"'{obj.path}' has no '{name}'. Choose from: {choices}",
                                  obj=obj, name=name)
        return self.seen(obj, name, value)


def _fields(node: Node) -> list[str]:
    """What a template may read on a fact: its fields, minus the bookkeeping ones."""
    hidden_names = {"path", "loc", "owner"}
    names = [f.name for f in dataclasses.fields(node) if f.name not in hidden_names]
    return names + [n for n in ("label", "review_due", "staff_only", "tel")
                    if isinstance(getattr(type(node), n, None), property)]


class RenderError(Exception):
    """A page could not be rendered; str() names the page and line."""

    def __init__(self, page: str, line: int | None, message: str, template: str | None = None):
        self.page, self.line, self.message, self.template = page, line, message, template
        where = f"{page}:{line}" if line else page
        if template:
            where += f" (in {template})"
        super().__init__(f"{where}: {message}")


# What a page's render may raise that `explain` tells as a RenderError; anything else is a bug.
RENDER_ERRORS = (StaffOnlyError, jinja2.TemplateError, ModelPrintError, RecursionError,
                 TypeError, ValueError, LookupError, ArithmeticError, LimitError)


def explain(err: BaseException, *, where: str, page: str, line_offset: int,
            names: list[str], filters: Iterable[str]) -> RenderError:
    """The RenderError for `err`, raised while rendering `page` (shown as `where`).

    `line_offset` turns a line of the rendered source into a line of the file; `names` and
    `filters` are what the page could have meant by a misspelt name or filter.
    """
    if isinstance(err, StaffOnlyError):
        return RenderError(where, _line(err, line_offset),
                           f"{err.path} is staff-only; page {page} is public. "
                           "Show it on a staff page, or make it public in facts.yaml.",
                           _template(err))
    if isinstance(err, jinja2.TemplateSyntaxError):
        in_page = err.filename is None
        message = err.message or str(err)
        unknown = re.match(r"No filter named '([^']*)'", message)
        if unknown:
            message = (f"no filter named {unknown.group(1)!r}. " + did_you_mean(
                unknown.group(1), sorted(n for n in filters if n[0] != "_")))
        return RenderError(where, (err.lineno or 0) + (line_offset if in_page else 0), message,
                           None if in_page else f"{err.filename}:{err.lineno}")
    if isinstance(err, ModelPrintError):
        return RenderError(where, _line(err, line_offset), _print_fix(err), _template(err))
    if isinstance(err, jinja2.TemplateNotFound) and TEMPLATES.joinpath(err.name or "").is_file():
        return RenderError(where, _line(err, line_offset), f"{err.name} has no version in this "
                           f"site's language: add carekb/templates/es/{err.name}, a translation of "
                           f"carekb/templates/{err.name}", _template(err))
    if isinstance(err, RecursionError):
        return RenderError(where, _line(err, line_offset), "a macro calls itself without end",
                           _template(err))
    return RenderError(where, _line(err, line_offset), _message(err, names), _template(err))


def _frames(err: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(err.__traceback__)
            if f.filename == "<template>" or f.filename.startswith(str(TEMPLATES))]


def _line(err: BaseException, offset: int) -> int | None:
    for frame in reversed(_frames(err)):
        if frame.filename == "<template>":
            return (frame.lineno or 0) + offset
    return None


def _template(err: BaseException) -> str | None:
    frames = _frames(err)
    if frames and frames[-1].filename != "<template>":
        tpl = Path(frames[-1].filename)
        return f"carekb/templates/{tpl.relative_to(TEMPLATES).as_posix()}:{frames[-1].lineno}"
    return None


def _print_fix(err: ModelPrintError) -> str:
    """What to write instead of printing a fact whole: `fact("…")` where it prints one (and,
    for block templates, the filter that does the same)."""
    hint = print_hint(err.value)
    in_templates = f" (In a block template: {err.path} {hint}.)"
    if hint.startswith(("is a figure", "is a sourced sentence", "is a list of figures")):
        return (f"{err.path} is never printed whole; write "
                f'{{{{ fact("{err.path}") }}}} to show it in words with its citation.'
                + in_templates)
    if hint.startswith("is a set of figures"):
        return (f"{err.path} is never printed whole: it holds several figures; write "
                f'{{{{ fact("{err.path}.adults") }}}} (or another of its figures).'
                + in_templates)
    return f"{err.path} {hint}. A fact is never printed whole"


def _message(err: BaseException, known: list[str]) -> str:
    text = str(err)
    if isinstance(err, jinja2.UndefinedError) and text.endswith("is undefined"):
        name = re.match(r"'([^']*)' is undefined", text)
        if name and name.group(1) not in known:
            return f"{text}. " + did_you_mean(name.group(1), known)
        return f"{text}. Names you can use: {', '.join(known)}"
    return text
