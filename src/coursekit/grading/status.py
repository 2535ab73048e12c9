"""Pending and invalid work, as formgrader and the exports see it.

nbgrader has no column for "this submission could not be read": the grading run scores such a
notebook zero, and formgrader would show it as graded 0 out of the maximum and leave it out of
Manual Grading. :func:`mark_invalid` records it in nbgrader's own terms instead: the
submitted notebook is *flagged* (formgrader shows the flag) and each of its cells not graded
by hand *needs a manual grade*, so it appears under Manual Grading and every export calls it
pending until a person has looked. :func:`completeness` reads both back for the exports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coursekit.grading.results import StudentResult
from coursekit.grading.workspace import Course

__all__ = ["completeness", "mark_invalid", "stored_statuses"]


def _flag_file(ws: Course, assignment: str) -> Path:
    return ws.root / ".coursekit" / "grades" / f"{assignment}.flagged.json"


def stored_statuses(ws: Course, assignment: str) -> dict[str, str]:
    """Student -> the status of the last grading run (``graded``, ``invalid``, …)."""
    path = ws.root / ".coursekit" / "grades" / f"{assignment}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v["status"]) for k, v in data.get("results", {}).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def mark_invalid(gb: Any, ws: Course, assignment: str, results: Iterable[StudentResult]) -> None:
    """Flag invalid submissions and mark their cells as needing a manual grade (in ``gb``).

    A submission flagged here and graded normally later is unflagged again; flags set by a
    person in formgrader are left alone.
    """
    from nbgrader.api import MissingEntry

    path = _flag_file(ws, assignment)
    try:
        ours = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        ours = set()
    changed = False
    for result in results:
        try:
            submission = gb.find_submission(assignment, result.student)
        except MissingEntry:
            continue
        invalid = result.status == "invalid"
        if not invalid and result.student not in ours:
            continue
        for notebook in submission.notebooks:
            if notebook.flagged != invalid:
                notebook.flagged = invalid
                changed = True
            if not invalid:
                continue
            for grade in notebook.grades:
                if grade.manual_score is None and not grade.needs_manual_grade:
                    grade.needs_manual_grade = True
                    changed = True
        (ours.add if invalid else ours.discard)(result.student)
    if changed:
        gb.db.commit()
    if ours or path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(sorted(ours)), encoding="utf-8")


def completeness(gb: Any, ws: Course, assignment: str) -> dict[str, str]:
    """Student -> '' when every part is graded, else ``invalid`` or ``pending (cells)``.

    An unreadable submission stays ``invalid`` until a person has given every cell a score
    (in formgrader, after looking at what the student sent).
    """
    statuses = stored_statuses(ws, assignment)
    out: dict[str, str] = {}
    for submission in gb.assignment_submissions(assignment):
        student = submission.student.id
        grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
        if statuses.get(student) == "invalid" and any(g.manual_score is None for g in grades):
            out[student] = "invalid (not a readable notebook)"
            continue
        waiting = sorted(grade.name for grade in grades if grade.needs_manual_grade)
        out[student] = f"pending ({', '.join(waiting)})" if waiting else ""
    return out
