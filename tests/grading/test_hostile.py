"""Grading a hostile and broken batch end to end in the sandbox: contained, reported, nothing lost.

One course is graded in two steps: first two honest students, then everyone else (hostile
notebooks, broken files, tampered notebooks). The honest students' grades and every file
the hostile ones could reach (sources, release, all submissions, the honest students'
autograded notebooks) must be byte-identical afterwards, and each hostile or broken
submission must end with its own clear status while the batch goes on. A last test kills
``coursekit grade`` with SIGKILL mid-batch and checks that a rerun grades only what was left
and ends exactly as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coursekit.config import CourseConfig, load_config
from coursekit.grading import sandbox
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.results import GradeRun, StudentResult
from coursekit.grading.workspace import init_course
from tests.fixtures.submissions import ASSIGNMENT, hostile_network, write_scenario
from tests.grading.conftest import recording_server

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
LIMITS = """\
[limits]
cell_timeout = 3
notebook_timeout = 60
memory_mb = 512
processes = 64
"""
HONEST = ("ok", "wrong-answers")


@dataclass(frozen=True)
class Expected:
    """What a scenario must end with: score out of 6, status, and words in its messages."""

    score: float
    status: str
    words: str = ""


EXPECTED: dict[str, Expected] = {
    "ok": Expected(3, "graded"),
    "wrong-answers": Expected(0, "graded"),
    # hostile: contained, so q1 scores when its code defines double() after the attack
    "hostile-infinite-loop": Expected(1, "timeout", "q1-answer: timed out"),
    "hostile-memory-bomb": Expected(1, "graded"),
    "hostile-fork-bomb": Expected(3, "graded"),
    "hostile-kernel-suicide": Expected(0, "error", "the kernel died"),
    "hostile-write-outside": Expected(3, "graded"),
    "hostile-read-others": Expected(3, "graded"),
    "hostile-network": Expected(3, "graded"),
    "hostile-sigstop-swap": Expected(3, "graded"),
    # broken files: zero, invalid, and the message says why
    "empty-file": Expected(0, "invalid", "the file is empty"),
    "invalid-json": Expected(0, "invalid", "invalid JSON at line"),
    "deep-json": Expected(0, "invalid", "nested more than 64 levels deep"),
    "not-a-notebook": Expected(0, "invalid", "not a Jupyter notebook"),
    "nbformat-v5": Expected(0, "invalid", "nbformat 5 cannot be read"),
    "missing": Expected(0, "invalid", "no notebook submitted"),
    # repaired and graded
    "nbformat-v3": Expected(3, "graded", "upgraded from nbformat 3"),
    "renamed": Expected(3, "graded", "renamed notebook"),
    "cell-without-source": Expected(1, "graded", "lacked source"),
    "deleted-grade-cell": Expected(
        3, "graded", "'q2-tests' (1 point) was deleted; put back from the source and graded"
    ),
    "duplicated-cells": Expected(3, "graded", "only the last copy"),
    "changed-kernelspec": Expected(3, "graded", "kernel 'bash' replaced"),
    "huge-outputs": Expected(3, "graded"),
    # tampered: put back from the source, graded on the real tests, flagged
    "edited-test-cell": Expected(
        1, "tampered", "'q1-tests' (cell 4) was edited; graded as the source has it"
    ),
    "edited-points": Expected(3, "tampered", "points 100 (should be 2)"),
    "edited-locked-cell": Expected(3, "tampered", "locked cell 'setup' (cell 2) was edited"),
    "fake-grade-cell": Expected(3, "tampered", "'bonus-points' that the assignment does not"),
}


@dataclass(frozen=True)
class Course:
    """A throwaway repository with the fixture assignment released in its course workspace."""

    repo: Path
    config: CourseConfig

    @property
    def course(self) -> Path:
        return self.repo / "course"

    def submitted(self, student: str) -> Path:
        return self.course / "submitted" / student / ASSIGNMENT

    def submit(self, student: str, scenario: str | None = None, data: bytes | None = None) -> None:
        folder = self.submitted(student)
        if data is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / NOTEBOOK).write_bytes(data)
        elif scenario is not None:
            write_scenario(scenario, folder, NOTEBOOK)
        else:
            folder.mkdir(parents=True, exist_ok=True)


def make_course(base: Path) -> Course:
    repo = base / "repo"
    write_scenario("source", repo / "assignments" / ASSIGNMENT, NOTEBOOK)
    (repo / "coursekit.toml").write_text(LIMITS, encoding="utf-8")
    config = load_config(repo)
    init_course(directory=repo / "course", config=config)
    release(course=repo / "course")
    return Course(repo, config)


def hash_tree(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 and mode of every file under ``folder``."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[str(path.relative_to(folder))] = f"{digest} {oct(path.stat().st_mode)}"
    return out


def gradebook_rows(course: Path, students: tuple[str, ...]) -> dict[str, Any]:
    """Every grade and comment of ``students`` in the course's SQLite gradebook."""
    from nbgrader.api import Gradebook

    rows: dict[str, Any] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            submission = gb.find_submission(ASSIGNMENT, student)
            for nb in submission.notebooks:
                for g in nb.grades:
                    rows[f"{student}/{g.name}"] = (
                        g.auto_score,
                        g.manual_score,
                        g.needs_manual_grade,
                        g.max_score,
                    )
                for c in nb.comments:
                    rows[f"{student}/{c.name}/comment"] = (c.auto_comment, c.manual_comment)
    return rows


def sandbox_processes() -> list[tuple[int, int]]:
    """(pid, uid) of live processes running as a sandbox uid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            uid = int(status.split("Uid:")[1].split()[0])
            if uid >= sandbox._UID_BASE:
                found.append((int(entry.name), uid))
    return found


def no_sandbox_left(within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    return sandbox_processes() == []


@pytest.fixture(scope="module")
def host_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1, recording every connection."""
    with recording_server() as server:
        yield server


@dataclass(frozen=True)
class Batch:
    """The graded hostile batch and what the honest students' world looked like before."""

    course: Course
    run: GradeRun
    before: dict[str, Any]
    after: dict[str, Any]


def snapshot(course: Course) -> dict[str, Any]:
    ws = course.course
    return {
        "gradebook": gradebook_rows(ws, HONEST),
        "source": hash_tree(ws / "source"),
        "release": hash_tree(ws / "release"),
        "submitted": hash_tree(ws / "submitted"),
        "autograded": {s: hash_tree(ws / "autograded" / s) for s in HONEST},
        "repo": hash_tree(course.repo / "assignments")
        | {"toml": hash_tree(course.repo)["coursekit.toml"]},
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, host_server: tuple[int, list[bytes]]) -> Batch:
    course = make_course(tmp_path_factory.mktemp("hostile"))
    for student in EXPECTED:
        scenario = student.replace("-", "_")
        if student == "renamed":
            write_scenario("ok", course.submitted(student), "homework final (2).ipynb")
        elif student == "missing":
            course.submit(student)
        elif student == "hostile-network":
            course.submit(student, data=hostile_network(host_server[0]))
        else:
            course.submit(student, scenario)
    first = grade(
        course=course.course, assignment=ASSIGNMENT, config=course.config, students=HONEST
    )
    assert [r.status for r in first.results] == ["graded", "graded"], first
    before = snapshot(course)
    others = [s for s in EXPECTED if s not in HONEST]
    run = grade(course=course.course, assignment=ASSIGNMENT, config=course.config, students=others)
    return Batch(course, run, before, snapshot(course))


def result(batch: Batch, student: str) -> StudentResult:
    return next(r for r in batch.run.results if r.student == student)


def test_hostile_batch_is_graded_sandboxed(batch: Batch) -> None:
    assert batch.run.sandboxed
    assert batch.run.warnings == ()
    assert len(batch.run.results) == len(EXPECTED) - len(HONEST)
    assert all(r.sandboxed and r.max_score == 6 for r in batch.run.results)


@pytest.mark.parametrize("student", [s for s in EXPECTED if s not in HONEST])
def test_each_submission_gets_its_own_clear_result(batch: Batch, student: str) -> None:
    got, want = result(batch, student), EXPECTED[student]
    text = "\n".join(got.messages)
    assert (got.score, got.status) == (want.score, want.status), text
    assert want.words in text


@pytest.mark.parametrize(
    ("student", "printed"),
    [
        ("hostile-fork-bomb", "leaked: False"),
        ("hostile-write-outside", "leaked: []"),
        ("hostile-read-others", "leaked: []"),
        ("hostile-network", "leaked: []"),
        ("hostile-sigstop-swap", "leaked: []"),
    ],
)
def test_hostile_code_reports_its_attack_failed(batch: Batch, student: str, printed: str) -> None:
    path = batch.course.course / "autograded" / student / ASSIGNMENT / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q1-answer")
    text = "".join(o.get("text", "") for o in answer.outputs)
    assert printed in text.splitlines(), text


def test_gradebook_sources_and_other_students_are_byte_identical(batch: Batch) -> None:
    for part in ("gradebook", "source", "release", "submitted", "autograded", "repo"):
        assert batch.after[part] == batch.before[part], part
    assert len(batch.before["submitted"]) == len(EXPECTED) - 1, "every submitted file is covered"
    assert list(batch.course.repo.rglob("*pwned*")) == []
    assert b"pwned" not in (batch.course.course / "gradebook.db").read_bytes()


def test_a_swapped_output_is_never_read(batch: Batch) -> None:
    shadow = Path("/etc/shadow").read_bytes().splitlines()[0]
    folder = batch.course.course / "autograded" / "hostile-sigstop-swap" / ASSIGNMENT
    assert [p.name for p in folder.iterdir()] == [NOTEBOOK]
    assert not (folder / NOTEBOOK).is_symlink()
    assert shadow not in (folder / NOTEBOOK).read_bytes()


def test_no_network_reached_the_host(batch: Batch, host_server: tuple[int, list[bytes]]) -> None:
    assert result(batch, "hostile-network").score == 3
    assert host_server[1] == []


def test_no_sandbox_process_outlives_the_batch(batch: Batch) -> None:
    assert no_sandbox_left()


# ---- SIGKILL in the middle of a batch --------------------------------------------------

RESUME_STUDENTS = {
    "s1-ok": "ok",
    "s2-wrong": "wrong_answers",
    "s3-loop": "hostile_infinite_loop",
    "s4-tampered": "edited_test_cell",
    "s5-ok": "ok",
    "s6-bad": "invalid_json",
}


def grade_in_subprocess(repo: Path) -> subprocess.Popen[bytes]:
    """``coursekit grade`` on the course in ``repo``, as an instructor would start it."""
    exe = Path(sys.executable).parent / "coursekit"
    return subprocess.Popen(
        [str(exe), "grade", ASSIGNMENT, "--course", "course", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=repo,
    )


def graded_so_far(course: Course) -> set[str]:
    """Students whose result the grading state has saved (it is saved after each one)."""
    path = course.course / ".coursekit" / "grades" / f"{ASSIGNMENT}.json"
    try:
        return set(json.loads(path.read_text(encoding="utf-8")).get("results", {}))
    except (OSError, ValueError):
        return set()


def executed_cells(course: Course) -> dict[str, list[Any]]:
    """Per autograded notebook: each cell's source and what its outputs were (not timings)."""
    out = {}
    for path in sorted((course.course / "autograded").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        out[str(path.relative_to(course.course))] = [
            (
                c.source,
                [(o.output_type, o.get("ename"), o.get("text")) for o in c.get("outputs", [])],
            )
            for c in nb.cells
        ]
    return out


def outcome(course: Course, run: GradeRun) -> str:
    """Everything a finished run leaves, with the course's own folder taken out of it."""
    value = {
        "results": {r.student: (r.score, r.status, r.messages) for r in run.results},
        "gradebook": gradebook_rows(course.course, tuple(RESUME_STUDENTS)),
        "autograded": executed_cells(course),
    }
    return repr(value).replace(str(course.repo), "<repo>")


def test_sigkill_mid_batch_then_rerun_matches_uninterrupted(tmp_path: Path) -> None:
    courses = {}
    for label in ("calm", "killed"):
        course = make_course(tmp_path / label)
        for student, scenario in RESUME_STUDENTS.items():
            course.submit(student, scenario)
        courses[label] = course
    calm, killed = courses["calm"], courses["killed"]
    originals = hash_tree(killed.course / "submitted")

    uninterrupted = grade(course=calm.course, assignment=ASSIGNMENT, config=calm.config)

    proc = grade_in_subprocess(killed.repo)
    deadline = time.monotonic() + 120
    # s6-bad is rejected before anything runs: wait for a result that was executed
    while not graded_so_far(killed) - {"s6-bad"} and time.monotonic() < deadline:
        assert proc.poll() is None, "coursekit grade ended before it could be killed"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    done_before_kill = graded_so_far(killed)
    assert done_before_kill - {"s6-bad"}, "a result was saved before the kill"
    assert done_before_kill != set(RESUME_STUDENTS), "killed mid-batch, not after it"
    assert no_sandbox_left(), "sandboxes die with the killed grader"
    assert hash_tree(killed.course / "submitted") == originals, "originals never change"

    resumed = grade(course=killed.course, assignment=ASSIGNMENT, config=killed.config)
    assert outcome(killed, resumed) == outcome(calm, uninterrupted)
    graded_again = {r.student for r in resumed.results if r.regraded}
    assert graded_again == set(RESUME_STUDENTS) - done_before_kill, "the rerun resumes"

    again = grade(course=killed.course, assignment=ASSIGNMENT, config=killed.config)
    assert not any(r.regraded for r in again.results)
    assert outcome(killed, again) == outcome(calm, uninterrupted)
