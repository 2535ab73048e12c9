"""coursekit: the course on US-Japan-ROK relations, its data, checkers and instructor tools.

The student-facing API is small and imported lazily, so ``import coursekit`` stays cheap:

- ``coursekit.data`` — the sourced datasets as validated pandas DataFrames;
- ``coursekit.analysis`` and ``coursekit.charts`` — pure functions and chart builders;
- ``coursekit.widgets`` — the comparison and timeline explorers (ipywidgets);
- ``coursekit.checks`` — the answer checkers used in assignment test cells.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["__version__", "analysis", "charts", "checks", "data", "widgets"]

__version__ = "0.1.0"

_LAZY = {"analysis", "charts", "checks", "data", "widgets"}

# jsonschema (imported by altair and nbformat) imports rfc3987_syntax when it is installed,
# and that module compiles a Lark grammar on import: 1.5-4 s on every kernel, book page and
# grading run. It only checks the "iri" string formats, which nothing here validates, and
# jsonschema skips it when it cannot be imported; so mark it absent before anyone asks.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def __getattr__(name: str) -> ModuleType:
    """Import the student-facing submodules on first use."""
    if name in _LAZY:
        module = importlib.import_module(f"coursekit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
