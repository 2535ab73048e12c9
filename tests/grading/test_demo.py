"""``coursekit demo``: the whole path on a synthetic class, without the book."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading.demo import demo
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
        say=said.append,
    )
    (run,) = result.runs
    assert [r.student for r in run.results] == ["student01", "student02", "student03", "student04"]
    statuses = {r.student: r.status for r in run.results}
    assert statuses["student04"] == "invalid" and statuses["student01"] == "graded"
    assert run.results[0].score == 5.0
    assert (tmp_path / "demo" / "course" / "feedback" / "student01" / "fx-basic").is_dir()
    assert result.reports["fx-basic"].is_file()
    assert all(p.is_file() for p in result.exports)
    text = str(result)
    assert "book:        (not built)" in text and "grades-canvas.csv" in text
    assert any("grading fx-basic" in line for line in said)
