"""Scores read back from nbgrader's gradebook, per student and per graded part.

One reader for feedback, the item report and the exports: a *part* is one graded cell of the
assignment (an autograder test cell or a manually graded answer), in notebook order, titled by
the heading above it in the source notebook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import (
    NbgraderSettings,
    ensure_gradebook,
    nbgrader_settings,
    quiet_nbgrader,
    strip_hidden,
)
from coursekit.grading.nbio import read_notebook
from coursekit.grading.workspace import Course

__all__ = ["Part", "PartScore", "StudentScores", "assignment_parts", "gradebook_scores"]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """One graded cell of an assignment."""

    notebook: str
    grade_id: str
    max_score: float
    kind: str
    """``autograded`` (a test cell) or ``manual`` (an answer a person grades)."""
    title: str
    """The heading above the cell in the source notebook (or the grade id)."""

    @property
    def label(self) -> str:
        """A short name: the grade id."""
        return self.grade_id


@dataclass(frozen=True)
class PartScore:
    """A student's score on one part."""

    part: Part
    score: float
    needs_manual_grade: bool
    comment: str | None


@dataclass(frozen=True)
class StudentScores:
    """A student's scores on one assignment."""

    student: str
    score: float
    max_score: float
    late_penalty: float
    parts: tuple[PartScore, ...]

    def by_id(self) -> dict[str, PartScore]:
        """Part scores by grade id."""
        return {p.part.grade_id: p for p in self.parts}


def _titles(source: Path, settings: NbgraderSettings) -> dict[str, str]:
    """Each graded cell's title: the last heading above it that students can see."""
    nb = read_notebook(source)
    delimiters = [d for pair in (settings.solution, *settings.hidden_regions) for d in pair]
    titles: dict[str, str] = {}
    heading = ""
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown" and not meta.get("solution"):
            text = strip_hidden(cell.source, settings)
            found = [h for h in _HEADING.findall(text) if not any(d in h for d in delimiters)]
            if found:
                heading = found[-1].strip()
        if meta.get("grade") and meta.get("grade_id"):
            titles[meta["grade_id"]] = heading or meta["grade_id"]
    return titles


def _order(source: Path) -> list[str]:
    nb = read_notebook(source)
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    ]


def assignment_parts(ws: Course, assignment: str) -> list[Part]:
    """The graded parts of ``assignment``, in notebook order, from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    ensure_gradebook(ws.db_url)
    settings = nbgrader_settings(ws)
    parts: list[Part] = []
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError(
                f"{ws.db_url}: assignment {assignment!r} is not in the gradebook; release it"
            ) from None
        for notebook in sorted(record.notebooks, key=lambda n: n.name):
            source = ws.path("source", ".", assignment) / f"{notebook.name}.ipynb"
            titles = _titles(source, settings) if source.is_file() else {}
            order = _order(source) if source.is_file() else []
            cells: list[Any] = list(notebook.grade_cells)
            cells.sort(
                key=lambda c: (order.index(c.name) if c.name in order else len(order), c.name)
            )
            for cell in cells:
                kind = (
                    "autograded"
                    if cell.cell_type == "code" and not _is_solution(notebook, cell.name)
                    else "manual"
                )
                parts.append(
                    Part(
                        notebook=notebook.name,
                        grade_id=cell.name,
                        max_score=float(cell.max_score),
                        kind=kind,
                        title=titles.get(cell.name, cell.name),
                    )
                )
    return parts


def _is_solution(notebook: Any, name: str) -> bool:
    return any(s.name == name for s in notebook.solution_cells)


def gradebook_scores(
    ws: Course, assignment: str, *, students: Sequence[str] | None = None
) -> list[StudentScores]:
    """Every submitted student's scores on ``assignment`` (or only ``students``'), by id."""
    from nbgrader.api import Gradebook, MissingEntry

    parts = assignment_parts(ws, assignment)
    index = {(p.notebook, p.grade_id): p for p in parts}
    out: list[StudentScores] = []
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        if students is None:
            submissions = list(gb.assignment_submissions(assignment))
        else:
            submissions = []
            for student in students:
                try:
                    submissions.append(gb.find_submission(assignment, student))
                except MissingEntry:
                    continue
        for submission in submissions:
            scores: dict[tuple[str, str], PartScore] = {}
            penalty = 0.0
            for nb in submission.notebooks:
                penalty += float(nb.late_submission_penalty or 0)
                comments = {c.name: c.comment for c in nb.comments}
                for grade in nb.grades:
                    part = index.get((nb.name, grade.name))
                    if part is None:
                        continue
                    scores[(nb.name, grade.name)] = PartScore(
                        part=part,
                        score=float(grade.score or 0),
                        needs_manual_grade=bool(grade.needs_manual_grade),
                        comment=comments.get(grade.name),
                    )
            ordered = tuple(
                scores.get(
                    (p.notebook, p.grade_id),
                    PartScore(part=p, score=0.0, needs_manual_grade=False, comment=None),
                )
                for p in parts
            )
            out.append(
                StudentScores(
                    student=submission.student.id,
                    score=float(submission.score),
                    max_score=float(submission.max_score),
                    late_penalty=penalty,
                    parts=ordered,
                )
            )
    return sorted(out, key=lambda s: s.student)
