"""``coursekit rubric``: the help a newcomer reads, and export and import from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.rubric.conftest import WrittenCourse
from tests.rubric.rubric_factories import ASSIGNMENT, read_csv, write_csv


def test_help_explains_the_workflow() -> None:
    result = run_cli(["rubric", "--help"])
    assert result.returncode == 0
    for text in ("coursekit rubric export", "coursekit rubric import", "never to students"):
        assert text in result.stdout
    export_help = run_cli(["rubric", "export", "--help"]).stdout
    for option in ("--question CELL", "--graders", "--overlap", "--seed", "--out", "--course"):
        assert option in export_help


@pytest.mark.slow
def test_export_then_import_from_the_shell(written_copy: WrittenCourse, tmp_path: Path) -> None:
    course = str(written_copy.course)
    out = tmp_path / "sheets"
    exported = run_cli(
        [
            "rubric",
            "export",
            ASSIGNMENT,
            "--course",
            course,
            "--question",
            "q3-written",
            "--graders",
            "2",
            "--overlap",
            "1",
            "--out",
            str(out),
        ]
    )
    assert exported.returncode == 0, exported.stderr
    assert "q3-written-" in exported.stdout
    assert "g2of2.html" in exported.stdout
    blanks = sorted(out.glob("*.csv"))
    assert len(blanks) == 2
    assert len(sorted(out.glob("*.html"))) == 2
    rows = read_csv(blanks[0])
    rows[0].update(graded="yes", criteria="C1;C2", score="3", grader="AB")
    bad = write_csv(tmp_path / "bad.csv", rows)
    refused = run_cli(["rubric", "import", str(bad), "--course", course])
    assert refused.returncode == 1
    assert refused.stderr.startswith("coursekit: error: 1 problem(s) in the grading CSVs")
    assert "bad.csv, row 2: score 3 is above the 2 points of q3-written" in refused.stderr
    rows[0].update(score="2")
    good = write_csv(tmp_path / "good.csv", rows)
    imported = run_cli(["rubric", "import", str(good), "--course", course])
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported: 1 answer(s) written to the gradebook")


def test_overlap_without_graders_is_refused(written: WrittenCourse, tmp_path: Path) -> None:
    result = run_cli(
        [
            "rubric",
            "export",
            ASSIGNMENT,
            "--course",
            str(written.course),
            "--overlap",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    assert result.returncode == 1
    assert "--overlap needs --graders 2 or more" in result.stderr
