"""The five assignments graded by ``coursekit grade`` (two phases, sandbox on): golden scores.

Every scenario of :mod:`tests.assignments.scenarios` (the scores ``nbgrader autograde`` gives
them, checked in ``test_assignment_grading``) is submitted to one coursekit course and graded
sandboxed; each cell must score as the scenario says, and no honest submission is flagged.
The demo's synthetic class (varied quality, one broken file) is graded beside them: none of
it is flagged either. The course has no copy of the article, so a2's quotation test scores
nothing for anyone (grading says so) instead of guessing.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from coursekit.config import load_config
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.results import GradeRun
from coursekit.grading.scores import gradebook_scores
from coursekit.grading.synthetic import synthetic_class
from coursekit.grading.workspace import init_course, open_course
from tests.assignments.nbcourse import (
    ASSIGNMENT_IDS,
    cells_by_id,
    fill,
    solution_sources,
    source_path,
)
from tests.assignments.scenarios import SCENARIOS, WRITTEN_ANSWER, without_article

pytestmark = pytest.mark.slow


def _submission(assignment: str, student: str, released: nbformat.NotebookNode) -> object:
    scenario = SCENARIOS[assignment][student]
    if scenario.blank:
        return released
    source = nbformat.read(source_path(assignment), as_version=4)
    answers = {}
    for grade_id, text in solution_sources(source).items():
        cell = cells_by_id(source)[grade_id]
        answers[grade_id] = WRITTEN_ANSWER if cell.cell_type == "markdown" else text
    answers.update(scenario.changes)
    return fill(released, answers)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, GradeRun]]:
    config = load_config(Path(__file__).resolve().parents[2])
    root = tmp_path_factory.mktemp("two-phase") / "course"
    init_course(directory=root, config=config)
    release(course=root)
    runs = {}
    for assignment in ASSIGNMENT_IDS:
        rel = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        for student in SCENARIOS[assignment]:
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(_submission(assignment, student, rel), folder / f"{assignment}.ipynb")
        release_path = root / "release" / assignment / f"{assignment}.ipynb"
        for made in synthetic_class(
            source=source_path(assignment), release=release_path, students=8
        ):
            folder = root / "submitted" / made.student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{assignment}.ipynb").write_text(made.text, encoding="utf-8")
        runs[assignment] = grade(course=root, assignment=assignment, config=config, sandbox=True)
    return root, runs


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_every_scenario_scores_its_golden_score_in_two_phases(
    course: tuple[Path, dict[str, GradeRun]], assignment: str
) -> None:
    root, _ = course
    scores = {s.student: s for s in gradebook_scores(open_course(root), assignment)}
    assert set(SCENARIOS[assignment]) <= set(scores)
    for student, golden in SCENARIOS[assignment].items():
        scenario = without_article(assignment, golden)
        auto = {
            p.part.grade_id: p.score for p in scores[student].parts if p.part.kind == "autograded"
        }
        lost = {cell for cell, score in auto.items() if score == 0}
        assert lost == (set(auto) if scenario.blank else set(scenario.lost)), student
        assert sum(auto.values()) == pytest.approx(scenario.score, abs=1e-3), student


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_no_honest_scenario_is_flagged(
    course: tuple[Path, dict[str, GradeRun]], assignment: str
) -> None:
    _, runs = course
    results = runs[assignment].results
    assert len(results) == len(SCENARIOS[assignment]) + 8
    for result in results:
        broken = result.student == "student08"  # the synthetic class's unreadable file
        assert result.status == ("invalid" if broken else "graded"), (
            result.student,
            result.messages,
        )
        assert result.sandboxed
        assert not any("suspicious" in m for m in result.messages), result.student


def test_missing_article_is_said_where_quotations_are_checked(
    course: tuple[Path, dict[str, GradeRun]],
) -> None:
    _, runs = course
    a2 = runs["a2-argument-map"].results[0]
    assert any("article" in m for m in a2.messages), a2.messages
    a1 = runs["a1-timeline"].results[0]
    assert not any("article" in m for m in a1.messages), a1.messages
