"""``coursekit rubric export``: grading sheets (HTML) and their CSVs for each written question.

Answers come from the autograded notebooks (what formgrader shows); which students have one
from the gradebook. An answer left as released scored 0 automatically and is not on a sheet;
a submission that could not be read has no answer to grade and is not either (it is marked
invalid in the gradebook and the export). The answers are sorted by code, shuffled with the
seed, optionally split among graders, and each sheet shuffled again.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from coursekit.grading.errors import GradingError
from coursekit.grading.intake import write_private
from coursekit.grading.nbgrader_api import ensure_gradebook, quiet_nbgrader
from coursekit.grading.workspace import Course, open_course
from coursekit.rubric.answers import written_answers
from coursekit.rubric.codes import code_map
from coursekit.rubric.questions import Question, read_questions
from coursekit.rubric.schema import write_rows
from coursekit.rubric.sheet import SheetAnswer, SheetInfo, sheet_html
from coursekit.rubric.store import SheetRecord, load_record, save_record

__all__ = ["SheetExport", "WrittenSheet", "assignment_questions", "export_sheets", "split"]


@dataclass(frozen=True)
class WrittenSheet:
    """One sheet written."""

    question: str
    sheet: str
    html: Path
    csv: Path
    answers: int


@dataclass(frozen=True)
class SheetExport:
    """What ``coursekit rubric export`` wrote."""

    assignment: str
    sheets: tuple[WrittenSheet, ...]
    warnings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [*self.warnings, f"{self.assignment}: {len(self.sheets)} grading sheet(s)"]
        for s in self.sheets:
            lines.append(f"  {s.question}: {s.html.name} ({s.answers} answers) + {s.csv.name}")
        if self.sheets:
            lines.append(
                "Give each grader their sheet; they open it in a browser and save the CSV. "
                f"Then: coursekit rubric import *.csv --course DIR. Sheets are in "
                f"{self.sheets[0].html.parent} (instructor-only: rubric and model answer inside)."
            )
        return "\n".join(lines)


def assignment_questions(ws: Course, assignment: str) -> list[Question]:
    """The written questions of ``assignment`` from the course's source notebooks."""
    source = ws.path("source", ".", assignment)
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise GradingError(f"{source}: no source notebook for {assignment!r}; check the id")
    return [q for nb in notebooks for q in read_questions(nb, assignment=assignment)]


def split(
    codes: Sequence[str], *, graders: int, overlap: int, seed: int
) -> list[tuple[list[str], list[str]]]:
    """Per grader: (the codes on their sheet in sheet order, those that are check copies).

    ``overlap`` shared answers go on every sheet; the score of the i-th shared answer counts
    from grader ``i % graders``'s sheet, and the others grade it for the agreement figure. The
    rest are dealt out so that no two sheets share an answer.
    """
    order = sorted(codes)
    random.Random(seed).shuffle(order)  # noqa: S311 (seeded for a reproducible order, not a secret)
    shared, rest = order[:overlap], order[overlap:]
    out = []
    for k in range(graders):
        mine = rest[k::graders] + shared
        random.Random(f"{seed}:{k}").shuffle(mine)  # noqa: S311 (seeded for a reproducible order, not a secret)
        checks = [c for i, c in enumerate(shared) if i % graders != k]
        out.append((mine, checks))
    return out


def _answers(
    ws: Course, question: Question, codes: dict[str, str]
) -> tuple[dict[str, SheetAnswer], list[str]]:
    """The answers to grade (code -> answer) and the comments already written on the cell."""
    by_student = {s: c for c, s in codes.items()}
    found: dict[str, SheetAnswer] = {}
    comments: list[str] = []
    for student, answer in written_answers(ws, question).items():
        if answer.comment:
            comments.append(answer.comment)
        if student not in by_student:
            continue
        code = by_student[student]
        found[code] = SheetAnswer(code, answer.text, answer.is_code, answer.code_cells)
    return found, comments


def export_sheets(
    *,
    course: Path,
    assignment: str,
    out: Path,
    questions: Sequence[str] = (),
    graders: int = 1,
    overlap: int = 0,
    seed: int | None = None,
) -> SheetExport:
    """Write a grading sheet and its CSV per written question of ``assignment`` (or ``questions``).

    ``graders`` splits each question's answers into that many disjoint sheets; ``overlap``
    answers go on every sheet, for the agreement figure of the report. ``seed`` (default:
    random, recorded in each sheet) fixes the shuffle. Files are written readable by the
    owner only: they hold the rubric and the model answer.
    """
    if graders < 1:
        raise GradingError("--graders must be 1 or more")
    if overlap < 0:
        raise GradingError("--overlap must be 0 or more")
    if overlap and graders < 2:
        raise GradingError("--overlap needs --graders 2 or more: it is shared between graders")
    ws = open_course(course)
    ensure_gradebook(ws.db_url)
    found = assignment_questions(ws, assignment)
    warnings: list[str] = []
    if questions:
        known = {q.grade_id: q for q in found}
        unknown = [q for q in questions if q not in known]
        if unknown:
            raise GradingError(
                f"{assignment}: no written question {unknown}; "
                f"its manually graded cells are {sorted(known)}"
            )
        found = [known[q] for q in questions]
    chosen = []
    for q in found:
        if q.criteria:
            chosen.append(q)
            continue
        message = (
            f"{assignment}/{q.notebook}.ipynb: cell {q.grade_id!r} has no rubric table "
            "(| points | criterion |) in its solution region; add one to grade it by rubric"
        )
        if questions:
            raise GradingError(message)
        warnings.append(f"skipped: {message}")
    for q in chosen:
        total = sum(c.points for c in q.criteria)
        if total != q.points:
            warnings.append(
                f"{assignment}: {q.grade_id}'s rubric adds up to {total:g} points but the cell "
                f"is worth {q.points:g}; scores are capped at {q.points:g}"
            )
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    students = _students(ws, assignment)
    codes = code_map(ws.root, ws.course_id, students)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written: list[WrittenSheet] = []
    for q in chosen:
        answers, comments = _answers(ws, q, codes)
        if overlap > len(answers):
            raise GradingError(
                f"{assignment}: {q.grade_id} has {len(answers)} answers, fewer than --overlap "
                f"{overlap}"
            )
        record = load_record(ws.root, assignment, q.grade_id)
        comments += [g.comment for g in record.grades.values() if g.comment]
        for k, (mine, checks) in enumerate(
            split(list(answers), graders=graders, overlap=overlap, seed=seed), start=1
        ):
            sheet_id = f"{q.grade_id}-{seed}" + (f"-g{k}of{graders}" if graders > 1 else "")
            earlier = record.sheets.get(sheet_id)
            if earlier is not None and set(earlier.codes) != set(mine):
                raise GradingError(
                    f"{assignment}: sheet {sheet_id} was exported before with other answers "
                    "(submissions changed since); export with another --seed, so that CSVs "
                    "saved from the earlier sheets still import"
                )
            info = SheetInfo(sheet_id, seed, k, graders, created)
            page = out / f"{assignment}-{sheet_id}.html"
            write_private(page, sheet_html(q, [answers[c] for c in mine], info, comments=comments))
            blank = out / f"{assignment}-{sheet_id}.csv"
            write_rows(
                blank,
                (
                    {
                        "assignment": assignment,
                        "notebook": q.notebook,
                        "question": q.grade_id,
                        "sheet": sheet_id,
                        "code": code,
                        "graded": "no",
                        "second_look": "no",
                    }
                    for code in mine
                ),
            )
            record.sheets[sheet_id] = SheetRecord(
                sheet_id, seed, k, graders, tuple(mine), tuple(checks)
            )
            written.append(WrittenSheet(q.grade_id, sheet_id, page, blank, len(mine)))
        save_record(ws.root, assignment, q.grade_id, record)
    return SheetExport(assignment, tuple(written), tuple(warnings))


def _students(ws: Course, assignment: str) -> list[str]:
    from nbgrader.api import Gradebook

    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        return sorted(s.student.id for s in gb.assignment_submissions(assignment))
