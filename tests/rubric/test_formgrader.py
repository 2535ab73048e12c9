"""Rubric imports and formgrader write the same gradebook rows, and the two can be mixed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from coursekit.grading.feedback import feedback
from coursekit.grading.workspace import init_course
from coursekit.rubric.codes import code_map
from coursekit.rubric.export import export_sheets
from coursekit.rubric.importer import import_grades
from tests.rubric.conftest import WrittenCourse, make_written_course
from tests.rubric.rubric_factories import ASSIGNMENT, fill

pytestmark = pytest.mark.slow

_IDS = {"id", "notebook_id", "assignment_id", "student", "submission_id", "cell_id"}


def formgrader_sets(db_url: str, student: str, score: float, comment: str) -> None:
    """What formgrader's GradeHandler.put and CommentHandler.put do for one cell."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "fx-rubric") as gb:
        grade = gb.find_grade("q2-written", ASSIGNMENT, ASSIGNMENT, student)
        grade = gb.find_grade_by_id(grade.id)
        grade.manual_score = score
        grade.extra_credit = grade.extra_credit
        if grade.manual_score is None and grade.auto_score is None:
            grade.needs_manual_grade = True
        else:
            grade.needs_manual_grade = False
        gb.db.commit()
        found = gb.find_comment("q2-written", ASSIGNMENT, ASSIGNMENT, student)
        found = gb.find_comment_by_id(found.id)
        found.manual_comment = comment
        gb.db.commit()


def formgrader_comments(db_url: str, student: str, cell: str, comment: str) -> None:
    """What formgrader's CommentHandler.put does, on any graded cell."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "fx-rubric") as gb:
        found = gb.find_comment(cell, ASSIGNMENT, ASSIGNMENT, student)
        found = gb.find_comment_by_id(found.id)
        found.manual_comment = comment
        gb.db.commit()


def rows(db_url: str, student: str) -> dict[str, Any]:
    """The gradebook rows formgrader shows for ``student``'s q2 answer, without row ids."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "fx-rubric") as gb:
        grade = gb.find_grade("q2-written", ASSIGNMENT, ASSIGNMENT, student).to_dict()
        comment = gb.find_comment("q2-written", ASSIGNMENT, ASSIGNMENT, student).to_dict()
        listing = {
            d["student"]: {k: v for k, v in d.items() if k not in _IDS}
            for d in gb.notebook_submission_dicts(ASSIGNMENT, ASSIGNMENT)
        }
        submission = gb.find_submission(ASSIGNMENT, student)
        return {
            "grade": {k: v for k, v in grade.items() if k not in _IDS},
            "comment": {k: v for k, v in comment.items() if k not in _IDS},
            "listing": listing[student],
            "score": submission.score,
            "needs_manual_grade": submission.needs_manual_grade,
        }


def copy(wc: WrittenCourse, dest: Path) -> WrittenCourse:
    shutil.copytree(wc.course, dest, symlinks=True)
    init_course(directory=dest, config=wc.config)
    return WrittenCourse(wc.config, dest)


def test_an_imported_grade_reads_like_one_entered_in_formgrader(
    written: WrittenCourse, tmp_path: Path
) -> None:
    by_hand = copy(written, tmp_path / "formgrader")
    imported = copy(written, tmp_path / "imported")
    formgrader_sets(by_hand.db_url, "chen", 3.0, "Mostly the model answer's words.")
    sheets = export_sheets(course=imported.course, assignment=ASSIGNMENT, out=tmp_path / "s")
    blank = next(s.csv for s in sheets.sheets if s.question == "q2-written")
    chen = {s: c for c, s in code_map(imported.course, "fx-rubric", ["chen"]).items()}["chen"]
    path = fill(blank, tmp_path / "g.csv", {chen: ("C1;C2", 3, "Mostly the model answer's words.")})
    import_grades(course=imported.course, files=[path])
    theirs, ours = rows(by_hand.db_url, "chen"), rows(imported.db_url, "chen")
    assert ours == theirs
    assert ours["grade"]["manual_score"] == 3.0
    assert ours["grade"]["needs_manual_grade"] is False
    assert rows(imported.db_url, "ana") == rows(by_hand.db_url, "ana")  # untouched alike


def test_formgrader_after_an_import_wins_and_its_comment_reaches_feedback(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    sheets = export_sheets(course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "s")
    blank = next(s.csv for s in sheets.sheets if s.question == "q2-written")
    codes = {s: c for c, s in code_map(written_copy.course, "fx-rubric", ["ana", "ben"]).items()}
    path = fill(blank, tmp_path / "g.csv", {codes["ana"]: ("C1", 2, "From the sheet.")})
    import_grades(course=written_copy.course, files=[path])
    formgrader_sets(written_copy.db_url, "ana", 4.0, "Regraded in formgrader: full marks.")
    formgrader_sets(written_copy.db_url, "ben", 1.0, "Entered in formgrader only.")
    formgrader_comments(written_copy.db_url, "ben", "q1-answer", "Two ids were asked for.")
    pages = feedback(course=written_copy.course, assignment=ASSIGNMENT).pages
    ana = pages["ana"][0].read_text()
    assert "Regraded in formgrader: full marks." in ana
    assert "From the sheet." not in ana
    assert "<p><strong>4 / 4</strong></p>" in ana
    assert "Not met (1 point)" not in ana  # the sheet's criteria no longer describe the score
    ben = pages["ben"][0].read_text()
    assert "Entered in formgrader only." in ben
    assert "<p><strong>1 / 4</strong></p>" in ben
    assert "<h2>Comments from your grader</h2>" in ben
    assert "Two ids were asked for." in ben
    assert "Comments from your grader" not in ana
    # importing the same sheet again warns that it replaces formgrader's score
    again = import_grades(course=written_copy.course, files=[path])
    assert any("had 4 entered in formgrader; now 2" in w for w in again.warnings)


def test_an_unreadable_submission_is_flagged_and_pending_in_formgrader(
    written: WrittenCourse,
) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(written.db_url, "fx-rubric") as gb:
        listing = {d["student"]: d for d in gb.notebook_submission_dicts(ASSIGNMENT, ASSIGNMENT)}
    assert listing["fay"]["flagged"] is True
    assert listing["fay"]["needs_manual_grade"] is True
    assert listing["eli"]["flagged"] is False
    assert listing["eli"]["needs_manual_grade"] is False


def test_import_into_a_postgres_gradebook(postgres_url: str, tmp_path: Path) -> None:
    wc = make_written_course(tmp_path, db_url=postgres_url)
    sheets = export_sheets(course=wc.course, assignment=ASSIGNMENT, out=tmp_path / "s")
    blank = next(s.csv for s in sheets.sheets if s.question == "q2-written")
    codes = {s: c for c, s in code_map(wc.course, "fx-rubric", ["ana", "dara"]).items()}
    marks: dict[str, tuple[str, float, str]] = {
        codes["ana"]: ("C1;C2;C3", 4, "Full marks."),
        codes["dara"]: ("C1", 2, ""),
    }
    path = fill(blank, tmp_path / "g.csv", marks)
    assert import_grades(course=wc.course, files=[path]).written == 2
    assert import_grades(course=wc.course, files=[path]).written == 0
    result = rows(postgres_url, "ana")
    assert result["grade"]["manual_score"] == 4.0
    assert result["comment"]["manual_comment"] == "Full marks."
    assert rows(postgres_url, "fay")["listing"]["flagged"] is True


def test_an_unreadable_submission_graded_by_hand_is_complete(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    from nbgrader.api import Gradebook

    from coursekit.grading.export import export

    before = export(course=written_copy.course, format="csv", out=tmp_path / "before.csv")
    assert "fay: fx-written invalid (not a readable notebook)" in before.warnings
    with Gradebook(written_copy.db_url, "fx-rubric") as gb:  # the instructor looked at it
        for notebook in gb.find_submission(ASSIGNMENT, "fay").notebooks:
            for grade in notebook.grades:
                grade.manual_score, grade.needs_manual_grade = 0.5, False
        gb.db.commit()
    after = export(course=written_copy.course, format="csv", out=tmp_path / "after.csv")
    assert not any(w.startswith("fay:") for w in after.warnings)
    assert "fay,,,,1.5,1.5,complete" in (tmp_path / "after.csv").read_text()
