"""Checks on submitted notebooks: one test per broken or tampered scenario.

coursekit diagnoses and nbgrader repairs: each test checks what :func:`inspect_submission`
reports and, for a notebook it lets through, what nbgrader's sanitize steps (as ``coursekit
course init`` configures them) make of it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coursekit.config import GradingLimits, load_config
from coursekit.grading.nbgrader_api import AutogradeSteps, NbgraderSettings, notebook_resources
from coursekit.grading.release import release
from coursekit.grading.submissions import (
    SubmissionCheck,
    find_notebook,
    inspect_folder,
    inspect_submission,
)
from coursekit.grading.workspace import Course, init_course
from tests.fixtures.submissions import (
    ASSIGNMENT,
    HOSTILE,
    SCENARIOS,
    source_notebook,
    write_scenario,
)

NAME = f"{ASSIGNMENT}.ipynb"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_scenario("source", tmp_path / "source")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """The fixture assignment released in a course, so nbgrader's sanitize steps can run."""
    repo = tmp_path_factory.mktemp("sanitize") / "repo"
    write_scenario("source", repo / "assignments" / ASSIGNMENT, NAME)
    (repo / "coursekit.toml").write_text("", encoding="utf-8")
    ws = init_course(directory=repo / "course", config=load_config(repo)).course
    release(course=ws.root)
    return ws


def sanitized(course: Course, check: SubmissionCheck) -> Any:
    """What nbgrader's configured sanitize steps make of the notebook coursekit read."""
    steps = AutogradeSteps(course)
    resources = notebook_resources(
        course, assignment=ASSIGNMENT, student="s", notebook=ASSIGNMENT, path=check.path.parent
    )
    graded = steps.sanitize(check.notebook, resources)
    nbformat.validate(graded)
    return graded


def check(name: str, tmp_path: Path, source: Path, **kwargs: Any) -> SubmissionCheck:
    """Write scenario ``name`` and inspect it, asserting the file is left untouched."""
    path = write_scenario(name, tmp_path / "submitted" / name, NAME)
    before = path.read_bytes()
    result = inspect_submission(path, source, **kwargs)
    assert path.read_bytes() == before, "the submitted file must never change"
    assert result.path == path
    if result.notebook is not None:
        nbformat.validate(result.notebook)
    return result


def cell(nb: Any, grade_id: str) -> Any:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def grade_ids(nb: Any) -> list[str]:
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id")
    ]


ALL_IDS = ["intro", "setup", "q1-answer", "q1-tests", "q2-answer", "q2-tests", "q3-answer"]


def test_ok_submission_passes_unchanged(tmp_path: Path, source: Path) -> None:
    result = check("ok", tmp_path, source)
    assert result.status == "ok"
    assert result.flags == frozenset()
    assert result.messages == ()
    assert result.gradable
    assert grade_ids(result.notebook) == ALL_IDS
    assert cell(result.notebook, "q1-answer").source == "def double(x):\n    return 2 * x"
    assert str(result) == f"{NAME}: ok"


def test_release_version_of_test_cells_is_not_tampering(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("release", tmp_path, source)
    assert result.status == "ok", result.messages
    graded = sanitized(course, result)
    assert "HIDDEN TESTS" in cell(graded, "q1-tests").source, "nbgrader grades the hidden tests"


def test_custom_delimiters_are_not_tampering(tmp_path: Path) -> None:
    src = source_notebook()
    tests = cell(src, "q1-tests")
    tests.source = tests.source.replace("BEGIN HIDDEN TESTS", "PRIVATE START").replace(
        "END HIDDEN TESTS", "PRIVATE END"
    )
    released = write_scenario("release", tmp_path, NAME)
    custom = NbgraderSettings(hidden_tests=("PRIVATE START", "PRIVATE END"))
    assert inspect_submission(released, src, settings=custom).status == "ok"
    assert "tampered" in inspect_submission(released, src).flags, "default delimiters differ"


def test_source_may_be_a_notebook_object(tmp_path: Path) -> None:
    result = check("edited_points", tmp_path, source_notebook())
    assert result.flags == {"tampered"}


@pytest.mark.parametrize(
    ("name", "flag", "words"),
    [
        ("empty_file", "empty", "the file is empty"),
        ("invalid_json", "invalid-json", "invalid JSON at line 18, column 10"),
        ("not_a_notebook", "not-a-notebook", "not a Jupyter notebook"),
        ("nbformat_v5", "unsupported-version", "nbformat 5 cannot be read"),
        ("deep_json", "invalid-json", "nested more than 64 levels deep"),
    ],
)
def test_unreadable_files_are_rejected(
    tmp_path: Path, source: Path, name: str, flag: str, words: str
) -> None:
    result = check(name, tmp_path, source)
    assert result.status == "rejected"
    assert result.notebook is None
    assert not result.gradable
    assert result.flags == {flag}
    assert words in result.messages[0]
    assert str(result.path) in result.messages[0]
    assert "resubmit" in result.messages[0] or flag == "not-a-notebook"


def test_deep_json_under_the_recursion_limit_is_still_refused(tmp_path: Path, source: Path) -> None:
    import json

    nb = nbformat.read(write_scenario("ok", tmp_path / "ok", NAME), as_version=4)
    data = json.loads(nbformat.writes(nb))
    nested: Any = "bottom"
    for _ in range(500):  # parses without a RecursionError, then would recurse downstream
        nested = {"x": nested}
    data["cells"][0]["metadata"]["deep"] = nested
    path = tmp_path / NAME
    path.write_text(json.dumps(data), encoding="utf-8")
    result = inspect_submission(path, source)
    assert result.status == "rejected"
    assert result.flags == {"invalid-json"}


def test_not_utf8_is_rejected(tmp_path: Path, source: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = inspect_submission(path, source)
    assert result.status == "rejected"
    assert result.flags == {"invalid-json"}


def test_too_large_is_rejected_unread(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_scenario("ok", tmp_path / "big", NAME)
    with path.open("ab") as out:
        out.write(b" " * (1 << 20))  # trailing blanks: still a valid notebook, over 1 MiB
    assert inspect_submission(path, source).status != "rejected"
    monkeypatch.setattr(
        "coursekit.grading.submissions.json.loads", lambda *_: pytest.fail("parsed")
    )
    result = inspect_submission(path, source, limits=GradingLimits(notebook_mb=1))
    assert result.status == "rejected"
    assert result.flags == {"too-large"}
    assert "1 MiB is over the 1 MiB limit" in result.messages[0]


def test_the_json_depth_limit_is_the_courses(tmp_path: Path, source: Path) -> None:
    import json

    path = write_scenario("ok", tmp_path / "deep", NAME)
    nb = json.loads(path.read_text())
    nested: Any = []
    for _ in range(20):
        nested = [nested]
    nb["metadata"]["deep"] = nested  # 22 levels of JSON in all
    path.write_text(json.dumps(nb))
    assert inspect_submission(path, source).status != "rejected"
    result = inspect_submission(path, source, limits=GradingLimits(json_depth=16))
    assert result.flags == {"invalid-json"}
    assert "nested more than 16 levels deep" in result.messages[0]


def test_missing_file_is_rejected(tmp_path: Path, source: Path) -> None:
    result = inspect_submission(tmp_path / NAME, source)
    assert result.status == "rejected"
    assert result.flags == {"missing"}


def test_cell_without_source_is_repaired(tmp_path: Path, source: Path) -> None:
    result = check("cell_without_source", tmp_path, source)
    assert result.status == "repaired"
    assert result.flags == {"repaired-fields"}
    assert "cell 3 lacked source" in result.messages[0]
    assert cell(result.notebook, "q1-answer").source == ""


def test_nbformat_v3_is_upgraded(tmp_path: Path, source: Path) -> None:
    result = check("nbformat_v3", tmp_path, source)
    assert result.status == "repaired"
    assert result.flags == {"upgraded"}
    assert result.notebook.nbformat == 4
    assert grade_ids(result.notebook) == ALL_IDS
    assert "return 2 * x" in cell(result.notebook, "q1-answer").source


def test_deleted_grade_cell_is_reported_and_nbgrader_puts_it_back(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("deleted_grade_cell", tmp_path, source)
    assert result.status == "repaired"
    assert result.flags == {"deleted-cells"}
    assert result.missing_grade_ids == ("q2-tests",)
    text = "\n".join(result.messages)
    assert "test cell 'q2-tests' (1 point) was deleted; put back from the source and graded" in text
    assert "locked cell 'setup' was deleted; the student's cells ran without it" in text
    graded = sanitized(course, result)
    assert grade_ids(graded) == [i for i in ALL_IDS if i != "setup"], "nbgrader's repair"
    assert "assert total == 45" in cell(graded, "q2-tests").source


def test_duplicated_cells_are_reported_and_nbgrader_grades_the_last(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("duplicated_cells", tmp_path, source)
    assert result.status == "repaired"
    assert result.flags == {"duplicate-cells"}
    text = "\n".join(result.messages)
    assert "cells 3 and 4 all hold answer cell 'q1-answer'; only the last copy (cell 4)" in text
    assert "cells 5 and 9 all hold test cell 'q1-tests'" in text
    graded = sanitized(course, result)
    assert sorted(grade_ids(graded)) == sorted(ALL_IDS), "one graded copy of each"
    assert cell(graded, "q1-answer").source == "def double(x):\n    return x + x"
    assert "BEGIN HIDDEN TESTS" in cell(graded, "q1-tests").source


def test_edited_test_cell_is_reported_and_restored_by_nbgrader(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("edited_test_cell", tmp_path, source)
    assert result.status == "repaired"
    assert result.flags == {"tampered"}
    assert (
        "test cell 'q1-tests' (cell 4) was edited; graded as the source has it"
        in (result.messages[0])
    )
    want = cell(nbformat.read(source, as_version=4), "q1-tests").source
    assert cell(sanitized(course, result), "q1-tests").source == want


def test_edited_points_are_reported_and_restored_by_nbgrader(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("edited_points", tmp_path, source)
    assert result.flags == {"tampered"}
    assert "points 100 (should be 2)" in result.messages[0]
    assert "points 50 (should be 3)" in result.messages[1]
    graded = sanitized(course, result)
    assert cell(graded, "q1-tests").metadata.nbgrader.points == 2
    assert cell(graded, "q3-answer").metadata.nbgrader.points == 3
    assert cell(graded, "q3-answer").source == "Because of the alliances."


def test_edited_locked_cell_is_reported_and_restored_by_nbgrader(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("edited_locked_cell", tmp_path, source)
    assert result.flags == {"tampered"}
    assert len(result.messages) == 2
    text = "\n".join(result.messages)
    assert "locked cell 'setup' (cell 2) was edited; graded as the source has it" in text
    assert "locked cell 'intro' (cell 1) was changed: locked False (should be True)" in text
    graded = sanitized(course, result)
    assert cell(graded, "setup").source == "import math\nLIMIT = 100"
    assert cell(graded, "intro").metadata.nbgrader.locked is True


def test_fake_grade_cell_is_reported_and_runs_as_an_ordinary_cell(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("fake_grade_cell", tmp_path, source)
    assert result.flags == {"tampered"}
    assert "'bonus-points' that the assignment does not have" in result.messages[0]
    graded = sanitized(course, result)
    assert grade_ids(graded) == ALL_IDS
    assert "nbgrader" not in graded.cells[-1].metadata


def test_changed_kernelspec_is_reported_and_reset_by_nbgrader(
    tmp_path: Path, source: Path, course: Course
) -> None:
    result = check("changed_kernelspec", tmp_path, source)
    assert result.flags == {"kernelspec"}
    assert "kernel 'bash' replaced by the assignment's 'python3'" in result.messages[0]
    assert sanitized(course, result).metadata.kernelspec.name == "python3"


def test_huge_outputs_are_cleared_by_nbgrader(tmp_path: Path, source: Path, course: Course) -> None:
    result = check("huge_outputs", tmp_path, source)
    assert result.status == "ok", "outputs are no finding: nbgrader's ClearOutput drops them"
    assert all(not c.get("outputs") for c in sanitized(course, result).cells)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_notebooks_are_well_formed(tmp_path: Path, source: Path, name: str) -> None:
    assert check(name, tmp_path, source).status == "ok"


def test_every_scenario_leaves_its_file_untouched(tmp_path: Path, source: Path) -> None:
    for name in SCENARIOS:
        path = write_scenario(name, tmp_path / name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        mtime = path.stat().st_mtime_ns
        inspect_submission(path, source)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
        assert path.stat().st_mtime_ns == mtime, name


def test_find_notebook_expected_renamed_missing_and_ambiguous(tmp_path: Path) -> None:
    folder = tmp_path / "alice"
    expected = write_scenario("ok", folder, NAME)
    assert find_notebook(folder, NAME).path == expected
    expected.rename(folder / "My homework (1).ipynb")
    (folder / ".ipynb_checkpoints").mkdir()
    write_scenario("ok", folder / ".ipynb_checkpoints", "x-checkpoint.ipynb")
    found = find_notebook(folder, NAME)
    assert found.renamed
    assert found.path == folder / "My homework (1).ipynb"
    assert "renamed" in found.message
    write_scenario("ok", folder, "other.ipynb")
    several = find_notebook(folder, NAME)
    assert several.path is None
    assert "several other notebooks" in several.message
    empty = tmp_path / "bob"
    empty.mkdir()
    assert find_notebook(empty, NAME).path is None
    assert "no notebook submitted" in find_notebook(empty, NAME).message


def test_inspect_folder_reports_renamed_and_missing(tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "alice"
    write_scenario("edited_points", folder, "homework-final.ipynb")
    result = inspect_folder(folder, NAME, source)
    assert result.status == "repaired"
    assert result.flags == {"renamed", "tampered"}
    assert "graded homework-final.ipynb instead" in result.messages[0]
    (tmp_path / "bob").mkdir()
    missing = inspect_folder(tmp_path / "bob", NAME, source)
    assert missing.status == "rejected"
    assert missing.flags == {"missing"}


def test_deleted_answer_and_test_cells_come_back_where_nbgrader_alone_crashes(
    tmp_path: Path, source: Path, course: Course
) -> None:
    from nbgrader.preprocessors import OverwriteCells as NbgraderOverwriteCells

    from tests.fixtures.submissions import student_notebook

    nb = student_notebook()
    nb.cells = [c for c in nb.cells if c["id"] not in {"q2-answer", "q2-tests"}]
    path = tmp_path / NAME
    nbformat.write(nb, path)
    result = inspect_submission(path, source)
    assert result.missing_grade_ids == ("q2-tests",)
    graded = sanitized(course, result)
    assert grade_ids(graded) == [i for i in ALL_IDS if i != "q2-answer"]
    assert grade_ids(graded).index("q2-tests") == grade_ids(graded).index("q1-tests") + 1
    resources = notebook_resources(
        course, assignment=ASSIGNMENT, student="s", notebook=ASSIGNMENT, path=tmp_path
    )
    plain = NbgraderOverwriteCells(add_missing_cells=True)
    with pytest.raises(KeyError):  # nbgrader 0.9's own step, which coursekit's replaces
        plain.preprocess(result.notebook, resources)
