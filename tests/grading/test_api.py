"""The grading functions the CLI calls: keyword-only, with these parameters."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

COMMANDS = {
    "workspace.init_course": [
        "directory",
        "config",
        "db_url",
        "exchange",
        "link",
        "assignments",
        "article",
    ],
    "release.release": ["course", "assignments", "exchange"],
    "collect.collect": ["course", "assignment", "source", "limits", "check_owner"],
    "pool.grade": [
        "course",
        "assignment",
        "workers",
        "timeout",
        "force",
        "sandbox",
        "students",
        "config",
        "progress",
    ],
    "feedback.feedback": ["course", "assignment", "students", "show_hidden"],
    "report.report": ["course", "assignment", "out", "config"],
    "export.export": ["course", "format", "out"],
    "demo.demo": [
        "students",
        "directory",
        "book",
        "sandbox",
        "workers",
        "config",
        "say",
        "progress",
    ],
}


@pytest.mark.parametrize("dotted", sorted(COMMANDS))
def test_command_functions_are_keyword_only(dotted: str) -> None:
    module, name = dotted.rsplit(".", 1)
    func = getattr(importlib.import_module(f"coursekit.grading.{module}"), name)
    params = inspect.signature(func).parameters
    assert list(params) == COMMANDS[dotted]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    assert func.__doc__


def test_the_package_and_the_child_entry_import_nothing_heavy() -> None:
    code = (
        "import sys, coursekit.grading, coursekit.grading.capture, coursekit.grading.check; "
        "heavy = ('nbgrader', 'nbformat', 'nbclient', 'pandas'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
