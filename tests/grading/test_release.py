"""``coursekit release``: student versions through nbgrader, and into an exchange."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.release import release
from coursekit.grading.scores import assignment_parts
from coursekit.grading.workspace import open_course
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT, HIDDEN_MARKER


def test_release_makes_the_student_version_without_solutions_or_hidden_tests(
    released: FixtureCourse,
) -> None:
    text = released.release_nb.read_text()
    assert HIDDEN_MARKER not in text
    assert "return 2 * x" not in text
    assert "raise NotImplementedError()" in text
    assert (released.release_nb.parent / "notes.txt").is_file()


def test_release_puts_the_parts_and_points_in_the_gradebook(released: FixtureCourse) -> None:
    parts = assignment_parts(open_course(released.course), ASSIGNMENT)
    assert [(p.grade_id, p.max_score, p.kind) for p in parts] == [
        ("q1-tests", 2.0, "autograded"),
        ("q2-tests", 3.0, "autograded"),
        ("q3-written", 1.0, "manual"),
    ]
    assert [p.title for p in parts] == ["Fixture assignment", "Question 2", "Question 3"]


def test_release_into_an_exchange(fresh: FixtureCourse, tmp_path: Path) -> None:
    result = release(course=fresh.course, exchange=tmp_path / "exchange")
    outbound = tmp_path / "exchange" / "fx-course" / "outbound" / ASSIGNMENT
    assert result.released[0].exchange_dir == outbound
    assert (outbound / f"{ASSIGNMENT}.ipynb").is_file()
    assert (tmp_path / "exchange" / "fx-course" / "inbound").is_dir()
    assert str(outbound) in str(result)


def test_unknown_assignment_names_the_known_ones(released: FixtureCourse) -> None:
    with pytest.raises(
        GradingError, match=r"no source folder for \['nope'\]; known: \['fx-basic'\]"
    ):
        release(course=released.course, assignments=["nope"])
