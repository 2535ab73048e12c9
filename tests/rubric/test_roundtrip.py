"""Export sheets, fill the CSVs as two graders would, import; then feedback, export and report."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from coursekit.grading.export import export
from coursekit.grading.feedback import feedback
from coursekit.grading.report import report
from coursekit.rubric.export import export_sheets
from coursekit.rubric.importer import import_grades
from coursekit.rubric.store import load_record
from tests.rubric.conftest import WrittenCourse
from tests.rubric.rubric_factories import ASSIGNMENT, MODEL_MARKER, read_csv, write_csv

pytestmark = pytest.mark.slow

# criteria a grader gives each student's answer, per question (overlap answers included)
MARKS = {
    "q2-written": {"ana": "C1;C2;C3", "ben": "", "chen": "C1;C2", "dara": "C1"},
    "q3-written": {"ana": "C1;C2", "ben": "", "dara": "C1"},
}
POINTS = {"C1": 2, "C2": 1, "C3": 1}


def grade_all(wc: WrittenCourse, tmp_path: Path) -> list[Path]:
    """Two graders, one shared answer per question; grader CD is a point more generous on q2."""
    from coursekit.rubric.codes import code_map

    result = export_sheets(
        course=wc.course,
        assignment=ASSIGNMENT,
        out=tmp_path / "sheets",
        graders=2,
        overlap=1,
        seed=11,
    )
    students = code_map(wc.course, "fx-rubric", ["ana", "ben", "chen", "dara"])
    files = []
    for sheet in result.sheets:
        grader = "AB" if sheet.sheet.endswith("g1of2") else "CD"
        rows = read_csv(sheet.csv)
        for row in rows:
            ticked = MARKS[sheet.question][students[row["code"]]]
            if grader == "CD" and sheet.question == "q2-written" and "C3" not in ticked:
                ticked = ";".join(filter(None, [ticked, "C3"]))
            points = POINTS if sheet.question == "q2-written" else {"C1": 1, "C2": 1}
            score = sum(points[c] for c in ticked.split(";") if c)
            row.update(
                graded="yes",
                criteria=ticked,
                score=str(score),
                grader=grader,
                comment=f"Comment by {grader}.",
                second_look="yes" if students[row["code"]] == "ben" else "no",
                saved_at="2026-11-30T09:00:00Z",
            )
        files.append(write_csv(tmp_path / "graded" / sheet.csv.name, rows))
    return files


@pytest.fixture(scope="module")
def round_trip(
    written: WrittenCourse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[WrittenCourse, Path]:
    import shutil

    from coursekit.grading.workspace import init_course

    base = tmp_path_factory.mktemp("roundtrip")
    shutil.copytree(written.course, base / "course", symlinks=True)
    init_course(directory=base / "course", config=written.config)
    wc = WrittenCourse(written.config, base / "course")
    result = import_grades(course=wc.course, files=grade_all(wc, base))
    assert result.written == 7
    assert result.checks == 2
    return wc, base


def test_feedback_shows_scores_criteria_and_comments_never_the_model_answer(
    round_trip: tuple[WrittenCourse, Path],
) -> None:
    wc, _ = round_trip
    pages = {
        s: p[0].read_text()
        for s, p in feedback(course=wc.course, assignment=ASSIGNMENT).pages.items()
    }
    ana = pages["ana"]
    assert "<h2>Written answers</h2>" in ana
    assert "<li class='pass'>Met (2 points): Names the 1951 treaty" in ana
    assert "<p><strong>4 / 4</strong></p>" in ana
    assert "Comment by" in ana
    dara = pages["dara"]
    assert "<li class='fail'>Not met (1 point): Cites at least one event by its id" in dara
    for student, page in pages.items():
        assert MODEL_MARKER not in page, student
        assert "Model answer" not in page, student
        assert "| points | criterion |" not in page, student
    # the question's markdown table is a table, not pipes
    assert "<td>1</td>" in ana
    assert "| a | b |" not in ana
    # the broken submission: said to the student, without paths or staff instructions
    fay = pages["fay"]
    assert "could not be read" in fay
    assert "ask the student" not in fay
    assert "submitted/" not in fay
    assert "Not graded yet" in fay


def test_export_has_the_manual_scores_and_only_the_invalid_student_incomplete(
    round_trip: tuple[WrittenCourse, Path], tmp_path: Path
) -> None:
    wc, _ = round_trip
    result = export(course=wc.course, format="csv", out=tmp_path / "grades.csv")
    with result.path.open() as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    # q1 autograded (1) + q2 + q3 by hand
    assert rows["ana"][ASSIGNMENT] == "7"
    assert rows["ana"]["status"] == "complete"
    assert rows["fay"][ASSIGNMENT] == ""
    assert rows["fay"]["status"].endswith("invalid (not a readable notebook)")
    assert result.warnings == (f"fay: {ASSIGNMENT} invalid (not a readable notebook)",)


def test_export_before_the_written_parts_are_graded_says_so(
    written: WrittenCourse, tmp_path: Path
) -> None:
    csv_result = export(course=written.course, format="csv", out=tmp_path / "grades.csv")
    with csv_result.path.open() as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    assert rows["ana"]["status"] == f"{ASSIGNMENT} pending (q2-written, q3-written)"
    assert rows["chen"]["status"] == f"{ASSIGNMENT} pending (q2-written)"
    assert rows["eli"]["status"] == "complete"  # nothing answered: zero, nothing to grade
    assert any(w.startswith("ana: ") for w in csv_result.warnings)
    canvas = export(course=written.course, format="canvas", out=tmp_path / "canvas.csv")
    with canvas.path.open() as handle:
        table = {r[2]: r for r in csv.reader(handle)}
    assert table["ana"][5] == ""
    assert table["eli"][5] == "0"
    assert canvas.warnings[-1] == "(left empty in the Canvas file until graded)"


def test_report_shows_distribution_graders_agreement_and_a_copied_answer(
    round_trip: tuple[WrittenCourse, Path], tmp_path: Path
) -> None:
    wc, _ = round_trip
    result = report(course=wc.course, assignment=ASSIGNMENT, out=tmp_path / "rep", config=wc.config)
    assert result.written_csv is not None
    with result.written_csv.open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["grade_id"] == "q2-written"]
    by_grader = {r["grader"]: r for r in rows}
    assert set(by_grader) == {"AB", "CD"}
    record = load_record(wc.course, ASSIGNMENT, "q2-written")
    cd = [g.score for g in record.grades.values() if g.grader == "CD"]
    ab = [g.score for g in record.grades.values() if g.grader == "AB"]
    assert float(by_grader["CD"]["mean"]) == pytest.approx(sum(cd) / len(cd), abs=1e-3)
    assert float(by_grader["CD"]["others_mean"]) == pytest.approx(sum(ab) / len(ab), abs=1e-3)
    assert by_grader["AB"]["agreement_pairs"] == "1"
    page = result.html.read_text()
    assert "Written questions (graded by people)" in page
    assert "chen: " in page
    assert "of the answer's word sequences are in the model answer" in page
    assert "never a penalty" in page
    assert re.search(r"Marked for a second look:</strong> ben \((AB|CD)\)", page)
    # the shared answer: CD ticks C3 where AB did not, unless the answer met it anyway
    shared = next(iter(record.checks.values()))
    primary = next(g for g in record.grades.values() if g.code == shared.code)
    difference = abs(shared.score - primary.score)
    c3 = "100%" if ("C3" in shared.criteria) == ("C3" in primary.criteria) else "0%"
    assert (
        f"Agreement on 1 answer(s) graded twice: same score {100 if difference == 0 else 0}%, "
        f"mean difference {difference:.2f} points; per criterion: C1 100%, C2 100%, C3 {c3}."
    ) in page
