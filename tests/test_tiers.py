"""The test tiers themselves: how tools are found and which marks a test gets."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, TESTS, markers_for
from tests.servers import free_port
from tests.tools import postgres_bindir


def _server(folder: Path) -> Path:
    """A fake PostgreSQL ``bin`` folder holding an ``initdb``."""
    folder.mkdir(parents=True)
    (folder / "initdb").write_text("")
    return folder


def _pg_config(tmp_path: Path, bindir: Path) -> str:
    script = tmp_path / "pg_config"
    script.write_text(f"#!/bin/sh\necho {bindir}\n")
    script.chmod(0o755)
    return str(script)


def test_pg_config_names_the_server(tmp_path: Path) -> None:
    chosen = _server(tmp_path / "chosen" / "bin")
    _server(tmp_path / "lib" / "99" / "bin")
    found = postgres_bindir(pg_config=_pg_config(tmp_path, chosen), fallback=tmp_path / "lib")
    assert found == chosen


def test_without_a_usable_pg_config_the_newest_installed_major_wins(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for major in ("9.6", "15", "17"):
        _server(lib / major / "bin")
    (lib / "18" / "bin").mkdir(parents=True)  # client only: no initdb
    client_only = _pg_config(tmp_path, tmp_path / "nowhere")
    assert postgres_bindir(pg_config=client_only, fallback=lib) == lib / "17" / "bin"
    assert postgres_bindir(pg_config="", fallback=lib) == lib / "17" / "bin"


def test_no_postgresql_at_all_is_none(tmp_path: Path) -> None:
    assert postgres_bindir(pg_config="", fallback=tmp_path) is None


@pytest.mark.parametrize(
    ("where", "fixtures", "expected"),
    [
        ("test_config.py", [], set()),
        ("book/test_site.py", ["book_url", "chromium"], {"book", "browser"}),
        ("rubric/test_formgrader.py", ["postgres_url", "tmp_path"], {"postgres"}),
        ("grading/test_sandbox.py", ["tmp_path"], {"sandbox"}),
        ("hub/test_hub.py", ["hub"], {"hub"}),
    ],
)
def test_marks_come_from_fixtures_and_places(
    where: str, fixtures: list[str], expected: set[str]
) -> None:
    assert markers_for(TESTS / where, fixtures) == expected


def _selected(marker: str, *paths: str) -> list[str]:
    """The test ids ``pytest -m marker`` collects from ``paths``."""
    argv = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    out = subprocess.run(
        [*argv, "-m", marker, *paths], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout
    return [line for line in out.splitlines() if "::" in line]


@pytest.mark.slow  # two pytest start-ups
def test_a_tier_selects_its_tests_and_leaves_the_others_out() -> None:
    files = ("tests/grading/test_postgres.py", "tests/test_config.py")
    postgres = _selected("postgres", *files)
    unit = _selected("unit", *files)
    assert postgres, postgres
    assert all(t.startswith(files[0]) for t in postgres), postgres
    assert unit, unit
    assert all(t.startswith(files[1]) for t in unit), unit


def test_free_port_finds_a_run_of_free_ports() -> None:
    base = free_port(3)
    for port in range(base, base + 3):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
