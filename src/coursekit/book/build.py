"""Build and serve the course book (Jupyter Book 1.x on Sphinx), offline and strict by default."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Callable
from pathlib import Path

from coursekit.config import CourseConfig
from coursekit.errors import CoursekitError

__all__ = ["BookBuildError", "book_html_dir", "build_book", "check_sources", "serve_book"]

Progress = Callable[[str], None]


class BookBuildError(CoursekitError, RuntimeError):
    """The book could not be built; the message says why and what to do."""


def book_html_dir(config: CourseConfig) -> Path:
    """The folder holding the built HTML (``index.html`` at its top)."""
    return config.book_build_path / "html"


def check_sources(config: CourseConfig) -> Path:
    """The book folder, once it has what a build needs (else :class:`BookBuildError`)."""
    book = config.book_path
    if not book.is_dir():
        raise BookBuildError(f"no book folder at {book}; pass --book DIR or run from the repo root")
    for name in ("_config.yml", "_toc.yml"):
        if not (book / name).is_file():
            raise BookBuildError(f"{book / name} is missing; a Jupyter Book needs it")
    modules = config.root / "node_modules"
    if not (modules / "requirejs").is_dir():
        raise BookBuildError(
            f"the book's JavaScript assets are not installed ({modules} has no requirejs); "
            "run `./run setup` (or `python3 src/coursekit/book/assets.py`) in the repository root"
        )
    return book


def build_book(
    config: CourseConfig,
    *,
    strict: bool = True,
    force_all: bool = False,
) -> Path:
    """Build the HTML book and return the folder with ``index.html``.

    ``strict`` turns every Sphinx warning into an error (nitpicky, keep going to list
    them all). Executed notebooks are cached, so a rebuild after one chapter edit only
    re-executes that chapter. Sphinx and the notebooks' kernels write to standard output
    and error; ``coursekit book build`` sends those to a log file.
    """
    book = check_sources(config)
    from jupyter_book.sphinx import build_sphinx

    from coursekit._speedups import kernels_skip_iri_grammar

    out = book_html_dir(config)
    with kernels_skip_iri_grammar():
        result = build_sphinx(
            str(book),
            str(out),
            noconfig=True,
            path_config=str(book / "_config.yml"),
            confoverrides={
                "external_toc_path": (book / "_toc.yml").as_posix(),
                "latex_individualpages": False,
                "nitpicky": strict,
                "coursekit_node_modules": str(config.root / "node_modules"),
            },
            force_all=force_all,
            warningiserror=strict,
            keep_going=strict,
            builder="html",
        )
    if result != 0:
        reports = out / "reports"
        hint = f"; execution reports are in {reports}" if reports.is_dir() else ""
        raise BookBuildError(
            f"the book build failed: Sphinx's messages name each page and problem{hint}"
        )
    return out


def serve_book(config: CourseConfig, *, port: int = 8000, progress: Progress = print) -> None:
    """Serve the built book on http://127.0.0.1:PORT until interrupted."""
    html = book_html_dir(config)
    if not (html / "index.html").is_file():
        raise BookBuildError(f"no built book in {html}; run `coursekit book build` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BookBuildError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try --port"
        ) from exc
    with server:
        progress(f"Serving {html} at http://127.0.0.1:{port}/ (Ctrl+C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            progress("Stopped.")
