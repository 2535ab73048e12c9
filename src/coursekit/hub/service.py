"""``coursekit hub start`` and ``stop``: run a hub made by ``hub init`` in the background."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from coursekit.grading.errors import GradingError
from coursekit.hub.setup import HubLayout

__all__ = ["HubStatus", "start_hub", "stop_hub"]

_START_SECONDS = 90.0
_STOP_SECONDS = 30.0


@dataclass(frozen=True)
class HubStatus:
    """A hub's state after ``start`` or ``stop``."""

    layout: HubLayout
    url: str
    pid: int | None
    running: bool

    def __str__(self) -> str:
        """The text the command line prints for it."""
        if self.running:
            return f"hub running at {self.url} (pid {self.pid}; log {self.layout.log})"
        return f"hub in {self.layout.root} stopped"


def _settings(layout: HubLayout) -> dict[str, str]:
    if not layout.config.is_file() or not layout.settings.is_file():
        raise GradingError(f"{layout.root}: no hub here; run `coursekit hub init` first")
    pairs = (line.split("=", 1) for line in layout.settings.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def _url(layout: HubLayout) -> str:
    settings = _settings(layout)
    host = settings.get("ip", "127.0.0.1")
    wildcard = host in ("", "0.0.0.0")  # noqa: S104 (a wildcard address is reached on loopback)
    return f"http://{'127.0.0.1' if wildcard else host}:{settings['port']}/"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_pid(layout: HubLayout) -> int | None:
    """The pid of this folder's hub if it runs; a stale pid file (after a reboot) is ignored."""
    try:
        pid = int(layout.pid.read_text().strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    ours = b"jupyterhub" in command and str(layout.config).encode() in command
    return pid if ours and _alive(pid) else None


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}hub/health", timeout=2) as response:  # noqa: S310 (http only)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(layout: HubLayout, lines: int = 15) -> str:
    try:
        return "\n".join(layout.log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_hub(*, directory: Path, timeout: float = _START_SECONDS) -> HubStatus:
    """Start the hub in ``directory`` in the background and wait until it answers.

    JupyterHub runs as root (it starts each student's server as that student) in a session
    of its own; its output goes to ``hub/jupyterhub.log`` (``0600``). Starting a running hub
    changes nothing.
    """
    layout = HubLayout(directory.resolve())
    url = _url(layout)
    pid = _running_pid(layout)
    if pid is not None:
        return HubStatus(layout, url, pid, True)
    fd = os.open(layout.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        # Spawned, not Popen'd: the hub outlives this process (and `coursekit hub start`).
        pid = os.posix_spawn(
            "/bin/sh",
            [
                "/bin/sh",
                "-c",
                'cd "$0" && exec "$@"',
                str(layout.hub),
                sys.executable,
                "-m",
                "jupyterhub",
                "-f",
                str(layout.config),
            ],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, fd, 1),
                (os.POSIX_SPAWN_DUP2, fd, 2),
            ],
            setsid=True,
        )
    finally:
        os.close(fd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            raise GradingError(
                f"the hub stopped while starting (exit {os.waitstatus_to_exitcode(status)}); "
                f"the end of {layout.log}:\n{_log_tail(layout)}"
            )
        if _healthy(url):
            return HubStatus(layout, url, pid, True)
        time.sleep(0.5)
    _stop(pid)
    raise GradingError(
        f"the hub did not answer at {url} within {timeout:.0f} s; the end of {layout.log}:\n"
        f"{_log_tail(layout)}"
    )


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_SECONDS
    while _alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def stop_hub(*, directory: Path) -> HubStatus:
    """Stop the hub in ``directory`` and the students' servers it started.

    Students' files and submissions are files on disk: nothing is lost, and ``start`` brings
    the hub back with everyone's work where it was.
    """
    layout = HubLayout(directory.resolve())
    url = _url(layout)
    pid = _running_pid(layout)
    if pid is not None:
        _stop(pid)
    layout.pid.unlink(missing_ok=True)
    return HubStatus(layout, url, None, False)
