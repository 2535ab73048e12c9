"""Fixtures of the grading tests: a fixture repository, released and graded courses."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from coursekit.config import CourseConfig, load_config
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.results import GradeRun
from coursekit.grading.workspace import init_course
from tests.grading.grading_factories import (
    ASSIGNMENT,
    basic_assignment,
    write_assignment,
    write_submission,
)

# The graded class every read-only test shares: scenario -> student id (the same).
CLASS = (
    "correct",
    "partial",
    "hidden-fail",
    "error",
    "blank",
    "tampered",
    "broken",
    "crash",
    "slow",
)
CELL_TIMEOUT = 3


@dataclass(frozen=True)
class FixtureCourse:
    """A course workspace made from the fixture repository."""

    config: CourseConfig
    course: Path

    @property
    def release_nb(self) -> Path:
        return self.course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    def submitted(self, student: str) -> Path:
        return self.course / "submitted" / student / ASSIGNMENT

    def submit(self, student: str, scenario: str | None = None) -> Path:
        return write_submission(self.submitted(student), self.release_nb, scenario or student)


def make_repo(base: Path) -> CourseConfig:
    """A minimal project: pyproject with a course id and the fixture assignment (plus a file)."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "pyproject.toml").write_text(
        '[tool.coursekit]\ncourse_id = "fx-course"\n', encoding="utf-8"
    )
    path = write_assignment(base, ASSIGNMENT, basic_assignment())
    (path.parent / "notes.txt").write_text("a file the notebook may read\n", encoding="utf-8")
    return load_config(base)


def make_course(base: Path, *, db_url: str | None = None) -> FixtureCourse:
    """A fixture repository under ``base`` with its course initialised and released."""
    config = make_repo(base / "repo")
    course = base / "course"
    init_course(directory=course, config=config, db_url=db_url)
    release(course=course)
    return FixtureCourse(config, course)


def clone_course(source: FixtureCourse, dest: Path) -> FixtureCourse:
    """A copy of a course in ``dest`` with its own config and gradebook."""
    shutil.copytree(source.course, dest, symlinks=True)
    init_course(directory=dest, config=source.config)
    return FixtureCourse(source.config, dest)


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> FixtureCourse:
    """A released fixture course (do not modify: clone it)."""
    return make_course(tmp_path_factory.mktemp("released"))


@pytest.fixture(scope="session")
def graded(
    released: FixtureCourse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[FixtureCourse, GradeRun]:
    """The class of :data:`CLASS` graded unsandboxed (do not modify: clone it)."""
    fx = clone_course(released, tmp_path_factory.mktemp("graded") / "course")
    for student in CLASS:
        fx.submit(student)
    run = grade(
        course=fx.course,
        assignment=ASSIGNMENT,
        sandbox=False,
        timeout=CELL_TIMEOUT,
        config=fx.config,
    )
    return fx, run


@pytest.fixture
def fresh(released: FixtureCourse, tmp_path: Path) -> FixtureCourse:
    """A released course of this test's own."""
    return clone_course(released, tmp_path / "course")


@contextmanager
def recording_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1 that records every connection made to it.

    Yields its port and the list of what each connection sent; the sandbox tests assert
    the list stays empty (and their unsandboxed controls that it does not).
    """
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                received.append(conn.recv(100) or b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()
