"""The student install, as README gives it, in a fresh environment opens a released notebook.

A new virtual environment gets ``pip install ".[student]"`` (from PyPI, like a student's
laptop); its ``jupyter lab`` serves a notebook released by ``nbgrader generate_assignment``,
loads nbgrader's Lab extensions, and its Validate endpoint runs the notebook on that
environment's own kernel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.assignments.nbcourse import make_course
from tests.conftest import REPO

pytestmark = pytest.mark.slow

ASSIGNMENT = "a1-timeline"
TOKEN = "student-test-token"


def _package_copy(dest: Path) -> Path:
    """What pip needs to build coursekit, copied so the build leaves the worktree alone."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(
        REPO / "src",
        dest / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    return dest


@pytest.fixture(scope="module")
def student_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the student install and nothing else."""
    base = tmp_path_factory.mktemp("student")
    env = base / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=300)
    package = _package_copy(base / "coursekit")
    done = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "install", "-q", f"{package}[student]"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return env


def _jupyter_env(base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV"))}
    for name in ("config", "data", "runtime"):
        (base / f"jupyter-{name}").mkdir(exist_ok=True)
        env[f"JUPYTER_{name.upper()}_DIR"] = str(base / f"jupyter-{name}")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def _request(url: str, data: bytes | None = None) -> Any:
    request = urllib.request.Request(
        url, data=data, headers={"Authorization": f"token {TOKEN}"}, method="POST" if data else None
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        body = response.read().decode()
    return json.loads(body) if body.lstrip().startswith(("{", "[")) else body


@pytest.fixture(scope="module")
def lab(student_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fresh environment's ``jupyter lab`` serving a folder with one released notebook."""
    base = tmp_path_factory.mktemp("lab")
    released = make_course(base / "course", ASSIGNMENT).generate()
    assert released.cells, "generate_assignment wrote an empty notebook"
    home = base / "home"
    (home / ASSIGNMENT).mkdir(parents=True)
    shutil.copy2(
        base / "course" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", home / ASSIGNMENT
    )
    env = _jupyter_env(base)
    log = (base / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(student_env / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            "--port=0",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={home}",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # the test machines run as root
        ],
        env=env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        runtime = base / "jupyter-runtime"
        deadline = time.monotonic() + 120
        info: list[Path] = []
        while not info and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.5)
            info = list(runtime.glob("jpserver-*.json"))
        assert info, (base / "lab.log").read_text()
        url = json.loads(info[0].read_text())["url"].rstrip("/")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_the_student_install_has_jupyterlab_and_nbgraders_student_extensions(
    student_env: Path, tmp_path: Path
) -> None:
    listed = subprocess.run(
        [str(student_env / "bin" / "jupyter"), "server", "extension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=_jupyter_env(tmp_path),
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)
    for extension in ("validate_assignment", "assignment_list"):
        assert f"nbgrader.server_extensions.{extension} enabled" in output, output


def test_jupyterlab_from_the_student_install_opens_the_released_notebook(lab: str) -> None:
    model = _request(f"{lab}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?content=1")
    assert model["type"] == "notebook"
    sources = [cell["source"] for cell in model["content"]["cells"]]
    assert any("YOUR CODE HERE" in s or "YOUR ANSWER HERE" in s for s in sources)
    assert not any("BEGIN SOLUTION" in s or "BEGIN HIDDEN TESTS" in s for s in sources)
    page = _request(f"{lab}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    assert "@jupyter/nbgrader" in page  # Lab loads nbgrader's Validate and Assignments tab


def test_validate_runs_the_released_notebook_on_the_student_environments_kernel(lab: str) -> None:
    result = _request(
        f"{lab}/assignments/validate",
        json.dumps({"path": f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"}).encode(),
    )
    assert result["success"] is True, result
    report = result["value"]
    # Unanswered, the notebook runs (coursekit and its data load in that kernel) and the
    # tests under the answers fail; no error comes from a missing module.
    assert report.get("failed"), report
    errors = " ".join(cell["raw_error"] for cell in report["failed"])
    assert "ModuleNotFoundError" not in errors, errors
    assert "ImportError" not in errors, errors
