"""Tiny commands run directly under ``sandbox.wrap_command``: what they can and cannot do.

These run as root in CI with Debian's bubblewrap; a missing bwrap fails them (no skips).
Each containment test has a control that runs the same probe outside the sandbox, so it is
the sandbox, not the probe, that makes the difference.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursekit.config import GradingLimits
from coursekit.grading import sandbox
from coursekit.grading.sandbox import SandboxUnavailable, check_available, wrap_command
from tests.grading.conftest import recording_server

REPO = Path(__file__).resolve().parents[2]
SMALL = GradingLimits(
    memory_mb=256, cpu_seconds=5, processes=16, file_size_mb=1, open_files=32, notebook_timeout=20
)


def run(
    code: str,
    scratch: Path,
    *,
    limits: GradingLimits = SMALL,
    readable: tuple[Path, ...] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in the sandbox with ``scratch`` as its folder."""
    argv = [sys.executable, "-c", textwrap.dedent(code)]
    command = wrap_command(argv, scratch=scratch, limits=limits, readable=readable)
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, start_new_session=True
    )


def run_plain(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the same probe without the sandbox (the control)."""
    argv = [sys.executable, "-c", textwrap.dedent(code)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=cwd)


def processes_of(uid: int) -> list[int]:
    """Live processes whose real uid is ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) == uid:
                found.append(int(entry.name))
    return found


def gone(uid: int, within: float = 5) -> bool:
    """Whether every process of ``uid`` has ended within ``within`` seconds."""
    deadline = time.monotonic() + within
    while processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_of(uid) == []


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "students" / "alice" / "scratch"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def host_secrets(tmp_path: Path) -> dict[str, Path]:
    """Files a student must neither read nor change: gradebook, sources, a classmate's work."""
    paths = {
        "gradebook": tmp_path / "course" / "gradebook.db",
        "source": tmp_path / "course" / "source" / "hw" / "hw.ipynb",
        "classmate": tmp_path / "students" / "bob" / "hw.ipynb",
    }
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"secret {name}")
        path.chmod(0o666)  # so only the sandbox, not file modes, keeps a student out
        path.parent.chmod(0o777)
    return paths


def test_bubblewrap_is_available() -> None:
    check_available()


def test_missing_bwrap_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coursekit.grading.sandbox.shutil.which", lambda *a, **k: None)
    sandbox._probe.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match=r"bubblewrap \(bwrap\) is not installed"):
            check_available()
        with pytest.raises(SandboxUnavailable, match="--no-sandbox"):
            check_available()
    finally:
        sandbox._probe.cache_clear()


def test_not_linux_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coursekit.grading.sandbox.sys.platform", "darwin")
    sandbox._probe.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match=r"needs Linux.*darwin"):
            check_available()
    finally:
        sandbox._probe.cache_clear()


def test_no_sandbox_warning_is_loud() -> None:
    text = sandbox.NO_SANDBOX_WARNING
    assert text.startswith("WARNING")
    assert "--no-sandbox" in text
    assert "gradebook" in text


def test_runs_as_fresh_unprivileged_user_with_limits(scratch: Path) -> None:
    done = run(
        """
        import os, resource
        print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups())
        for name in ("AS", "CPU", "NPROC", "FSIZE", "NOFILE"):
            print(name, resource.getrlimit(getattr(resource, "RLIMIT_" + name))[0])
        print(open("/proc/self/status").read().split("CapEff:")[1].split()[0])
        """,
        scratch,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    uid, euid, gid, groups = lines[0].split(maxsplit=3)
    assert int(uid) == int(euid) == int(gid) >= sandbox._UID_BASE
    assert groups == "[]"
    assert scratch.stat().st_uid == int(uid), "scratch belongs to the sandbox user"
    limits = dict(line.split() for line in lines[1:6])
    assert limits == {
        "AS": str(256 * 2**20),
        "CPU": "5",
        "NPROC": "16",
        "FSIZE": str(2**20),
        "NOFILE": "32",
    }
    assert lines[6] == "0000000000000000", "no capabilities left"


def test_each_sandbox_gets_its_own_uid(scratch: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    wrap_command(["true"], scratch=scratch, limits=SMALL)
    wrap_command(["true"], scratch=other, limits=SMALL)
    assert scratch.stat().st_uid != other.stat().st_uid


WRITE_PROBE = """
import os, sys
results = {}
for path in sys.argv[1:] if len(sys.argv) > 1 else PATHS:
    try:
        with open(path, "a") as f:
            f.write("pwned")
        results[path] = "written"
    except OSError as exc:
        results[path] = type(exc).__name__
print(results)
"""


def test_writes_only_to_scratch_and_private_tmp(
    scratch: Path, host_secrets: dict[str, Path], tmp_path: Path
) -> None:
    targets = [
        *map(str, host_secrets.values()),
        str(REPO / "pyproject.toml"),
        str(REPO / "src" / "coursekit" / "__init__.py"),
        f"{sys.prefix}/pwned.txt",
        "/usr/pwned.txt",
        "/pwned.txt",
        "/etc/passwd",
        str(tmp_path / "pwned.txt"),
    ]
    probe = f"PATHS = {targets!r}\n" + WRITE_PROBE
    probe += "\nopen('mine.txt', 'w').write('ok'); open('/tmp/t.txt', 'w').write('ok')\n"
    before = {p: Path(p).read_bytes() if Path(p).exists() else None for p in targets}
    done = run(probe, scratch)
    assert done.returncode == 0, done.stderr
    results = ast.literal_eval(done.stdout)  # the probe prints a dict literal of strings
    assert all(result != "written" for result in results.values()), results
    after = {p: Path(p).read_bytes() if Path(p).exists() else None for p in targets}
    assert after == before
    assert not (scratch / "mine.txt").exists(), "new files stay in the sandbox's own scratch"
    assert not Path("/tmp/t.txt").exists(), "the sandbox's /tmp is private"


def test_write_probe_control_writes_without_sandbox(tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    done = run_plain(f"PATHS = {[str(target)]!r}\n" + WRITE_PROBE, tmp_path)
    assert "written" in done.stdout
    assert target.read_text() == "pwned"


READ_PROBE = """
import os, sys
seen = {}
for path in PATHS:
    try:
        with open(path, "rb") as f:
            seen[path] = f.read(20).decode(errors="replace")
    except OSError as exc:
        seen[path] = type(exc).__name__
print(seen)
print(sorted(os.listdir(os.path.dirname(os.getcwd()))))
"""


def test_cannot_see_gradebook_sources_classmates_or_root(
    scratch: Path, host_secrets: dict[str, Path]
) -> None:
    targets = [
        *map(str, host_secrets.values()),
        str(REPO / "pyproject.toml"),
        "/root/.bashrc",
        "/root/.ssh/authorized_keys",
        "/etc/shadow",
    ]
    done = run(f"PATHS = {targets!r}\n" + READ_PROBE, scratch)
    assert done.returncode == 0, done.stderr
    seen_line, siblings = done.stdout.splitlines()
    seen = ast.literal_eval(seen_line)  # a dict literal of strings
    assert all(value == "FileNotFoundError" for value in seen.values()), seen
    assert ast.literal_eval(siblings) == ["scratch"], (
        "only the own scratch folder exists in its parent"
    )


def test_read_probe_control_reads_without_sandbox(
    tmp_path: Path, host_secrets: dict[str, Path]
) -> None:
    done = run_plain(f"PATHS = {[str(host_secrets['gradebook'])]!r}\n" + READ_PROBE, tmp_path)
    assert "secret gradebook" in done.stdout


def test_python_environment_is_read_only_and_complete(scratch: Path) -> None:
    done = run(
        """
        import sys, coursekit, nbformat, nbclient, ipykernel
        print(sys.prefix, coursekit.__file__)
        """,
        scratch,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == sys.prefix


def test_private_tmp_and_shared_memory_work(scratch: Path) -> None:
    done = run(
        """
        import multiprocessing, tempfile
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"ok")
        with multiprocessing.Pool(2) as pool:
            print(pool.map(abs, [-1, -2]))
        """,
        scratch,
    )
    assert done.stdout.strip() == "[1, 2]", done.stderr


def test_extra_readable_paths_are_visible_read_only(scratch: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("shown")
    extra.chmod(0o666)  # only the read-only mount may stop the write
    probe = f"""
    print(open({str(extra)!r}).read())
    try:
        open({str(extra)!r}, "a").write("x")
    except OSError as exc:
        print(errno.errorcode[exc.errno])
    """
    done = run("import errno\n" + textwrap.dedent(probe), scratch, readable=(extra,))
    assert done.stdout.split() == ["shown", "EROFS"], done.stderr
    assert extra.read_text() == "shown"


def test_environment_is_clean(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSEKIT_TEST_SECRET", "hunter2")
    done = run("import os; print(sorted(os.environ))", scratch)
    assert "COURSEKIT_TEST_SECRET" not in done.stdout
    assert "HOME" in done.stdout


@pytest.fixture
def host_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1 recording what connects to it."""
    with recording_server() as server:
        yield server


NET_PROBE = """
import socket
results = []
for host, port in TARGETS:
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.sendall(b"LEAK")
        results.append("connected")
    except OSError as exc:
        results.append(type(exc).__name__)
print(results)
"""


def test_no_network(scratch: Path, host_server: tuple[int, list[bytes]]) -> None:
    port, received = host_server
    targets = [("127.0.0.1", port), ("1.1.1.1", 53)]
    done = run(f"TARGETS = {targets!r}\n" + NET_PROBE, scratch)
    assert done.returncode == 0, done.stderr
    assert "connected" not in done.stdout, done.stdout
    time.sleep(0.3)
    assert received == []


def test_network_probe_control_connects_without_sandbox(
    tmp_path: Path, host_server: tuple[int, list[bytes]]
) -> None:
    port, received = host_server
    done = run_plain(f"TARGETS = {[('127.0.0.1', port)]!r}\n" + NET_PROBE, tmp_path)
    assert "connected" in done.stdout
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received == [b"LEAK"]


def test_fork_bomb_is_stopped_by_the_process_limit(scratch: Path) -> None:
    done = run(
        """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                children += 1
        except OSError as exc:
            print(children, type(exc).__name__)
        """,
        scratch,
    )
    uid = scratch.stat().st_uid
    children, error = done.stdout.split()
    assert int(children) < SMALL.processes
    assert error == "BlockingIOError"
    assert gone(uid), "the sleeping children end with the sandbox"


def test_memory_bomb_gets_memory_error(scratch: Path) -> None:
    done = run(
        """
        hog = []
        try:
            while True:
                hog.append(bytearray(32 * 1024 * 1024))
        except MemoryError:
            print("MemoryError after", len(hog) * 32, "MiB")
        """,
        scratch,
    )
    assert done.stdout.startswith("MemoryError after"), done.stderr
    assert int(done.stdout.split()[2]) <= SMALL.memory_mb


def test_cpu_limit_kills_a_busy_loop(scratch: Path) -> None:
    limits = GradingLimits(cpu_seconds=1, notebook_timeout=30)
    started = time.monotonic()
    done = run("while True: pass", scratch, limits=limits)
    assert done.returncode != 0
    assert time.monotonic() - started < 15


def test_file_size_and_open_files_limits(scratch: Path) -> None:
    done = run(
        """
        import errno
        try:
            open("big.bin", "wb").write(b"x" * (4 * 1024 * 1024))
        except OSError as exc:
            print(errno.errorcode[exc.errno])
        handles = []
        try:
            while True:
                handles.append(open("/dev/null"))
        except OSError as exc:
            print(errno.errorcode[exc.errno], len(handles))
        """,
        scratch,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "EFBIG", done.stderr
    assert lines[1].split()[0] == "EMFILE"
    assert int(lines[1].split()[1]) < SMALL.open_files
    assert not (scratch / "big.bin").exists(), "written in the sandbox's own scratch"


def test_wall_clock_limit_ends_the_sandbox(scratch: Path) -> None:
    limits = GradingLimits(notebook_timeout=1)
    started = time.monotonic()
    done = run("import time; time.sleep(60)", scratch, limits=limits)
    assert done.returncode == sandbox.TIMEOUT_EXIT_CODE
    assert time.monotonic() - started < 10


def test_a_sandbox_that_ignores_the_stop_is_killed_after_the_courses_grace(
    scratch: Path,
) -> None:
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    limits = GradingLimits(notebook_timeout=1, kill_grace_seconds=1)
    started = time.monotonic()
    done = run(stubborn, scratch, limits=limits)
    took = time.monotonic() - started
    assert done.returncode != 0
    assert 2 <= took < 6, f"stopped at 2 s, killed at 3 s; took {took:.1f} s"


def test_killing_the_process_group_leaves_nothing_behind(scratch: Path) -> None:
    argv = [sys.executable, "-c", "import os, time; os.fork(); os.fork(); time.sleep(60)"]
    command = wrap_command(argv, scratch=scratch, limits=SMALL)
    uid = scratch.stat().st_uid
    proc = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 10
    while len(processes_of(uid)) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(processes_of(uid)) == 4
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert gone(uid)


def test_bad_arguments_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        wrap_command(["true"], scratch=tmp_path / "nope", limits=SMALL)
    with pytest.raises(ValueError, match="needs a command"):
        wrap_command([], scratch=tmp_path, limits=SMALL)
    with pytest.raises(ValueError, match="does not exist"):
        wrap_command(["true"], scratch=tmp_path, limits=SMALL, readable=(tmp_path / "x",))


def test_python_environment_paths_leave_out_the_course() -> None:
    paths = sandbox.python_environment()
    assert Path(sys.prefix).resolve() in paths or any(
        Path(sys.prefix).resolve().is_relative_to(p) for p in paths
    )
    for path in paths:
        assert path != REPO, path
        assert not REPO.is_relative_to(path), path
        assert not path.is_relative_to(REPO / "tests")
        assert not path.is_relative_to(REPO / "assignments")


# Each escape from the limits below is paired with the same probe run outside the sandbox,
# where it succeeds: the sandbox, not the probe, makes the difference.
ESCAPES = {
    "memfd": """
        import os
        fd = os.memfd_create("hoard")
        os.ftruncate(fd, 1 << 20)
        print("escaped")
        """,
    "user namespace": """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(0x10000000 | 0x00020000) == 0:  # CLONE_NEWUSER | CLONE_NEWNS
            print("escaped")
        else:
            print(os.strerror(ctypes.get_errno()))
        """,
    "ptrace": """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        pid = os.fork()
        if pid == 0:
            import time; time.sleep(5); os._exit(0)
        if libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
            print("escaped")
        else:
            print(os.strerror(ctypes.get_errno()))
        os.kill(pid, 9)
        """,
}


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_calls_that_escape_the_limits_fail_in_the_sandbox(escape: str, scratch: Path) -> None:
    done = run(ESCAPES[escape], scratch)
    assert "escaped" not in done.stdout
    assert "Operation not permitted" in done.stdout + done.stderr, done.stderr


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_escape_probe_control_succeeds_without_sandbox(escape: str, tmp_path: Path) -> None:
    assert run_plain(ESCAPES[escape], tmp_path).stdout.strip() == "escaped"


def test_shared_memory_is_capped_by_its_tmpfs(scratch: Path) -> None:
    done = run(
        """
        import errno
        try:
            with open("/dev/shm/hoard", "wb") as f:
                for _ in range(200):
                    f.write(b"x" * (1 << 20))
            print("escaped")
        except OSError as exc:
            print(errno.errorcode[exc.errno])
        """,
        scratch,
        limits=GradingLimits(file_size_mb=512, memory_mb=256, notebook_timeout=20),
    )
    assert done.stdout.strip() == "ENOSPC", done.stderr


SHADOW = "import coursekit, os; print(os.path.dirname(coursekit.__file__))"


def test_a_package_beside_the_notebook_does_not_shadow_the_real_one(scratch: Path) -> None:
    (scratch / "coursekit").mkdir()
    (scratch / "coursekit" / "__init__.py").write_text("")
    done = run(SHADOW, scratch)
    assert done.stdout.strip() == str(REPO / "src" / "coursekit"), done.stderr


def test_shadow_package_control_shadows_without_safe_path(tmp_path: Path) -> None:
    (tmp_path / "coursekit").mkdir()
    (tmp_path / "coursekit" / "__init__.py").write_text("")
    argv = [sys.executable, "-c", SHADOW]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert done.stdout.strip() == str(tmp_path / "coursekit")


def test_cgroup_v1_or_none_is_reported_as_off(tmp_path: Path) -> None:
    status = sandbox.cgroup_status(tmp_path)
    assert not status.active
    assert "v1" in status.detail


def _cgroup_v2(root: Path, own: str, enabled: str) -> None:
    (root / "cgroup.controllers").write_text("cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text("memory pids\n")  # the root's, not ours
    (root / own).mkdir(parents=True)
    (root / own / "cgroup.subtree_control").write_text(enabled)


def test_cgroup_v2_without_delegation_to_our_own_cgroup_is_reported_as_off(
    tmp_path: Path,
) -> None:
    _cgroup_v2(tmp_path, "user.slice/session-1.scope", "cpu\n")
    status = sandbox.cgroup_status(tmp_path, "/user.slice/session-1.scope")
    assert not status.active
    assert "Delegate=yes" in status.detail
    assert "session-1.scope" in status.detail


def test_a_delegated_cgroup_v2_subtree_of_our_own_is_reported_as_unused(tmp_path: Path) -> None:
    _cgroup_v2(tmp_path, "grader.service", "memory pids\n")
    status = sandbox.cgroup_status(tmp_path, "/grader.service")
    assert not status.active
    assert "does not use it yet" in status.detail


def test_the_sandbox_command_lists_what_is_in_force() -> None:
    from click.testing import CliRunner

    from coursekit.cli import main

    result = CliRunner().invoke(main, ["sandbox"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("[on] bubblewrap namespaces")
    assert "[on] seccomp filter" in result.output
    assert len(lines) == 7
    assert lines[-1].startswith("[off] cgroup")


FILL_SCRATCH = """
import errno
written = 0
try:
    for n in range(64):
        with open(f"fill{n}.bin", "wb") as f:
            f.write(b"x" * (1 << 20))
        written += 1
    print("escaped", written)
except OSError as exc:
    print(errno.errorcode[exc.errno], written)
"""


def test_the_working_folder_holds_at_most_scratch_mb(scratch: Path) -> None:
    (scratch / "data.csv").write_text("a,b\n1,2\n")
    probe = (
        "print(open('data.csv').read().splitlines()[1]); open('data.csv', 'a').write('3,4\\n')\n"
        + FILL_SCRATCH
    )
    done = run(probe, scratch, limits=GradingLimits(file_size_mb=2, scratch_mb=16))
    first, second = done.stdout.split("\n")[:2]
    assert first == "1,2", done.stderr
    outcome, written = second.split()
    assert outcome == "ENOSPC"
    assert int(written) <= 16
    assert (scratch / "data.csv").read_text() == "a,b\n1,2\n3,4\n", "its own file, written"
    assert not list(scratch.glob("fill*")), "nothing it wrote reached the course's disk"


def test_fill_scratch_control_fills_the_disk_without_sandbox(tmp_path: Path) -> None:
    assert run_plain(FILL_SCRATCH, tmp_path).stdout.split() == ["escaped", "64"]


@pytest.mark.parametrize("fd", [9, 5])
def test_a_descriptor_passed_in_reaches_the_command_whatever_its_number(
    scratch: Path, fd: int
) -> None:
    # The seccomp filter is opened on a descriptor of its own; a caller's descriptor 9 (the
    # record pipe of phase 1 landed there when the command line held more files open) must
    # reach the command, not be replaced by the filter. A child process plays the caller, so
    # the numbers are free there.
    inner = [sys.executable, "-c", f"import os; os.write({fd}, b'through the sandbox')"]
    command = wrap_command(inner, scratch=scratch, limits=SMALL, keep_fds=(fd,))
    caller = textwrap.dedent(
        f"""
        import os, subprocess, sys
        read_end, write_end = os.pipe()
        os.dup2(write_end, {fd})
        done = subprocess.run({command!r}, pass_fds=({fd},), capture_output=True, timeout=60)
        os.close({fd})
        os.close(write_end)
        sys.stdout.write(os.read(read_end, 100).decode() + "|" + done.stderr.decode()[-300:])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", caller], capture_output=True, text=True, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("through the sandbox|"), done.stdout
