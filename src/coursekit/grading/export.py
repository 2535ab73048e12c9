"""``coursekit export``: every student's score on every assignment, as CSV or Canvas's import file.

``csv``: one row per student (``student, last_name, first_name, email``, one column per
assignment, ``total``); an empty cell means no submission.

``canvas``: Canvas's gradebook import format: ``Student, ID, SIS User ID, SIS Login ID,
Section``, one column per assignment, and a ``Points Possible`` row second. ``Student`` is
"Last, First" (or the id), ``ID`` the student's LMS user id when the gradebook has one, and
both SIS columns the nbgrader student id (Canvas matches a row on ``ID``, then on the SIS ids).
A column named like an existing Canvas assignment updates it; others become new assignments.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import ensure_gradebook, quiet_nbgrader
from coursekit.grading.workspace import open_course

__all__ = ["FORMATS", "ExportResult", "export"]

FORMATS = ("csv", "canvas")
Format = Literal["csv", "canvas"]
_CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
_POINTS_POSSIBLE = "    Points Possible"  # as Canvas writes it in its own exports


@dataclass(frozen=True)
class ExportResult:
    """What was exported where."""

    path: Path
    format: str
    students: int
    assignments: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"wrote {self.path} ({self.format}): {self.students} students, "
            f"{len(self.assignments)} assignments ({', '.join(self.assignments)})"
        )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def export(*, course: Path, format: str, out: Path) -> ExportResult:
    """Write every student's score per assignment from the gradebook to ``out``."""
    if format not in FORMATS:
        raise GradingError(f"unknown export format {format!r}; use one of {list(FORMATS)}")
    from nbgrader.api import Gradebook, MissingEntry

    ws = open_course(course)
    ensure_gradebook(ws.db_url)
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        names = [a.name for a in assignments]
        maxima = [float(a.max_score) for a in assignments]
        rows: list[tuple[Any, list[float | None]]] = []
        for student in sorted(gb.students, key=lambda s: s.id):
            marks: list[float | None] = []
            for name in names:
                try:
                    marks.append(float(gb.find_submission(name, student.id).score))
                except MissingEntry:
                    marks.append(None)
            rows.append((student, marks))
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if format == "csv":
                writer.writerow(["student", "last_name", "first_name", "email", *names, "total"])
                for student, marks in rows:
                    total = sum(m for m in marks if m is not None)
                    writer.writerow(
                        [
                            student.id,
                            student.last_name or "",
                            student.first_name or "",
                            student.email or "",
                            *map(_fmt, marks),
                            _fmt(total),
                        ]
                    )
            else:
                writer.writerow([*_CANVAS_FIXED, *names])
                writer.writerow([_POINTS_POSSIBLE, "", "", "", "", *map(_fmt, maxima)])
                for student, marks in rows:
                    writer.writerow(
                        [
                            _canvas_name(student),
                            student.lms_user_id or "",
                            student.id,
                            student.id,
                            "",
                            *map(_fmt, marks),
                        ]
                    )
    return ExportResult(out, format, len(rows), tuple(names))


def _canvas_name(student: Any) -> str:
    if student.last_name and student.first_name:
        return f"{student.last_name}, {student.first_name}"
    return str(student.last_name or student.first_name or student.id)
