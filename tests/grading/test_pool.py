"""``coursekit grade``: every scenario's status and score, reruns, JSON records."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.pool import grade
from coursekit.grading.results import GradeRun, StudentResult
from coursekit.grading.state import folder_hash, load_state
from tests.grading.conftest import CELL_TIMEOUT, FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT

pytestmark = pytest.mark.slow

# scenario -> (score, status) out of 6 (the written answer is graded by hand: 0 until then)
EXPECTED = {
    "correct": (5.0, "graded"),
    "partial": (2.0, "graded"),
    "hidden-fail": (3.0, "graded"),
    "error": (0.0, "graded"),
    "blank": (0.0, "graded"),
    "tampered": (0.0, "tampered"),
    "broken": (0.0, "invalid"),
    "crash": (0.0, "error"),
    "slow": (0.0, "timeout"),
}


def by_student(run: GradeRun) -> dict[str, StudentResult]:
    return {r.student: r for r in run.results}


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_scenario_gets_its_score_and_status(
    graded: tuple[FixtureCourse, GradeRun], student: str
) -> None:
    _, run = graded
    result = by_student(run)[student]
    assert (result.score, result.status) == EXPECTED[student]
    assert result.max_score == 6.0
    assert result.sandboxed is False


def test_messages_name_the_problem(graded: tuple[FixtureCourse, GradeRun]) -> None:
    results = by_student(graded[1])
    assert any("invalid JSON" in m for m in results["broken"].messages)
    assert any("q1-tests" in m and "edited" in m for m in results["tampered"].messages)
    assert any("kernel died" in m for m in results["crash"].messages)
    assert any("q1-answer: timed out" in m for m in results["slow"].messages)
    assert results["correct"].messages == ()


def test_graded_notebooks_land_where_nbgrader_puts_them(
    graded: tuple[FixtureCourse, GradeRun],
) -> None:
    fx, _ = graded
    autograded = fx.course / "autograded" / "correct" / ASSIGNMENT
    assert (autograded / f"{ASSIGNMENT}.ipynb").is_file()
    assert (autograded / "notes.txt").is_file()
    assert not (fx.course / ".coursekit" / "scratch" / ASSIGNMENT / "correct").exists()


def test_the_table_and_json_say_the_sandbox_was_off(graded: tuple[FixtureCourse, GradeRun]) -> None:
    _, run = graded
    text = str(run)
    assert text.startswith("WARNING: grading WITHOUT the sandbox")
    assert "correct" in text
    assert "tampered" in text
    records = run.to_json()
    assert set(records[0]) >= {"student", "assignment", "score", "max_score", "status", "messages"}
    assert all(r["sandboxed"] is False for r in records)
    assert json.loads(json.dumps(records)) == records
    assert "<table>" in run._repr_html_()


def test_rerun_skips_unchanged_and_grades_a_changed_submission(fresh: FixtureCourse) -> None:
    for student in ("correct", "partial"):
        fresh.submit(student)
    first = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    assert [r.regraded for r in first.results] == [True, True]
    again = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    assert [r.regraded for r in again.results] == [False, False]
    assert [r.score for r in again.results] == [r.score for r in first.results]
    assert "(unchanged)" in str(again)
    fresh.submit("partial", "correct")  # partial resubmits a correct notebook
    third = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    regraded = {r.student: (r.regraded, r.score) for r in third.results}
    assert regraded == {"correct": (False, 5.0), "partial": (True, 5.0)}
    forced = grade(
        course=fresh.course,
        assignment=ASSIGNMENT,
        sandbox=False,
        force=True,
        students=["correct"],
        config=fresh.config,
    )
    assert [(r.student, r.regraded) for r in forced.results] == [("correct", True)]


def test_a_changed_source_or_gradebook_forgets_the_hashes(tmp_path: Path) -> None:
    state = load_state(tmp_path, "a", source_hash="s1", db_url="sqlite:///x")
    state.record(
        StudentResult("bob", "a", 1.0, 2.0, "graded"),
        "h1",
    )
    from coursekit.grading.state import save_state

    save_state(state)
    assert load_state(tmp_path, "a", source_hash="s1", db_url="sqlite:///x").unchanged("bob", "h1")
    assert not load_state(tmp_path, "a", source_hash="s2", db_url="sqlite:///x").unchanged(
        "bob", "h1"
    )
    assert not load_state(tmp_path, "a", source_hash="s1", db_url="sqlite:///y").unchanged(
        "bob", "h1"
    )
    retry = load_state(tmp_path, "a", source_hash="s1", db_url="sqlite:///x")
    retry.record(replace(retry.results["bob"], status="error"), None)
    assert not retry.unchanged("bob", "h1")


def test_folder_hash_sees_content_not_checkpoints(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text("1")
    first = folder_hash(tmp_path)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("0")
    assert folder_hash(tmp_path) == first
    (tmp_path / "a.ipynb").write_text("2")
    assert folder_hash(tmp_path) != first


def test_grading_an_unreleased_assignment_says_release_it(fresh: FixtureCourse) -> None:
    with pytest.raises(GradingError, match="coursekit release nope"):
        grade(course=fresh.course, assignment="nope", sandbox=False, config=fresh.config)


def test_unknown_student_is_refused(fresh: FixtureCourse) -> None:
    with pytest.raises(GradingError, match=r"no submission from \['ghost'\]"):
        grade(
            course=fresh.course,
            assignment=ASSIGNMENT,
            sandbox=False,
            students=["ghost"],
            config=fresh.config,
            timeout=CELL_TIMEOUT,
        )


def test_a_failure_preparing_or_saving_one_student_stays_with_that_student(
    fresh: FixtureCourse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursekit.grading import pool as pool_module
    from coursekit.grading.nbgrader_api import AutogradeSteps

    for student in ("correct", "partial", "blank"):
        fresh.submit(student)
    real_copy = pool_module._Grader._copy_files
    real_finish = AutogradeSteps.finish

    def copy_files(self: object, submitted: Path, scratch: Path) -> None:
        if submitted.parent.name == "partial":
            raise OSError("disk said no")
        real_copy(self, submitted, scratch)  # type: ignore[arg-type]

    def finish(self: AutogradeSteps, nb: object, resources: dict[str, object]) -> str:
        if "blank" in str(resources["metadata"]):
            raise RecursionError("maximum recursion depth exceeded")
        return real_finish(self, nb, resources)

    monkeypatch.setattr(pool_module._Grader, "_copy_files", copy_files)
    monkeypatch.setattr(AutogradeSteps, "finish", finish)
    run = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    results = by_student(run)
    assert results["correct"].status == "graded"
    assert results["correct"].score > 0
    assert results["partial"].status == "error"
    assert results["partial"].score == 0
    assert (
        "could not be prepared for grading (OSError: disk said no)"
        in results["partial"].messages[0]
    )
    assert results["blank"].status == "error"
    assert any(
        "its grades could not be saved (RecursionError" in m for m in results["blank"].messages
    )


def test_a_failure_reading_one_students_phase_1_stays_with_that_student(
    fresh: FixtureCourse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursekit.grading import twophase

    for student in ("correct", "partial"):
        fresh.submit(student)
    real_capture = twophase.capture

    def capture(nb: object, plan: object, **kw: object) -> object:
        if "partial" in str(kw["log"]):
            raise ValueError("invalid literal for int() with base 10: 'x'")
        return real_capture(nb, plan, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(twophase, "capture", capture)
    run = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    results = by_student(run)
    assert results["correct"].status == "graded"
    assert results["correct"].score > 0
    assert results["partial"].status == "error"
    assert results["partial"].score == 0
    assert any("it could not be graded (ValueError" in m for m in results["partial"].messages)
