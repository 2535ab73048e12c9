"""The public API is pinned: a change here is a deliberate, changelogged decision."""

from __future__ import annotations

import subprocess
import sys

import coursekit


def test_top_level_api_is_pinned() -> None:
    assert coursekit.__all__ == ["__version__", "analysis", "charts", "checks", "data", "widgets"]


def test_importing_coursekit_is_light() -> None:
    """Students' notebooks import coursekit first: no pandas, widgets or nbgrader yet."""
    code = (
        "import sys, coursekit; heavy = {'pandas', 'ipywidgets', 'altair', 'nbgrader', 'sphinx'}"
        "; print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_submodules_load_on_first_use() -> None:
    assert coursekit.data.__name__ == "coursekit.data"
