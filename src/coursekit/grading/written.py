"""The written parts of a feedback page: score, criteria met and missed, and the comment.

A person grades written answers, in formgrader or with the rubric sheets
(:mod:`coursekit.rubric`). Either way the score and the comment are in the gradebook; the
criteria met come from the rubric record when the score there is still the one imported (a
later change in formgrader wins, and then only the score and comment are shown). The rubric
criteria are shown once an answer is graded; the model answer never is.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.grading.scores import PartScore, StudentScores
from coursekit.grading.workspace import Course

if TYPE_CHECKING:
    from coursekit.rubric.questions import Question
    from coursekit.rubric.store import QuestionRecord

__all__ = ["STATUS_NOTES", "student_message", "written_feedback"]

STATUS_NOTES = {
    "invalid": "Your notebook could not be read, so it has not been graded yet; your "
    "instructor has been told and will be in touch.",
    "timeout": "Your notebook ran out of time while it was graded; the cells that did not "
    "run score zero.",
    "error": "The grader could not run your whole notebook; the cells that did not run score zero.",
    "tampered": "Your notebook changed cells that are locked (such as tests); they were put "
    "back as released before grading.",
}
"""What each grading status means, said to the student."""

_INTERNAL = re.compile(
    r"(?:[;:,]\s*|\s+)(?:the file is damaged:\s*)?(?:ask the student\b|look at it\b)[^;]*",
    re.IGNORECASE,
)
_PATH = re.compile(r"(?:[\w.~-]*/)+([\w.-]+\.ipynb)")


def student_message(message: str) -> str:
    """An instructor's grading message said to the student: no paths, no instructions to staff.

    Folders are cut to the notebook's name, and clauses addressed to the instructor ("ask the
    student to resubmit", "look at it") are replaced by one line for the student.
    """
    text = _PATH.sub(r"\1", message)
    internal = bool(_INTERNAL.search(text))
    text = _INTERNAL.sub("", text).rstrip(" ;:,")
    if internal:
        text += ". Please talk to your instructor about submitting it again."
    return text


def _points(points: float) -> str:
    return f"{points:g} point{'' if points == 1 else 's'}"


@functools.lru_cache(maxsize=16)
def _questions(source: Path, assignment: str, _mtime: float) -> tuple[Question, ...]:
    """The written questions of a source notebook (read once per page run, per version)."""
    from coursekit.rubric.questions import read_questions

    return tuple(read_questions(source, assignment=assignment))


@functools.lru_cache(maxsize=16)
def _record(root: Path, assignment: str, grade_id: str, _mtime: float) -> QuestionRecord:
    from coursekit.rubric.store import load_record

    return load_record(root, assignment, grade_id)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return -1.0


def _criteria_items(ws: Course, assignment: str, student: str, part: PartScore) -> list[str]:
    """One ``<li>`` per rubric criterion, met or not, for an answer graded with a sheet."""
    from coursekit.rubric.markdown import render_inline
    from coursekit.rubric.store import record_path

    grade_id = part.part.grade_id
    stored = record_path(ws.root, assignment, grade_id)
    grading = _record(ws.root, assignment, grade_id, _mtime(stored)).grades.get(student)
    if grading is None or grading.score != part.score:
        return []
    source = ws.path("source", ".", assignment) / f"{part.part.notebook}.ipynb"
    if not source.is_file():
        return []
    questions = _questions(source, assignment, _mtime(source))
    question = next((q for q in questions if q.grade_id == grade_id), None)
    if question is None:
        return []
    items = []
    for c in question.criteria:
        met = c.id in grading.criteria
        items.append(
            f"<li class='{'pass' if met else 'fail'}'>{'Met' if met else 'Not met'} "
            f"({_points(c.points)}): {render_inline(c.text)}</li>"
        )
    return items


def written_feedback(ws: Course, assignment: str, student: StudentScores, *, notebook: str) -> str:
    """The HTML section on the manually graded parts of ``notebook`` ('' when it has none)."""
    from coursekit.rubric.markdown import render_markdown

    esc = html.escape
    parts: Sequence[PartScore] = [
        p for p in student.parts if p.part.notebook == notebook and p.part.kind == "manual"
    ]
    remarks = _other_comments(ws, assignment, student.student, notebook)
    if not parts:
        return remarks
    out = ["<section class='written'><h2>Written answers</h2>"]
    for p in parts:
        out.append(f"<h3>{esc(p.part.title)}</h3>")
        if p.needs_manual_grade:
            out.append(
                f"<p class='note'>Not graded yet (out of {p.part.max_score:g} points): your "
                "instructor will grade it by hand.</p>"
            )
            continue
        out.append(f"<p><strong>{p.score:g} / {p.part.max_score:g}</strong></p>")
        items = _criteria_items(ws, assignment, student.student, p)
        if items:
            out.append(f"<ul class='criteria'>{''.join(items)}</ul>")
        if p.comment:
            out.append(f"<div class='comment'><h4>Comment</h4>{render_markdown(p.comment)}</div>")
    out.append("</section>")
    return "\n".join(out) + remarks


def _other_comments(ws: Course, assignment: str, student: str, notebook: str) -> str:
    """Comments a person wrote in formgrader on answer cells that are not written parts."""
    from nbgrader.api import Gradebook, MissingEntry

    from coursekit.grading.nbgrader_api import quiet_nbgrader
    from coursekit.rubric.markdown import render_markdown

    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        try:
            submitted = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return ""
        graded = {g.name for g in submitted.grades}
        manual = graded & {c.name for c in submitted.notebook.solution_cells}
        noted = sorted(
            (c.name, str(c.manual_comment))
            for c in submitted.comments
            if c.manual_comment and c.name not in manual
        )
    if not noted:
        return ""
    items = "".join(
        f"<li>On your answer in cell {html.escape(name)}: {render_markdown(text)}</li>"
        for name, text in noted
    )
    return f"<section class='comments'><h2>Comments from your grader</h2><ul>{items}</ul></section>"
