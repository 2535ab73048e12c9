"""``coursekit book``: build the course book and serve it locally."""

from __future__ import annotations

from pathlib import Path

import click

from coursekit.cli import main
from coursekit.cli._common import fail_cleanly, load, verbose_option

__all__ = ["book"]


@main.group()
def book() -> None:
    """Build the course book and read it in a browser."""


@book.command("build")
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Treat every Sphinx warning as an error (nitpicky; all warnings listed before failing).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build folder (the HTML goes to OUT/html). Default: BOOK/_build.",
)
@click.option(
    "--book",
    "book_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Book source folder. Default: book/ in the project root.",
)
@click.option("--all", "force_all", is_flag=True, help="Rebuild every page, not only changed ones.")
@verbose_option()
@fail_cleanly
def build(
    strict: bool, out: Path | None, book_dir: Path | None, force_all: bool, verbose: bool
) -> None:
    """Build the HTML book (executing its notebooks, with a cache).

    Needs the JavaScript assets that `./run setup` fetches; the built book requests
    nothing outside itself. Sphinx's and the kernels' output goes to OUT/build.log
    (-v shows it instead).
    """
    from coursekit.book.build import build_book, check_sources
    from coursekit.cli._output import Terminal, paths, stdout_console

    config = load(book_dir=book_dir, book_out=out)
    check_sources(config)
    log = config.book_build_path / "build.log"
    with Terminal(log=log, verbose=verbose) as terminal, terminal.stage("building the book"):
        html = build_book(config, strict=strict, force_all=force_all)
    where = [("the book", html / "index.html")]
    if (html / "reports").is_dir():
        where.append(("execution reports", html / "reports"))
    if not verbose:
        where.append(("Sphinx's and the kernels' output", log))
    paths(stdout_console(), "Open:", where)


@book.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build folder given to `book build --out`.",
)
@fail_cleanly
def serve(port: int, out: Path | None) -> None:
    """Serve the built book on http://127.0.0.1:PORT (local only)."""
    from coursekit.book.build import serve_book

    serve_book(load(book_out=out), port=port)
