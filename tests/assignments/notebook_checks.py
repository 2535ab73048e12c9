"""Reading the checks out of the source notebooks: strings, section references, checker calls.

Helpers for the tests that hold every assignment to the checks contract (issue 16): they
read the committed nbgrader sources (``assignments/*/*.ipynb``, whatever assignments exist),
parse each code cell with IPython's transforms and look at its syntax tree, never run it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
                str(part.value) if isinstance(part, ast.Constant) else "{…}" for part in node.values
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


def known_wrong_hints() -> Iterator[tuple[str, str, str]]:
    """``(file name, question, hint)`` for every entry of every known-wrong table."""
    for path in KNOWN_WRONG_FILES:
        table = hints.read_table(path, where=path.name)
        for question, mistakes in table.items():
            for mistake in mistakes:
                yield path.name, question, mistake.hint
