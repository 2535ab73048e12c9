"""The rubric functions the CLI calls: keyword-only, with these parameters; a light package."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

COMMANDS = {
    "export.export_sheets": [
        "course",
        "assignment",
        "out",
        "questions",
        "graders",
        "overlap",
        "seed",
    ],
    "importer.import_grades": ["course", "files"],
}


@pytest.mark.parametrize("dotted", sorted(COMMANDS))
def test_command_functions_are_keyword_only(dotted: str) -> None:
    module, name = dotted.rsplit(".", 1)
    func = getattr(importlib.import_module(f"coursekit.rubric.{module}"), name)
    params = inspect.signature(func).parameters
    assert list(params) == COMMANDS[dotted]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    assert func.__doc__


def test_every_module_has_a_docstring_and_all() -> None:
    import pkgutil

    import coursekit.rubric as package

    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"coursekit.rubric.{info.name}")
        assert module.__doc__, info.name
        assert module.__doc__.strip(), info.name
        assert isinstance(module.__all__, list), info.name


def test_importing_the_package_imports_nothing_heavy() -> None:
    code = (
        "import sys, coursekit.rubric, coursekit.cli.rubric; "
        "heavy = ('nbgrader', 'nbformat', 'mistune', 'pandas'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
