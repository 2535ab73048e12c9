"""Feedback that teaches: why each autograded cell lost points, in the checkers' own words."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from coursekit.config import load_config
from coursekit.grading.feedback import feedback, show_hidden_details
from coursekit.grading.pool import grade
from coursekit.grading.reasons import reasons, report_blocks
from coursekit.grading.release import release
from coursekit.grading.workspace import init_course, open_course
from tests.grading.grading_factories import code, graded_tests, source_notebook, write_assignment

ASSIGNMENT = "fx-checks"
SECRET = "Busan"  # the solution value: in the source notebook only
SECTION = "see 2.4 The Korean War and Japan as a rear base, 1950–1953"
VISIBLE = f"""from coursekit import checks
KNOWN = {{checks.fingerprint(['Seoul', 'Tokyo']): 'Tokyo is not in Korea: {SECTION}'}}
checks.check_list(cities, name='cities', length=2, item_kind='str',
                  known_wrong=KNOWN).assert_ok()"""
HIDDEN = f"""checks.partial(
    checks.check_value(cities[0], name='cities[0]', expected='Seoul'),
    checks.check_value(cities[1], name='cities[1]', expected='{SECRET}', hint='{SECTION}'),
    points=3,
)"""
ANSWERS = {
    "correct": f"cities = ['Seoul', '{SECRET}']",
    "hidden-miss": "cities = ['Seoul', 'Incheon']",
    "known-mistake": "cities = ['Seoul', 'Tokyo']",
    "unanswered": "cities = ...  # replace ... with your answer",
}


def _assignment() -> nbformat.NotebookNode:
    return source_notebook(
        code(
            "cities = ...  # replace ... with your answer\n"
            f"### BEGIN SOLUTION\ncities = ['Seoul', '{SECRET}']\n### END SOLUTION",
            "q1-answer",
            solution=True,
        ),
        graded_tests("q1-tests", VISIBLE, HIDDEN, points=3),
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course with the assignment graded for one student per answer."""
    base = tmp_path_factory.mktemp("reasons")
    repo = base / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(
        '[tool.coursekit]\ncourse_id = "fx-course"\n', encoding="utf-8"
    )
    write_assignment(repo, ASSIGNMENT, _assignment())
    config = load_config(repo)
    course = base / "course"
    init_course(directory=course, config=config)
    release(course=course)
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student, answer in ANSWERS.items():
        nb = nbformat.read(released, as_version=4)
        nb.cells[0].source = answer
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / released.name).write_text(json.dumps(nb), encoding="utf-8")
    grade(course=course, assignment=ASSIGNMENT, sandbox=False, config=config)
    return course


def _pages(course: Path, *, show_hidden: bool | None) -> dict[str, str]:
    result = feedback(course=course, assignment=ASSIGNMENT, show_hidden=show_hidden)
    return {s: paths[0].read_text(encoding="utf-8") for s, paths in result.pages.items()}


@pytest.mark.slow
def test_without_hidden_details_the_page_names_the_section_only(course: Path) -> None:
    assert show_hidden_details(open_course(course)) is False
    pages = _pages(course, show_hidden=None)
    page = pages["hidden-miss"]
    assert "Partly passed (1.5 / 3)" in page
    assert "Why points were lost" in page
    assert f"Hidden checks did not pass: {SECTION}." in page
    assert "cities[1] is not right yet" not in page
    assert "Why points were lost" not in pages["correct"]


@pytest.mark.slow
def test_with_hidden_details_the_page_shows_the_checkers_messages(course: Path) -> None:
    page = _pages(course, show_hidden=True)["hidden-miss"]
    assert "[not yet] cities[1]: problem with the values" in page
    assert "cities[1] is not right yet" in page
    assert "Hidden checks did not pass" not in page


@pytest.mark.slow
@pytest.mark.parametrize("show_hidden", [False, True])
def test_visible_messages_are_always_shown(course: Path, show_hidden: bool) -> None:
    pages = _pages(course, show_hidden=show_hidden)
    known = pages["known-mistake"]
    assert "0 / 3" in known
    assert "cities is not right yet: it is a common mistake" in known
    assert "Hint: Tokyo is not in Korea: see 2.4" in known
    assert "you have not answered cities yet" in pages["unanswered"]


@pytest.mark.slow
@pytest.mark.parametrize("show_hidden", [False, True])
def test_no_page_shows_a_solution_value_or_a_hidden_test(course: Path, show_hidden: bool) -> None:
    for student, page in _pages(course, show_hidden=show_hidden).items():
        if student == "correct":
            continue  # the student's own right answer is theirs to see
        assert SECRET not in page, student
        assert "checks.partial" not in page, student
        assert "expected=" not in page, student
        assert "Traceback" not in page, student


def test_reports_are_sorted_by_the_part_that_made_them() -> None:
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "[ok] a: type is right; ...\n"},
        {
            "output_type": "stream",
            "name": "stdout",
            "text": f"[ok] b: all checks passed.\n[not yet] c: problem with the values\n"
            f"  - c is not right yet\n  Hint: {SECTION}\nafter\n",
        },
        {"output_type": "error", "ename": "AssertionError", "evalue": "hidden detail 42"},
    ]
    why = reasons(outputs, ["visible", "hidden", "hidden"], has_hidden=True)
    assert why.visible == ()
    assert why.hidden == (
        f"[not yet] c: problem with the values\n  - c is not right yet\n  Hint: {SECTION}",
    )
    assert why.hidden_failed
    assert why.sections == (SECTION,)
    assert "hidden detail" not in repr(why)  # a hidden assert's own message is never kept
    # without the parts, a cell with hidden tests keeps everything hidden
    assert reasons(outputs, None, has_hidden=True).visible == ()
    error = {"output_type": "error", "ename": "NameError", "evalue": "name 'x' is not defined"}
    assert reasons([error], None, has_hidden=False).visible == (
        "NameError: name 'x' is not defined",
    )


def test_a_check_failure_is_read_from_its_report() -> None:
    failed = {
        "output_type": "error",
        "ename": "CheckFailed",
        "evalue": "[not yet] y: you have not answered y yet: replace the ... with your answer",
    }
    why = reasons([failed], ["visible"], has_hidden=True)
    assert why.visible == (failed["evalue"],)
    assert not why.hidden_failed
    assert report_blocks("x\n[not yet] a: b\n  - c\n\n  - d") == ["[not yet] a: b\n  - c"]


def test_the_course_setting_reaches_nbgrader_config(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(
        '[tool.coursekit]\ncourse_id = "fx-course"\n'
        "[tool.coursekit.feedback]\nshow_hidden_details = true\n",
        encoding="utf-8",
    )
    (repo / "assignments").mkdir()
    init_course(directory=tmp_path / "course", config=load_config(repo))
    text = (tmp_path / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "c.FeedbackExporter.show_hidden_details = True" in text
    assert show_hidden_details(open_course(tmp_path / "course")) is True
