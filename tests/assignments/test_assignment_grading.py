"""End to end with nbgrader: validate, release, and autograde synthetic submissions.

Each assignment gets one course (made once per session by the ``released`` fixture); here
every scenario of :mod:`tests.assignments.scenarios` is submitted and the whole class is
graded in one ``nbgrader autograde`` call per assignment, two assignments at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from nbformat import NotebookNode

from tests.assignments.conftest import Released
from tests.assignments.nbcourse import (
    ASSIGNMENT_IDS,
    cells_by_id,
    fill,
    grade_info,
    hidden_regions,
    run_parallel,
    solution_sources,
    source_path,
)
from tests.assignments.scenarios import (
    QUOTATION_PARTS,
    SCENARIOS,
    WRITTEN_ANSWER,
    without_article,
)
from tests.assignments.test_assignment_sources import SECRETS, visible_text

pytestmark = pytest.mark.slow


@dataclass
class Graded:
    """What grading one assignment produced."""

    released: Released
    validate_output: str
    validate_code: int
    scores: dict[str, dict[str, float | None]]


def _submission(rel: Released, student: str) -> NotebookNode:
    scenario = SCENARIOS[rel.course.assignment][student]
    if scenario.blank:
        return rel.release
    answers = {}
    for grade_id, text in solution_sources(rel.source).items():
        cell = cells_by_id(rel.source)[grade_id]
        answers[grade_id] = WRITTEN_ANSWER if cell.cell_type == "markdown" else text
    answers.update(scenario.changes)
    return fill(rel.release, answers)


@pytest.fixture(scope="module")
def graded(released: dict[str, Released]) -> dict[str, Graded]:
    def work(assignment: str) -> Graded:
        rel = released[assignment]
        proc = rel.course.validate(source_path(assignment))
        for student in SCENARIOS[assignment]:
            rel.course.submit(student, _submission(rel, student))
        rel.course.autograde()
        return Graded(rel, proc.stdout + proc.stderr, proc.returncode, rel.course.scores())

    return run_parallel(list(ASSIGNMENT_IDS), work)


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_source_validates_at_full_marks(graded: dict[str, Graded], assignment: str) -> None:
    result = graded[assignment]
    assert result.validate_code == 0, result.validate_output
    assert "Success! Your notebook passes all the tests." in result.validate_output


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_release_hides_solutions_hidden_tests_and_rubrics(
    released: dict[str, Released], assignment: str
) -> None:
    rel = released[assignment]
    text = "\n".join(c.source for c in rel.release.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "Rubric", "Model answer"):
        assert marker not in text, marker
    visible = visible_text(rel.source)
    for region in hidden_regions(rel.source):
        for line in region.splitlines():
            line = line.strip()
            if len(line) > 20 and line not in visible:
                assert line not in text, f"{assignment}: released notebook leaks {line!r}"
    for secret in SECRETS[assignment]:
        assert secret not in text
    for cell in rel.release.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    stubs = [c for c in rel.release.cells if grade_info(c).get("solution")]
    assert stubs
    assert all(
        "raise NotImplementedError()" in c.source or "YOUR ANSWER HERE" in c.source for c in stubs
    )


@pytest.mark.parametrize(
    ("assignment", "student"),
    [(a, s) for a in ASSIGNMENT_IDS for s in SCENARIOS[a]],
)
def test_scenario_gets_its_golden_score(
    graded: dict[str, Graded], assignment: str, student: str
) -> None:
    # plain `nbgrader autograde` has no instructor copy of the article: quotation parts score
    # nothing for anyone (the checker never guesses)
    scenario = without_article(assignment, SCENARIOS[assignment][student])
    cells = graded[assignment].scores[student]
    assert all(score is not None for score in cells.values())
    lost = {cell for cell, score in cells.items() if score == 0}
    assert lost == (set(cells) if scenario.blank else set(scenario.lost))
    # partial credit is rounded to 4 decimals by checks.partial
    assert sum(v or 0 for v in cells.values()) == pytest.approx(scenario.score, abs=1e-3)


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_blank_release_grades_to_zero_and_correct_to_full(
    graded: dict[str, Graded], assignment: str
) -> None:
    rel = graded[assignment].released
    full = sum(
        grade_info(c)["points"]
        for c in rel.source.cells
        if grade_info(c).get("grade") and c.cell_type == "code"
    )
    assert sum(graded[assignment].scores["blank"].values()) == 0  # type: ignore[arg-type]
    correct = without_article(assignment, SCENARIOS[assignment]["correct"])
    assert sum(graded[assignment].scores["correct"].values()) == pytest.approx(correct.score)  # type: ignore[arg-type]
    assert SCENARIOS[assignment]["correct"].score == full


def _outputs(nb: NotebookNode, grade_id: str) -> str:
    """What the checkers printed or raised in a cell (not the traceback's code context)."""
    cell = cells_by_id(nb)[grade_id]
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(f"[{out.name}] {out.text}")
        elif out.output_type == "error":
            parts.append(f"[error] {out.ename}: {out.evalue}")
    return "\n".join(parts)


def test_failure_messages_say_where_but_not_the_answer(graded: dict[str, Graded]) -> None:
    course = graded["a1-timeline"].released.course
    out = _outputs(course.autograded("known-q1-usrok-in-force"), "q1-tests")
    assert "entered into force" in out
    assert "see 2.6 " in out
    assert "A11" not in out  # the section heading itself names 1953–1954
    out = _outputs(course.autograded("wrong-q2"), "q2a-tests")
    report = out.split("[not yet] responds_to['A66']", 1)[-1].split("[", 1)[0]
    assert "check what this step was a response to" in report, out
    assert "see 5.7 " in report
    assert "A64" not in report  # the step A66 answered is not given away
    assert "A65" not in report
    out = _outputs(course.autograded("blank"), "q3a-tests")
    assert "you have not answered cha_reading yet" in out
    assert "NameError" not in out
    assert "NotImplementedError" not in out
    out = _outputs(course.autograded("wrong-types"), "q4b-tests")
    assert "friction_reading" in out
    assert "int" in out
    course = graded["a2-argument-map"].released.course
    out = _outputs(course.autograded("wrong-q2"), "q2-tests")
    assert "[not yet] objections_to['no-direct-stake']" in out
    assert "see 5.10 Is the United States outside the history debate?" in out
    assert "claim-not-stake" not in out
    assert "not-a-clean-slate" not in out
    out = _outputs(course.autograded("wrong-q5"), "q5-tests")
    assert "cannot be checked" in out
    assert "no copy of the article" in out
    course = graded["a4-policy-memo"].released.course
    out = _outputs(course.autograded("wrong-partC"), "partC-tests")
    assert "responds_to['B08']" in out
    assert "see 10.8 " in out
    assert "captain-detained" not in out
    assert "export-curbs" not in out
    out = _outputs(course.autograded("blank"), "partA-tests")
    assert "you have not answered roles yet" in out
    assert "NameError" not in out
    assert "NotImplementedError" not in out
    course = graded["a5-after-the-article"].released.course
    out = _outputs(course.autograded("unfit-evidence"), "b1-tests")
    assert "A72 do(es) not fit the prediction 'domestic-politics'" in out
    assert "see 11.7 " in out
    out = _outputs(course.autograded("wrong-b1"), "b1-tests")
    assert "needs at least one event from 2025 or later" in out
    assert "'B08' is dated before 2021-03-21" in out


@pytest.mark.parametrize(
    ("assignment", "student"),
    [(a, s) for a in ASSIGNMENT_IDS for s, sc in SCENARIOS[a].items() if sc.hint],
)
def test_known_mistake_shows_its_hint(
    graded: dict[str, Graded], assignment: str, student: str
) -> None:
    # with partial credit a known mistake may cost a share of a cell, not the whole cell:
    # the hint is looked for in every test cell's output
    scenario = SCENARIOS[assignment][student]
    assert scenario.hint
    assert scenario.score < SCENARIOS[assignment]["correct"].score
    nb = graded[assignment].released.course.autograded(student)
    tests = [
        g
        for g, c in cells_by_id(nb).items()
        if grade_info(c).get("grade") and c.cell_type == "code"
    ]
    shown = " ".join(" ".join(_outputs(nb, grade_id).split()) for grade_id in tests)
    assert " ".join(scenario.hint.split()) in shown
    assert "Traceback" not in shown


def test_correct_submission_prints_ok_in_every_test_cell(graded: dict[str, Graded]) -> None:
    for assignment in ASSIGNMENT_IDS:
        nb = graded[assignment].released.course.autograded("correct")
        for grade_id, cell in cells_by_id(nb).items():
            info = grade_info(cell)
            if info.get("grade") and cell.cell_type == "code":
                if grade_id in QUOTATION_PARTS.get(assignment, {}):
                    continue  # no article here: checked in test_failure_messages_...
                text = _outputs(nb, grade_id)
                assert "[ok]" in text or "graded version" in text, f"{assignment} {grade_id}"
                assert "[stderr]" not in text, f"{assignment} {grade_id}"
                assert "[error]" not in text, f"{assignment} {grade_id}"


@pytest.mark.parametrize(
    ("assignment", "student"),
    [(a, s) for a in ASSIGNMENT_IDS for s, sc in SCENARIOS[a].items() if sc.hints],
)
def test_known_mistake_shows_its_hint_in_its_cell(
    graded: dict[str, Graded], assignment: str, student: str
) -> None:
    nb = graded[assignment].released.course.autograded(student)
    for grade_id, hint in SCENARIOS[assignment][student].hints.items():
        out = _outputs(nb, grade_id)
        assert hint in out, f"{assignment} {student} {grade_id}: {out}"
        assert "common mistake" in out
