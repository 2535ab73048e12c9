"""A real PostgreSQL gradebook: the same class graded into it gets the SQLite scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading.pool import grade
from coursekit.grading.results import GradeRun
from coursekit.grading.scores import gradebook_scores
from coursekit.grading.workspace import open_course
from tests.grading.conftest import CELL_TIMEOUT, FixtureCourse, make_course

pytestmark = pytest.mark.slow

STUDENTS = ("correct", "partial", "hidden-fail", "broken")


def test_postgres_gradebook_matches_sqlite(
    postgres_url: str, graded: tuple[FixtureCourse, GradeRun], tmp_path: Path
) -> None:
    fx = make_course(tmp_path, db_url=postgres_url)
    assert open_course(fx.course).db_url == postgres_url
    for student in STUDENTS:
        fx.submit(student)
    run = grade(
        course=fx.course,
        assignment="fx-basic",
        sandbox=False,
        timeout=CELL_TIMEOUT,
        config=fx.config,
    )
    sqlite = {r.student: (r.score, r.status) for r in graded[1].results if r.student in STUDENTS}
    assert {r.student: (r.score, r.status) for r in run.results} == sqlite

    def parts(course: Path) -> dict[str, list[float]]:
        return {
            s.student: [p.score for p in s.parts]
            for s in gradebook_scores(open_course(course), "fx-basic")
            if s.student in STUDENTS
        }

    assert parts(fx.course) == parts(graded[0].course)
