"""Hostile intake: links, special files, lying zips, escape sequences, formula ids, sizes."""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from coursekit.config import GradingLimits
from coursekit.grading.collect import collect
from coursekit.grading.intake import IntakeError, copy_tree, csv_cell, printable
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT, submission

NB = f"{ASSIGNMENT}.ipynb"
OSC_52 = "\x1b]52;c;ZXZpbA==\x07"  # sets the clipboard in many terminals
CSI_UP = "\x1b[1A\x1b[2K"  # moves up a line and erases it


def _student(root: Path, name: str, fx: FixtureCourse) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / NB).write_text(submission(fx.release_nb, "correct"))
    return folder


def test_links_in_a_student_folder_are_refused_and_never_read(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    root = tmp_path / "lms"
    _student(root, "alice", fresh)
    (_student(root, "mallory", fresh) / "shadow.txt").symlink_to("/etc/shadow")
    (_student(root, "oscar", fresh) / "data").symlink_to("/etc", target_is_directory=True)
    eve = root / "eve"
    eve.mkdir()
    (eve / NB).symlink_to(fresh.course / "source" / ASSIGNMENT / NB)
    (root / "trudy").symlink_to(root / "alice", target_is_directory=True)
    (_student(root, "peggy", fresh) / "gb.db").symlink_to(fresh.course / "gradebook.db")
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=root)
    assert result.collected == ("alice",)
    problems = "\n".join(result.problems)
    for student in ("mallory", "oscar", "eve", "peggy"):
        assert re.search(rf"{student}/.*: a symbolic link; links and special files", problems)
        assert not fresh.submitted(student).exists()
    assert "trudy: not a folder (a link?)" in problems
    submitted = fresh.course / "submitted"
    assert not any(p.is_symlink() for p in submitted.rglob("*"))
    assert stat.S_IMODE((fresh.submitted("alice") / NB).stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.submitted("alice").stat().st_mode) == 0o700


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    with pytest.raises(IntakeError, match="a named pipe"):
        copy_tree(folder, tmp_path / "copy", max_bytes=1 << 20)
    assert not (tmp_path / "copy").exists()


def test_a_submission_over_the_size_limit_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    root = tmp_path / "lms"
    _student(root, "alice", fresh)
    (_student(root, "bob", fresh) / "video.bin").write_bytes(b"\0" * (2 << 20))
    result = collect(
        course=fresh.course,
        assignment=ASSIGNMENT,
        source=root,
        limits=GradingLimits(submission_mb=1),
    )
    assert result.collected == ("alice",)
    assert "bob: more than 1 MiB of files" in result.problems[0]


def _lying_zip(path: Path, fx: FixtureCourse) -> None:
    """A zip whose member for bob says it unpacks to fewer bytes than it does."""
    good = submission(fx.release_nb, "correct")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(f"alice/{NB}", good)
        zf.writestr(f"bob/{NB}", good)
    data = bytearray(path.read_bytes())
    name = f"bob/{NB}".encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", data, central + 24, 100)  # uncompressed size: a lie
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_a_zip_member_that_lies_about_its_size_is_that_students_problem_only(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    _lying_zip(archive, fresh)
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    assert result.collected == ("alice",)
    assert len(result.problems) == 1
    assert "bob: " in result.problems[0]
    assert "damaged in the zip" in result.problems[0]


def test_a_zip_member_that_is_a_link_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr(f"bob/{NB}", submission(fresh.release_nb, "correct"))
        link = zipfile.ZipInfo("bob/shadow.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/shadow")
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    assert result.collected == ("alice",)
    assert "link or special file" in result.problems[0]
    assert not fresh.submitted("bob").exists()


def test_escape_sequences_in_names_are_shown_never_obeyed(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr(f"bob{OSC_52}/{NB}", "{}")
        zf.writestr(f"{CSI_UP}all submissions collected OK/{NB}", "{}")
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    text = str(result)
    assert result.collected == ("alice",)
    assert len(result.problems) == 2
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\\x1b]52;c;ZXZpbA==\\x07" in text


def test_printable_keeps_text_and_escapes_controls() -> None:
    assert printable("Kim Dae-jung 김대중\n\tok") == "Kim Dae-jung 김대중\n\tok"
    assert printable("a\x1b[31mb\x9bc\u202ed") == "a\\x1b[31mb\\x9bc\\u202ed"


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_would_start_a_formula_are_quoted(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["alice", "Kim, J.", 3.5, None, ""])
def test_csv_cells_that_cannot_start_a_formula_pass_unchanged(value: object) -> None:
    assert csv_cell(value) == value


def test_copy_tree_refuses_a_link_given_as_the_root(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(IntakeError, match="a symbolic link, not a folder"):
        copy_tree(tmp_path / "link", tmp_path / "copy", max_bytes=1 << 20)
    assert not (tmp_path / "copy").exists()


def test_a_folder_swapped_for_a_link_during_the_copy_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack on check-then-copy: swap a checked folder for a link to /etc mid-copy."""
    src = tmp_path / "s"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.txt").write_text("mine")
    (src / "b").mkdir()
    (src / "b" / "y.txt").write_text("mine too")
    from coursekit.grading import intake

    real_file = intake._Copier.file

    def swap_then_copy(self: object, dir_fd: int, name: str, rel: Path, target: Path) -> None:
        if rel == Path("a/x.txt") and (src / "b").is_dir() and not (src / "b").is_symlink():
            (src / "b" / "y.txt").unlink()
            (src / "b").rmdir()
            (src / "b").symlink_to("/etc", target_is_directory=True)
        real_file(self, dir_fd, name, rel, target)  # type: ignore[arg-type]

    monkeypatch.setattr(intake._Copier, "file", swap_then_copy)
    with pytest.raises(IntakeError, match="a symbolic link"):
        copy_tree(src, tmp_path / "copy", max_bytes=1 << 20)
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe", "not text"),
        (b"{", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": 1}', "not a Jupyter notebook"),
        (b'{"cells": [], "nbformat": 5}', "nbformat 5"),
    ],
)
def test_a_notebook_that_cannot_be_read_is_collected_and_reported(
    fresh: FixtureCourse, tmp_path: Path, content: bytes, problem: str
) -> None:
    root = tmp_path / "lms"
    _student(root, "alice", fresh)
    (root / "bob").mkdir()
    (root / "bob" / NB).write_bytes(content)
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=root)
    assert result.collected == ("alice", "bob")
    assert not result.problems
    assert len(result.notes) == 1
    assert result.notes[0].startswith(f"bob: {NB} cannot be read")
    assert problem in result.notes[0]


def test_a_zip_member_that_is_both_file_and_folder_is_that_students_problem(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr(f"bob/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr("bob/data", "a file")
        zf.writestr(f"bob/data/{CSI_UP}x", "and a folder")
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    assert result.collected == ("alice",)
    assert "bob: " in result.problems[0]
    assert "as a file and a folder" in result.problems[0]
    assert "\x1b" not in str(result)
