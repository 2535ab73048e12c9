"""Servers the tests start on 127.0.0.1: free ports and private Jupyter servers.

:func:`running_jupyter` starts JupyterLab (or a bare Jupyter server, for formgrader) with
its own config, data, runtime, settings, workspace and home folders in a temporary folder,
no news or update checks, a random token and no port retries, waits until it answers, and
always stops its whole process group. The ``jupyter_lab`` fixture of ``tests/conftest.py``
is the one way tests start JupyterLab.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["JupyterServer", "free_port", "jupyter_env", "running_jupyter"]

START_SECONDS = 180
"""How long a server may take to answer (two busy cores can make JupyterLab slow)."""

_NO_NETWORK = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
    },
}
_NBGRADER_EXTENSIONS = ("assignment_list", "course_list", "formgrader", "validate_assignment")
_LAB_SETTINGS = {
    # Render every cell, so that a test can reach cells below the fold.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port(count: int = 1) -> int:
    """A port ``p`` of 127.0.0.1 such that ``p`` .. ``p + count - 1`` are free now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            base = int(sock.getsockname()[1])
        if base + count > 65536:
            continue
        try:
            for offset in range(1, count):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                    probe.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no run of {count} free port(s) on 127.0.0.1")


def jupyter_env(base: Path) -> dict[str, str]:
    """An environment whose Jupyter, JupyterLab and IPython folders are all under ``base``.

    Nothing of the user's own Jupyter setup leaks in; the virtual environment's ``bin``
    comes first on ``PATH`` (so ``nbgrader`` and the kernel are this environment's).
    """
    folders = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTERLAB_SETTINGS_DIR": base / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "lab-workspaces",
        "IPYTHONDIR": base / "ipython",
        "HOME": base / "home",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "JPY_", "IPYTHON", "NBGRADER_"))
    }
    env.update({key: str(folder) for key, folder in folders.items()})
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _write_config(env: dict[str, str], *, nbgrader: bool) -> None:
    config = Path(env["JUPYTER_CONFIG_DIR"])
    settings: dict[str, object] = dict(_NO_NETWORK)
    if not nbgrader:
        off = {f"nbgrader.server_extensions.{name}": False for name in _NBGRADER_EXTENSIONS}
        settings["ServerApp"] = {"jpserver_extensions": off}
    for name in ("jupyter_lab_config.json", "jupyter_server_config.json"):
        (config / name).write_text(json.dumps(settings), encoding="utf-8")
    labconfig = config / "labconfig"
    labconfig.mkdir(exist_ok=True)
    disabled = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(disabled), encoding="utf-8")
    for name, values in _LAB_SETTINGS.items():
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


@dataclass(frozen=True)
class JupyterServer:
    """A running server: its base URL (no trailing slash) and token."""

    url: str
    token: str
    log: Path

    def lab(self, notebook: str) -> str:
        """The JupyterLab URL that opens ``notebook`` (a path under the server's root)."""
        return f"{self.url}/lab/tree/{notebook}?token={self.token}"


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"the server did not start in time:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@contextmanager
def running_jupyter(
    root: Path,
    base: Path,
    *,
    app: str = "jupyterlab",
    args: Sequence[str] = (),
    ready: str = "/api/status",
    nbgrader: bool = False,
) -> Iterator[JupyterServer]:
    """A private Jupyter server (``app``: a module run with ``python -m``) serving ``root``.

    ``base`` holds its folders and ``server.log``; ``args`` are extra command-line options;
    the server counts as started when ``ready`` (a path) answers 200. nbgrader's server
    extensions are off unless ``nbgrader`` is true.
    """
    env = jupyter_env(base)
    env["PYTHONWARNINGS"] = "ignore"  # the server's and kernels' own deprecation noise
    _write_config(env, nbgrader=nbgrader)
    token, port = secrets.token_hex(16), free_port()
    command = [
        sys.executable,
        "-m",
        app,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *args,
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = JupyterServer(f"http://127.0.0.1:{port}", token, log)
    try:
        _wait(f"{server.url}{ready}?token={token}", process, log)
        yield server
    finally:
        _stop(process)
