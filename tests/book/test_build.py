"""The book build through the CLI: fixture books end to end, strictness, rebuilds, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "minibook"


@pytest.fixture
def minibook(tmp_path: Path) -> Path:
    """A fresh copy of the two-page fixture book."""
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    return book


def build(book: Path, *extra: str) -> tuple[int, str]:
    result = run_cli(["book", "build", "--book", str(book), *extra])
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
def test_clean_build_then_incremental_rebuild_executes_only_the_edited_page(
    minibook: Path,
) -> None:
    code, out = build(minibook)
    assert code == 0, out
    html = minibook / "_build" / "html"
    log = minibook / "_build" / "build.log"
    assert "page one executed" in (html / "one.html").read_text()
    assert "8 September 1951" in (html / "index.html").read_text()
    # quiet by default: a progress line and where things are; Sphinx's output is in the log
    assert (
        [line for line in out.splitlines() if "building the book" in line]
        == [line for line in out.splitlines() if line.startswith("✓ building the book (")]
        != []
    )
    assert ["1.", "the", "book", str(html / "index.html")] in [
        line.split() for line in out.splitlines()
    ]
    assert f"{log}" in out
    assert "Running Sphinx" not in out
    assert "Running Sphinx" in log.read_text()
    # the assets come from node_modules, not from a CDN
    assert (html / "_static" / "vendor" / "require.js").is_file()
    assert (html / "_static" / "vendor" / "html-manager" / "embed-amd.js").is_file()

    page = minibook / "two.md"
    page.write_text(page.read_text().replace("page two executed", "page two edited"))
    code, out = build(minibook, "-v")  # -v streams Sphinx's output instead
    assert code == 0, out
    assert "page two edited" in (html / "two.html").read_text()
    executed = [line for line in out.splitlines() if "Executing notebook" in line]
    assert len(executed) == 1, out
    assert "two" in executed[0], out
    assert "build.log" not in out


@pytest.mark.slow
def test_strict_build_fails_on_a_warning_and_no_strict_passes(minibook: Path) -> None:
    (minibook / "index.md").write_text("# Fixture\n\nSee {ref}`no-such-label`.\n")
    code, out = build(minibook)
    assert code == 1
    # the warning is quoted from the log, which is named, and the error comes last
    assert "no-such-label" in out
    assert f"The tools' full output is in {minibook / '_build' / 'build.log'}" in out
    assert out.strip().splitlines()[-1].startswith("coursekit: error: the book build failed")
    code, out = build(minibook, "--no-strict")
    assert code == 0, out


@pytest.mark.slow
def test_unknown_event_id_in_the_date_role_fails_the_build(minibook: Path) -> None:
    (minibook / "index.md").write_text("# Fixture\n\nOn {event-date}`Z999`.\n")
    code, out = build(minibook)
    assert code == 1
    assert "unknown event id 'Z999'" in out


def test_missing_book_folder_is_one_line_and_nonzero(tmp_path: Path) -> None:
    code, out = build(tmp_path / "nowhere")
    assert code == 1
    assert out.strip() == (
        f"coursekit: error: no book folder at {tmp_path / 'nowhere'}; "
        "pass --book DIR or run from the repo root"
    )


def test_missing_toc_is_reported(minibook: Path) -> None:
    (minibook / "_toc.yml").unlink()
    code, out = build(minibook)
    assert code == 1
    assert "_toc.yml is missing" in out


@pytest.mark.slow
def test_the_data_years_role_prints_the_span_of_the_event_data(minibook: Path) -> None:
    from coursekit.data import events

    last = int(events()["date"].dt.year.max())
    (minibook / "index.md").write_text("# Timeline, {data-years}`events`\n\nText.\n")
    code, out = build(minibook)
    assert code == 0, out
    page = (minibook / "_build" / "html" / "index.html").read_text()
    assert f"<h1>Timeline, 1945–{last}" in page
    (minibook / "index.md").write_text("# Timeline, {data-years}`meetings`\n")
    code, out = build(minibook)
    assert code == 1
    assert "unknown dataset 'meetings'" in out
