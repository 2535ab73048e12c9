"""Every check that judges an answer's content points the student to a section of the book.

A checker's own messages say what is wrong and where; the section to reread comes from the
call: ``hint=checks.see("5.7")`` or a text with ``see 5.7 Heading`` (for ``check_true``, in
its ``message=`` or ``hint=``), directly or through a name the notebook binds to one. A call
judges content when it is in a hidden test (which decides the points), or compares values
(``expected``, a fingerprint) or judges evidence against criteria anywhere. Visible checks of
type, shape or form ("should be a list", "in increasing order") need no section, nor does a
visible check whose only judgement is a known-wrong table (each hint names its section).
Whether the section exists in the built book is ``tests/book/test_section_refs.py``'s job.
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
JUDGES = {
    "expected",
    "expected_hash",
    "expected_hashes",
    "item_hashes",
    "column_hashes",
    "area",
    "trilateral",
    "tone",
    "actors",
    "after",
    "before",
    "section",
}
"""Keywords that make a call judge content."""

Bindings = dict[str, list[ast.AST]]


def _names_a_section(node: ast.AST, bound: Bindings, depth: int = 0) -> bool:
    """Whether an expression is, holds or builds a ``see N.M ...`` text (or a see() call)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and any(True for _ in calls(sub, "see")):
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and SEE.search(sub.value):
            return True
        if (
            isinstance(sub, ast.Name)
            and depth < 4
            and any(_names_a_section(v, bound, depth + 1) for v in bound.get(sub.id, []))
        ):
            return True
    return False


def _bind(target: ast.AST, value: ast.AST, bound: Bindings) -> None:
    for name in ast.walk(target):
        if isinstance(name, ast.Name):
            bound.setdefault(name.id, []).append(value)


def _bindings(trees: list[ast.Module]) -> Bindings:
    """Each name the notebook binds -> the expressions it may come from (values, iterables)."""
    bound: Bindings = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    _bind(target, node.value, bound)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                _bind(node.target, node.value, bound)
            elif isinstance(node, ast.For | ast.comprehension):
                _bind(node.target, node.iter, bound)
    return bound


def hidden_lines(
    source: str, begin: str = "BEGIN HIDDEN TESTS", end: str = "END HIDDEN TESTS"
) -> set[int]:
    """The line numbers (from 1) inside the hidden-test regions of a cell."""
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), start=1):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _judges(call: ast.Call, hidden: set[int]) -> bool:
    return call.lineno in hidden or any(k.arg in JUDGES for k in call.keywords)


def unpointed_checks(path: Path) -> list[str]:
    """The content-judging checker calls of ``path``'s test cells that name no section."""
    nb = nbformat.read(path, as_version=4)
    trees = {i: code_tree(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    bound = _bindings(list(trees.values()))
    bad = []
    for index, tree in trees.items():
        if not is_test(nb.cells[index]):
            continue
        hidden = hidden_lines(nb.cells[index].source)
        found = [call for name in CHECKERS for call in calls(tree, name)]
        for call in sorted(found, key=lambda c: (c.lineno, c.col_offset)):
            if not _judges(call, hidden):
                continue
            pointers = [k.value for k in call.keywords if k.arg in ("hint", "message")]
            if not any(_names_a_section(p, bound) for p in pointers):
                bad.append(f"{path.name} cell {index + 1}: {ast.unparse(call)[:90]}")
    return bad


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_check_of_content_names_a_section(path: Path) -> None:
    assert unpointed_checks(path) == []


def test_a_check_without_a_section_is_found(tmp_path: Path) -> None:
    from tests.grading.grading_factories import code, graded_tests, source_notebook

    nb = source_notebook(
        code(
            "HINT = checks.see('5.7')\nRIGHT = {'a': ('A1', 'see 2.5 The San')}", "s", locked=True
        ),
        graded_tests(
            "t",
            "checks.check_list(d, name='d', length=2, known_wrong=KW).assert_ok()\n"
            "checks.check_true(d == sorted(d), name='d', message='in order').assert_ok()\n"
            "checks.check_value(a, name='a', expected=1, hint=HINT).assert_ok()\n"
            "checks.check_value(b, name='b', expected=2, hint='see 4.3 The first').assert_ok()",
            "for k, (right, see) in RIGHT.items():\n"
            "    checks.check_true(x[k] == right, name=k, message=f'not yet; {see}')\n"
            "checks.check_value(c, name='c', expected=3, hint='reread chapter 4')\n"
            "checks.check_true(e, name='e', message='e should hold')",
        ),
    )
    path = tmp_path / "fx.ipynb"
    nbformat.write(nb, path)
    found = unpointed_checks(path)
    assert [line.split(": ", 1)[1][:29] for line in found] == [
        "checks.check_value(c, name='c",
        "checks.check_true(e, name='e'",
    ]
