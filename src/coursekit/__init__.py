"""coursekit: the course on US-Japan-ROK relations, its data, checkers and instructor tools.

The student-facing API is small and imported lazily, so ``import coursekit`` stays cheap and
changes nothing in the importing process beyond loading coursekit's own modules:

- ``coursekit.data`` — the sourced datasets as validated pandas DataFrames;
- ``coursekit.analysis`` and ``coursekit.charts`` — pure functions and chart builders;
- ``coursekit.widgets`` — the comparison and timeline explorers (ipywidgets);
- ``coursekit.checks`` — the answer checkers used in assignment test cells.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["__version__", "analysis", "charts", "checks", "data", "widgets"]

__version__ = "0.1.0"

_LAZY = {"analysis", "charts", "checks", "data", "widgets"}


def __getattr__(name: str) -> ModuleType:
    """Import the student-facing submodules on first use."""
    if name in _LAZY:
        module = importlib.import_module(f"coursekit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
