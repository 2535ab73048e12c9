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


def test_a_due_date_with_its_offset_goes_into_the_gradebook_in_utc(fresh: FixtureCourse) -> None:
    import datetime

    from nbgrader.api import Gradebook

    result = release(course=fresh.course, due="2026-12-04 17:00 -0500")
    expected = datetime.datetime(2026, 12, 4, 22, 0)  # nbgrader keeps naive UTC
    assert result.released[0].due == expected
    assert "(due 2026-12-04 22:00 UTC)" in str(result)
    ws = open_course(fresh.course)
    with Gradebook(ws.db_url, ws.course_id) as gb:
        assert gb.find_assignment(ASSIGNMENT).duedate == expected
    # a zone's name: its offset on that day (Seoul keeps +09:00 all year)
    release(course=fresh.course, due="2026-12-05 07:00 Asia/Seoul")
    with Gradebook(ws.db_url, ws.course_id) as gb:
        assert gb.find_assignment(ASSIGNMENT).duedate == expected


def test_a_due_date_that_is_no_date_is_refused_before_anything_is_done(
    fresh: FixtureCourse,
) -> None:
    before = fresh.release_nb.stat().st_mtime_ns
    with pytest.raises(GradingError, match=r"due date 'next friday': not a date and time"):
        release(course=fresh.course, due="next friday")
    assert fresh.release_nb.stat().st_mtime_ns == before
