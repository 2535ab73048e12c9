"""``coursekit export``: plain CSV and Canvas's gradebook import format."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.export import export
from coursekit.grading.results import GradeRun
from tests.grading.conftest import CLASS, FixtureCourse, clone_course
from tests.grading.grading_factories import ASSIGNMENT

pytestmark = pytest.mark.slow


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_plain_csv(graded: tuple[FixtureCourse, GradeRun], tmp_path: Path) -> None:
    fx, _ = graded
    result = export(course=fx.course, format="csv", out=tmp_path / "grades.csv")
    table = rows(result.path)
    assert table[0] == [
        "student",
        "last_name",
        "first_name",
        "email",
        ASSIGNMENT,
        "total",
        "status",
    ]
    scores = {r[0]: r[4] for r in table[1:]}
    assert set(scores) == set(CLASS)
    assert scores["correct"] == "5"
    assert scores["partial"] == "2"
    status = {r[0]: r[6] for r in table[1:]}
    # "correct" wrote the written answer, which nobody has graded yet; "broken" is unreadable
    assert status["correct"] == f"{ASSIGNMENT} pending (q3-written)"
    assert status["broken"] == f"{ASSIGNMENT} invalid (not a readable notebook)"
    assert scores["broken"] == ""
    assert status["partial"] == "complete"
    assert str(result).splitlines()[0] == (
        f"wrote {result.path} (csv): 9 students, 1 assignments ({ASSIGNMENT})"
    )
    assert result.warnings == (
        f"broken: {ASSIGNMENT} invalid (not a readable notebook)",
        f"correct: {ASSIGNMENT} pending (q3-written)",
    )


def test_canvas_format(graded: tuple[FixtureCourse, GradeRun], tmp_path: Path) -> None:
    fx = clone_course(graded[0], tmp_path / "course")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{fx.course / 'gradebook.db'}", "fx-course") as gb:
        gb.update_or_create_student("correct", first_name="Ana", last_name="Kim", lms_user_id="77")
    table = rows(export(course=fx.course, format="canvas", out=tmp_path / "canvas.csv").path)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert table[1][0].strip() == "Points Possible"
    assert table[1][1:] == ["", "", "", "", "6"]
    by_id = {r[2]: r for r in table[2:]}
    # pending work is left empty for Canvas rather than sent as a partial score
    assert by_id["correct"] == ["Kim, Ana", "77", "correct", "correct", "", ""]
    assert by_id["blank"] == ["blank", "", "blank", "blank", "", "0"]
    assert by_id["partial"][5] == "2"
    assert by_id["broken"][5] == ""


def test_unknown_format(released: FixtureCourse, tmp_path: Path) -> None:
    with pytest.raises(GradingError, match="unknown export format 'xlsx'"):
        export(course=released.course, format="xlsx", out=tmp_path / "x")


def test_text_that_would_start_a_formula_is_quoted_in_both_formats(
    graded: tuple[FixtureCourse, GradeRun], tmp_path: Path
) -> None:
    fx = clone_course(graded[0], tmp_path / "course")
    from nbgrader.api import Gradebook

    formula = '=HYPERLINK("http://127.0.0.1/x","click")'
    with Gradebook(f"sqlite:///{fx.course / 'gradebook.db'}", "fx-course") as gb:
        gb.update_or_create_student("correct", first_name="@SUM(1)", last_name=formula)
    plain = rows(export(course=fx.course, format="csv", out=tmp_path / "g.csv").path)
    row = next(r for r in plain if r[0] == "correct")
    assert row[1] == "'" + formula
    assert row[2] == "'@SUM(1)"
    canvas = rows(export(course=fx.course, format="canvas", out=tmp_path / "c.csv").path)
    assert any(r[0] == f"'{formula}, @SUM(1)" for r in canvas)
