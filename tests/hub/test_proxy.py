"""configurable-http-proxy as the hub will start it: Debian's package runs under any Node."""

from __future__ import annotations

import subprocess
from pathlib import Path

from coursekit.config import CourseConfig
from coursekit.hub.setup import _proxy_command


def test_the_proxy_command_runs_without_the_repositorys_node_modules(tmp_path: Path) -> None:
    # A course root with no node_modules: the proxy comes from PATH (Debian's package,
    # which ./run installs), whatever Node is on the machine.
    command = _proxy_command(CourseConfig(root=tmp_path))
    done = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("4.")
