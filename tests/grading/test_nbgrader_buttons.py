"""nbgrader's own buttons are as safe as coursekit's commands.

A course made by ``coursekit course init`` configures nbgrader so that its ``generate_feedback``
and ``autograde`` (from the command line, from ``NbGraderAPI`` and from formgrader's handlers)
write coursekit's feedback page and run student code only in the sandbox, in two phases. The
course here uses its own hidden-test delimiters, so nothing may rely on ``BEGIN HIDDEN TESTS``.
"""

from __future__ import annotations

import base64
import gc
import json
import subprocess
import sys
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coursekit.config import load_config
from coursekit.grading.feedback import feedback, feedback_page
from coursekit.grading.nbgrader_api import nbgrader_api, nbgrader_settings, quiet_nbgrader
from coursekit.grading.release import release
from coursekit.grading.workspace import Course, init_course, open_course
from tests.grading.grading_factories import code, markdown, source_notebook, write_assignment
from tests.servers import running_jupyter

pytestmark = pytest.mark.slow

ASSIGNMENT = "fx-custom"
NB = f"{ASSIGNMENT}.ipynb"
BEGIN, END = "SECRET CHECKS START", "SECRET CHECKS END"
SECRET = "SECRET-ANSWER-91c2"
HIDDEN_LINE = f'assert double(21) == 42, "{SECRET}"'
VISIBLE_LINE = 'assert double(2) == 4, "double(2) should be 4"'
# A student cell that hunts for the hidden tests: every notebook it can find and its own
# input history, printed base64-encoded so that no literal match would catch it.
HUNT = """import base64, glob, os
found = []
for pattern in ("*.ipynb", "../*.ipynb", "../../*/*/*.ipynb", "/tmp/**/*.ipynb"):
    for path in glob.glob(pattern, recursive=True):
        try:
            found.append(open(path, encoding="utf-8").read())
        except OSError:
            pass
found.append("\\n".join(globals().get("In", [])))
print(base64.b64encode("\\n".join(found).encode()).decode())
print("hunted", len(found))
print("course visible:", os.path.exists(COURSE_ROOT + "/gradebook.db"))
def double(x):
    return 2 * x"""


def custom_source() -> nbformat.NotebookNode:
    nb = source_notebook(
        markdown("# Custom delimiters\n\nWrite `double`."),
        code(
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            "q1-answer",
            solution=True,
        ),
        code(
            f"{VISIBLE_LINE}\n## {BEGIN}\n{HIDDEN_LINE}\n## {END}",
            "q1-tests",
            grade=True,
            locked=True,
            points=2,
        ),
    )
    # grading calls the student's function on the arguments its tests use (two phases)
    nb.cells[2].metadata["coursekit"] = {"calls": {"double": ["2", "21"]}}
    return nb


def make_course(base: Path) -> Course:
    repo = base / "repo"
    repo.mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[tool.coursekit]\ncourse_id = "fx-custom"\n')
    write_assignment(repo, ASSIGNMENT, custom_source())
    config = load_config(repo)
    course = base / "course"
    init_course(directory=course, config=config)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as out:
        out.write(f"c.ClearHiddenTests.begin_test_delimeter = {BEGIN!r}\n")
        out.write(f"c.ClearHiddenTests.end_test_delimeter = {END!r}\n")
    release(course=course)
    return open_course(course)


def submit(ws: Course, student: str, answer: str) -> Path:
    released = nbformat.read(ws.path("release", ".", ASSIGNMENT) / NB, as_version=4)
    for cell in released.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell.source = answer
    folder = ws.path("submitted", student, ASSIGNMENT)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(released, folder / NB)
    return folder / NB


def encodings(text: str) -> list[str]:
    raw = text.encode()
    return [text, base64.b64encode(raw).decode(), raw.hex()]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return make_course(tmp_path_factory.mktemp("buttons"))


def graded_by_hand(ws: Course, student: str) -> None:
    """Write an autograded notebook as nbgrader leaves it, and its gradebook row.

    The hidden tests are back in the test cell, and outputs quote them in clear, in base64
    and in hex.
    """
    from nbgrader.api import Gradebook

    nb = nbformat.read(ws.path("source", ".", ASSIGNMENT) / NB, as_version=4)
    answer, tests = nb.cells[1], nb.cells[2]
    answer.source = "def double(x):\n    return 4 if x == 2 else 0\nprint(In)"
    answer.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"{t}\n")
        for t in [f"In: {tests.source}", *encodings(HIDDEN_LINE)[1:]]
    ]
    tests.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue=SECRET,
            traceback=[f"----> 3 {HIDDEN_LINE}", f"AssertionError: {SECRET}"],
        )
    ]
    folder = ws.path("autograded", student, ASSIGNMENT)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NB)
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(ASSIGNMENT, student)


def assert_no_hidden_test(page: str) -> None:
    for variant in [*encodings(HIDDEN_LINE), SECRET, BEGIN, END]:
        assert variant not in page, variant
    assert VISIBLE_LINE.replace('"', "&quot;") in page, "the visible test is shown"


def test_custom_delimiters_are_read_from_the_course(course: Course) -> None:
    settings = nbgrader_settings(course)
    assert settings.hidden_tests == (BEGIN, END)
    released = (course.path("release", ".", ASSIGNMENT) / NB).read_text()
    assert SECRET not in released, "nbgrader used them too"
    assert BEGIN not in released, "nbgrader used them too"


def test_coursekit_feedback_shows_no_hidden_test_of_a_custom_course(course: Course) -> None:
    graded_by_hand(course, "ada")
    result = feedback(course=course.root, assignment=ASSIGNMENT, students=["ada"])
    page = result.pages["ada"][0].read_text()
    assert_no_hidden_test(page)
    assert "only the result is shown" in page
    assert "Did not pass" in page
    assert "<td>Custom delimiters</td><td>q1-tests</td>" in page, "titled by its heading"
    assert "[output removed: it would show a hidden test]" in page, "clear and encoded"


def test_nbgrader_generate_feedback_writes_the_coursekit_page(course: Course) -> None:
    graded_by_hand(course, "bea")
    api = nbgrader_api(course)
    result = api.generate_feedback(ASSIGNMENT, "bea")
    assert result["success"], result.get("log")
    written = (course.path("feedback", "bea", ASSIGNMENT) / f"{ASSIGNMENT}.html").read_text()
    assert_no_hidden_test(written)
    assert written == feedback_page(
        course, assignment=ASSIGNMENT, student="bea", notebook=ASSIGNMENT
    )


def test_nbgrader_cli_generate_feedback_writes_the_coursekit_page(course: Course) -> None:
    graded_by_hand(course, "cy")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--student", "cy"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = (course.path("feedback", "cy", ASSIGNMENT) / f"{ASSIGNMENT}.html").read_text()
    assert_no_hidden_test(written)
    assert "Score:" in written
    assert "<h1>" in written


def test_nbgrader_autograde_runs_sandboxed_in_two_phases(course: Course) -> None:
    submit(course, "dee", f"COURSE_ROOT = {str(course.root)!r}\n{HUNT}")
    api = nbgrader_api(course)
    with quiet_nbgrader():  # nbgrader's own SQLAlchemy warning (see quiet_nbgrader)
        result = api.autograde(ASSIGNMENT, "dee")
    assert result["success"], result.get("log")
    graded = nbformat.read(course.path("autograded", "dee", ASSIGNMENT) / NB, as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[1].outputs)
    assert "hunted" in printed, "the student's cell ran"
    assert "course visible: False" in printed, "in the sandbox, the course is out of sight"
    decoded = base64.b64decode(printed.split()[0]).decode("utf-8", "replace")
    assert SECRET not in decoded, "the hidden test never reached it"
    assert SECRET not in printed, "the hidden test never reached it"
    with nbgrader_api(course).gradebook as gb:
        assert gb.find_submission(ASSIGNMENT, "dee").score == 2
    assert not (course.root / ".coursekit" / "scratch" / "nbgrader").exists() or not any(
        (course.root / ".coursekit" / "scratch" / "nbgrader").iterdir()
    ), "scratch folders are removed"


# ---- formgrader's own handlers, over HTTP on 127.0.0.1 ----------------------------------------


@pytest.fixture(scope="module")
def formgrader(course: Course, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private Jupyter server with nbgrader's formgrader, started in the course folder."""
    with running_jupyter(
        course.root,
        tmp_path_factory.mktemp("jupyter-home"),
        app="jupyter_server",
        args=["--ServerApp.jpserver_extensions={'nbgrader.server_extensions.formgrader': True}"],
        ready="/formgrader/api/status",
        nbgrader=True,
    ) as server:
        yield f"{server.url}|{server.token}"


def call(url: str, token: str, *, method: str = "POST") -> Any:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def test_formgrader_generate_feedback_button_writes_the_coursekit_page(
    course: Course, formgrader: str
) -> None:
    base, token = formgrader.split("|")
    graded_by_hand(course, "eve")
    answer = call(f"{base}/formgrader/api/assignment/{ASSIGNMENT}/eve/generate_feedback", token)
    assert answer["success"], answer.get("log")
    written = (course.path("feedback", "eve", ASSIGNMENT) / f"{ASSIGNMENT}.html").read_text()
    assert_no_hidden_test(written)
    assert written == feedback_page(
        course, assignment=ASSIGNMENT, student="eve", notebook=ASSIGNMENT
    )


def test_formgrader_autograde_button_runs_sandboxed(course: Course, formgrader: str) -> None:
    base, token = formgrader.split("|")
    submit(course, "fay", f"COURSE_ROOT = {str(course.root)!r}\n{HUNT}")
    answer = call(f"{base}/formgrader/api/submission/{ASSIGNMENT}/fay/autograde", token)
    assert answer["success"], answer.get("log")
    graded = nbformat.read(course.path("autograded", "fay", ASSIGNMENT) / NB, as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[1].outputs)
    assert "hunted" in printed
    assert "course visible: False" in printed
    assert SECRET not in base64.b64decode(printed.split()[0]).decode("utf-8", "replace")


def page(url: str, token: str) -> str:
    request = urllib.request.Request(url)
    request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(response.read().decode("utf-8"))


def test_formgrader_warns_of_no_missing_exchange_in_a_course_without_one(
    course: Course, formgrader: str
) -> None:
    base, token = formgrader.split("|")
    html = page(f"{base}/formgrader/manage_assignments", token)
    assert "manage_assignments" in html, "the page formgrader shows first"
    assert 'id="warning-exchange"' not in html
    assert "does not exist" not in html
    listed = call(f"{base}/formgrader/api/assignments", token, method="GET")
    assert [a["name"] for a in listed] == [ASSIGNMENT]
    # Its release and collect buttons say what to do, and touch no exchange folder anywhere.
    for action in ("release", "collect"):
        answer = call(f"{base}/formgrader/api/assignment/{ASSIGNMENT}/{action}", token)
        assert not answer["success"]
        assert "this course has no nbgrader exchange" in answer["log"]
        assert "coursekit collect ASSIGNMENT --from FOLDER_OR_ZIP" in answer["log"]
    assert not Path("/srv/nbgrader/exchange", course.course_id).exists()


def test_formgrader_lists_the_students_of_the_roster_by_name(
    course: Course, formgrader: str, tmp_path: Path
) -> None:
    base, token = formgrader.split("|")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nmia,Mia,Sato,mia@example.edu\nned,Ned,Kim,\n")
    init_course(
        directory=course.root, config=load_config(course.root.parent / "repo"), students=roster
    )
    submit(course, "mia", "def double(x):\n    return 2 * x")
    answer = call(f"{base}/formgrader/api/submission/{ASSIGNMENT}/mia/autograde", token)
    assert answer["success"], answer.get("log")
    listed = {s["id"]: s for s in call(f"{base}/formgrader/api/students", token, method="GET")}
    assert (listed["mia"]["first_name"], listed["mia"]["last_name"]) == ("Mia", "Sato")
    assert listed["mia"]["email"] == "mia@example.edu"
    assert listed["mia"]["score"] == 2
    assert (listed["ned"]["first_name"], listed["ned"]["last_name"]) == ("Ned", "Kim")
    (graded,) = call(f"{base}/formgrader/api/student_submissions/mia", token, method="GET")
    assert (graded["first_name"], graded["last_name"]) == ("Mia", "Sato")


def test_nbgrader_autograde_refuses_to_run_without_the_sandbox(
    course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursekit.grading import sandbox

    def unavailable() -> None:
        raise sandbox.SandboxUnavailable("bubblewrap (bwrap) is not installed")

    monkeypatch.setattr(sandbox, "check_available", unavailable)
    submit(course, "gus", "def double(x):\n    return 2 * x")
    with quiet_nbgrader():
        result = nbgrader_api(course).autograde(ASSIGNMENT, "gus")
    assert not result["success"]
    assert "runs only in coursekit's sandbox" in result["log"]
    assert "coursekit grade" in result["log"]
    assert not course.path("autograded", "gus", ASSIGNMENT).exists(), "nothing ran, nothing kept"


def test_release_drops_coursekit_metadata_but_the_source_keeps_it(course: Course) -> None:
    released = nbformat.read(course.path("release", ".", ASSIGNMENT) / NB, as_version=4)
    assert all("coursekit" not in c.metadata for c in released.cells)
    source = nbformat.read(course.path("source", ".", ASSIGNMENT) / NB, as_version=4)
    assert source.cells[2].metadata["coursekit"] == {"calls": {"double": ["2", "21"]}}


def test_nbgrader_cli_autograde_runs_sandboxed_in_two_phases(course: Course) -> None:
    submit(course, "hal", f"COURSE_ROOT = {str(course.root)!r}\n{HUNT}")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--student", "hal"],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    graded = nbformat.read(course.path("autograded", "hal", ASSIGNMENT) / NB, as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[1].outputs)
    assert "hunted" in printed
    assert "course visible: False" in printed
    assert SECRET not in base64.b64decode(printed.split()[0]).decode("utf-8", "replace")


def test_nbgrader_autograde_of_a_recursion_bomb_is_that_students_zero(course: Course) -> None:
    from tests.fixtures.submissions import SCENARIOS

    folder = course.path("submitted", "ivy", ASSIGNMENT)
    folder.mkdir(parents=True)
    (folder / NB).write_bytes(SCENARIOS["deep_json"]())
    submit(course, "jon", "def double(x):\n    return 2 * x")
    with quiet_nbgrader():
        bomb = nbgrader_api(course).autograde(ASSIGNMENT, "ivy")
        honest = nbgrader_api(course).autograde(ASSIGNMENT, "jon")
    assert not bomb["success"]
    assert "nested more than 64 levels deep" in bomb["log"]
    assert "RecursionError" not in bomb["log"]
    assert honest["success"], honest.get("log")
    with nbgrader_api(course).gradebook as gb:
        assert gb.find_submission(ASSIGNMENT, "ivy").score == 0
        assert gb.find_submission(ASSIGNMENT, "jon").score == 2


def test_nbgrader_release_feedback_releases_the_coursekit_page(
    course: Course, tmp_path: Path
) -> None:
    submit(course, "kim", "def double(x):\n    return 4")
    folder = course.path("submitted", "kim", ASSIGNMENT)
    (folder / "timestamp.txt").write_text("2026-11-30 08:00:00.000000 UTC")
    (folder / "submission_secret.txt").write_text("kim-secret")  # left by nbgrader collect
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    api = nbgrader_api(course, extra={"Exchange": {"root": str(exchange)}})
    with quiet_nbgrader():
        assert api.autograde(ASSIGNMENT, "kim")["success"]
        assert api.generate_feedback(ASSIGNMENT, "kim")["success"]
        with warnings.catch_warnings():
            # nbgrader 0.9.6 passes ``authentictor=`` (sic) to its exchange, and leaves
            # timestamp.txt open: both only warn
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", ResourceWarning)
            released = api.release_feedback(ASSIGNMENT, "kim")
            gc.collect()
    assert released["success"], released
    (page,) = (exchange / course.course_id / "feedback").glob("*.html")
    text = page.read_text()
    assert text == feedback_page(course, assignment=ASSIGNMENT, student="kim", notebook=ASSIGNMENT)
    assert_no_hidden_test(text)
