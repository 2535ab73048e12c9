"""``coursekit export``: every student's score on every assignment, as CSV or Canvas's import file.

``csv``: one row per student (``student, last_name, first_name, email``, one column per
assignment, ``total``, ``status``); an empty cell means no submission. ``status`` is
``complete`` or names what is not: an assignment with written parts still to grade
(``pending``, with the cells; its score counts only what is graded so far) or a submission
that could not be read (``invalid``; its score is left empty).

``canvas``: Canvas's gradebook import format: ``Student, ID, SIS User ID, SIS Login ID,
Section``, one column per assignment, and a ``Points Possible`` row second. ``Student`` is
"Last, First" (or the id), ``ID`` the student's LMS user id when the gradebook has one, and
both SIS columns the nbgrader student id (Canvas matches a row on ``ID``, then on the SIS ids).
A column named like an existing Canvas assignment updates it; others become new assignments.
An assignment that is pending or invalid for a student is left empty (Canvas then keeps the
student's grade as not yet given) rather than sending a partial score.

Either way every pending or invalid assignment is listed in the result's warnings.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coursekit.grading.errors import GradingError
from coursekit.grading.intake import csv_row
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
    warnings: tuple[str, ...] = ()
    """One line per student with pending or invalid work."""

    def __str__(self) -> str:
        """The text the command line prints for it."""
        head = (
            f"wrote {self.path} ({self.format}): {self.students} students, "
            f"{len(self.assignments)} assignments ({', '.join(self.assignments)})"
        )
        return "\n".join([head, *self.warnings])


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
        incomplete = _incomplete(gb, ws, names)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if format == "csv":
                writer.writerow(
                    csv_row(
                        ["student", "last_name", "first_name", "email", *names, "total", "status"]
                    )
                )
                for student, marks in rows:
                    left = incomplete.get(student.id, {})
                    marks = [
                        None if left.get(n, "").startswith("invalid") else m
                        for n, m in zip(names, marks, strict=True)
                    ]
                    total = sum(m for m in marks if m is not None)
                    status = _status_text(left)
                    writer.writerow(
                        csv_row(
                            [
                                student.id,
                                student.last_name or "",
                                student.first_name or "",
                                student.email or "",
                                *map(_fmt, marks),
                                _fmt(total),
                                status,
                            ]
                        )
                    )
            else:
                writer.writerow(csv_row([*_CANVAS_FIXED, *names]))
                writer.writerow(csv_row([_POINTS_POSSIBLE, "", "", "", "", *map(_fmt, maxima)]))
                for student, marks in rows:
                    left = incomplete.get(student.id, {})
                    marks = [None if n in left else m for n, m in zip(names, marks, strict=True)]
                    writer.writerow(
                        csv_row(
                            [
                                _canvas_name(student),
                                student.lms_user_id or "",
                                student.id,
                                student.id,
                                "",
                                *map(_fmt, marks),
                            ]
                        )
                    )
    warnings = tuple(
        f"{student}: {_status_text(left)}" for student, left in sorted(incomplete.items()) if left
    )
    if warnings and format == "canvas":
        warnings += ("(left empty in the Canvas file until graded)",)
    return ExportResult(out, format, len(rows), tuple(names), warnings)


def _incomplete(gb: Any, ws: Any, names: list[str]) -> dict[str, dict[str, str]]:
    """Student -> assignment -> why it is not complete (pending cells, invalid)."""
    from coursekit.grading.status import completeness

    out: dict[str, dict[str, str]] = {}
    for name in names:
        for student, why in completeness(gb, ws, name).items():
            if why:
                out.setdefault(student, {})[name] = why
    return out


def _status_text(left: dict[str, str]) -> str:
    if not left:
        return "complete"
    return "; ".join(f"{name} {why}" for name, why in sorted(left.items()))


def _canvas_name(student: Any) -> str:
    if student.last_name and student.first_name:
        return f"{student.last_name}, {student.first_name}"
    return str(student.last_name or student.first_name or student.id)
