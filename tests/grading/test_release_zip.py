"""``coursekit release --zip``: the student versions zipped for an LMS, and nothing else."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.grading.errors import GradingError
from coursekit.grading.release import release, release_zip
from coursekit.grading.workspace import init_course
from tests.grading.conftest import make_repo
from tests.grading.grading_factories import ASSIGNMENT, HIDDEN_MARKER, write_assignment
from tests.rubric.rubric_factories import ASSIGNMENT as WRITTEN
from tests.rubric.rubric_factories import MODEL_MARKER, written_assignment

# What only the instructor's side holds: hidden tests, model answers and rubric rows,
# solution code, nbgrader's delimiters.
SECRETS = (
    HIDDEN_MARKER,
    MODEL_MARKER,
    "Names the Camp David summit",  # a rubric criterion
    "return 2 * x",  # solution code of fx-basic
    '"Seoul"',
    '["A06", "A07"]',  # solution code of fx-written
    "BEGIN SOLUTION",
    "BEGIN HIDDEN TESTS",
    "BEGIN MARK SCHEME",
)


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course with two assignments (hidden tests; rubric-graded answers), not yet released."""
    config = make_repo(tmp_path / "repo")
    write_assignment(config.root, WRITTEN, written_assignment())
    monkeypatch.chdir(config.root)
    course = tmp_path / "course"
    init_course(directory=course, config=config)
    return course


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist()}


def test_release_zip_holds_only_the_released_files(course: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["release", "--course", str(course), "--zip", str(tmp_path / "lms")]
    )
    assert result.exit_code == 0, result.output
    for aid in (ASSIGNMENT, WRITTEN):
        path = tmp_path / "lms" / f"{aid}.zip"
        assert f"for your LMS: {path}" in result.output
        found = members(path)
        released = course / "release" / aid
        expected = {
            f"{aid}/{p.relative_to(released).as_posix()}"
            for p in released.rglob("*")
            if p.is_file()
        }
        assert set(found) == expected
        for name, text in found.items():
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} in {name}"
        notebook = json.loads(found[f"{aid}/{aid}.ipynb"])
        assert notebook["cells"], "the student notebook is in the zip, whole"
    basic = members(tmp_path / "lms" / f"{ASSIGNMENT}.zip")
    assert sorted(basic) == [f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", f"{ASSIGNMENT}/notes.txt"]
    assert "raise NotImplementedError()" in basic[f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"]
    written = sorted(p.name for p in (tmp_path / "lms").iterdir())
    assert written == [f"{ASSIGNMENT}.zip", f"{WRITTEN}.zip"]  # no temporary file left


def test_checkpoints_and_caches_stay_out(course: Path, tmp_path: Path) -> None:
    release(course=course, assignments=[ASSIGNMENT])
    released = course / "release" / ASSIGNMENT
    (released / ".ipynb_checkpoints").mkdir()
    (released / ".ipynb_checkpoints" / f"{ASSIGNMENT}-checkpoint.ipynb").write_text("{}")
    path = release_zip(course=course, assignment=ASSIGNMENT, out=tmp_path / "lms")
    assert not any("checkpoint" in name for name in members(path))


def test_a_delimiter_left_in_the_release_stops_the_zip(course: Path, tmp_path: Path) -> None:
    release(course=course, assignments=[ASSIGNMENT])
    notes = course / "release" / ASSIGNMENT / "notes.txt"
    notes.write_text("### BEGIN HIDDEN TESTS\nassert answer == 42\n### END HIDDEN TESTS\n")
    with pytest.raises(GradingError, match=r"notes\.txt: still holds 'BEGIN HIDDEN TESTS'"):
        release_zip(course=course, assignment=ASSIGNMENT, out=tmp_path / "lms")
    assert not (tmp_path / "lms").exists()  # checked before anything is written


def test_a_link_in_the_release_stops_the_zip(course: Path, tmp_path: Path) -> None:
    release(course=course, assignments=[ASSIGNMENT])
    (course / "release" / ASSIGNMENT / "answers.ipynb").symlink_to(
        course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    )
    with pytest.raises(GradingError, match=r"answers\.ipynb: a link or special file"):
        release_zip(course=course, assignment=ASSIGNMENT, out=tmp_path / "lms")


def test_zipping_before_releasing_says_what_to_do(course: Path, tmp_path: Path) -> None:
    with pytest.raises(GradingError, match=f"run `coursekit release {ASSIGNMENT}` first"):
        release_zip(course=course, assignment=ASSIGNMENT, out=tmp_path / "lms")
