"""The one exception tree of realpolitik.

Every error says what went wrong, where (file, line, column, field path when the
input is a file) and, where it helps, what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Problem",
    "RealpolitikError",
    "ScenarioError",
    "DataError",
    "ExpressionError",
    "SimulationError",
    "OutputError",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Attributes:
        message: what is wrong, in a sentence, with a suggestion where one exists.
        file: the file the problem is in (as given by the user), or ``None``.
        line: 1-based line number, or ``None`` when unknown.
        column: 1-based column number, or ``None`` when unknown.
        path: the field path inside the file, e.g. ``variables.brent.bounds``.
        severity: ``"error"`` (the file cannot be used) or ``"warning"``.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""
    severity: str = "error"

    def where(self) -> str:
        """``file:line:column`` as far as it is known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        field_part = f" {self.path}:" if self.path else ""
        return f"{self.where()}:{field_part} {self.message}"

    def to_dict(self) -> dict[str, object]:
        """A plain-data form for ``--json`` output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": self.severity,
            "message": self.message,
        }


class RealpolitikError(Exception):
    """Base class of every error realpolitik raises on purpose."""


class _ProblemsError(RealpolitikError):
    """An input cannot be used; ``problems`` lists every problem found in it."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        head = str(errors[0]) if errors else "invalid scenario"
        more = len(errors) - 1
        super().__init__(head + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


class ScenarioError(_ProblemsError):
    """A scenario file (or an intervention, or a command-line reference to a
    scenario's element) cannot be used; ``problems`` lists every problem found."""


class DataError(_ProblemsError):
    """A data file (oil prices, episodes) cannot be used; ``problems`` says where."""


class ExpressionError(RealpolitikError):
    """An expression is not valid in the expression language.

    Attributes:
        text: the expression's source text.
        offset_line: 1-based line inside the expression text.
        offset_column: 1-based column inside the expression text.
    """

    def __init__(self, message: str, text: str = "", offset_line: int = 1, offset_column: int = 1) -> None:
        self.message = message
        self.text = text
        self.offset_line = offset_line
        self.offset_column = offset_column
        super().__init__(f"{message} (in expression {text!r}, line {offset_line}, column {offset_column})")


class SimulationError(RealpolitikError):
    """The model produced something it cannot go on with (a NaN, an infinite value)."""


class OutputError(RealpolitikError):
    """An output file cannot be written (a folder in its place, no permission, a full
    disk, a name the file system refuses); nothing is left half-written."""
