"""Helpers shared by the command modules: configuration loading and one-line errors."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import click

from coursekit.config import CourseConfig, load_config

__all__ = ["fail_cleanly", "load", "private_files", "say"]

P = ParamSpec("P")
R = TypeVar("R")


def say(message: object, *, err: bool = False) -> None:
    """Print ``message`` with control characters escaped (it may carry students' file names)."""
    from coursekit.grading.intake import printable

    click.echo(printable(str(message)), err=err)


def load(**overrides: Any) -> CourseConfig:
    """The course configuration with the command's options on top."""
    return load_config(**overrides)


def fail_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the package's expected errors into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (ValueError, RuntimeError, OSError) as exc:
            from coursekit.grading.intake import printable

            raise click.ClickException(printable(str(exc))) from exc

    return wrapper


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
