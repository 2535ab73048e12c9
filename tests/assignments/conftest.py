"""Fixtures for the assignment tests: every assignment generated once per session.

The helpers that build a course and run nbgrader live in :mod:`tests.assignments.nbcourse`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from nbformat import NotebookNode

from tests.assignments.nbcourse import (
    ASSIGNMENT_IDS,
    Course,
    make_course,
    read_notebook,
    run_parallel,
    source_path,
)


@dataclass
class Released:
    """A generated assignment: its course, source and released notebooks."""

    course: Course
    source: NotebookNode
    release: NotebookNode


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Released]:
    """Every assignment generated once per session, each in its own course."""
    base = tmp_path_factory.mktemp("courses")

    def generate(assignment: str) -> Released:
        course = make_course(base / assignment, assignment)
        release = course.generate()
        return Released(course, read_notebook(source_path(assignment)), release)

    return run_parallel(list(ASSIGNMENT_IDS), generate)
