"""uv.lock matches pyproject.toml: a dependency changed without relocking fails here first."""

from __future__ import annotations

import subprocess
import sysconfig
from pathlib import Path

from tests.conftest import REPO


def test_uv_lock_is_up_to_date_with_pyproject(tmp_path: Path) -> None:
    uv = Path(sysconfig.get_path("scripts")) / "uv"  # the dev group's, as ./run installs it
    done = subprocess.run(
        [str(uv), "lock", "--check", "--offline", "--cache-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"run `uv lock` and commit uv.lock:\n{done.stderr}"
