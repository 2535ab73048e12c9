"""The error raised when a course data file is wrong, naming file, line, column and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coursekit.errors import CoursekitError

__all__ = ["DataError", "Problem"]

_SHOWN = 12


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where it is and what to do about it."""

    file: str
    """The CSV file (as given to the loader)."""
    line: int | None
    """The 1-based CSV line (the header is line 1); None for whole-file problems."""
    column: str | None
    """The column name, or None when the problem is not about one column."""
    message: str
    """What is wrong and how to fix it."""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(CoursekitError, ValueError):
    """A course data file failed validation; ``problems`` lists every issue found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [str(p) for p in self.problems[:_SHOWN]]
        more = len(self.problems) - _SHOWN
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        count = len(self.problems)
        head = f"{count} problem(s) in course data" if count != 1 else "problem in course data"
        super().__init__(head + ":\n  " + "\n  ".join(lines))
