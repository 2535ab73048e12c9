"""``coursekit rubric import``: all or nothing, each problem named by file and row."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.scores import gradebook_scores
from coursekit.grading.workspace import open_course
from coursekit.rubric.codes import code_map
from coursekit.rubric.export import SheetExport, export_sheets
from coursekit.rubric.importer import RubricImportError, import_grades
from coursekit.rubric.store import load_record, record_path
from tests.rubric.conftest import WrittenCourse
from tests.rubric.rubric_factories import ASSIGNMENT, fill, read_csv, write_csv

pytestmark = pytest.mark.slow


def snapshot(wc: WrittenCourse) -> dict[str, bytes]:
    """The bytes of the gradebook (and its write-ahead log) and the rubric records."""
    files = [wc.db, wc.db.with_name("gradebook.db-wal")]
    files += sorted((wc.course / ".coursekit" / "rubric").rglob("*.json"))
    return {str(p): p.read_bytes() for p in files if p.exists()}


def sheets(wc: WrittenCourse, tmp_path: Path, **kw: Any) -> SheetExport:
    return export_sheets(course=wc.course, assignment=ASSIGNMENT, out=tmp_path / "sheets", **kw)


def codes(wc: WrittenCourse) -> dict[str, str]:
    """Student id -> code."""
    found = code_map(wc.course, "fx-rubric", ["ana", "ben", "chen", "dara", "eli", "fay"])
    return {s: c for c, s in found.items()}


def q2(export: SheetExport) -> Path:
    return next(s.csv for s in export.sheets if s.question == "q2-written")


def good_file(wc: WrittenCourse, tmp_path: Path, export: SheetExport) -> Path:
    c = codes(wc)
    return fill(
        q2(export),
        tmp_path / "good.csv",
        {
            c["ana"]: ("C1;C2;C3", 4, "Precise and well cited."),
            c["ben"]: ("", 0, "Say what the treaty did."),
            c["chen"]: ("C1;C2", 3, "Mostly the model answer's words: write your own."),
            c["dara"]: ("C1", 2, ""),
        },
    )


def edited(path: Path, out: Path, target: str, **changes: str) -> Path:
    rows = read_csv(path)
    for row in rows:
        if row["code"] == target:
            row.update(changes)
    return write_csv(out, rows)


def assert_refused(wc: WrittenCourse, files: list[Path], *patterns: str) -> RubricImportError:
    before = snapshot(wc)
    with pytest.raises(RubricImportError) as caught:
        import_grades(course=wc.course, files=files)
    assert snapshot(wc) == before, "the gradebook or the records changed"
    message = str(caught.value)
    assert message.startswith(f"{len(caught.value.problems)} problem(s) in the grading CSVs")
    assert "nothing was written" in message
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
    return caught.value


def test_unknown_code(written_copy: WrittenCourse, tmp_path: Path) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    bad = edited(good, tmp_path / "bad.csv", codes(written_copy)["ben"], code="ZZZZ-ZZZZ")
    assert_refused(
        written_copy, [bad], r"bad\.csv, row \d: unknown code 'ZZZZ-ZZZZ' for sheet q2-written"
    )


def test_score_above_the_cells_points(written_copy: WrittenCourse, tmp_path: Path) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    bad = edited(good, tmp_path / "bad.csv", codes(written_copy)["ana"], score="5")
    assert_refused(written_copy, [bad], r"bad\.csv, row \d: score 5 is above the 4 points")


def test_criterion_not_in_the_rubric(written_copy: WrittenCourse, tmp_path: Path) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    bad = edited(good, tmp_path / "bad.csv", codes(written_copy)["dara"], criteria="C1;C9")
    assert_refused(
        written_copy,
        [bad],
        r"bad\.csv, row \d: criterion 'C9' is not in the rubric of q2-written \(C1, C2, C3\)",
    )


def test_score_that_is_not_the_criteria_plus_adjustment(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    bad = edited(good, tmp_path / "bad.csv", codes(written_copy)["dara"], score="3")
    assert_refused(written_copy, [bad], r"score 3 is not criteria C1 plus adjustment 0 = 2")


def test_the_same_answer_twice_in_one_file(written_copy: WrittenCourse, tmp_path: Path) -> None:
    export = sheets(written_copy, tmp_path)
    rows = read_csv(good_file(written_copy, tmp_path, export))
    ana = next(r for r in rows if r["code"] == codes(written_copy)["ana"])
    bad = write_csv(tmp_path / "bad.csv", [*rows, {**ana, "criteria": "C1", "score": "2"}])
    assert_refused(
        written_copy, [bad], r"bad\.csv, row 6: answer \S+ is graded again with different marks"
    )


def test_the_same_answer_on_two_sheets_with_different_scores(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    first = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "one", seed=1
    )
    second = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "two", seed=2
    )
    ana = codes(written_copy)["ana"]
    a = fill(q2(first), tmp_path / "a.csv", {ana: ("C1;C2;C3", 4, "")})
    b = fill(q2(second), tmp_path / "b.csv", {ana: ("C1", 2, "")}, grader="CD")
    assert_refused(
        written_copy,
        [a, b],
        rf"b\.csv, row \d: answer {ana} is graded twice with different scores: 2 on sheet "
        r"q2-written-2, 4 on sheet q2-written-1",
    )


def test_a_file_for_another_assignment_or_question(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    good = read_csv(good_file(written_copy, tmp_path, export))
    other = write_csv(tmp_path / "other.csv", [{**r, "assignment": "a9-other"} for r in good])
    wrong_q = write_csv(tmp_path / "wrongq.csv", [{**r, "question": "q9-written"} for r in good])
    q3_sheet = next(s.sheet for s in export.sheets if s.question == "q3-written")
    moved = write_csv(tmp_path / "moved.csv", [{**r, "sheet": q3_sheet} for r in good])
    error = assert_refused(
        written_copy,
        [other, wrong_q, moved],
        r"other\.csv: for assignment 'a9-other', which this course does not have",
        r"wrongq\.csv: for question 'q9-written', which is not a written question of fx-written",
        rf"moved\.csv: sheet '{q3_sheet}' was not exported for fx-written/q2-written",
    )
    assert len(error.problems) == 3


def test_every_problem_is_listed_and_a_good_file_beside_them_is_not_written(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    c = codes(written_copy)
    rows = read_csv(good)
    for row in rows:
        if row["code"] == c["ana"]:
            row.update(score="x")
        if row["code"] == c["ben"]:
            row.update(grader="", criteria="C7")
    bad = write_csv(tmp_path / "bad.csv", rows)
    notcsv = tmp_path / "notes.csv"
    notcsv.write_text("name,mark\nana,3\n")
    error = assert_refused(
        written_copy,
        [good, bad, notcsv],
        r"bad\.csv, row \d: score 'x' is not a number",
        r"bad\.csv, row \d: no grader initials",
        r"bad\.csv, row \d: criterion 'C7' is not in the rubric",
        r"notes\.csv: not a grading CSV \(no column\(s\) assignment, question, sheet, code",
    )
    assert len(error.problems) == 4


def test_import_writes_formgraders_rows_and_a_rerun_changes_nothing(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    result = import_grades(course=written_copy.course, files=[good])
    assert (result.written, result.unchanged) == (4, 0)
    by_student = {
        s.student: s.by_id()["q2-written"]
        for s in gradebook_scores(open_course(written_copy.course), ASSIGNMENT)
    }
    assert by_student["ana"].score == 4
    assert not by_student["ana"].needs_manual_grade
    assert by_student["ana"].comment == "Precise and well cited."
    assert by_student["ben"].score == 0
    assert by_student["ben"].comment == "Say what the treaty did."
    assert by_student["eli"].comment == "No response."  # blank: nbgrader's own, untouched
    record = load_record(written_copy.course, ASSIGNMENT, "q2-written")
    assert record.grades["chen"].criteria == ("C1", "C2")
    assert record.grades["chen"].grader == "AB"
    assert record_path(written_copy.course, ASSIGNMENT, "q2-written").stat().st_mode & 0o077 == 0
    before = snapshot(written_copy)
    again = import_grades(course=written_copy.course, files=[good])
    assert (again.written, again.unchanged) == (0, 4)
    assert snapshot(written_copy) == before


def test_a_later_save_of_the_same_sheet_wins_with_a_warning(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    ana = codes(written_copy)["ana"]
    early = fill(q2(export), tmp_path / "early.csv", {ana: ("C1", 2, "first reading")})
    late = fill(
        q2(export),
        tmp_path / "late.csv",
        {ana: ("C1;C2", 3, "second reading")},
        saved_at="2026-11-30T11:00:00Z",
    )
    result = import_grades(course=written_copy.course, files=[late, early])
    assert any("early.csv" in w and "late.csv" in w and "later save" in w for w in result.warnings)
    scores = {
        s.student: s.by_id()["q2-written"]
        for s in gradebook_scores(open_course(written_copy.course), ASSIGNMENT)
    }
    assert scores["ana"].score == 3
    assert scores["ana"].comment == "second reading"
    assert scores["ben"].needs_manual_grade  # not graded in either file: still pending


def test_an_adjustment_and_its_reason_reach_the_comment(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    dara = codes(written_copy)["dara"]
    path = fill(q2(export), tmp_path / "adj.csv", {dara: ("C1;C2", 2, "Good.")}, adjustment=-1)
    import_grades(course=written_copy.course, files=[path])
    part = next(
        s
        for s in gradebook_scores(open_course(written_copy.course), ASSIGNMENT)
        if s.student == "dara"
    ).by_id()["q2-written"]
    assert part.score == 2
    assert part.comment == "Good.\n\nDeduction of 1 point: late by a day"


def test_a_sheet_id_is_never_reused_for_other_answers(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    from nbgrader.api import Gradebook

    from coursekit.grading.errors import GradingError

    first = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "a", seed=3
    )
    again = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "b", seed=3
    )
    assert [s.sheet for s in again.sheets] == [s.sheet for s in first.sheets]
    with Gradebook(written_copy.db_url, "fx-rubric") as gb:  # eli's blank answer is regraded
        grade = gb.find_grade("q2-written", ASSIGNMENT, ASSIGNMENT, "eli")
        grade.auto_score, grade.needs_manual_grade = None, True
        gb.db.commit()
    with pytest.raises(GradingError, match=r"sheet q2-written-3 was exported before with other"):
        export_sheets(course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "c", seed=3)


def test_earlier_imports_are_held_to_the_same_rules(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    one = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "1", seed=1
    )
    two = export_sheets(
        course=written_copy.course, assignment=ASSIGNMENT, out=tmp_path / "2", seed=2
    )
    ana = codes(written_copy)["ana"]
    late = fill(
        q2(one), tmp_path / "late.csv", {ana: ("C1;C2", 3, "")}, saved_at="2026-11-30T12:00Z"
    )
    import_grades(course=written_copy.course, files=[late])
    # an older save of the same sheet, imported afterwards, does not undo the later one
    early = fill(
        q2(one), tmp_path / "early.csv", {ana: ("C1", 2, "")}, saved_at="2026-11-30T09:00Z"
    )
    result = import_grades(course=written_copy.course, files=[early])
    assert result.written == 0
    assert any(
        "imported before from a later save" in w and "late.csv" in w for w in result.warnings
    )
    # another sheet with another score: refused, nothing written
    other = fill(q2(two), tmp_path / "other.csv", {ana: ("C1", 2, "")}, grader="CD")
    assert_refused(
        written_copy,
        [other],
        rf"other\.csv, row \d: answer {ana} was imported before with a different score: 3 on "
        r"sheet q2-written-1",
    )


def test_a_damaged_record_stops_the_import_and_is_left_as_it_was(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    good = good_file(written_copy, tmp_path, export)
    path = record_path(written_copy.course, ASSIGNMENT, "q2-written")
    path.write_text('{"sheets": {"broken', encoding="utf-8")
    before = snapshot(written_copy)
    with pytest.raises(GradingError, match=r"rubric record of .* cannot be read"):
        import_grades(course=written_copy.course, files=[good])
    assert snapshot(written_copy) == before
    assert path.read_text(encoding="utf-8") == '{"sheets": {"broken'


def test_a_save_time_that_is_not_a_time_is_refused_and_times_are_compared_as_times(
    written_copy: WrittenCourse, tmp_path: Path
) -> None:
    export = sheets(written_copy, tmp_path)
    ana = codes(written_copy)["ana"]
    garbage = fill(q2(export), tmp_path / "g.csv", {ana: ("C1", 2, "")}, saved_at="yesterday")
    assert_refused(written_copy, [garbage], r"saved_at 'yesterday' is not a time")
    # 13:00 in Seoul is 04:00 UTC: earlier than 09:00 UTC, whatever the text sorts as.
    late = fill(
        q2(export), tmp_path / "late.csv", {ana: ("C1;C2", 3, "")}, saved_at="2026-11-30T09:00Z"
    )
    early = fill(
        q2(export), tmp_path / "early.csv", {ana: ("C1", 2, "")}, saved_at="2026-11-30T13:00+09:00"
    )
    import_grades(course=written_copy.course, files=[early, late])
    record = load_record(written_copy.course, ASSIGNMENT, "q2-written")
    assert record.grades["ana"].score == 3
