"""Shared test fixtures and the test tiers: markers given by folder and by fixture.

Every test is marked by what it needs from the machine, so a contributor can run the tiers
their machine has (``-m unit``, ``-m "not sandbox"``, ...). The marks come from here, not
from each file: a test that uses a fixture of :data:`BY_FIXTURE` (directly or through
another fixture) or lives under a path of :data:`BY_PATH` gets that marker (the few whose
need shows in neither, such as the ``root`` tests of ``grading/test_collect.py``, carry it in
their file); a test with no tool marker and no ``slow`` mark is ``unit``. A test whose tool
is missing FAILS with what to install and the ``-m`` option that deselects its tier; nothing
is ever skipped for it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.servers import JupyterServer, free_port, running_jupyter
from tests.tools import CHROMIUM, TOOL_MARKERS, missing, postgres_bindir

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

BY_FIXTURE = {
    "chromium": "browser",
    "built_book": "book",
    "book_url": "book",
    "minibook": "book",
    "postgres_url": "postgres",
}
"""A test that uses one of these fixtures, directly or not, needs the tool of its marker."""

BY_PATH = {
    "hub/": "hub",
    "grading/test_sandbox.py": "sandbox",
    "grading/test_hostile.py": "sandbox",
    "grading/test_forgery.py": "sandbox",
    "grading/test_nbgrader_buttons.py": "sandbox",
    "assignments/test_assignment_two_phase.py": "sandbox",
}
"""Folders (ending in ``/``) and files under ``tests/`` whose every test needs the tool."""


def markers_for(path: Path, fixtures: Sequence[str]) -> set[str]:
    """The tool markers of a test in ``path`` that uses ``fixtures``."""
    where = path.resolve().relative_to(TESTS).as_posix()
    found = {BY_FIXTURE[name] for name in fixtures if name in BY_FIXTURE}
    for place, marker in BY_PATH.items():
        if where == place or (place.endswith("/") and where.startswith(place)):
            found.add(marker)
    return found


XDIST_GROUPS = {"sandbox": "sandbox", "hub": "sandbox", "built_book": "built-book"}
"""Markers (and a fixture) whose tests run on one xdist worker, in turn, under ``--dist loadgroup``.

Sandbox and hub tests share the machine's sandbox uids (some check that no sandbox process is
left, which another worker's grading would break) and the hub's Unix accounts; the book
tests share one build of the course book (a session fixture, so once per worker).
"""


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with the tools it needs, and the rest ``unit``; group them for xdist."""
    xdist = config.pluginmanager.hasplugin("xdist")
    for item in items:
        for marker in markers_for(item.path, getattr(item, "fixturenames", ())):
            item.add_marker(marker)
        if not any(item.get_closest_marker(m) for m in (*TOOL_MARKERS, "slow")):
            item.add_marker("unit")
        fixtures = getattr(item, "fixturenames", ())
        groups = [g for k, g in XDIST_GROUPS.items() if item.get_closest_marker(k) or k in fixtures]
        if xdist and groups:
            item.add_marker(pytest.mark.xdist_group(groups[0]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail, before any fixture runs, a test whose tool this machine lacks."""
    for marker in TOOL_MARKERS:
        problem = missing(marker) if item.get_closest_marker(marker) else None
        if problem:
            pytest.fail(
                f"{problem}.\nThis test is marked {marker!r}: the full run (CI) needs it; "
                f"on a machine without it, leave the tier out with -m 'not {marker}' "
                "(or run the fast tier, -m unit).",
                pytrace=False,
            )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Say up front which selected tiers this machine cannot run (their tests will fail)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    wanted = {m for item in session.items for m in TOOL_MARKERS if item.get_closest_marker(m)}
    for marker in sorted(wanted):
        problem = missing(marker)
        if problem:
            reporter.write_line(
                f"coursekit: tests marked {marker!r} will FAIL here: {problem} "
                f"(deselect them with -m 'not {marker}')",
                yellow=True,
            )


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


def run_cli(
    args: Sequence[str], *, cwd: Path = REPO, check: bool = False, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``coursekit`` command in a subprocess (as a user would)."""
    exe = shutil.which("coursekit", path=str(Path(sys.executable).parent)) or "coursekit"
    return subprocess.run(
        [exe, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (one per test session)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def jupyter_lab(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[Path], JupyterServer]]:
    """Start a private JupyterLab serving a folder: ``server = jupyter_lab(folder)``.

    Each server has its own Jupyter folders, token and port on 127.0.0.1 (see
    :func:`tests.servers.running_jupyter`); all of them are stopped when the module ends.
    """
    with ExitStack() as stack:

        def start(root: Path) -> JupyterServer:
            base = tmp_path_factory.mktemp("jupyter")
            return stack.enter_context(running_jupyter(root, base))

        yield start


def _as_postgres_user(argv: list[str]) -> list[str]:
    """Run as ``nobody`` when root (initdb refuses to run as root)."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *argv]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1; yields a postgresql+psycopg URL.

    The server is the one :func:`tests.tools.postgres_bindir` finds. The cluster lives in its
    own folder of the system temp dir (pytest's are private to root, and the server runs as
    ``nobody`` when the tests run as root) and is removed afterwards.
    """
    bindir = postgres_bindir()
    assert bindir is not None, missing("postgres")
    base = Path(tempfile.mkdtemp(prefix="coursekit-pg-"))
    base.chmod(0o755)
    data = base / "data"
    sockets = base / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        os.chown(sockets, nobody.pw_uid, nobody.pw_gid)
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_postgres_user(initdb), check=True, capture_output=True, env=env, cwd=base)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    start = [*pg_ctl, "-o", options, "-l", str(base / "log"), "-w", "start"]
    subprocess.run(_as_postgres_user(start), check=True, capture_output=True, env=env, cwd=base)
    try:
        createdb = [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader"]
        subprocess.run([*createdb, "gradebook"], check=True, capture_output=True)
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        stop = [*pg_ctl, "-m", "immediate", "stop"]
        subprocess.run(_as_postgres_user(stop), capture_output=True, env=env, cwd=base)
        shutil.rmtree(base, ignore_errors=True)
