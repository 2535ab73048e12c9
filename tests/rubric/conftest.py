"""Fixtures of the rubric tests: a graded class of the written fixture assignment."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from coursekit.config import CourseConfig, load_config
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.workspace import init_course
from tests.grading.grading_factories import write_assignment
from tests.rubric.rubric_factories import ANSWERS, ASSIGNMENT, answer_notebook, written_assignment


@dataclass(frozen=True)
class WrittenCourse:
    """A graded course of the written fixture assignment."""

    config: CourseConfig
    course: Path

    @property
    def db(self) -> Path:
        return self.course / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db}"


def make_written_course(base: Path, *, db_url: str | None = None) -> WrittenCourse:
    """Repository, course, release, the class of :data:`ANSWERS` submitted and graded."""
    repo = base / "repo"
    repo.mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[tool.coursekit]\ncourse_id = "fx-rubric"\n')
    write_assignment(repo, ASSIGNMENT, written_assignment())
    config = load_config(repo)
    course = base / "course"
    init_course(directory=course, config=config, db_url=db_url)
    release(course=course)
    release_nb = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student, answers in ANSWERS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / release_nb.name).write_text(answer_notebook(release_nb, answers))
    broken = course / "submitted" / "fay" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / release_nb.name).write_text('{"cells": [ cut off')
    grade(course=course, assignment=ASSIGNMENT, sandbox=False, config=config)
    return WrittenCourse(config, course)


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> WrittenCourse:
    """The graded written class (do not modify: use ``written_copy``)."""
    return make_written_course(tmp_path_factory.mktemp("written"))


@pytest.fixture
def written_copy(written: WrittenCourse, tmp_path: Path) -> WrittenCourse:
    """A copy of the graded class, with its own gradebook, for one test."""
    dest = tmp_path / "course"
    shutil.copytree(written.course, dest, symlinks=True)
    init_course(directory=dest, config=written.config)
    return WrittenCourse(written.config, dest)
