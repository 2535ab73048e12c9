"""The quick metadata check accepts and refuses exactly what nbgrader's check does."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from nbgrader.nbgraderformat import SchemaTooOldError, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from coursekit.grading.nbgrader_api import QuickCheckCellMetadata
from tests.grading.grading_factories import basic_assignment


def breaks(change: Callable[[Any], None]) -> Any:
    nb = copy.deepcopy(basic_assignment())
    change(nb)
    return nb


CASES = {
    "valid": lambda nb: None,
    "duplicate grade id": lambda nb: nb.cells[2].metadata.nbgrader.update(grade_id="q1-answer"),
    "points missing": lambda nb: nb.cells[2].metadata.nbgrader.pop("points"),
    "bad points type": lambda nb: nb.cells[2].metadata.nbgrader.update(points="two"),
    "old schema": lambda nb: nb.cells[2].metadata.nbgrader.update(schema_version=1),
    "markdown grade not solution": lambda nb: nb.cells[-1].metadata.nbgrader.update(solution=False),
    "empty grade id": lambda nb: nb.cells[1].metadata.nbgrader.update(grade_id=""),
}


def outcome(step: type, nb: Any) -> str:
    try:
        step().preprocess(nb, {})
    except SchemaTooOldError:
        return "too old"
    except ValidationError:
        return "invalid"
    return "ok"


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_verdict_as_nbgrader(case: str) -> None:
    nb = breaks(CASES[case])
    theirs = outcome(CheckCellMetadata, copy.deepcopy(nb))
    assert outcome(QuickCheckCellMetadata, nb) == theirs
    assert (theirs == "ok") == (case == "valid")
