"""How the command reports errors: coursekit's own in one line, bugs with a traceback, --debug."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import coursekit
from coursekit.book.build import BookBuildError
from coursekit.cli import run
from coursekit.errors import CoursekitError
from tests.conftest import run_cli

# Exceptions that never reach the command line: a student's failed check (shown in the
# notebook), and the signals grading uses inside one process.
NOT_USER_ERRORS = {
    "coursekit.checks.results.CheckFailed",
    "coursekit.checks.normalize.NotComparable",
    "coursekit.grading.values.BadCapture",
    "coursekit.grading.submissions._Rejected",
}


def test_every_error_of_the_package_derives_from_coursekit_error() -> None:
    found = {}
    for info in pkgutil.walk_packages(coursekit.__path__, "coursekit."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            ours = inspect.isclass(obj) and obj.__module__ == module.__name__
            if ours and issubclass(obj, Exception):
                found[f"{module.__name__}.{name}"] = obj
    assert "coursekit.grading.errors.GradingError" in found
    outside = {name for name, cls in found.items() if not issubclass(cls, CoursekitError)}
    assert outside == NOT_USER_ERRORS


def test_coursekit_errors_are_one_line_with_what_to_do() -> None:
    result = run_cli(["book", "serve", "--out", "/nonexistent-build"])
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "coursekit: error: no built book in /nonexistent-build/html; "
        "run `coursekit book build` first"
    ]


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import coursekit.book.build

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("a bug, not the user's doing")

    monkeypatch.setattr(coursekit.book.build, "serve_book", broken)
    with pytest.raises(ValueError, match="a bug, not the user's doing"):
        run(["book", "serve", "--out", str(tmp_path)])


def test_a_bug_prints_a_traceback_from_the_installed_command(tmp_path: Path) -> None:
    # The bug is planted by a sitecustomize module that the interpreter imports at start.
    hook = tmp_path / "sitecustomize.py"
    hook.write_text(
        "import coursekit.book.build as b\n"
        "def broken(*a, **k):\n"
        "    raise ZeroDivisionError('bug')\n"
        "b.serve_book = broken\n"
    )
    exe = Path(sys.executable).parent / "coursekit"
    result = subprocess.run(
        [str(exe), "book", "serve"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.rstrip().endswith("ZeroDivisionError: bug")


def test_debug_reraises_coursekit_errors(tmp_path: Path) -> None:
    with pytest.raises(BookBuildError, match="run `coursekit book build` first"):
        run(["--debug", "book", "serve", "--out", str(tmp_path)])


def test_debug_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COURSEKIT_DEBUG", "1")
    with pytest.raises(BookBuildError):
        run(["book", "serve", "--out", str(tmp_path)])


def test_without_debug_the_same_error_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["book", "serve", "--out", str(tmp_path)])
    assert exited.value.code == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_an_os_error_about_a_file_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import coursekit.book.build

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr(coursekit.book.build, "serve_book", denied)
    with pytest.raises(SystemExit) as exited:
        run(["book", "serve", "--out", str(tmp_path)])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{tmp_path / 'out'}: Permission denied. Check that the path exists" in err
    with pytest.raises(PermissionError):
        run(["--debug", "book", "serve", "--out", str(tmp_path)])


def test_an_os_error_without_a_file_is_a_bug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import coursekit.book.build

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no file named: a bug")

    monkeypatch.setattr(coursekit.book.build, "serve_book", broken)
    with pytest.raises(OSError, match="a bug"):
        run(["book", "serve", "--out", str(tmp_path)])
