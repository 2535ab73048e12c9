"""In real JupyterLab, changing a TrilateralComparison control runs the Python callback.

Starts a private ``jupyter lab`` (own config, runtime, settings and home folders in a temp
dir; no news or update checks; 127.0.0.1 only), opens a notebook in Chromium, runs the cell
from the toolbar, picks another indicator, and waits for the text only Python writes.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.widgets.layout import OPINION_OPTION, control_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SERVER_START_SECONDS = 180
UI_TIMEOUT_MS = 120_000

CELL = """\
from coursekit.widgets import TrilateralComparison
comparison = TrilateralComparison()
comparison
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_private_config(base: Path) -> dict[str, str]:
    """Folders and settings that keep the server away from the user's Jupyter setup."""
    folders = {
        name: base / name
        for name in ("config", "runtime", "data", "settings", "workspaces", "home", "ipython")
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    nbgrader = ("assignment_list", "course_list", "formgrader", "validate_assignment")
    no_network = {
        "ServerApp": {
            "jpserver_extensions": {f"nbgrader.server_extensions.{n}": False for n in nbgrader}
        },
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        },
    }
    for name in ("jupyter_lab_config.json", "jupyter_server_config.json"):
        (folders["config"] / name).write_text(json.dumps(no_network), encoding="utf-8")
    labconfig = folders["config"] / "labconfig"
    labconfig.mkdir()
    disabled = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(disabled), encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "JPY_", "IPYTHON"))
    }
    env.update(
        {
            "HOME": str(folders["home"]),
            "JUPYTER_CONFIG_DIR": str(folders["config"]),
            "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
            "JUPYTER_DATA_DIR": str(folders["data"]),
            "JUPYTERLAB_SETTINGS_DIR": str(folders["settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(folders["workspaces"]),
            "IPYTHONDIR": str(folders["ipython"]),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONWARNINGS": "ignore",
        }
    )
    return env


def _wait_for_server(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"jupyter lab exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"jupyter lab did not start in time:\n{log.read_text(errors='replace')}")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A running private JupyterLab; yields (base URL, token) and always stops it."""
    root = tmp_path / "root"
    root.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(CELL))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(notebook, root / "compare.ipynb")
    env = _write_private_config(tmp_path / "jupyter")
    token = secrets.token_hex(16)
    port = _free_port()
    log = tmp_path / "lab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.token={token}",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", process, log)
        yield base, token
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _wait_for_idle_kernel(page: Page) -> None:
    """Wait until the status bar reports a connected, idle kernel."""
    kernel = page.locator(".jp-StatusBar-Widget, .jp-StatusBar-TextItem").filter(has_text="| Idle")
    expect(kernel.first).to_be_visible(timeout=UI_TIMEOUT_MS)


def _run_first_cell(page: Page, status: Locator) -> None:
    """Run the first cell with the toolbar's run button; retry if the kernel missed it."""
    run = page.locator(
        "jp-button[data-command='notebook:run-cell-and-select-next'],"
        " button[data-command='notebook:run-cell-and-select-next']"
    ).first
    expect(run).to_be_visible(timeout=UI_TIMEOUT_MS)
    for attempt in range(3):
        _wait_for_idle_kernel(page)
        page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputArea-editor").click()
        run.click()
        try:
            expect(status).to_be_visible(timeout=UI_TIMEOUT_MS // 2)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_indicator_change_runs_python_callback(lab: tuple[str, str], chromium: Browser) -> None:
    from coursekit.widgets import TrilateralComparison

    # What the kernel's widget must show, computed here from the same data.
    here = TrilateralComparison()
    meetings = int(here.frame["US-JP-ROK"].sum())
    here.indicator_picker.value = "leaders_standalone"
    summits = [int(here.frame[t].sum()) for t in ("US-JP-ROK", "CN-JP-ROK")]
    base, token = lab
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{base}/lab/tree/compare.ipynb?token={token}", timeout=UI_TIMEOUT_MS)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=UI_TIMEOUT_MS)
        status = page.locator(".coursekit-status")
        _run_first_cell(page, status)
        expect(status).to_contain_text("Leaders' meetings (any format)", timeout=UI_TIMEOUT_MS)
        expect(status).to_contain_text(f"US-JP-ROK {meetings}")
        table = page.locator(".coursekit-table")
        expect(table).to_contain_text("Most in one year")

        dropdown = page.locator(".widget-dropdown select").first
        dropdown.select_option(label="Standalone leaders' summits")

        # Only the Python callback writes this status text and these totals.
        expect(status).to_contain_text("Standalone leaders' summits", timeout=UI_TIMEOUT_MS)
        expect(status).to_contain_text(f"US-JP-ROK {summits[0]}; CN-JP-ROK {summits[1]}")
        expect(table.locator("td").filter(has_text=str(summits[1])).first).to_be_visible()
    finally:
        context.close()


def test_comparison_controls_are_not_cut_or_overlapping(
    lab: tuple[str, str], chromium: Browser
) -> None:
    base, token = lab
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{base}/lab/tree/compare.ipynb?token={token}", timeout=UI_TIMEOUT_MS)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=UI_TIMEOUT_MS)
        status = page.locator(".coursekit-status")
        _run_first_cell(page, status)
        expect(status).to_contain_text("Total meetings held", timeout=UI_TIMEOUT_MS)
        widget = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-select-multiple)")
        assert control_problems(widget.first) == []

        widget.first.locator(".widget-dropdown select").first.select_option(label=OPINION_OPTION)
        expect(status).to_contain_text("% of respondents", timeout=UI_TIMEOUT_MS)
        assert control_problems(widget.first) == []
    finally:
        context.close()
