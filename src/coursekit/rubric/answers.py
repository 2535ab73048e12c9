"""The students' answers to a written question, from the autograded notebooks formgrader shows.

An answer left as released scored 0 automatically (nbgrader's checksum rule) and is not an
answer to grade; a submission that could not be read has no autograded notebook and no
answer either (it is marked invalid in the gradebook).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.grading.nbgrader_api import quiet_nbgrader
from coursekit.grading.nbio import read_notebook
from coursekit.grading.workspace import Course
from coursekit.rubric.questions import Question

__all__ = ["Answer", "cell_by_id", "written_answers"]


@dataclass(frozen=True)
class Answer:
    """One student's answer to a written question."""

    student: str
    text: str
    is_code: bool
    code_cells: tuple[tuple[str, str], ...]
    """(grade id, source) of the student's code cells the question refers to."""
    comment: str
    """The comment in the gradebook ('' when none was written by a person)."""


def cell_by_id(nb: Any, grade_id: str) -> Any:
    """The cell of ``nb`` with nbgrader grade id ``grade_id``, or ``None``."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    return None


def written_answers(ws: Course, question: Question) -> dict[str, Answer]:
    """Student -> answer, for every submission that answered ``question``."""
    from nbgrader.api import Gradebook, MissingEntry

    found: dict[str, Answer] = {}
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        submissions = sorted(s.student.id for s in gb.assignment_submissions(question.assignment))
        for student in submissions:
            key = (question.grade_id, question.notebook, question.assignment, student)
            try:
                grade = gb.find_grade(*key)
                comment = gb.find_comment(*key)
            except MissingEntry:
                continue
            if grade.auto_score is not None and grade.manual_score is None:
                continue
            folder = ws.path("autograded", student, question.assignment)
            path = folder / f"{question.notebook}.ipynb"
            if not path.is_file():
                continue
            nb = read_notebook(path)
            cell = cell_by_id(nb, question.grade_id)
            if cell is None:
                continue
            cells = tuple(
                (gid, str(c.source))
                for gid in question.code_cells
                if (c := cell_by_id(nb, gid)) is not None
            )
            found[student] = Answer(
                student=student,
                text=str(cell.source),
                is_code=cell.cell_type == "code",
                code_cells=cells,
                comment=str(comment.manual_comment or ""),
            )
    return found
