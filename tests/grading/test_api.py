"""The functions the CLI calls: keyword-only and documented; the grading package imports light."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

# The documented functions the command line is a thin layer over.
COMMANDS = [
    "coursekit.grading.workspace.init_course",
    "coursekit.grading.release.release",
    "coursekit.grading.release.release_zip",
    "coursekit.grading.collect.collect",
    "coursekit.grading.pool.grade",
    "coursekit.grading.feedback.feedback",
    "coursekit.grading.report.report",
    "coursekit.grading.export.export",
    "coursekit.demo.demo",
]


@pytest.mark.parametrize("dotted", COMMANDS)
def test_command_functions_are_keyword_only_and_documented(dotted: str) -> None:
    module, name = dotted.rsplit(".", 1)
    func = getattr(importlib.import_module(module), name)
    params = inspect.signature(func).parameters
    positional = [p for p, v in params.items() if v.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == [], f"{dotted}: pass {positional} by keyword"
    assert func.__doc__, f"{dotted} has no docstring"


def test_the_package_and_the_child_entry_import_nothing_heavy() -> None:
    code = (
        "import sys, coursekit.grading, coursekit.grading.capture, coursekit.grading.check; "
        "heavy = ('nbgrader', 'nbformat', 'nbclient', 'pandas'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
