"""Cell factories and scenario notebooks for the grading tests (nbgrader source format).

The one factory of fixture assignments: ``fx-basic`` here, ``fx-written`` (rubric tests),
``fx-custom`` (nbgrader's buttons) and ``fixture-hw`` (:mod:`tests.fixtures.submissions`)
are all made of these cells.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

HIDDEN_MARKER = "HIDDEN-MARKER-7f3a"
"""Text that only appears in a hidden test: it must never reach a student's feedback."""

ASSIGNMENT = "fx-basic"


def _meta(
    grade_id: str | None,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    points: float = 0,
) -> dict[str, Any]:
    if grade_id is None:
        return {}
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _named(cell: NotebookNode, grade_id: str | None) -> NotebookNode:
    """Give an nbgrader cell its grade id as cell id too, so fixture notebooks are stable."""
    if grade_id is not None:
        cell["id"] = grade_id
    return cell


def markdown(source: str, grade_id: str | None = None, **kw: Any) -> NotebookNode:
    """A markdown cell, optionally an nbgrader cell (whose cell id is then its grade id)."""
    return _named(nbformat.v4.new_markdown_cell(source, metadata=_meta(grade_id, **kw)), grade_id)


def code(source: str, grade_id: str | None = None, **kw: Any) -> NotebookNode:
    """A code cell, optionally an nbgrader cell (whose cell id is then its grade id)."""
    return _named(nbformat.v4.new_code_cell(source, metadata=_meta(grade_id, **kw)), grade_id)


def graded_tests(
    grade_id: str,
    visible: str,
    hidden: str = "",
    points: float = 1,
    calls: dict[str, list[str]] | None = None,
) -> NotebookNode:
    """A locked autograder test cell with visible and hidden tests.

    ``calls``: the argument lists on which grading calls a student's function the test uses
    (``metadata.coursekit.calls``).
    """
    text = visible
    if hidden:
        text += f"\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
    cell = code(text, grade_id, grade=True, locked=True, points=points)
    if calls:
        cell.metadata["coursekit"] = {"calls": calls}
    return cell


def source_notebook(*cells: NotebookNode) -> NotebookNode:
    """A source notebook with the python3 kernelspec."""
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def basic_assignment() -> NotebookNode:
    """Three questions: a function (2 pts), a value (3 pts), a written answer (1 pt, manual)."""
    return source_notebook(
        markdown("# Fixture assignment\n\nAnswer the three questions."),
        code(
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            "q1-answer",
            solution=True,
        ),
        graded_tests(
            "q1-tests",
            'assert double(2) == 4, "double(2) should be 4"',
            f'assert double(21) == 42, "{HIDDEN_MARKER}: double(21)"',
            points=2,
            calls={"double": ["2", "21"]},
        ),
        markdown("## Question 2\n\nName the capital of South Korea."),
        code('### BEGIN SOLUTION\ncapital = "Seoul"\n### END SOLUTION', "q2-answer", solution=True),
        graded_tests(
            "q2-tests",
            'assert isinstance(capital, str), "capital should be a string"',
            f'assert capital == "Seoul", "{HIDDEN_MARKER}: capital"',
            points=3,
        ),
        markdown("## Question 3\n\nWhy does the alliance matter? Answer in a sentence."),
        markdown("YOUR ANSWER HERE", "q3-written", grade=True, solution=True, points=1),
    )


def write_assignment(repo: Path, assignment: str, nb: NotebookNode) -> Path:
    """Write ``nb`` as ``<repo>/assignments/<id>/<id>.ipynb``."""
    folder = repo / "assignments" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(nb, path)
    return path


# Answers (grade_id -> cell source) that make each scenario of a submission.
SCENARIOS: dict[str, dict[str, str] | None] = {
    "correct": {
        "q1-answer": "def double(x):\n    return x * 2",
        "q2-answer": 'capital = "Seoul"',
        "q3-written": "Because it is.",
    },
    "partial": {
        "q1-answer": "def double(x):\n    return x * 2",
        "q2-answer": 'capital = "Tokyo"',
    },
    # passes the visible test, fails the hidden one: its traceback names the hidden line
    "hidden-fail": {
        "q1-answer": "def double(x):\n    return 4 if x == 2 else 0",
        "q2-answer": 'capital = "Seoul"\nprint(In)',
    },
    "error": {"q1-answer": "def double(x):\n    return x +"},
    "blank": {},
    # edits a locked test cell; nbgrader puts the real tests back
    "tampered": {
        "q1-answer": "def double(x):\n    return 0",
        "q1-tests": "pass",
    },
    "slow": {"q1-answer": "import time\ntime.sleep(60)\ndef double(x):\n    return 2 * x"},
    "crash": {"q1-answer": "import os\nos._exit(1)"},
    "broken": None,  # not a notebook at all
}


def submission(release_nb: Path, scenario: str) -> str:
    """The text of a student's submission of ``release_nb`` in ``scenario``."""
    answers = SCENARIOS[scenario]
    if answers is None:
        return '{"cells": [ this is not json'
    nb = nbformat.read(release_nb, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return json.dumps(nb, indent=1)


def write_submission(folder: Path, release_nb: Path, scenario: str) -> Path:
    """Write a submission of ``scenario`` as ``folder/<notebook name>``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / release_nb.name
    path.write_text(submission(release_nb, scenario), encoding="utf-8")
    return path
