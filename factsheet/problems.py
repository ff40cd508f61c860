"""Problems found in the content: what, where, and how to fix it.

Every stage reports through these types so the command line can print one
consistent message per problem, naming file, line and field, without a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Where:
    """A place in a content file: the file, its line (1-based) and the field path."""

    file: Path
    line: int | None = None
    field: str | None = None
    entry: str | None = None  # the id of the list entry the field is in, if it has one

    def describe(self, root: Path | None = None) -> str:
        name = _relative(self.file, root)
        parts = [name]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        text = ", ".join(parts)
        return f"{text} (in '{self.entry}')" if self.entry else text


@dataclass(frozen=True)
class Problem:
    """One error or warning, with a plain-language fix."""

    where: Where
    message: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"
    topic: str = ""  # what kind of problem, for the summary: "review due", "quote", ...

    def format(self, root: Path | None = None) -> str:
        text = f"{self.severity}: {self.where.describe(root)}\n  {self.message}"
        if self.fix:
            text += f"\n  How to fix: {self.fix}"
        return text


class ContentError(Exception):
    """Raised when content has errors; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content")


@dataclass
class Report:
    """Collects problems across stages so independent errors are reported together."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, where: Where, message: str, fix: str = "", topic: str = "") -> Problem:
        problem = Problem(where, message, fix, "error", topic)
        self.problems.append(problem)
        return problem

    def warning(self, where: Where, message: str, fix: str = "", topic: str = "") -> Problem:
        problem = Problem(where, message, fix, "warning", topic)
        self.problems.append(problem)
        return problem

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)
