"""Rubric building blocks without a course: questions, codes, splitting, sheets, CSV rows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.rubric.codes import SECRET_NAME, answer_code, code_map, course_secret
from coursekit.rubric.export import split
from coursekit.rubric.questions import read_questions, referenced_names, solution_region
from coursekit.rubric.schema import read_rows
from coursekit.rubric.sheet import SheetAnswer, SheetInfo, sheet_html
from tests.conftest import REPO
from tests.grading.grading_factories import markdown, source_notebook, write_assignment
from tests.rubric.rubric_factories import ASSIGNMENT, MODEL_MARKER, written_assignment


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_assignment(tmp_path, ASSIGNMENT, written_assignment())


def test_questions_rubric_model_answer_and_prompt_come_from_the_source(source: Path) -> None:
    q2, q3 = read_questions(source, assignment=ASSIGNMENT)
    assert (q2.grade_id, q2.points, q2.notebook) == ("q2-written", 4.0, ASSIGNMENT)
    assert [(c.id, c.points) for c in q2.criteria] == [("C1", 2.0), ("C2", 1.0), ("C3", 1.0)]
    assert q2.criteria[1].text == "Cites at least one event by its id, e.g. (A06)."
    assert q2.model_answer.startswith("**Model answer.**")
    assert MODEL_MARKER in q2.model_answer
    assert q2.title == "Question 2 — the alliance (4 points)"
    assert "citing the events in `cited_ids`" in q2.prompt
    assert "Rubric" not in q2.prompt
    assert q2.code_cells == ("q1-answer",)  # the prompt names cited_ids
    assert q3.code_cells == ()
    assert [c.points for c in q3.criteria] == [1.0, 1.0]
    assert q2.score(("C1", "C3"), 0) == 3
    assert q2.score(("C1", "C2", "C3"), 2) == 4
    assert q2.score((), -1) == 0
    assert q2.criterion("C9") is None


def test_every_course_assignment_has_a_rubric_that_adds_up() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "assignments").glob("*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        written = {
            c["metadata"]["nbgrader"]["grade_id"]
            for c in nb["cells"]
            if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade")
        }
        questions = read_questions(path, assignment=path.parent.name)
        assert {q.grade_id for q in questions} == written, path.name
        for q in questions:
            found.setdefault(q.grade_id, []).append(path.parent.name)
            assert q.criteria, q.grade_id
            assert sum(c.points for c in q.criteria) == q.points, q.grade_id
            assert q.model_answer.startswith("**Model answer"), q.grade_id
            assert "BEGIN SOLUTION" not in q.prompt
            assert "Rubric" not in q.prompt
    assert len(found) >= 5
    assert {g: a for g, a in found.items() if len(a) > 1} == {}, "a written grade id is shared"


def test_a_rubric_row_without_points_names_the_cell(tmp_path: Path) -> None:
    nb = source_notebook(
        markdown("## Q"),
        markdown(
            "### BEGIN SOLUTION\n| points | criterion |\n|---|---|\n| two | Clear. |\n"
            "### END SOLUTION",
            "w",
            grade=True,
            solution=True,
            points=2,
        ),
    )
    path = write_assignment(tmp_path, "x", nb)
    with pytest.raises(GradingError, match=r"x\.ipynb: cell 'w': rubric row .* has no number"):
        read_questions(path, assignment="x")


def test_solution_region_and_referenced_names() -> None:
    assert solution_region("a\n### BEGIN SOLUTION\nsecret\n### END SOLUTION\nb") == "secret"
    assert solution_region("no markers") == ""
    assert referenced_names("argue for your `memo`; the memo_x is not it", {"memo", "memo_x2"}) == {
        "memo"
    }


def test_codes_are_stable_keyed_and_the_key_is_private(tmp_path: Path) -> None:
    secret = course_secret(tmp_path)
    assert (tmp_path / SECRET_NAME).stat().st_mode & 0o777 == 0o600
    assert course_secret(tmp_path) == secret
    code = answer_code(secret, "c1", "ana")
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert "ana" not in code.lower()
    assert answer_code(secret, "c1", "ana") == code
    assert answer_code(secret, "c2", "ana") != code
    assert answer_code(b"another key", "c1", "ana") != code
    assert code_map(tmp_path, "c1", ["ana", "ben"]) == {
        code: "ana",
        answer_code(secret, "c1", "ben"): "ben",
    }


def test_split_is_disjoint_with_the_overlap_on_every_sheet() -> None:
    codes = [f"C{i:03d}" for i in range(23)]
    parts = split(codes, graders=3, overlap=2, seed=9)
    assert len(parts) == 3
    sheets = [set(mine) for mine, _ in parts]
    shared = sheets[0] & sheets[1] & sheets[2]
    assert len(shared) == 2
    assert sorted(c for s in sheets for c in s - shared) == sorted(set(codes) - shared)
    assert sum(len(s - shared) for s in sheets) == 21
    # each shared answer counts on exactly one sheet: a check copy on the others
    for code in shared:
        assert sum(code not in checks for _, checks in parts) == 1
    assert split(codes, graders=3, overlap=2, seed=9) == parts
    assert split(codes, graders=3, overlap=2, seed=10) != parts
    assert split(codes, graders=1, overlap=0, seed=9)[0][0] != sorted(codes)  # shuffled


def test_the_sheet_is_self_contained_and_escapes_student_text(source: Path) -> None:
    q2 = read_questions(source, assignment=ASSIGNMENT)[0]
    answers = [
        SheetAnswer(
            "AAAA-BBBB",
            "</script><script>alert(1)</script> ![x](http://evil/x.png)",
            False,
            (("q1-answer", 'cited_ids = ["A06"]'),),
        ),
        SheetAnswer("CCCC-DDDD", "A [link](https://example.org) and **bold**.", False, ()),
    ]
    page = sheet_html(q2, answers, SheetInfo("q2-written-7", 7, 1, 1, "now"), comments=["Good."])
    assert page.count("<script") == 2  # the data and the sheet's own script
    found = re.search(r'Content-Security-Policy" content="([^"]*)"', page)
    assert found is not None
    csp = html.unescape(found.group(1))
    assert "default-src 'none'" in csp
    assert "connect-src 'none'" in csp
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    found = re.search(r'id="sheet-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["seed"] == 7
    assert data["sheet"] == "q2-written-7"
    assert data["points"] == 4
    assert [a["code"] for a in data["answers"]] == ["AAAA-BBBB", "CCCC-DDDD"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in data["answers"][0]["html"]
    assert "[image: x]" in data["answers"][0]["html"]
    assert data["answers"][0]["code_cells"] == [
        {"grade_id": "q1-answer", "source": 'cited_ids = ["A06"]'}
    ]
    assert data["comments"] == ["Good."]
    assert re.search(r"<details class=\"instructor\"><summary>Model answer", page)
    assert MODEL_MARKER in page
    assert "ana" not in page


def test_csv_rows_are_numbered_as_a_spreadsheet_does(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "assignment,question,sheet,code,score,comment\n"
        'a,q,s,X1,1,"two\nlines"\n'
        ",,,,,\n"
        "a,q,s,X2,2,\n"
    )
    rows, problems = read_rows(path)
    assert problems == []
    assert [(r.get("code"), r.line) for r in rows] == [("X1", 2), ("X2", 4)]
    assert rows[0].where == f"{path}, row 2"
