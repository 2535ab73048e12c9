"""Fixtures for the built course book: one strict build per session, served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run_cli


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


def toc_pages(book: Path = REPO / "book") -> list[str]:
    """Every page of the table of contents, root first, as HTML file names."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return [f"{page}.html" for page in pages]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course book built strictly from a clean state, into a temporary folder.

    ``COURSEKIT_TEST_BUILT_BOOK=DIR`` uses the ``html/`` of a build just made with
    ``coursekit book build --out DIR`` instead (to rerun the book tests without building
    again); CI never sets it.
    """
    reuse = os.environ.get("COURSEKIT_TEST_BUILT_BOOK")
    if reuse:
        html = Path(reuse) / "html"
        assert (html / "index.html").is_file(), f"{html}: no built book there"
        return html
    out = tmp_path_factory.mktemp("book-build")
    result = run_cli(["book", "build", "--out", str(out)], timeout=1800)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return out / "html"


@pytest.fixture(scope="session")
def book_url(built_book: Path) -> Iterator[str]:
    """The built book served on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
