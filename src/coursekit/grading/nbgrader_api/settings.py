"""nbgrader's delimiters and ignore patterns as a course sets them, and hidden regions cut out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursekit.grading.workspace import Course

__all__ = [
    "HIDDEN_NOTE",
    "NbgraderSettings",
    "has_hidden",
    "nbgrader_settings",
    "split_hidden",
    "strip_hidden",
]

HIDDEN_NOTE = "# (hidden tests are not shown)"


@dataclass(frozen=True)
class NbgraderSettings:
    """The nbgrader settings coursekit must agree with, read from a course's configuration."""

    solution: tuple[str, str] = ("BEGIN SOLUTION", "END SOLUTION")
    """``ClearSolutions.begin_solution_delimeter`` and ``end_solution_delimeter``."""
    hidden_tests: tuple[str, str] = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
    """``ClearHiddenTests.begin_test_delimeter`` and ``end_test_delimeter``."""
    mark_scheme: tuple[str, str] = ("BEGIN MARK SCHEME", "END MARK SCHEME")
    """``ClearMarkScheme.begin_mark_scheme_delimeter`` and ``end_mark_scheme_delimeter``."""
    ignore: tuple[str, ...] = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")
    """``CourseDirectory.ignore``: files nbgrader never copies."""

    @property
    def hidden_regions(self) -> tuple[tuple[str, str], ...]:
        """The regions that students never see: hidden tests and mark schemes."""
        return (self.hidden_tests, self.mark_scheme)


def nbgrader_settings(course: Course | Any | None = None) -> NbgraderSettings:
    """The delimiters and ignore patterns of ``course``, as nbgrader itself reads them.

    ``course`` is a :class:`Course` or a traitlets ``Config``; ``None`` gives nbgrader's defaults.
    """
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions
    from traitlets.config import Config

    cfg = Config()
    if course is not None:
        cfg.merge(getattr(course, "config", course))
    solutions = ClearSolutions(config=cfg)
    hidden = ClearHiddenTests(config=cfg)
    scheme = ClearMarkScheme(config=cfg)
    return NbgraderSettings(
        solution=(solutions.begin_solution_delimeter, solutions.end_solution_delimeter),
        hidden_tests=(hidden.begin_test_delimeter, hidden.end_test_delimeter),
        mark_scheme=(scheme.begin_mark_scheme_delimeter, scheme.end_mark_scheme_delimeter),
        ignore=tuple(CourseDirectory(config=cfg).ignore),
    )


def split_hidden(
    text: str, settings: NbgraderSettings, *, note: str | None = HIDDEN_NOTE
) -> tuple[str, list[str]]:
    """Split a cell's ``text`` into what students see and the hidden lines.

    A hidden region runs from the line holding a begin delimiter to the line holding its end
    delimiter (both lines included), as in nbgrader's ``ClearHiddenTests``. In the visible
    text each region becomes ``note`` (indented like its first line), or nothing when
    ``note`` is ``None``. An unclosed region hides the rest of the cell.
    """
    visible: list[str] = []
    hidden: list[str] = []
    end: str | None = None
    for line in text.splitlines():
        if end is None:
            end = next((e for b, e in settings.hidden_regions if b in line), None)
            if end is None:
                visible.append(line)
            elif note is not None:
                visible.append(line[: len(line) - len(line.lstrip())] + note)
        elif end in line:
            end = None
        else:
            hidden.append(line)
    return "\n".join(visible), hidden


def strip_hidden(text: str, settings: NbgraderSettings) -> str:
    """``text`` with every hidden region (delimiter lines included) removed."""
    return split_hidden(text, settings, note=None)[0]


def has_hidden(text: str, settings: NbgraderSettings) -> bool:
    """Whether ``text`` holds a hidden region."""
    return any(b in line for line in text.splitlines() for b, _ in settings.hidden_regions)
