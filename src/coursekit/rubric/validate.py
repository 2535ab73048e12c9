"""Checking grading CSVs before anything is written: every problem, named by file and row.

:func:`check_files` turns the rows of every file into :class:`~coursekit.rubric.store.Grading`
records and a list of problems. A file must belong to a sheet exported from this course
(same assignment, question and sheet id); a row's code must be on that sheet; its criteria
must be in the rubric; its score must be the criteria's points plus the adjustment, within 0
and the cell's points; the same answer may not be graded twice with different marks in one
file, nor with different scores on two sheets.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.rubric.questions import Question
from coursekit.rubric.schema import Row, read_rows
from coursekit.rubric.store import Grading, QuestionRecord

__all__ = ["Checked", "Target", "check_files", "row_grading"]

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Target:
    """A graded answer: which question of which assignment, which student."""

    assignment: str
    question: str
    student: str


@dataclass
class Checked:
    """The outcome of checking a batch of files."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    primary: dict[Target, Grading] = field(default_factory=dict)
    """The grading that goes into the gradebook, per answer."""
    checks: dict[tuple[Target, str], Grading] = field(default_factory=dict)
    """Check gradings of overlap answers, per (answer, sheet)."""
    ungraded: int = 0


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def row_grading(row: Row, question: Question, problems: list[str]) -> Grading | None:
    """The grading in ``row`` (``None`` when ungraded or wrong; problems are appended)."""
    graded = row.get("graded").lower()
    score_text = row.get("score")
    if graded in _NO and not (graded == "" and score_text):
        return None
    if graded not in _YES and graded not in _NO:
        problems.append(f"{row.where}: graded is {graded!r}; write yes or no")
        return None
    before = len(problems)
    listed = row.get("criteria").replace(",", ";").split(";")
    ticked = tuple(c for c in (p.strip() for p in listed) if c)
    known = ", ".join(c.id for c in question.criteria)
    for cid in ticked:
        if question.criterion(cid) is None:
            problems.append(
                f"{row.where}: criterion {cid!r} is not in the rubric of {question.grade_id} "
                f"({known}); fix the criteria column"
            )
    adjustment = _number(row.get("adjustment") or "0")
    if adjustment is None:
        problems.append(f"{row.where}: adjustment {row.get('adjustment')!r} is not a number")
    score = _number(score_text)
    if score is None:
        problems.append(f"{row.where}: score {score_text!r} is not a number; write the points")
    elif score > question.points:
        problems.append(
            f"{row.where}: score {score:g} is above the {question.points:g} points of "
            f"{question.grade_id}; lower it"
        )
    elif score < 0:
        problems.append(f"{row.where}: score {score:g} is negative; the lowest score is 0")
    grader = row.get("grader")
    if not grader:
        problems.append(f"{row.where}: no grader initials; fill the grader column")
    saved_at = _saved_at(row.get("saved_at"))
    if saved_at is None:
        problems.append(
            f"{row.where}: saved_at {row.get('saved_at')!r} is not a time with a time zone "
            "(ISO 8601, as the sheet writes it); leave it empty or save the sheet again"
        )
    if len(problems) > before or score is None or adjustment is None or saved_at is None:
        return None
    expected = question.score(ticked, adjustment)
    if abs(expected - score) > 0.005:  # the sheet writes scores to two decimals
        problems.append(
            f"{row.where}: score {score:g} is not criteria {'+'.join(ticked) or '(none)'} plus "
            f"adjustment {adjustment:g} = {expected:g}; fix the score or the criteria"
        )
        return None
    second = row.get("second_look").lower()
    return Grading(
        code=row.get("code"),
        sheet=row.get("sheet"),
        grader=grader,
        criteria=tuple(c.id for c in question.criteria if c.id in ticked),
        adjustment=adjustment,
        reason=row.get("reason"),
        comment=row.get("comment"),
        score=score,
        second_look=second in _YES,
        saved_at=saved_at,
        file=str(row.file),
        row=row.line,
    )


def _saved_at(text: str) -> str | None:
    """``text`` as the sheet writes times (UTC, milliseconds, ``Z``), so that they sort; or None.

    Two saves of one sheet are ordered by this time. Empty (a CSV filled by hand) sorts before
    every time; a value that is not a time with a time zone cannot be ordered and is a problem
    to fix, never a guess.
    """
    if not text.strip():
        return ""
    try:
        when = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    when = when.astimezone(datetime.UTC)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{when.microsecond // 1000:03d}Z"


def _file_target(path: Path, rows: list[Row], problems: list[str]) -> tuple[str, str, str] | None:
    keys = {(r.get("assignment"), r.get("question"), r.get("sheet")) for r in rows}
    if len(keys) != 1:
        listed = ", ".join(f"{a}/{q} sheet {s}" for a, q, s in sorted(keys))
        problems.append(f"{path}: rows of more than one sheet ({listed}); keep one sheet per file")
        return None
    return next(iter(keys))


def check_files(
    files: Sequence[Path],
    *,
    questions: dict[str, dict[str, Question]],
    records: dict[tuple[str, str], QuestionRecord],
    students: dict[str, dict[str, str]],
) -> Checked:
    """Check every row of ``files``.

    ``questions``: assignment -> written question id -> question; ``records``: the stored
    record per (assignment, question); ``students``: assignment -> code -> student id.
    """
    out = Checked()
    seen: dict[tuple[Target, str], tuple[Grading, int]] = {}
    for order, path in enumerate(files):
        rows, unreadable = read_rows(path)
        out.problems += unreadable
        if not rows:
            if not unreadable:
                out.problems.append(f"{path}: no rows; import the file a grading sheet saved")
            continue
        target = _file_target(path, rows, out.problems)
        if target is None:
            continue
        assignment, qid, sheet_id = target
        if assignment not in questions:
            out.problems.append(
                f"{path}: for assignment {assignment!r}, which this course does not have "
                f"({', '.join(sorted(questions)) or 'none'}); import it into its own course"
            )
            continue
        question = questions[assignment].get(qid)
        if question is None:
            out.problems.append(
                f"{path}: for question {qid!r}, which is not a written question of {assignment} "
                f"({', '.join(sorted(questions[assignment]))})"
            )
            continue
        record = records[(assignment, qid)]
        sheet = record.sheets.get(sheet_id)
        if sheet is None:
            out.problems.append(
                f"{path}: sheet {sheet_id!r} was not exported for {assignment}/{qid} from this "
                "course; check the file, or export the sheets again"
            )
            continue
        in_file: dict[str, Grading] = {}
        for row in rows:
            code = row.get("code")
            if code not in sheet.codes:
                elsewhere = [s.id for s in record.sheets.values() if code in s.codes]
                hint = f"it is on sheet {elsewhere[0]}" if elsewhere else "no sheet has it"
                out.problems.append(
                    f"{row.where}: unknown code {code!r} for sheet {sheet_id} ({hint}); "
                    "fix or remove the row"
                )
                continue
            grading = row_grading(row, question, out.problems)
            if grading is None:
                out.ungraded += row.get("graded").lower() in _NO and not row.get("score")
                continue
            earlier = in_file.get(code)
            if earlier is not None and not earlier.same_marks(grading):
                out.problems.append(
                    f"{row.where}: answer {code} is graded again with different marks "
                    f"(row {earlier.row}: {earlier.score:g}, here: {grading.score:g}); keep one row"
                )
                continue
            in_file[code] = grading
            student = students.get(assignment, {}).get(code)
            if student is None:
                out.problems.append(
                    f"{row.where}: code {code} no longer matches a submission of {assignment}"
                )
                continue
            answer = Target(assignment, qid, student)
            key = (answer, sheet_id)
            previous = seen.get(key)
            if previous is None or (grading.saved_at, order) >= (previous[0].saved_at, previous[1]):
                if previous is not None and not previous[0].same_marks(grading):
                    out.warnings.append(
                        f"{row.where}: answer {code} was also graded in {previous[0].file} "
                        f"(row {previous[0].row}); the later save ({path.name}) wins"
                    )
                seen[key] = (grading, order)
            elif not previous[0].same_marks(grading):
                out.warnings.append(
                    f"{row.where}: answer {code} is graded later in {previous[0].file} "
                    f"(row {previous[0].row}); that later save wins"
                )
    _resolve(out, seen, records)
    return out


def _resolve(
    out: Checked,
    seen: dict[tuple[Target, str], tuple[Grading, int]],
    records: dict[tuple[str, str], QuestionRecord],
) -> None:
    """Split the latest grading per sheet into primary and check gradings; catch conflicts."""
    for (answer, sheet_id), (grading, _) in sorted(seen.items(), key=lambda kv: kv[0][1]):
        sheet = records[(answer.assignment, answer.question)].sheets[sheet_id]
        if grading.code in sheet.checks:
            out.checks[(answer, sheet_id)] = grading
            continue
        other = out.primary.get(answer)
        if other is None:
            out.primary[answer] = grading
        elif other.score != grading.score:
            out.problems.append(
                f"{grading.file}, row {grading.row}: answer {grading.code} is graded twice with "
                f"different scores: {grading.score:g} on sheet {sheet_id}, {other.score:g} on "
                f"sheet {other.sheet} ({other.file}, row {other.row}); import one of them"
            )
        elif (grading.saved_at, grading.file) > (other.saved_at, other.file):
            out.primary[answer] = grading
    _against_earlier_imports(out, records)


def _against_earlier_imports(out: Checked, records: dict[tuple[str, str], QuestionRecord]) -> None:
    """Hold the new gradings against those imported before, by the same rules.

    A later save of the same sheet wins (with a warning); another sheet giving the same
    answer another score is a problem.
    """
    for answer, grading in list(out.primary.items()):
        stored = records[(answer.assignment, answer.question)].grades.get(answer.student)
        if stored is None or stored.same_marks(grading):
            continue
        where = f"{grading.file}, row {grading.row}"
        before = f"{stored.file}, row {stored.row}"
        if stored.sheet != grading.sheet:
            if stored.score != grading.score:
                out.problems.append(
                    f"{where}: answer {grading.code} was imported before with a different "
                    f"score: {stored.score:g} on sheet {stored.sheet} ({before}), here "
                    f"{grading.score:g} on sheet {grading.sheet}; change it in formgrader or "
                    "import only one of them"
                )
            continue
        if stored.saved_at > grading.saved_at:
            del out.primary[answer]
            out.warnings.append(
                f"{where}: answer {grading.code} was imported before from a later save "
                f"({before}); that one is kept"
            )
        else:
            out.warnings.append(
                f"{where}: answer {grading.code} replaces the grading imported before "
                f"({before}), a save of the same sheet"
            )
