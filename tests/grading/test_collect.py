"""``coursekit collect``: from the exchange, a folder or a zip; bad layouts reported, rest kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coursekit.grading.collect import collect
from coursekit.grading.errors import GradingError
from coursekit.grading.release import release
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT, submission

NB = f"{ASSIGNMENT}.ipynb"


def lms_export(root: Path, fx: FixtureCourse) -> Path:
    """An LMS export with good and bad entries."""
    good = submission(fx.release_nb, "correct")
    (root / "alice").mkdir(parents=True)
    (root / "alice" / NB).write_text(good)
    (root / "alice" / "extra.csv").write_text("x\n")
    (root / "bob" / ASSIGNMENT).mkdir(parents=True)
    (root / "bob" / ASSIGNMENT / NB).write_text(good)
    (root / "carol").mkdir()
    (root / "carol" / "my work (1).ipynb").write_text(good)
    (root / "dave").mkdir()
    (root / "dave" / "notes.txt").write_text("forgot the notebook")
    (root / "erin").mkdir()
    (root / "erin" / "one.ipynb").write_text(good)
    (root / "erin" / "two.ipynb").write_text(good)
    (root / "bad id!").mkdir()
    (root / "bad id!" / NB).write_text(good)
    (root / "loose.ipynb").write_text(good)
    (root / "__MACOSX").mkdir()
    (root / ".DS_Store").write_text("")
    return root


def test_collect_from_a_folder_keeps_the_good_and_reports_the_bad(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    result = collect(
        course=fresh.course, assignment=ASSIGNMENT, source=lms_export(tmp_path / "lms", fresh)
    )
    assert result.collected == ("alice", "bob", "carol")
    for student in result.collected:
        assert (fresh.submitted(student) / NB).is_file()
    assert (fresh.submitted("alice") / "extra.csv").is_file()
    assert not (fresh.submitted("carol") / "my work (1).ipynb").exists()
    assert any("carol" in n and "renamed" in n for n in result.notes)
    problems = "\n".join(result.problems)
    assert len(result.problems) == 4
    assert "loose.ipynb: a loose file" in problems
    assert "'bad id!' is not a usable student id" in problems
    assert "dave" in problems and "no notebook submitted" in problems
    assert "erin" in problems and "several other notebooks" in problems
    again = collect(course=fresh.course, assignment=ASSIGNMENT, source=tmp_path / "lms")
    assert again.collected == () and again.unchanged == ("alice", "bob", "carol")
    assert "3 unchanged" in str(again)


def test_collect_from_a_zip_wrapped_in_one_folder(fresh: FixtureCourse, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"Assignment 1 export/alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr(f"Assignment 1 export/bob/{NB}", submission(fresh.release_nb, "blank"))
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    assert result.collected == ("alice", "bob") and result.problems == ()


def test_a_zip_that_escapes_its_folder_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"../../alice/{NB}", "{}")
    with pytest.raises(GradingError, match="points outside the archive"):
        collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)


def test_a_file_that_is_not_a_zip_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    (tmp_path / "grades.txt").write_text("no")
    with pytest.raises(GradingError, match="not a zip file"):
        collect(course=fresh.course, assignment=ASSIGNMENT, source=tmp_path / "grades.txt")


def test_collect_from_the_exchange(fresh: FixtureCourse, tmp_path: Path) -> None:
    exchange = tmp_path / "exchange"
    release(course=fresh.course, exchange=exchange)
    with pytest.raises(GradingError, match="no exchange root"):
        collect(course=fresh.course, assignment=ASSIGNMENT)
    from coursekit.grading.workspace import init_course

    init_course(directory=fresh.course, config=fresh.config, exchange=exchange)
    inbound = exchange / "fx-course" / "inbound"
    for student, stamp in (("alice", "2026-01-05 10:00:00.000000 UTC"),):
        folder = inbound / f"{student}+{ASSIGNMENT}+{stamp}+abc123"
        folder.mkdir(parents=True)
        (folder / NB).write_text(submission(fresh.release_nb, "correct"))
        (folder / "timestamp.txt").write_text(stamp)
    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == ("alice",)
    assert (fresh.submitted("alice") / NB).is_file()


def test_unknown_assignment(fresh: FixtureCourse, tmp_path: Path) -> None:
    with pytest.raises(GradingError, match="no such assignment"):
        collect(course=fresh.course, assignment="nope", source=tmp_path)
