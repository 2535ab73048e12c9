"""A course's class list: read with every problem at once, and its names in the gradebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.roster import read_roster
from coursekit.grading.workspace import init_course
from tests.grading.conftest import make_repo

ROSTER = "id,first_name,last_name,email\nAlice.Smith,Alice,Smith,a@example.edu\ns1042,Bo,,\n"


def names(db_url: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Student id -> (first, last, email) as formgrader's student list reads them."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "fx-course") as gb:
        return {d["id"]: (d["first_name"], d["last_name"], d["email"]) for d in gb.student_dicts()}


def test_a_course_roster_takes_lms_ids_a_hub_roster_needs_unix_names(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    assert [s.id for s in read_roster(path)] == ["Alice.Smith", "s1042"]
    with pytest.raises(GradingError, match=r"csv:2: 'Alice\.Smith' is not usable as a Unix"):
        read_roster(path, unix_names=True)


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id,first_name\n=cmd(),Eve\nok1,Ok\nok1,Again\n")
    with pytest.raises(GradingError) as error:
        read_roster(path)
    message = str(error.value)
    assert "roster.csv:2: '=cmd()' is not a usable student id" in message
    assert "roster.csv:4: 'ok1' is listed again (first on line 3)" in message


def test_course_init_puts_the_roster_with_its_names_into_the_gradebook(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    result = init_course(directory=tmp_path / "course", config=config, students=path)
    assert result.roster == ("Alice.Smith", "s1042")
    assert "roster:    2 students, with names" in str(result)
    assert names(result.course.db_url) == {
        "Alice.Smith": ("Alice", "Smith", "a@example.edu"),
        "s1042": ("Bo", None, None),
    }
    path.write_text("id,first_name,last_name\ns1042,Bo,Park\n")
    init_course(directory=tmp_path / "course", config=config, students=path)
    assert names(result.course.db_url)["s1042"] == ("Bo", "Park", None)


def test_a_bad_roster_leaves_the_course_folder_untouched(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    path = tmp_path / "roster.csv"
    path.write_text("id\nnot ok\n")
    with pytest.raises(GradingError, match=r"roster\.csv:2"):
        init_course(directory=tmp_path / "course", config=config, students=path)
    assert not (tmp_path / "course").exists()
