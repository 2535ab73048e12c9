"""The command line as a newcomer meets it: help texts, bad options, exit codes."""

from __future__ import annotations

from tests.conftest import run_cli


def test_top_level_help_names_the_main_commands() -> None:
    result = run_cli(["--help"])
    assert result.returncode == 0
    assert "book" in result.stdout
    assert "Build and run the US-Japan-ROK relations course." in result.stdout


def test_book_build_help_explains_its_options() -> None:
    result = run_cli(["book", "build", "--help"])
    assert result.returncode == 0
    for option in ("--strict / --no-strict", "--out", "--book", "--all"):
        assert option in result.stdout


def test_a_bad_option_is_a_one_line_error_with_status_2() -> None:
    result = run_cli(["book", "build", "--bogus"])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("coursekit: error: No such option '--bogus'")


def test_an_unknown_command_is_a_one_line_error() -> None:
    result = run_cli(["nope"])
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "coursekit: error: No such command 'nope'. (see `coursekit --help`)"
    ]


def test_serve_without_a_built_book_says_what_to_do(tmp_path: object) -> None:
    result = run_cli(["book", "serve", "--out", "/nonexistent-build"])
    assert result.returncode == 1
    assert "run `coursekit book build` first" in result.stderr
