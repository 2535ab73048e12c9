"""``coursekit rubric import``: grading CSVs into nbgrader's gradebook, all or nothing.

Every file is checked first (:mod:`coursekit.rubric.validate`); while any problem remains
nothing is written, not even to the course folder. Then each answer's score goes into
``Grade.manual_score`` and its comment into ``Comment.manual_comment`` exactly as formgrader
writes them (``needs_manual_grade`` cleared), so formgrader shows and can change them, and
the criteria met are kept in the course's rubric record for feedback and the report.
A rerun with the same files writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import ensure_gradebook, quiet_nbgrader
from coursekit.grading.workspace import Course, open_course
from coursekit.rubric.codes import SECRET_NAME, code_map
from coursekit.rubric.export import assignment_questions
from coursekit.rubric.questions import Question
from coursekit.rubric.schema import read_rows
from coursekit.rubric.store import Grading, QuestionRecord, load_record, save_record
from coursekit.rubric.validate import Checked, Target, check_files

__all__ = ["ImportResult", "RubricImportError", "comment_text", "import_grades"]


class RubricImportError(GradingError):
    """The files have problems; nothing was written. ``problems`` lists each one."""

    def __init__(self, problems: Sequence[str]) -> None:
        """Keep every problem and make a message that lists them."""
        self.problems = tuple(problems)
        head = f"{len(self.problems)} problem(s) in the grading CSVs; nothing was written:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    written: int
    unchanged: int
    checks: int
    ungraded: int
    warnings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = list(self.warnings)
        lines.append(
            f"imported: {self.written} answer(s) written to the gradebook, {self.unchanged} "
            f"unchanged, {self.checks} overlap check(s) kept for the agreement figures, "
            f"{self.ungraded} row(s) not graded yet"
        )
        return "\n".join(lines)


def comment_text(grading: Grading) -> str:
    """The comment stored in the gradebook: the grader's comment, then any adjustment."""
    parts = [grading.comment] if grading.comment else []
    if grading.adjustment:
        kind = "Bonus" if grading.adjustment > 0 else "Deduction"
        points = abs(grading.adjustment)
        reason = f": {grading.reason}" if grading.reason else ""
        parts.append(f"{kind} of {points:g} point{'s' if points != 1 else ''}{reason}")
    return "\n\n".join(parts)


def _context(
    ws: Course, files: Sequence[Path]
) -> tuple[
    dict[str, dict[str, Question]],
    dict[tuple[str, str], QuestionRecord],
    dict[str, dict[str, str]],
]:
    """Questions, records and codes of every assignment the files name (read-only)."""
    from nbgrader.api import Gradebook

    named: set[str] = set()
    for path in files:
        rows, _ = read_rows(path)
        named |= {r.get("assignment") for r in rows}
    assignments = set(ws.assignments())
    questions: dict[str, dict[str, Question]] = {}
    records: dict[tuple[str, str], QuestionRecord] = {}
    students: dict[str, dict[str, str]] = {}
    secret = ws.root / SECRET_NAME
    for aid in sorted(named & assignments):
        questions[aid] = {q.grade_id: q for q in assignment_questions(ws, aid)}
        for qid in questions[aid]:
            records[(aid, qid)] = load_record(ws.root, aid, qid)
        if not secret.is_file():
            continue
        with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
            ids = [s.student.id for s in gb.assignment_submissions(aid)]
        students[aid] = code_map(ws.root, ws.course_id, ids)
    return questions, records, students


def import_grades(*, course: Path, files: Sequence[Path]) -> ImportResult:
    """Check every row of ``files``, then write the grades; raise and write nothing on a problem.

    A file saved later for the same sheet wins over an earlier one (with a warning); two
    sheets giving the same answer different scores is a problem to resolve by hand.
    """
    if not files:
        raise GradingError("no grading CSV given; pass the files the sheets saved")
    ws = open_course(course)
    missing = [str(p) for p in files if not Path(p).is_file()]
    if missing:
        raise RubricImportError([f"{p}: no such file" for p in missing])
    questions, records, students = _context(ws, files)
    checked = check_files(files, questions=questions, records=records, students=students)
    if checked.problems:
        raise RubricImportError(checked.problems)
    return _write(ws, checked, records, questions)


def _write(
    ws: Course,
    checked: Checked,
    records: dict[tuple[str, str], QuestionRecord],
    questions_by_id: dict[str, dict[str, Question]],
) -> ImportResult:
    from nbgrader.api import Gradebook

    questions = {(t.assignment, t.question) for t in checked.primary}
    questions |= {(t.assignment, t.question) for t, _ in checked.checks}
    warnings = list(checked.warnings)
    written = unchanged = 0
    ensure_gradebook(ws.db_url)
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        for target, grading in sorted(checked.primary.items(), key=lambda kv: _key(kv[0])):
            record = records[(target.assignment, target.question)]
            notebook = questions_by_id[target.assignment][target.question].notebook
            changed = _apply(gb, target, notebook, grading, record, warnings)
            written += changed
            unchanged += not changed
            record.grades[target.student] = grading
        if written:
            gb.db.commit()
    for (target, sheet), grading in checked.checks.items():
        records[(target.assignment, target.question)].checks[f"{sheet}/{target.student}"] = grading
    for aid, qid in sorted(questions):
        record = records[(aid, qid)]
        if record.to_json() != load_record(ws.root, aid, qid).to_json():
            save_record(ws.root, aid, qid, record)
    return ImportResult(written, unchanged, len(checked.checks), checked.ungraded, tuple(warnings))


def _key(target: Target) -> tuple[str, str, str]:
    return (target.assignment, target.question, target.student)


def _apply(
    gb: Any,
    target: Target,
    notebook: str,
    grading: Grading,
    record: QuestionRecord,
    warnings: list[str],
) -> bool:
    """Set the grade and comment as formgrader does; whether anything changed."""
    args = (target.question, notebook, target.assignment, target.student)
    grade = gb.find_grade(*args)
    comment = gb.find_comment(*args)
    text = comment_text(grading)
    same = (
        grade.manual_score is not None
        and float(grade.manual_score) == grading.score
        and not grade.needs_manual_grade
        and (comment.manual_comment or "") == text
    )
    if same:
        return False
    imported = record.grades.get(target.student)
    if grade.manual_score is not None and (
        imported is None or float(grade.manual_score) != imported.score
    ):
        warnings.append(
            f"{target.assignment}/{target.question}: answer {grading.code} had "
            f"{float(grade.manual_score):g} entered in formgrader; now {grading.score:g} "
            f"({grading.file}, row {grading.row})"
        )
    # what formgrader's GradeHandler and CommentHandler write
    grade.manual_score = grading.score
    grade.needs_manual_grade = False
    comment.manual_comment = text or None
    return True
