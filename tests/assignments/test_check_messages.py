"""Every check in a test cell points the student to a section of the book.

A checker's own messages say what is wrong and where; the ``hint=`` each call passes says
which section to reread (``checks.see("5.7")`` or ``"... see 5.7 Heading"``). Whether the
section exists in the built book is ``tests/book/test_section_refs.py``'s job.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from coursekit.checks.sections import SEE
from tests.assignments.notebook_checks import SOURCES, calls, code_tree, is_test

CHECKERS = (
    "check_choice",
    "check_dict",
    "check_evidence",
    "check_frame",
    "check_list",
    "check_quote",
    "check_records",
    "check_series",
    "check_text",
    "check_true",
    "check_value",
)


def _names_a_section(node: ast.AST, bound: dict[str, list[ast.AST]], depth: int = 0) -> bool:
    """Whether an expression is, holds or builds a ``see N.M ...`` text (or a see() call)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and any(True for _ in calls(sub, "see")):
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and SEE.search(sub.value):
            return True
        if (
            isinstance(sub, ast.Name)
            and depth < 3
            and any(_names_a_section(v, bound, depth + 1) for v in bound.get(sub.id, []))
        ):
            return True
    return False


def _bindings(cells: list[ast.Module]) -> dict[str, list[ast.AST]]:
    """Every value assigned to a plain name in the notebook's code cells."""
    bound: dict[str, list[ast.AST]] = {}
    for tree in cells:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bound.setdefault(target.id, []).append(node.value)
    return bound


def unpointed_checks(path: Path) -> list[str]:
    """The checker calls of ``path``'s test cells whose ``hint=`` names no section."""
    nb = nbformat.read(path, as_version=4)
    trees = {i: code_tree(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    bound = _bindings(list(trees.values()))
    bad = []
    for index, tree in trees.items():
        if not is_test(nb.cells[index]):
            continue
        found = [call for name in CHECKERS for call in calls(tree, name)]
        for call in sorted(found, key=lambda c: (c.lineno, c.col_offset)):
            hint = next((k.value for k in call.keywords if k.arg == "hint"), None)
            if hint is None or not _names_a_section(hint, bound):
                bad.append(f"{path.name} cell {index + 1}: {ast.unparse(call)[:90]}")
    return bad


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_check_has_a_hint_naming_a_section(path: Path) -> None:
    assert unpointed_checks(path) == []


def test_a_check_without_a_section_is_found(tmp_path: Path) -> None:
    from tests.grading.grading_factories import code, graded_tests, source_notebook

    nb = source_notebook(
        code("HINT = checks.see('5.7')", "setup", locked=True),
        graded_tests(
            "t",
            "checks.check_value(a, name='a', hint=HINT).assert_ok()\n"
            "checks.check_value(b, name='b', hint='see 4.3 The first nuclear crisis')\n"
            "checks.check_value(c, name='c', hint='reread chapter 4')\n"
            "checks.check_list(d, name='d')",
        ),
    )
    path = tmp_path / "fx.ipynb"
    nbformat.write(nb, path)
    found = unpointed_checks(path)
    assert [line.split(": ", 1)[1][:30] for line in found] == [
        "checks.check_value(c, name='c'",
        "checks.check_list(d, name='d')",
    ]
