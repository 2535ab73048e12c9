"""Run one submission's phase 1 inside bubblewrap: no network, read-only system, limits.

What a sandboxed command sees and may do:

* a read-only ``/usr`` (with the usual ``/bin``, ``/lib`` links), a few files of ``/etc``,
  the Python environment and the ``coursekit`` package, read-only, at their host paths;
* its own scratch folder as the working directory: a small tmpfs of ``scratch_mb`` into which
  the submission's files are bound (files writable, folders read-only), and a private ``/tmp``
  (a small tmpfs, also ``HOME``) and ``/dev/shm``;
* nothing else of the host: not the course workspace, the gradebook, the assignment
  sources, other students' folders, ``/root`` or the host ``/tmp``;
* no network (a new network namespace holds only its own loopback), its own PID, IPC and
  UTS namespaces, a new session, and it dies with its parent;
* a seccomp filter (:mod:`coursekit.grading.seccomp`): no anonymous memory files, new
  namespaces, mounts, ``ptrace`` or other calls that would get round the limits below;
* ``PYTHONSAFEPATH``: nothing of the submission's folder comes before site-packages;
* an unprivileged user: when the grader runs as root, the command drops to a fresh uid of
  its own (so ``RLIMIT_NPROC`` counts only this sandbox's processes and is enforced, which
  it never is for root), with limits on address space, CPU seconds, processes, file size
  and open files (:class:`~coursekit.config.GradingLimits`), and a wall-clock limit
  (``notebook_timeout`` plus a short grace), after which the whole sandbox is ended.

The caller still kills the process group when :func:`wall_clock_seconds` have passed
(belt and braces). It reads what the command produced through a pipe it passes in (see
:mod:`coursekit.grading.twophase`), never from the scratch folder, which the sandbox can
write: nothing the student leaves there is read back, so it cannot be swapped for a link.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coursekit.config import GradingLimits
from coursekit.errors import CoursekitError
from coursekit.grading import seccomp

__all__ = [
    "NO_SANDBOX_WARNING",
    "TIMEOUT_EXIT_CODE",
    "Protection",
    "SandboxUnavailable",
    "cgroup_status",
    "check_available",
    "protections",
    "python_environment",
    "sandbox_uid",
    "wall_clock_seconds",
    "wrap_command",
]

NO_SANDBOX_WARNING = (
    "WARNING: grading WITHOUT the sandbox (--no-sandbox). Student code runs with your "
    "permissions: it can read and change the gradebook, the sources with solutions and other "
    "students' work, use the network and exhaust memory or processes. Use this only for "
    "trusted notebooks."
)
"""The text every unsandboxed grading run prints (terminal and JSON)."""

TIMEOUT_EXIT_CODE = 124
"""Exit status of a sandboxed command that ran out of wall-clock time."""

_SYSTEM_LINKS = {"/bin": "usr/bin", "/sbin": "usr/sbin", "/lib": "usr/lib", "/lib64": "usr/lib64"}
# The few files of /etc a Python kernel needs (user names, resolver, loader cache, time zone).
_ETC_FILES = (
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/hosts",
    "/etc/host.conf",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/mime.types",
    "/etc/fonts",
)
_UID_BASE = 1_000_000
_uid_counter = itertools.count()
_MIB = 1024 * 1024


class SandboxUnavailable(CoursekitError, RuntimeError):
    """The sandbox cannot run here; the message says why and what to do."""


def wall_clock_seconds(limits: GradingLimits) -> int:
    """Seconds after which the caller kills a sandbox's whole process group.

    Past ``limits.notebook_timeout``, the sandbox is stopped after one
    ``limits.kill_grace_seconds``, killed after two, and its process group after three.
    """
    return limits.notebook_timeout + 3 * limits.kill_grace_seconds


def sandbox_uid() -> int:
    """A fresh unprivileged uid for one sandbox, distinct from every other live sandbox.

    Built from this process's id and a counter, far above the uids of real accounts, so two
    sandboxes never share a process count (``RLIMIT_NPROC`` is counted per uid).
    """
    return _UID_BASE + os.getpid() * 64 + next(_uid_counter) % 64


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/bin:/bin")
    if found is None:
        raise SandboxUnavailable(_missing_message(name))
    return found


def _missing_message(name: str) -> str:
    package = {"bwrap": "bubblewrap", "setpriv": "util-linux", "prlimit": "util-linux"}[name]
    what = "bubblewrap (bwrap)" if name == "bwrap" else name
    return (
        f"{what} is not installed: install the Debian package '{package}', "
        "or pass --no-sandbox to grade unsandboxed (not recommended)"
    )


def python_environment() -> tuple[Path, ...]:
    """The folders the sandbox must read to run this Python with its packages.

    The interpreter's prefixes and library folders, folders that ``.pth`` files add (an
    editable install of ``coursekit``) and the ``coursekit`` package itself; folders inside
    another listed folder or under ``/usr`` (bound anyway) are left out.
    """
    found: set[Path] = set()
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        found.add(Path(prefix))
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        found.add(Path(sysconfig.get_path(key)))
    for lib in {Path(sysconfig.get_path("purelib")), Path(sysconfig.get_path("platlib"))}:
        found.update(_pth_folders(lib))
    found.add(Path(__file__).resolve().parents[1])
    resolved = {p.resolve() for p in found if p.exists()}
    resolved |= {p for p in found if p.exists() and not p.is_symlink()}
    return _outermost(p for p in resolved if not _is_within(p, Path("/usr")))


def _pth_folders(site: Path) -> list[Path]:
    folders: list[Path] = []
    for pth in sorted(site.glob("*.pth")):
        for line in pth.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "import ", "import\t")):
                folder = (site / line).resolve()
                if folder.is_dir():
                    folders.append(folder)
    return folders


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _outermost(paths: Iterable[Path]) -> tuple[Path, ...]:
    kept: list[Path] = []
    for path in sorted(set(paths), key=lambda p: len(p.parts)):
        if not any(_is_within(path, outer) for outer in kept):
            kept.append(path)
    return tuple(sorted(kept))


class _Mounts:
    """bwrap mount arguments, creating missing parent folders world-readable (0755)."""

    def __init__(self) -> None:
        self.args: list[str] = []
        self.dirs: set[Path] = {Path("/")}

    def _parents(self, dest: Path) -> None:
        for parent in reversed(dest.parents):
            if parent not in self.dirs:
                self.args += ["--perms", "0755", "--dir", str(parent)]
                self.dirs.add(parent)

    def bind(self, src: Path, dest: Path, *, writable: bool = False) -> None:
        self._parents(dest)
        self.args += ["--bind" if writable else "--ro-bind", str(src), str(dest)]
        self.dirs.add(dest)

    def tmpfs(self, dest: Path, *, size_mb: int, mode: str) -> None:
        self._parents(dest)
        self.args += ["--size", str(size_mb * _MIB), "--perms", mode, "--tmpfs", str(dest)]
        self.dirs.add(dest)


def _limits_argv(limits: GradingLimits) -> list[str]:
    return [
        _tool("prlimit"),
        f"--as={limits.memory_mb * _MIB}",
        f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_size_mb * _MIB}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "--",
    ]


def _drop_argv(uid: int) -> list[str]:
    return [
        _tool("setpriv"),
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        "--",
    ]


def _environment(scratch: Path, extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        # Nothing of the working directory (the submission) goes on sys.path before
        # site-packages: a `coursekit/` folder next to the notebook cannot shadow the package.
        "PYTHONSAFEPATH": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "COURSEKIT_SCRATCH": str(scratch),
        # glibc reserves 64 MiB of address space per thread arena: with a dozen kernel
        # threads that alone would fill RLIMIT_AS, so keep two arenas (measured: a kernel
        # with pandas loaded takes 380 MiB of address space instead of 900).
        "MALLOC_ARENA_MAX": "2",
        # One thread per numerical library: the pool runs submissions in parallel already.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.update(extra or {})
    return env


def _give_to(scratch: Path, uid: int) -> None:
    os.chown(scratch, uid, uid)
    for folder, dirs, files in os.walk(scratch):
        for name in (*dirs, *files):
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def wrap_command(
    argv: Sequence[str],
    *,
    scratch: Path,
    limits: GradingLimits,
    readable: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
    keep_fds: Sequence[int] = (),
) -> list[str]:
    """The command line that runs ``argv`` inside the sandbox, in ``scratch``.

    ``scratch`` (the copy of one submission) is the only writable host folder and the
    working directory; ``readable`` adds read-only folders or files at their host paths.
    When the grader runs as root, ``scratch`` is handed (recursively) to the fresh
    unprivileged uid the command runs as, so put the submission in it first. ``env``
    adds variables to the small clean environment. ``keep_fds`` are the descriptors the
    caller passes to the command (``Popen(pass_fds=...)``): the seccomp filter is opened on a
    number none of them uses. Run the result with
    ``subprocess.Popen(..., start_new_session=True)`` and kill the process group after
    :func:`wall_clock_seconds`; the command itself ends with :data:`TIMEOUT_EXIT_CODE`
    ``limits.kill_grace_seconds`` after ``limits.notebook_timeout`` seconds.
    """
    if not argv:
        raise ValueError("wrap_command needs a command to run")
    scratch = Path(scratch).resolve()
    if not scratch.is_dir():
        raise ValueError(f"{scratch}: the scratch folder does not exist; create it first")
    bwrap = _tool("bwrap")
    as_root = os.geteuid() == 0

    mounts = _Mounts()
    mounts.bind(Path("/usr"), Path("/usr"))
    mounts.dirs.add(Path("/usr"))
    system: list[str] = []
    for link, target in _SYSTEM_LINKS.items():
        if Path(link).exists():
            system += ["--symlink", target, link]
    mounts.args += system
    mounts.dirs.update(Path(link) for link in _SYSTEM_LINKS)
    for name in _ETC_FILES:
        if Path(name).exists():
            mounts.bind(Path(name).resolve(), Path(name))
    mounts.args += ["--proc", "/proc", "--dev", "/dev"]
    mounts.dirs.update({Path("/proc"), Path("/dev")})
    mounts.tmpfs(Path("/tmp"), size_mb=max(64, 4 * limits.file_size_mb), mode="1777")
    # POSIX semaphores and shared memory (multiprocessing) need a writable /dev/shm.
    mounts.tmpfs(Path("/dev/shm"), size_mb=64, mode="1777")
    for folder in python_environment():
        mounts.bind(folder, folder)
    for path in readable:
        host = Path(path).resolve()
        if not host.exists():
            raise ValueError(f"{host}: a path to show in the sandbox does not exist")
        mounts.bind(host, Path(path).absolute())
    # The working folder is a sized tmpfs, so what the code writes is bounded in all (the
    # file-size limit bounds one file, not how many); the submission's own files are bound
    # into it at their places, files writable (each still under the file-size limit), folders
    # read-only.
    mounts.tmpfs(scratch, size_mb=limits.scratch_mb, mode="1777")
    for entry in sorted(scratch.iterdir()):
        mounts.bind(entry, entry, writable=entry.is_file() and not entry.is_symlink())

    grace = limits.kill_grace_seconds
    stop_after = limits.notebook_timeout + grace
    inner = ["timeout", f"--kill-after={grace}", str(stop_after)]
    inner += _limits_argv(limits)
    if as_root:
        uid = sandbox_uid()
        _give_to(scratch, uid)
        inner += _drop_argv(uid)
    inner += list(argv)

    # bwrap reads the seccomp filter from a file descriptor: a shell opens it (on a number the
    # caller's own descriptors do not use) and execs bwrap, so the command stays one argv the
    # caller can run as it is.
    # (The shell takes one digit; only 0-2 and ``keep_fds`` are open in the child.)
    filter_fd = next(fd for fd in range(9, 2, -1) if fd not in keep_fds)
    command = [
        "/bin/sh",
        "-c",
        f'exec {filter_fd}<"$0" && exec "$@"',
        str(seccomp.filter_file()),
        bwrap,
        "--seccomp",
        str(filter_fd),
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "sandbox",
        "--die-with-parent",
        "--new-session",
        *mounts.args,
        "--remount-ro",
        "/",
        "--chdir",
        str(scratch),
        "--clearenv",
    ]
    for key, value in _environment(scratch, env).items():
        command += ["--setenv", key, value]
    return [*command, "--", *inner]


@functools.cache
def _probe() -> str | None:
    """Why the sandbox cannot start here, or ``None`` when it can."""
    if not sys.platform.startswith("linux"):
        return (
            f"the grading sandbox needs Linux with bubblewrap; this is {sys.platform}: "
            "grade on a Linux machine, or pass --no-sandbox to grade unsandboxed "
            "(not recommended)"
        )
    for tool in ("bwrap", "setpriv", "prlimit"):
        try:
            _tool(tool)
        except SandboxUnavailable as exc:
            return str(exc)
    try:
        seccomp.filter_file()
    except seccomp.SeccompUnavailable as exc:
        return str(exc)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="coursekit-probe-") as folder:
        command = wrap_command(["true"], scratch=Path(folder), limits=GradingLimits())
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap (bwrap) could not start a sandbox: {exc}"
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return (
            f"bubblewrap (bwrap) cannot create namespaces here ({detail[0]}): allow "
            "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), "
            "run the grader as root, or pass --no-sandbox to grade unsandboxed "
            "(not recommended)"
        )
    return None


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` unless sandboxed grading works on this machine."""
    reason = _probe()
    if reason is not None:
        raise SandboxUnavailable(reason)


@dataclass(frozen=True)
class Protection:
    """One protection of the sandbox and whether it is in force on this machine."""

    name: str
    active: bool
    detail: str

    def __str__(self) -> str:
        """The text the command line prints for it."""
        return f"[{'on' if self.active else 'off'}] {self.name}: {self.detail}"


def cgroup_status(root: Path = Path("/sys/fs/cgroup"), own: str | None = None) -> Protection:
    """Whether a delegated cgroup v2 subtree could bound memory and processes; never changes one.

    ``own`` is this process's cgroup (the ``0::`` line of ``/proc/self/cgroup``). The grader
    creates no cgroup: on a cgroup v1 machine they belong to the machine's own management, and
    on v2 only a subtree delegated to the grader may be used. This reports what the machine
    offers, so that an instructor knows which limit is missing.
    """
    if not (root / "cgroup.controllers").is_file():
        return Protection(
            "cgroup memory.max / pids.max",
            False,
            "this machine's cgroups are v1 (or absent); memory is bounded by the address-space "
            "limit, the seccomp filter and the sized tmpfs folders instead",
        )
    if own is None:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        own = next((line[3:] for line in lines if line.startswith("0::")), "/")
    mine = root / own.lstrip("/")
    try:
        enabled = set((mine / "cgroup.subtree_control").read_text().split())
    except OSError:
        enabled = set()
    delegated = {"memory", "pids"} <= enabled and os.access(mine, os.W_OK)
    if not delegated:
        return Protection(
            "cgroup memory.max / pids.max",
            False,
            f"cgroup v2, but {mine} is not delegated to this user with the memory and pids "
            "controllers; ask the machine's administrator for one (systemd Delegate=yes)",
        )
    return Protection(
        "cgroup memory.max / pids.max",
        False,
        f"a delegated cgroup v2 subtree ({mine}) is available but coursekit does not use it yet",
    )


def protections() -> list[Protection]:
    """What the sandbox enforces on this machine, each with whether it is in force."""
    reason = _probe()
    works = reason is None
    as_root = os.geteuid() == 0
    found = [
        Protection(
            "bubblewrap namespaces",
            works,
            "no network, own PID/IPC/UTS namespaces, read-only system, private /tmp"
            if works
            else str(reason),
        ),
        Protection(
            "seccomp filter",
            works,
            "no memfd_create, new namespaces, mounts, ptrace, bpf, io_uring, keyrings",
        ),
        Protection(
            "resource limits",
            works,
            "address space, CPU seconds, processes, file size, open files, wall clock",
        ),
        Protection(
            "sized tmpfs",
            works,
            "/tmp and /dev/shm are small memory file systems with a fixed size",
        ),
        Protection(
            "fresh unprivileged uid",
            works and as_root,
            "each submission runs as a uid of its own"
            if as_root
            else "the grader is not root, so submissions run as the grader's own uid",
        ),
        Protection(
            "safe import path",
            True,
            "PYTHONSAFEPATH: nothing of the submission's folder is imported before the course's "
            "packages",
        ),
    ]
    return [*found, cgroup_status()]
