"""./run: each step does only what is missing; without root it prints the apt-get line and stops.

No root and no network: a fake ``dpkg-query`` says which system packages are installed, a
fake ``apt-get`` records any call, and the "everything present" machine is a tiny project
synced offline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import textwrap
from pathlib import Path

import pytest

from coursekit.book.assets import locked_packages
from tests.conftest import REPO

EVERY_PACKAGE = (
    "python3-venv bubblewrap libseccomp2 chromium postgresql libpam0g node-configurable-http-proxy"
)


def _fake_tools(bin_dir: Path, *, uid: int) -> None:
    bin_dir.mkdir(exist_ok=True)
    scripts = {
        # answers like dpkg-query -W -f='${db:Status-Abbrev}' PKG for the packages in $INSTALLED
        "dpkg-query": 'for p in $INSTALLED; do [ "$p" = "${@: -1}" ] && printf "ii " '
        "&& exit 0; done; exit 1",
        # records the call; "update" works, "install" fails (so ./run must stop there)
        "apt-get": 'echo "apt-get $*" >> "$APT_LOG"; [ "$1" = update ]',
        "id": f"echo {uid}",
    }
    for name, body in scripts.items():
        (bin_dir / name).write_text(f"#!/usr/bin/env bash\n{body}\n")
        (bin_dir / name).chmod(0o755)


def _env(tmp_path: Path, installed: str, *, uid: int = 1000) -> dict[str, str]:
    _fake_tools(tmp_path / "fakebin", uid=uid)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(
        PATH=f"{tmp_path / 'fakebin'}:{env['PATH']}",
        INSTALLED=installed,
        APT_LOG=str(tmp_path / "apt.log"),
        UV_OFFLINE="1",
        UV_CACHE_DIR=str(tmp_path / "uv-cache"),
    )
    return env


def _checkout(tmp_path: Path) -> Path:
    """The files ./run reads, copied from the repository (no .venv, no node_modules)."""
    root = tmp_path / "repo"
    for name in ("run", "README.md", "pyproject.toml", "uv.lock", "package-lock.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, root / name)
    assets = root / "src" / "coursekit" / "book" / "assets.py"
    assets.parent.mkdir(parents=True)
    shutil.copy2(REPO / "src" / "coursekit" / "book" / "assets.py", assets)
    return root


def _run(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / "run"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- test-command -->")[1].split("<!-- /test-command -->")[0]
    return next(line for line in block.splitlines() if line and not line.startswith("```"))


def test_dry_run_on_a_bare_machine_lists_every_step_and_changes_nothing(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    done = _run(root, _env(tmp_path, installed=""), "--dry-run", "test")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        "would install system packages: apt-get update && apt-get install -y "
        f"--no-install-recommends {EVERY_PACKAGE}" in out
    )
    assert "would create the Python environment: python3 -m venv .venv" in out
    assert "would install uv 0.13.9 into .venv" in out
    assert "would install the Python packages from uv.lock" in out
    assert "would fetch the book's JavaScript" in out
    assert f"would run the tests: {_readme_test_command()}" in out
    assert not (root / ".venv").exists()
    assert not (root / "node_modules").exists()
    assert not (tmp_path / "apt.log").exists()


def test_the_demo_needs_fewer_system_packages_than_the_tests(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    done = _run(root, _env(tmp_path, installed="python3-venv"), "--dry-run", "demo")
    assert "--no-install-recommends bubblewrap libseccomp2\n" in done.stdout
    assert "would run the demo: .venv/bin/coursekit demo" in done.stdout


def test_without_root_it_prints_the_one_apt_get_line_and_stops(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    done = _run(root, _env(tmp_path, installed="python3-venv bubblewrap"), "test")
    assert done.returncode == 1
    missing = "libseccomp2 chromium postgresql libpam0g node-configurable-http-proxy"
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        f"{missing}" in done.stderr
    )
    assert not (root / ".venv").exists()  # stopped before anything else
    assert not (tmp_path / "apt.log").exists()


def test_as_root_it_installs_only_the_missing_packages_and_stops_if_that_fails(
    tmp_path: Path,
) -> None:
    root = _checkout(tmp_path)
    others = EVERY_PACKAGE.replace(" chromium", "").replace(" postgresql", "")
    done = _run(root, _env(tmp_path, installed=others, uid=0), "test")
    assert done.returncode != 0
    assert (tmp_path / "apt.log").read_text().splitlines() == [
        "apt-get update -qq",
        "apt-get install -y --no-install-recommends chromium postgresql -qq",
    ]
    assert not (root / ".venv").exists()


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    """A tiny project on a machine where everything is present: synced venv, JS assets."""
    root = _checkout(tmp_path)
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [project]
            name = "tiny"
            version = "0"
            requires-python = ">=3.11"
            dependencies = []

            [tool.uv]
            package = false
            """
        )
    )
    subprocess.run(["python3", "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    uv = Path(sysconfig.get_path("scripts")) / "uv"  # the dev group's, as ./run installs it
    (root / ".venv" / "bin" / "uv").symlink_to(uv)
    # one package the lock does not list, so that the first set-up has something to do
    site = next((root / ".venv" / "lib").glob("python3*")) / "site-packages"
    stray = site / "stray-1.0.dist-info"
    stray.mkdir(parents=True)
    (stray / "METADATA").write_text("Metadata-Version: 2.1\nName: stray\nVersion: 1.0\n")
    (stray / "INSTALLER").write_text("pip\n")
    (stray / "RECORD").write_text(
        "stray-1.0.dist-info/METADATA,,\nstray-1.0.dist-info/INSTALLER,,\n"
        "stray-1.0.dist-info/RECORD,,\n"
    )
    env = _env(tmp_path, installed=EVERY_PACKAGE)
    subprocess.run([uv, "lock"], cwd=root, env=env, check=True, capture_output=True)
    modules = root / "node_modules"
    for package in locked_packages(root / "package-lock.json"):
        meta = {"name": package.name, "version": package.version}
        (modules / package.name).mkdir(parents=True)
        (modules / package.name / "package.json").write_text(json.dumps(meta))
        for used in package.paths:
            (modules / package.name / used).parent.mkdir(parents=True, exist_ok=True)
            (modules / package.name / used).write_text("/* used */")
    return root


def test_on_a_ready_machine_the_second_setup_does_nothing(tmp_path: Path, ready: Path) -> None:
    env = _env(tmp_path, installed=EVERY_PACKAGE)
    first = _run(ready, env, "setup")
    assert first.returncode == 0, first.stderr
    assert "== install the Python packages from uv.lock" in first.stdout
    assert not any((ready / ".venv" / "lib").glob("python3*/site-packages/stray-1.0.dist-info"))
    lock_time = (ready / "uv.lock").stat().st_mtime_ns
    again = _run(ready, env, "--dry-run", "test")
    assert again.returncode == 0, again.stderr
    assert [line for line in again.stdout.splitlines() if "would" in line] == [
        f"== would run the tests: {_readme_test_command()}"
    ]
    second = _run(ready, env, "setup")
    assert second.stdout.splitlines() == [
        "== system packages: all present",
        "== Python environment: .venv present",
        "== uv 0.13.9: present",
        "== Python packages: in sync with uv.lock",
        "== JavaScript assets: present",
        "== set up",
    ]
    assert (ready / "uv.lock").stat().st_mtime_ns == lock_time
    assert not (tmp_path / "apt.log").exists()
