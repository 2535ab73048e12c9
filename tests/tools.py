"""The system tools some tests need, how each is found, and what to do when one is missing.

Each test tier but ``unit`` is named after what it needs from the machine (see the markers
in ``pyproject.toml``). :func:`missing` says, for one marker, what is missing on this
machine (``None`` when nothing is); ``tests/conftest.py`` fails such a test with that text,
never skips it, and names the ``-m`` option that deselects the tier.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

__all__ = [
    "CHROMIUM",
    "TOOL_MARKERS",
    "axe_core",
    "missing",
    "postgres_bindir",
]

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, which Playwright drives (nothing is downloaded)."""

TOOL_MARKERS = ("book", "browser", "sandbox", "postgres", "hub", "root")
"""Markers of tests that need something beyond the Python environment; the rest are ``unit``."""

_POSTGRES_FALLBACK = Path("/usr/lib/postgresql")
_AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_core() -> str:
    """The axe-core accessibility checker the browser tests inject (from the npm assets).

    Read when a browser test first needs it, so that collecting the tests needs no assets.
    """
    assert _AXE.is_file(), f"{_AXE} is missing: install the book's JavaScript assets"
    return _AXE.read_text(encoding="utf-8")


def _version_key(folder: Path) -> tuple[int, ...]:
    """``/usr/lib/postgresql/16/bin`` -> ``(16,)``: orders installed majors numerically."""
    return tuple(int(part) for part in folder.parent.name.split(".") if part.isdigit())


def postgres_bindir(
    *, pg_config: str | None = None, fallback: Path = _POSTGRES_FALLBACK
) -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or ``None`` when PostgreSQL is missing.

    ``pg_config --bindir`` first (it names the server the machine's packages chose); when
    that is not installed, or names a folder without ``initdb`` (Debian's ``pg_config``
    comes from ``libpq-dev`` and may outlive the server), the newest
    ``/usr/lib/postgresql/<major>/bin`` that has one.
    """
    exe = pg_config if pg_config is not None else shutil.which("pg_config")
    if exe:
        try:
            out = subprocess.run(
                [exe, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and (Path(out) / "initdb").is_file():
            return Path(out)
    found = [d for d in fallback.glob("*/bin") if (d / "initdb").is_file()]
    return max(found, key=_version_key) if found else None


def _sandbox_problem() -> str | None:
    if os.geteuid() != 0:
        return "the sandbox tests need root (each sandbox drops to a fresh uid of its own)"
    from coursekit.grading.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as exc:
        return f"the grading sandbox cannot run here: {exc}"
    return None


def _browser_problem() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    return None


def _postgres_problem() -> str | None:
    if postgres_bindir() is None:
        return (
            "PostgreSQL is missing (no `pg_config --bindir` with initdb, nor "
            f"{_POSTGRES_FALLBACK}/*/bin/initdb): apt-get install postgresql"
        )
    return None


def _hub_problem() -> str | None:
    if os.geteuid() != 0:
        return "the hub tests create Unix accounts and PAM logins: run them as root"
    return None


def _root_problem() -> str | None:
    if os.geteuid() != 0:
        return "this test makes files owned by other Unix users: run it as root"
    return None


_CHECKS = {
    "sandbox": _sandbox_problem,
    "browser": _browser_problem,
    "postgres": _postgres_problem,
    "hub": _hub_problem,
    "root": _root_problem,
}


@functools.cache
def missing(marker: str) -> str | None:
    """What this machine lacks for tests marked ``marker`` (``None``: nothing, or no check).

    ``book`` has no check here: the build says itself what it lacks, in one line.
    """
    check = _CHECKS.get(marker)
    return check() if check else None
