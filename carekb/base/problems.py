"""Problems found in an editor's file: one located, plain-words line each."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """What is wrong, where (file, line, column, field path), and how to fix it."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.hint:
            text += f" Fix: {self.hint}"
        return text


class FactsError(Exception):
    """The fact base has errors; `problems` lists every one of them, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_order)
        super().__init__(self.describe())

    def describe(self) -> str:
        n = len(self.problems)
        file = self.problems[0].file if self.problems else "facts"
        head = f"{file} has {n} problem{'s' if n != 1 else ''} to fix before the site can be built:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def _order(p: Problem) -> tuple:
    return (p.file, p.line or 0, p.column or 0, p.path)
