"""Reading the checks out of the source notebooks: strings, section references, checker calls.

Helpers for the tests that hold every assignment to the checks contract (issue 16): they
read the committed nbgrader sources (``assignments/*/*.ipynb``, whatever assignments exist),
parse each code cell with IPython's transforms and look at its syntax tree, never run it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbformat import NotebookNode

from coursekit.checks import hints

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "assignments").glob("*/*.ipynb"))
"""Every committed source notebook (``<id>/<id>.ipynb``)."""
KNOWN_WRONG_DIR = REPO / "src" / "coursekit" / "checks" / "known_wrong"
KNOWN_WRONG_FILES = sorted(KNOWN_WRONG_DIR.glob("*.json"))


def assignment_id(path: Path) -> str:
    return path.stem


def nbgrader(cell: NotebookNode) -> dict[str, Any]:
    meta: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return meta


def is_test(cell: NotebookNode) -> bool:
    meta = nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def code_tree(source: str) -> ast.Module:
    """The syntax tree of a code cell (IPython magics transformed first)."""
    return ast.parse(TransformerManager().transform_cell(source))


def strings(tree: ast.AST) -> Iterator[str]:
    """Every string literal in ``tree``: f-strings with ``{…}`` for what they format."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(
                part.value if isinstance(part, ast.Constant) else "{…}" for part in node.values
            )


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    """Calls of ``name`` or ``<anything>.name`` in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node) == name:
            yield node


def constant_args(call: ast.Call) -> list[Any]:
    """The positional arguments of ``call`` that are literals (others as ``None``)."""
    return [a.value if isinstance(a, ast.Constant) else None for a in call.args]


@dataclass(frozen=True)
class KnownWrongUse:
    """A checker call in a test cell that passes ``known_wrong=checks.known_wrong(id, q)``."""

    notebook: Path
    cell: int
    checker: str
    answer: str
    """The source of the checker's first argument (the answer it checks)."""
    assignment: str
    question: str
    ordered: bool
    ndigits: int


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def known_wrong_uses(path: Path) -> Iterator[KnownWrongUse]:
    """Every checker call of ``path``'s test cells that takes a known-wrong table."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if not is_test(cell):
            continue
        for call in ast.walk(code_tree(cell.source)):
            if not isinstance(call, ast.Call) or not call.args:
                continue
            table = _keyword(call, "known_wrong")
            if not isinstance(table, ast.Call) or _callee(table) != "known_wrong":
                continue
            assignment, question = [*constant_args(table), None, None][:2]
            ordered = _keyword(call, "ordered")
            ndigits = _keyword(call, "ndigits")
            checker = _callee(call)
            yield KnownWrongUse(
                notebook=path,
                cell=index,
                checker=checker,
                answer=ast.unparse(call.args[0]),
                assignment=str(assignment),
                question=str(question),
                ordered=(
                    bool(ordered.value)
                    if isinstance(ordered, ast.Constant)
                    else checker != "check_evidence"
                ),
                ndigits=int(ndigits.value) if isinstance(ndigits, ast.Constant) else 6,
            )


def known_wrong_hints() -> Iterator[tuple[str, str, str]]:
    """``(file name, question, hint)`` for every entry of every known-wrong table."""
    for path in KNOWN_WRONG_FILES:
        table = hints.read_table(path, where=path.name)
        for question, mistakes in table.items():
            for mistake in mistakes:
                yield path.name, question, mistake.hint
