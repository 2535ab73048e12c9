"""The pool's scores are ``nbgrader autograde``'s scores on the same submissions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.grading.results import GradeRun
from coursekit.grading.workspace import init_course
from tests.grading.conftest import FixtureCourse

pytestmark = pytest.mark.slow

# Scenarios nbgrader grades to the end (it stops on an unreadable file or a dead kernel).
SAME = ("correct", "partial", "hidden-fail", "error", "blank", "tampered", "slow")


def cell_scores(db: Path, students: tuple[str, ...]) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    scores: dict[tuple[str, str], float | None] = {}
    with Gradebook(f"sqlite:///{db}", "fx-course") as gb:
        for student in students:
            submission = gb.find_submission("fx-basic", student)
            for nb in submission.notebooks:
                for grade in nb.grades:
                    scores[(student, grade.name)] = grade.auto_score
            scores[(student, "total")] = float(submission.score)
    return scores


def test_scores_match_nbgrader_autograde(
    graded: tuple[FixtureCourse, GradeRun], tmp_path: Path
) -> None:
    fx, _ = graded
    twin = tmp_path / "twin"
    shutil.copytree(fx.course / "source", twin / "source")
    shutil.copytree(fx.course / "release", twin / "release")
    for student in SAME:
        shutil.copytree(fx.course / "submitted" / student, twin / "submitted" / student)
    init_course(directory=twin, config=fx.config)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    env = {**os.environ, "PATH": f"{nbgrader.parent}:{os.environ.get('PATH', '')}"}
    for step in (
        ["generate_assignment", "fx-basic", "--force"],
        ["autograde", "fx-basic", "--Execute.timeout=3"],
    ):
        done = subprocess.run(
            [str(nbgrader), *step], cwd=twin, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
    ours = cell_scores(fx.course / "gradebook.db", SAME)
    theirs = cell_scores(twin / "gradebook.db", SAME)
    assert ours == theirs
    assert ours[("correct", "total")] == 5.0
