"""The instructor commands end to end through click: course, release, collect, grade, ..."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coursekit.cli import main
from tests.grading.conftest import make_repo
from tests.grading.grading_factories import ASSIGNMENT, HIDDEN_MARKER, submission

pytestmark = pytest.mark.slow

NB = f"{ASSIGNMENT}.ipynb"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_repo(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_the_instructor_path(repo: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    result = run("course", "init", str(course))
    assert result.exit_code == 0, result.output
    assert "course 'fx-course'" in result.output
    assert "new sources: fx-basic" in result.output

    result = run("release", "--course", str(course))
    assert result.exit_code == 0, result.output
    assert f"released {ASSIGNMENT}" in result.output
    release_nb = course / "release" / ASSIGNMENT / NB

    lms = tmp_path / "lms"
    for student, scenario in (("ana", "correct"), ("ben", "partial")):
        (lms / student).mkdir(parents=True)
        (lms / student / NB).write_text(submission(release_nb, scenario))
    (lms / "stray.txt").write_text("?")
    result = run("collect", ASSIGNMENT, "--course", str(course), "--from", str(lms))
    assert result.exit_code == 0, result.output
    assert "2 new or changed" in result.stdout
    assert "stray.txt: a loose file" in result.stdout
    assert "1 entries were not collected" in result.stderr

    result = run(
        "grade",
        ASSIGNMENT,
        "--course",
        str(course),
        "--no-sandbox",
        "--workers",
        "2",
        "--json",
        str(tmp_path / "grades.json"),
    )
    assert result.exit_code == 0, result.output
    assert "WARNING: grading WITHOUT the sandbox" in result.stderr
    assert f"✓ grading {ASSIGNMENT} 2/2 (" in result.stderr  # the stage's progress line
    log = course / "logs" / f"grade-{ASSIGNMENT}.log"
    assert log.is_file()
    assert f"{log}" in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["student", "score", "max", "status"]
    assert lines[1].split() == ["ana", "5", "6", "graded"]
    assert lines[2].split() == ["ben", "2", "6", "graded"]
    records = json.loads((tmp_path / "grades.json").read_text())
    assert [(r["student"], r["score"], r["max_score"], r["status"]) for r in records] == [
        ("ana", 5.0, 6.0, "graded"),
        ("ben", 2.0, 6.0, "graded"),
    ]
    assert records[0]["assignment"] == ASSIGNMENT
    assert records[0]["messages"] == []

    again = run("grade", ASSIGNMENT, "--course", str(course), "--no-sandbox")
    assert "graded (unchanged)" in again.stdout
    assert "0 graded now" in again.stdout

    result = run("feedback", ASSIGNMENT, "--course", str(course))
    assert result.exit_code == 0, result.output
    page = course / "feedback" / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert page.is_file()
    assert HIDDEN_MARKER not in page.read_text()

    result = run("report", ASSIGNMENT, "--course", str(course), "--out", str(tmp_path / "rep"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rep" / "report.html").is_file()

    for fmt in ("csv", "canvas"):
        out = tmp_path / f"{fmt}.csv"
        result = run("export", "--course", str(course), "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        with out.open() as handle:
            table = list(csv.reader(handle))
        assert len(table) == (3 if fmt == "csv" else 4)


def test_errors_are_one_line_with_status_1(repo: Path, tmp_path: Path) -> None:
    result = run("grade", ASSIGNMENT, "--course", str(tmp_path / "nowhere"), "--no-sandbox")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no nbgrader_config.py; run `coursekit course init" in result.stderr
    result = run("export", "--course", str(tmp_path), "--format", "xlsx", "--out", "x.csv")
    assert result.exit_code == 2


def test_demo_command(repo: Path, tmp_path: Path) -> None:
    result = run(
        "demo", "--students", "2", "--dir", str(tmp_path / "demo"), "--no-book", "--no-sandbox"
    )
    assert result.exit_code == 0, result.output
    demo = tmp_path / "demo"
    assert f"demo in {demo}: 2 synthetic students" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "fx-basic" in line)
    assert row.replace("│", " ").split() == ["fx-basic", "2", "2", "-", "2.5", "/", "6"]
    assert f"3. the grades for Canvas      {demo / 'grades-canvas.csv'}" in result.stdout
    assert f"The tools' output is in {demo / 'demo.log'}" in result.stdout
    assert (demo / "demo.log").is_file()
    # one line per stage on stderr, and the warning that grading ran without the sandbox
    stages = [line for line in result.stderr.splitlines() if line.startswith("✓")]
    assert [line.rsplit(" (", 1)[0] for line in stages] == [
        "✓ making the course workspace",
        "✓ releasing the assignments",
        "✓ grading fx-basic 2/2",
        "✓ exporting the grades",
    ]
    assert "WARNING: grading WITHOUT the sandbox" in result.stderr


def test_course_files_are_private_and_the_umask_is_restored(repo: Path, tmp_path: Path) -> None:
    import os
    import stat

    before = os.umask(0o022)
    try:
        course = tmp_path / "course"
        assert run("course", "init", str(course)).exit_code == 0
        assert os.umask(0o022) == 0o022  # the command put the caller's umask back
    finally:
        os.umask(before)
    made = [course, *course.rglob("*")]
    assert any(p.name == "gradebook.db" for p in made)
    loose = {
        str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in made
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    }
    assert not loose, f"readable by other users: {loose}"


def test_course_init_article_option(repo: Path, tmp_path: Path) -> None:
    from tests.checks.test_check_quotes import ARTICLE

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    course = tmp_path / "course"
    result = run("course", "init", str(course), "--article", str(article))
    assert result.exit_code == 0, result.output
    kept = course / ".coursekit" / "article.txt"
    assert f"article:   {kept} (quotations are checked against it when grading)" in result.stdout
    assert kept.stat().st_mode & 0o777 == 0o600
    result = run("course", "init", str(course), "--article", str(tmp_path / "absent.txt"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 50, encoding="utf-8")
    result = run("course", "init", str(course), "--article", str(notes))
    assert result.exit_code == 1
    assert "notes.txt: cannot find the article's recommendation 1" in result.stderr
    assert "--article FILE" in run("course", "init", "--help").stdout


def test_course_init_students_and_release_due_options(repo: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name\nana,Ana,Kim\n")
    result = run("course", "init", str(course), "--students", str(roster))
    assert result.exit_code == 0, result.output
    assert "roster:    1 student, with names" in result.output
    result = run("release", "--course", str(course), "--due", "2026-12-04 17:00 -0500")
    assert result.exit_code == 0, result.output
    assert f"released {ASSIGNMENT}" in result.output
    assert "(due 2026-12-04 22:00 UTC)" in result.output
    result = run("release", "--course", str(course), "--due", "after lunch")
    assert result.exit_code == 1
    assert "due date 'after lunch': not a date and time" in result.output
