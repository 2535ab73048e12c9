"""``coursekit report``: facility, discrimination, histogram and bars, HTML and CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coursekit.grading.report import correlation, item_stats, report
from coursekit.grading.results import GradeRun
from coursekit.grading.scores import Part, PartScore, StudentScores
from coursekit.grading.svg import bars, histogram
from tests.grading.conftest import CLASS, FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT


def student(name: str, *scores: float) -> StudentScores:
    parts = tuple(
        PartScore(Part("nb", f"q{i}", 2.0, "autograded", f"Q{i}"), s, False, None)
        for i, s in enumerate(scores, start=1)
    )
    return StudentScores(name, sum(scores), 2.0 * len(scores), 0.0, parts)


def test_correlation() -> None:
    assert correlation([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert correlation([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert correlation([1, 1, 1], [1, 2, 3]) is None
    assert correlation([1], [1]) is None


def test_item_stats_facility_and_discrimination() -> None:
    scores = [
        student("a", 2, 2, 0),
        student("b", 2, 0, 2),
        student("c", 0, 0, 2),
        student("d", 2, 2, 2),
    ]
    q1, q2, q3 = item_stats(scores)
    assert (q1.mean, q1.facility, q1.max_score) == (1.5, 0.75, 2.0)
    # q2's rest scores (q1 + q3) are 2, 4, 2, 4 for scores 2, 0, 0, 2
    assert q2.discrimination == pytest.approx(correlation([2, 0, 0, 2], [2, 4, 2, 4]))
    assert q3.facility == 0.75
    assert item_stats([]) == []


def test_svgs_are_static() -> None:
    svg = histogram([0, 1, 1, 6], maximum=6, bins=6, title="t")
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert svg.count("<rect") == 6
    assert bars(["a"], [0.5], title="b", notes=["n"]).count("<rect") == 2


@pytest.mark.slow
def test_report_on_a_graded_class(graded: tuple[FixtureCourse, GradeRun], tmp_path: Path) -> None:
    fx, _ = graded
    result = report(course=fx.course, assignment=ASSIGNMENT, out=tmp_path / "rep")
    with result.csv.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["grade_id"] for r in rows] == ["q1-tests", "q2-tests", "q3-written"]
    q1 = rows[0]
    # q1 (2 points) is passed by correct and partial only: 4 of 9 * 2 points
    assert q1["max_score"] == "2"
    assert float(q1["mean"]) == pytest.approx(4 / 9, abs=1e-3)
    assert float(q1["facility"]) == pytest.approx(2 / 9, abs=1e-3)
    assert rows[2]["discrimination"] == ""  # nobody scored on the written answer yet
    with result.scores_csv.open() as handle:
        per_student = {r["student"]: r for r in csv.DictReader(handle)}
    assert set(per_student) == set(CLASS)
    assert per_student["correct"]["score"] == "5"
    assert per_student["correct"]["grading"] == "pending (q3-written)"
    assert per_student["broken"]["grading"] == "invalid (not a readable notebook)"
    assert per_student["partial"]["grading"] == "complete"
    assert (per_student["correct"]["status"], per_student["slow"]["status"]) == (
        "graded",
        "timeout",
    )
    assert {r.student: r.status for r in result.to_look_at} == {
        "broken": "invalid",
        "crash": "error",
        "slow": "timeout",
        "tampered": "tampered",
    }
    assert result.to_look_at[0].student == "broken", "worst status first"
    assert "submissions to look at: 4" in str(result)
    page = result.html.read_text()
    assert "Not fully graded: 1 with parts still to grade (correct); 1 that could not" in page
    assert page.count("<svg") == 2
    assert "Submissions to look at" in page
    assert "q1-answer: timed out" in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in page
