"""``coursekit demo``: the whole path on a synthetic class, without the book."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.config import load_config
from coursekit.demo import demo
from coursekit.progress import Lines
from tests.grading.conftest import make_repo

pytestmark = pytest.mark.slow


def test_demo_runs_the_whole_path(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    said: list[str] = []
    result = demo(
        students=4,
        directory=tmp_path / "demo",
        book=False,
        sandbox=False,
        config=config,
        progress=Lines(said.append),
    )
    (run,) = result.runs
    assert [r.student for r in run.results] == ["student01", "student02", "student03", "student04"]
    statuses = {r.student: r.status for r in run.results}
    assert statuses["student04"] == "invalid"
    assert statuses["student01"] == "graded"
    assert run.results[0].score == 5.0
    assert (tmp_path / "demo" / "course" / "feedback" / "student01" / "fx-basic").is_dir()
    assert result.reports["fx-basic"].is_file()
    assert all(p.is_file() for p in result.exports)
    # what a newcomer opens first: one page, one report, the Canvas file (no book here)
    first = result.open_first()
    assert [label for label, _ in first] == [
        "a student's feedback page",
        "an item report",
        "the grades for Canvas",
    ]
    assert all(path.is_file() for _, path in first)
    assert (
        first[0][1].parent == tmp_path / "demo" / "course" / "feedback" / "student01" / "fx-basic"
    )
    text = str(result)
    assert "(the book was not built)" in text
    assert "grades-canvas.csv" in text
    assert said[:3] == [
        "making the course workspace …",
        "releasing the assignments …",
        "grading fx-basic …",
    ]
    assert said[-1] == "exporting the grades …"


def test_demo_grades_the_written_parts_so_exports_are_complete(tmp_path: Path) -> None:
    import csv

    from tests.grading.grading_factories import write_assignment
    from tests.rubric.rubric_factories import ASSIGNMENT, MODEL_MARKER, written_assignment

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[tool.coursekit]\ncourse_id = "fx-demo"\n')
    write_assignment(repo, ASSIGNMENT, written_assignment())
    result = demo(
        students=8,
        directory=tmp_path / "demo",
        book=False,
        sandbox=False,
        config=load_config(repo),
        progress=Lines(lambda _text: None),
    )
    sheets = result.sheets[ASSIGNMENT]
    graded = sorted((sheets / "graded").glob("*.csv"))
    assert len(graded) == 4  # two questions, two graders
    assert {p.stem.rsplit("-", 1)[1] for p in graded} == {"A", "B"}
    with (tmp_path / "demo" / "grades.csv").open() as handle:
        status = {r["student"]: r["status"] for r in csv.DictReader(handle)}
    assert status["student08"].endswith("invalid (not a readable notebook)")
    assert {s for s, v in status.items() if v != "complete"} == {"student08"}
    report = result.reports[ASSIGNMENT].read_text()
    assert "TA-A" in report
    assert "TA-B" in report
    assert "Agreement on 1 answer(s)" in report
    for page in (tmp_path / "demo" / "course" / "feedback").rglob("*.html"):
        text = page.read_text()
        assert MODEL_MARKER not in text
        assert "Rubric" not in text
    assert "sheets:" in str(result)
