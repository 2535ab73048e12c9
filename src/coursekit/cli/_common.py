"""Helpers shared by the command modules: configuration loading and one-line errors."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import click

from coursekit.config import CourseConfig, load_config
from coursekit.errors import CoursekitError

__all__ = ["debugging", "fail_cleanly", "load", "private_files", "say", "verbose_option"]

P = ParamSpec("P")
R = TypeVar("R")


def say(message: object, *, err: bool = False) -> None:
    """Print ``message`` with control characters escaped (it may carry students' file names)."""
    from coursekit.grading.intake import printable

    click.echo(printable(str(message)), err=err)


def verbose_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-v/--verbose``: stream the tools' output (Sphinx, kernels, nbgrader) to the terminal."""
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help="Show Sphinx's, the kernels' and nbgrader's output as it comes, instead of "
        "writing it to the log file named at the end.",
    )


def load(**overrides: Any) -> CourseConfig:
    """The course configuration with the command's options on top."""
    return load_config(**overrides)


def fail_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn coursekit's own errors into one line on stderr and exit status 1.

    Caught: :class:`~coursekit.errors.CoursekitError`, and an operating-system error about a
    named file (a folder that is not writable, a full disk, a path that is missing), which is
    the machine's state rather than a bug. Anything else is a bug and keeps its traceback.
    With ``coursekit --debug`` nothing is caught.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CoursekitError as exc:
            if debugging():
                raise
            from coursekit.grading.intake import printable

            raise click.ClickException(printable(str(exc))) from exc
        except OSError as exc:
            if debugging() or exc.filename is None:
                raise
            from coursekit.grading.intake import printable

            where = f"{exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 else "")
            raise click.ClickException(
                printable(
                    f"{where}: {exc.strerror or exc}. Check that the path exists, that you may "
                    "read and write there and that the disk has room, then run the command again."
                )
            ) from exc

    return wrapper


def debugging() -> bool:
    """Whether ``coursekit --debug`` (or ``COURSEKIT_DEBUG=1``) asked for full tracebacks."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


def private_files(func: Callable[P, R]) -> Callable[P, R]:
    """Run the command with umask ``077``: what it creates is ``0600`` files, ``0700`` folders.

    A course holds the gradebook, the sources with solutions and students' work; on a shared
    machine (a JupyterHub) no other user may read them. nbgrader sets the permissions of the
    exchange's shared folders itself, so releasing and returning feedback still work.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        before = os.umask(0o077)
        try:
            return func(*args, **kwargs)
        finally:
            os.umask(before)

    return wrapper
