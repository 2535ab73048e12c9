"""Start-up speed-ups for coursekit's own processes, applied by their entry points, never on import.

jsonschema (imported by altair and nbformat) imports ``rfc3987_syntax`` when it is installed,
and that module compiles a Lark grammar on import: 1.5 to 4 s on every kernel, book page and
grading run. It only checks the "iri" string formats, which nothing coursekit runs validates,
and jsonschema goes on without it when it cannot be imported. ``import coursekit`` leaves
``sys.modules`` alone (a student's kernel is theirs); these are for the ``coursekit`` command,
the grading workers and the kernels the book build starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["KERNEL_PATH", "kernels_skip_iri_grammar", "skip_iri_grammar"]

KERNEL_PATH = Path(__file__).parent / "_kernel_path"
"""A folder whose ``rfc3987_syntax`` refuses to import; put first on a child's ``PYTHONPATH``."""


def skip_iri_grammar() -> None:
    """Make ``rfc3987_syntax`` unimportable in this process (unless it is imported already)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@contextmanager
def kernels_skip_iri_grammar() -> Iterator[None]:
    """For the ``with`` block, processes started from here (kernels) skip the grammar too."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(KERNEL_PATH), before]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before
