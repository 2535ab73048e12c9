"""Typed, quiet notebook reading and writing (nbformat's functions are untyped and warn a lot).

Submissions come from anywhere: reading them must not spray nbformat's validation warnings
(missing cell ids, old minor versions) over the instructor's terminal or fail a test run.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

__all__ = ["error_output", "read_notebook", "reads_notebook", "write_notebook"]


def read_notebook(path: Path) -> Any:
    """The notebook at ``path`` as nbformat 4, warnings silenced."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]


def reads_notebook(text: str) -> Any:
    """The notebook in ``text`` as nbformat 4, warnings silenced."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]


def write_notebook(nb: Any, path: Path) -> None:
    """Write ``nb`` to ``path`` (nbformat 4)."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nbformat.write(nb, path)  # type: ignore[no-untyped-call]


def error_output(ename: str, evalue: str, traceback: list[str] | None = None) -> Any:
    """An ``error`` output (a cell that failed) as a NotebookNode."""
    from nbformat import NotebookNode

    return NotebookNode(  # type: ignore[no-untyped-call]
        output_type="error",
        ename=ename,
        evalue=evalue,
        traceback=traceback if traceback is not None else [f"{ename}: {evalue}"],
    )
