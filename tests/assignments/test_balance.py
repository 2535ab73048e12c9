"""Each assignment's points: at most half autograded, and partial credit that fits its cell.

Read from the nbgrader metadata of the committed sources: autograded points are those of
test cells (``grade`` and not ``solution``); the rest are manually graded answers and tasks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from tests.assignments.notebook_checks import SOURCES, calls, code_tree, is_test, nbgrader


def points(path: Path) -> tuple[float, float]:
    """``(autograded points, all points)`` of one source notebook."""
    auto = total = 0.0
    for cell in nbformat.read(path, as_version=4).cells:
        meta = nbgrader(cell)
        if not (meta.get("grade") or meta.get("task")):
            continue
        value = float(meta.get("points", 0))
        total += value
        if is_test(cell):
            auto += value
    return auto, total


def test_there_are_assignments_to_check() -> None:
    assert len(SOURCES) >= 5


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_at_most_half_of_the_points_are_autograded(path: Path) -> None:
    auto, total = points(path)
    assert total > 0, f"{path.name}: no graded cells"
    assert auto <= total / 2, (
        f"{path.name}: {auto:g} of {total:g} points are autograded ({auto / total:.0%}); "
        "at most half may be"
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_partial_credit_is_the_cells_points_and_ends_the_cell(path: Path) -> None:
    """nbgrader refuses a partial score above the cell's points and reads only the result."""
    bad = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if not is_test(cell):
            continue
        tree = code_tree(cell.source)
        found = list(calls(tree, "partial"))
        if not found:
            continue
        where = f"{path.name} cell {index + 1}"
        cell_points = float(nbgrader(cell).get("points", 0))
        for call in found:
            given = next((k.value for k in call.keywords if k.arg == "points"), None)
            if not isinstance(given, ast.Constant) or given.value != cell_points:
                bad.append(f"{where}: checks.partial(points=...) must be {cell_points:g}")
        last = tree.body[-1] if tree.body else None
        if not (isinstance(last, ast.Expr) and last.value in found):
            bad.append(f"{where}: checks.partial(...) must be the cell's last expression")
    assert bad == []


def test_the_count_reads_nbgrader_metadata(tmp_path: Path) -> None:
    from tests.grading.grading_factories import basic_assignment

    path = tmp_path / "fx.ipynb"
    nbformat.write(basic_assignment(), path)
    assert points(path) == (5.0, 6.0)  # two test cells (2 + 3), one written answer (1)
