"""Rules of meaning: checks across facts that must agree, declared once and documented.

A rule of form (carekb/load/spec/shapes.py) looks at one field. A rule of meaning looks at several
facts that describe the same thing: a level's days a week times its hours a session must fit
inside its hours a week; a self-check answer must agree with the levels it suggests. Each rule
is declared with `@rule(name, doc)`: `doc` is the plain-words sentence editors read (docs/editing.md
lists every rule from it), and the function yields a `Problem` located at each fact involved.

Rules live in modules listed in RULE_MODULES, so new ones are added without touching this file.
They run only on a fact base that has already passed every check of form.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from carekb.model.facts import Facts, Loc
from carekb.base.problems import ERROR, Problem

# Modules whose `@rule` functions are the rules of meaning (imported on first use).
RULE_MODULES = ("carekb.meaning.facts", "carekb.meaning.figures", "carekb.meaning.selfcheck",
                "carekb.meaning.selfcheck_words", "carekb.meaning.terms")


@dataclass(frozen=True)
class Rule:
    """One rule of meaning: a name, what it says in plain words, and its check."""

    name: str
    doc: str
    check: Callable[[Facts], Iterable[Problem]]


_RULES: list[Rule] = []


def rule(name: str, doc: str) -> Callable[[Callable[[Facts], Iterable[Problem]]],
                                          Callable[[Facts], Iterable[Problem]]]:
    """Register a rule of meaning. `doc` is one plain sentence for editors."""

    def register(check: Callable[[Facts], Iterable[Problem]]) -> Callable[[Facts], Iterable[Problem]]:
        if any(r.name == name for r in _RULES):
            raise ValueError(f"two rules of meaning are called {name!r}")
        _RULES.append(Rule(name, doc, check))
        return check

    return register


def rules() -> list[Rule]:
    """Every rule of meaning, in the order their modules declare them."""
    for module in RULE_MODULES:
        importlib.import_module(module)
    return list(_RULES)


def check_meaning(facts: Facts) -> list[Problem]:
    """Every broken rule of meaning on `facts` (already valid in form), one problem each."""
    found: list[Problem] = []
    for r in rules():
        found.extend(r.check(facts))
    return found


def problem(loc: Loc, path: str, message: str, hint: str | None = None,
            severity: str = ERROR) -> Problem:
    """A problem located at a fact (`loc` is where it is written, `path` its field)."""
    return Problem(loc.file, loc.line, loc.column, path, message, hint, severity)
