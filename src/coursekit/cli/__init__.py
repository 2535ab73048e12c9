"""The ``coursekit`` command: a thin layer of click commands over documented functions.

Each subcommand module registers its group or commands on :data:`main`; each command
only parses options, calls one function and reports. coursekit's own errors
(:class:`coursekit.errors.CoursekitError`) become one line on stderr and exit status 1;
any other exception is a bug and keeps its traceback, and ``--debug`` keeps every traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from coursekit import __version__

__all__ = ["main", "run"]

# Subcommand modules, each adding its commands to ``main`` when imported.
_COMMAND_MODULES = ("book", "grading", "hub", "rubric", "sandbox")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="coursekit")
@click.option(
    "--debug",
    is_flag=True,
    envvar="COURSEKIT_DEBUG",
    help="Show the full traceback of every error, coursekit's own included. "
    "Also set by COURSEKIT_DEBUG=1.",
)
def main(debug: bool) -> None:
    """Build and run the US-Japan-ROK relations course.

    Students read the book and work in the assignment notebooks; instructors use
    these commands to build the book, set up a course, release assignments,
    collect and grade submissions, and export grades.

    \b
    Start here:
      coursekit demo          run the whole path on a synthetic class
      coursekit book build    build the HTML book into book/_build/html
    """  # noqa: D301 (click needs the literal \b to keep this block unwrapped)


for _name in _COMMAND_MODULES:
    importlib.import_module(f"coursekit.cli.{_name}")


def printable(text: str) -> str:
    """``text`` with control characters escaped (errors may quote students' file names)."""
    from coursekit.grading.intake import printable as escape

    return escape(text)


def run(argv: Sequence[str] | None = None) -> None:
    """The console entry point: like ``main`` but every error is one line on stderr."""
    from coursekit._speedups import skip_iri_grammar

    skip_iri_grammar()
    try:
        code = main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(printable(f"coursekit: error: {exc.format_message()}{hint}"), err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(printable(f"coursekit: error: {exc.format_message()}"), err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("coursekit: aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
