"""The grading plan of a source notebook, and what phase 1 is sent: no hidden test in it.

:func:`plan_notebook` reads the instructor's notebook (course ``source/``): its instructor
cells (locked code cells that are neither answers nor tests: the setup and the givens), and
for each test cell its full code, its visible part (cut at the course's delimiters, through
:mod:`coursekit.grading.nbgrader_api`), the names it needs (:func:`free_names`: read with
``ast`` and ``symtable``, less what the instructor's cells bind and the builtins) and the calls
of student functions it declares (``metadata.coursekit.calls``). :func:`capture_plan` turns a
submission into what phase 1 runs; :func:`static_flags` scans the student's cells for
attempts on the grader without running them.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = [
    "NotebookPlan",
    "TestCell",
    "bound_names",
    "capture_plan",
    "cell_kind",
    "free_names",
    "plan_notebook",
    "static_flags",
]

_IPYTHON_NAMES = {"display", "get_ipython", "In", "Out", "exit", "quit"}


@dataclass(frozen=True)
class TestCell:
    """One autograded test cell: what phase 1 records for it, what phase 2 runs."""

    grade_id: str
    code: str
    """The instructor's full test (visible and hidden parts), from the source notebook."""
    visible: str
    """The visible part, which phase 1 runs after the capture (for the state later cells see)."""
    names: tuple[str, ...]
    calls: dict[str, list[str]]
    instructor_before: int
    """How many of the notebook's instructor cells come before this test."""
    marked: str = ""
    """What phase 2 runs: ``code`` with each hidden-test delimiter line replaced by a call of
    :data:`PART_MARKER`, so the outputs of hidden parts can be told from the visible part's
    (:func:`mark_parts`); ``code`` itself when that would not parse."""


@dataclass(frozen=True)
class NotebookPlan:
    """What the source notebook says about grading it: instructor cells and tests."""

    instructor: tuple[str, ...]
    """The source's locked code cells that are neither answers nor tests, in order."""
    instructor_ids: frozenset[str]
    given_names: frozenset[str]
    course_modules: frozenset[str]
    """Names the instructor's cells import from ``coursekit`` (``checks``, ``data``, ...)."""
    """Names the instructor's cells bind whose rebinding is flagged (modules, CONSTANTS)."""
    bound: frozenset[str]
    tests: dict[str, TestCell]


def _nbg(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def cell_kind(cell: Any) -> str:
    """``test``, ``instructor`` or ``student`` for a code cell."""
    meta = _nbg(cell)
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("locked") and not meta.get("grade") and not meta.get("solution"):
        return "instructor"
    return "student"


def _python(code: str) -> str:
    """``code`` as plain Python (IPython's magics and ``!`` lines transformed)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return str(TransformerManager().transform_cell(code))
    except Exception:
        return code


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(_python(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def bound_names(code: str) -> set[str]:
    """Names a cell binds at its top level (assignments, imports, defs, loops, ``with``)."""
    tree = _parse(code)
    found: set[str] = set()
    if tree is None:
        return found
    for node in _top_level(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                found.add((alias.asname or alias.name).split(".")[0])
    return found


def _top_level(tree: ast.AST) -> list[ast.AST]:
    """Nodes of the module scope (not inside a function, lambda, class or comprehension)."""
    out: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(node.decorator_list)
            continue
        if isinstance(
            node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def free_names(code: str) -> set[str]:
    """Names ``code`` reads that it does not bind first: what it needs from the notebook.

    Module-level reads of names the cell does not bind before them, and reads of module
    names from inside its functions, lambdas and comprehensions (``symtable`` scopes), less
    builtins and IPython's own names.
    """
    import symtable

    text = _python(code)
    tree = _parse(code)
    try:
        table = symtable.symtable(text, "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    assert tree is not None  # noqa: S101 (narrows the type for mypy)
    bound_top = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    found = {
        s.get_name()
        for s in table.get_symbols()
        if s.is_referenced() and not (s.is_assigned() or s.is_imported())
    }
    found |= _read_before_bound(tree, bound_top)
    stack = list(table.get_children())
    while stack:
        child = stack.pop()
        stack.extend(child.get_children())
        for sym in child.get_symbols():
            if sym.is_referenced() and sym.is_global() and sym.get_name() not in bound_top:
                found.add(sym.get_name())
    return found - set(dir(builtins)) - _IPYTHON_NAMES


def _read_before_bound(tree: ast.Module, bound: set[str]) -> set[str]:
    """Names the module scope reads before its first binding of them (``x = x + 1``).

    An assignment binds its targets when it ends (its right side is read first); an
    augmented assignment also reads its target.
    """
    first_store: dict[str, tuple[int, int]] = {}
    loads: list[tuple[str, tuple[int, int]]] = []
    for statement in tree.body:
        ends = (statement.end_lineno or 0, statement.end_col_offset or 0)
        assigns = isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        for node in [statement, *_top_level(statement)]:
            if not isinstance(node, ast.Name) or node.id not in bound:
                continue
            where = (node.lineno, node.col_offset)
            if isinstance(node.ctx, ast.Load):
                loads.append((node.id, where))
            else:
                stored = ends if assigns else where
                first_store[node.id] = min(first_store.get(node.id, stored), stored)
        if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            target = statement.target
            loads.append((target.id, (target.lineno, target.col_offset)))
    return {name for name, where in loads if name in first_store and where < first_store[name]}


PART_MARKER = "__coursekit_part__"
"""The function phase 2 calls where a hidden-test region begins (``"hidden"``) and ends."""


def mark_parts(code: str, begin: str, end: str) -> str:
    """``code`` with its hidden-test delimiter lines made calls of :data:`PART_MARKER`.

    ``begin``/``end`` are the course's delimiters. The call takes the indentation of the
    delimiter, and a first call marks the start as visible. An end delimiter with no code
    after it stays a comment, so the cell's last expression (``checks.partial(...)``) is
    still its result. If the marked code does not parse (and ``code`` does), ``code`` comes
    back as it is.
    """
    source = code.splitlines()
    lines = []
    changed = False
    for i, line in enumerate(source):
        indent = line[: len(line) - len(line.lstrip())]
        comment = line.lstrip().startswith("#")
        if comment and begin in line:
            lines.append(f'{indent}{PART_MARKER}("hidden")')
            changed = True
        elif comment and end in line and any(_is_code(later) for later in source[i + 1 :]):
            lines.append(f'{indent}{PART_MARKER}("visible")')
            changed = True
        else:
            lines.append(line)
    if not changed:
        return code
    marked = "\n".join([f'{PART_MARKER}("visible")', *lines])
    return marked if _parse(marked) is not None or _parse(code) is None else code


def _is_code(line: str) -> bool:
    text = line.strip()
    return bool(text) and not text.startswith("#")


def _visible(code: str, course: Any | None) -> str:
    """The test without its hidden part, cut at the course's own delimiters."""
    from coursekit.grading.nbgrader_api import nbgrader_settings, strip_hidden

    return strip_hidden(code, nbgrader_settings(course))


def _marked(code: str, course: Any | None) -> str:
    from coursekit.grading.nbgrader_api import nbgrader_settings

    return mark_parts(code, *nbgrader_settings(course).hidden_tests)


def plan_notebook(source: Any, *, course: Any | None = None) -> NotebookPlan:
    """Read the grading plan of a source notebook (the instructor's, with hidden tests)."""
    instructor: list[str] = []
    instructor_ids: set[str] = set()
    bound: set[str] = set()
    givens: set[str] = set()
    course_modules: set[str] = {"coursekit"}
    tests: dict[str, TestCell] = {}
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        kind, meta = cell_kind(cell), _nbg(cell)
        if kind == "instructor":
            instructor.append(cell.source)
            instructor_ids.add(str(meta.get("grade_id", "")))
            names = bound_names(cell.source)
            bound |= names
            givens |= {n for n in names if n.isupper() or _is_import(cell.source, n)}
            course_modules |= _course_imports(cell.source)
        elif kind == "test":
            grade_id = str(meta.get("grade_id", ""))
            calls = cell.get("metadata", {}).get("coursekit", {}).get("calls", {})
            tests[grade_id] = TestCell(
                grade_id=grade_id,
                code=cell.source,
                marked=_marked(cell.source, course),
                visible=_visible(cell.source, course),
                names=(),
                calls={str(k): [str(a) for a in v] for k, v in dict(calls).items()},
                instructor_before=len(instructor),
            )
    for grade_id, test in list(tests.items()):
        needed = tuple(sorted(free_names(test.code) - bound))
        tests[grade_id] = dataclasses.replace(test, names=needed)
    return NotebookPlan(
        instructor=tuple(instructor),
        instructor_ids=frozenset(instructor_ids),
        given_names=frozenset(givens),
        course_modules=frozenset(course_modules),
        bound=frozenset(bound),
        tests=tests,
    )


def _course_imports(code: str) -> set[str]:
    """Names a cell binds by importing from the ``coursekit`` package."""
    tree = _parse(code)
    found: set[str] = set()
    for node in _top_level(tree) if tree is not None else []:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "coursekit":
            found |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.split(".")[0] == "coursekit"
            }
    return found


def _is_import(code: str, name: str) -> bool:
    tree = _parse(code)
    if tree is None:
        return False
    for node in _top_level(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and name in {
            (a.asname or a.name).split(".")[0] for a in node.names
        }:
            return True
    return False


def _where(cell: Any, index: int) -> str:
    grade_id = _nbg(cell).get("grade_id")
    return f"cell {index + 1} ({grade_id})" if grade_id else f"cell {index + 1}"


def capture_plan(nb: Any, plan: NotebookPlan) -> dict[str, Any]:
    """The plan phase 1 gets: the submission's cells, no hidden test anywhere in it."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kind = cell_kind(cell)
        entry: dict[str, Any] = {"index": index, "kind": kind, "where": _where(cell, index)}
        if kind == "test":
            test = plan.tests.get(str(_nbg(cell).get("grade_id", "")))
            if test is None:  # a grade cell the source does not have: nothing to record
                entry.update(source="", capture=[], calls={})
            else:
                entry.update(source=test.visible, capture=list(test.names), calls=test.calls)
        else:
            entry["source"] = cell.source
            if kind == "instructor":
                entry["binds"] = sorted(bound_names(cell.source) & plan.given_names)
        cells.append(entry)
    return {"cells": cells}


# -- static scan (trusted parent) ---------------------------------------------------------
_STATIC = (
    ("input_transformers", "input transformer installed"),
    ("ast_transformers", "AST transformer installed"),
    ("settrace", "trace hook installed"),
    ("setprofile", "profile hook installed"),
    ("sys.modules", "sys.modules changed"),
    ("atexit", "exit hook installed"),
    ("events.register", "IPython event callback installed"),
    ("set_custom_exc", "custom exception handler installed"),
    ("meta_path", "import hook installed"),
    ("builtins", "builtins patched"),
)


def static_flags(nb: Any, plan: NotebookPlan) -> list[str]:
    """Reasons to look at a submission, from its student cells' text (no code is run)."""
    reasons: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell_kind(cell) != "student":
            continue
        text = cell.source
        for needle, what in _STATIC:
            if needle in text and what not in seen:
                seen.add(what)
                reasons.append(f"suspicious: {what} in {_where(cell, index)}")
        tree = _parse(text)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    what = _patched(target, plan)
                    if what and what not in seen:
                        seen.add(what)
                        reasons.append(f"suspicious: {what} in {_where(cell, index)}")
    return reasons


def _patched(target: ast.AST, plan: NotebookPlan) -> str:
    """What an assignment target changes that the grader relies on, or ``""``."""
    if isinstance(target, ast.Name) and target.id in plan.given_names:
        return f"the given {target.id} rebound"
    if isinstance(target, ast.Attribute):
        root: ast.AST = target
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in plan.course_modules | {"CheckResult"}:
            return f"course attribute {ast.unparse(target)} patched"
        if isinstance(root, ast.Name) and root.id in {"builtins", "__builtins__"}:
            return "builtins patched"
    if isinstance(target, ast.Subscript):
        return _patched(target.value, plan) if isinstance(target.value, ast.Attribute) else ""
    return ""
