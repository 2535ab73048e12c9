"""``coursekit feedback``: a page per student, and no hidden test anywhere in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit.grading.feedback import feedback, hidden_regions, hidden_secrets, visible_source
from coursekit.grading.results import GradeRun
from tests.grading.conftest import CLASS, FixtureCourse, clone_course
from tests.grading.grading_factories import ASSIGNMENT, HIDDEN_MARKER

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(
    graded: tuple[FixtureCourse, GradeRun], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    fx = clone_course(graded[0], tmp_path_factory.mktemp("feedback") / "course")
    result = feedback(course=fx.course, assignment=ASSIGNMENT)
    assert str(result).startswith(f"{ASSIGNMENT}: feedback for {len(CLASS)} students")
    return {s: paths[0].read_text() for s, paths in result.pages.items()}


def test_every_graded_student_gets_a_page_where_nbgrader_puts_feedback(
    graded: tuple[FixtureCourse, GradeRun],
) -> None:
    fx = clone_course(graded[0], graded[0].course.parent / "feedback-where")
    result = feedback(course=fx.course, assignment=ASSIGNMENT, students=["correct"])
    assert result.pages == {
        "correct": (fx.course / "feedback" / "correct" / ASSIGNMENT / f"{ASSIGNMENT}.html",)
    }


def test_no_hidden_test_appears_in_any_page(pages: dict[str, str]) -> None:
    assert set(pages) == set(CLASS)
    for student, page in pages.items():
        assert HIDDEN_MARKER not in page, student
        assert "double(21)" not in page, student
        assert "BEGIN HIDDEN TESTS" not in page, student


def test_hidden_failures_show_only_the_verdict(pages: dict[str, str]) -> None:
    page = pages["hidden-fail"]
    assert "Did not pass (0 / 2)" in page
    assert "only the result is shown" in page
    assert "Traceback" not in page
    assert "AssertionError" not in page
    # the student printed the input history: graded in two phases, it holds no hidden test
    assert "print(In)" in page
    assert HIDDEN_MARKER not in page


HUNT = """import base64, glob
found = ["\\n".join(In)]
for pattern in ("*.ipynb", "**/*.ipynb", "/tmp/**/*.ipynb", "../../../**/*.ipynb"):
    for path in glob.glob(pattern, recursive=True):
        try:
            found.append(open(path, encoding="utf-8").read())
        except OSError:
            pass
print(base64.b64encode("\\n".join(found).encode()).decode())
print("hunted", len(found))
def double(x):
    return x * 2"""


@pytest.mark.sandbox  # grades in the sandbox (the rest of this file grades without it)
def test_a_submission_cannot_print_a_hidden_test_even_encoded(
    released: FixtureCourse, tmp_path: Path
) -> None:
    import base64

    import nbformat

    from coursekit.grading.pool import grade

    fx = clone_course(released, tmp_path / "course")
    nb = nbformat.read(fx.release_nb, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell.source = HUNT
    fx.submitted("hunter").mkdir(parents=True)
    nbformat.write(nb, fx.submitted("hunter") / fx.release_nb.name)
    run = grade(course=fx.course, assignment=ASSIGNMENT, sandbox=True, config=fx.config)
    assert run.sandboxed, run
    assert run.results[0].status == "graded", run
    graded = nbformat.read(
        fx.course / "autograded" / "hunter" / ASSIGNMENT / fx.release_nb.name, as_version=4
    )
    printed = "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    assert "hunted" in printed, "the student's cell ran"
    decoded = base64.b64decode(printed.split()[0]).decode("utf-8", "replace")
    assert "glob.glob(pattern" in decoded, "it did print its own input history"
    assert HIDDEN_MARKER not in decoded
    assert HIDDEN_MARKER not in printed
    page = feedback(course=fx.course, assignment=ASSIGNMENT).pages["hunter"][0].read_text()
    assert HIDDEN_MARKER not in page


def test_scores_per_part_and_total(pages: dict[str, str]) -> None:
    page = pages["correct"]
    assert "<strong>Score: 5 / 6</strong>" in page
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td class='num'>(.*?)</td>", page)
    assert rows == [
        ("Fixture assignment", "q1-tests", "2"),
        ("Question 2", "q2-tests", "3"),
        ("Question 3", "q3-written", "0"),
    ]
    assert "to be graded by hand" in page


def test_status_and_messages_are_shown_without_server_paths(pages: dict[str, str]) -> None:
    page = pages["broken"]
    assert "Grading status: <strong>invalid</strong>" in page
    assert "Your notebook could not be read, so it has not been graded yet" in page
    assert f"<li>{ASSIGNMENT}.ipynb: invalid JSON at line 1" in page
    assert "Please talk to your instructor about submitting it again." in page
    assert "/tmp/" not in page
    assert "submitted/" not in page
    assert "ask the student" not in page
    assert "resubmit from Jupyter" not in page


def test_instructor_messages_are_said_to_the_student() -> None:
    from coursekit.grading.written import student_message

    assert student_message(
        "submitted/ana/a1/a1.ipynb: invalid JSON at line 3, column 1 (Expecting value); "
        "the file is damaged: ask the student to resubmit from Jupyter"
    ) == (
        "a1.ipynb: invalid JSON at line 3, column 1 (Expecting value). "
        "Please talk to your instructor about submitting it again."
    )
    assert student_message("a1.ipynb: cell q2 timed out after 30 s") == (
        "a1.ipynb: cell q2 timed out after 30 s"
    )
    assert "look at it" not in student_message(
        "a1.ipynb: the executed notebook does not match the one sent; scored zero, look at it"
    )


def test_markdown_tables_render_as_tables(pages: dict[str, str]) -> None:
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    assert "<table>" in render("| a | b |\n|---|---|\n| 1 | 2 |")
    assert all("|---|" not in page for page in pages.values())


def test_student_markdown_cannot_inject_html(tmp_path: Path) -> None:
    import mistune

    render = mistune.create_markdown(escape=True)
    assert "<script>" not in render("<script>alert(1)</script>")


def test_hidden_regions_and_secrets() -> None:
    source = (
        'assert f(1) == 2, "visible"\n'
        "    ### BEGIN HIDDEN TESTS\n"
        '    assert f(2) == 4, "SECRET-42"\n'
        "### END HIDDEN TESTS\n"
        "x = 1"
    )
    visible, hidden = hidden_regions(source)
    assert visible == ('assert f(1) == 2, "visible"\n    # (hidden tests are not shown)\nx = 1')
    assert hidden == ['    assert f(2) == 4, "SECRET-42"']
    assert visible_source(source) == visible
    line = 'assert f(2) == 4, "SECRET-42"'
    assert hidden_secrets([source]) == {line}
    assert hidden_secrets([source], public=f"the released text: {line}") == set()
    long = 'assert g() == "a long secret answer", "why"'
    assert hidden_secrets([f"### BEGIN HIDDEN TESTS\n{long}\n### END HIDDEN TESTS"]) == {
        long,
        "a long secret answer",
    }


def test_outputs_quoting_a_hidden_test_are_removed_in_clear_and_encoded() -> None:
    import base64

    from coursekit.grading.feedback import _leaks

    secrets = {'assert capital == "Seoul", "HIDDEN-MARKER-7f3a: capital"'}
    line = next(iter(secrets))
    assert _leaks(f"history: {line}", secrets)
    assert _leaks(base64.b64encode(line.encode()).decode(), secrets)
    assert _leaks(base64.urlsafe_b64encode(f"xx{line}".encode()).decode().rstrip("="), secrets)
    assert _leaks(line.encode().hex(), secrets)
    assert not _leaks(base64.b64encode(b"an honest answer, printed encoded").decode(), secrets)
    assert not _leaks("capital = Seoul", secrets)
