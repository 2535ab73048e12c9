"""The seccomp filter of the grading sandbox: system calls that would escape its limits fail.

Resource limits (``prlimit``) do not count every kind of memory, and namespaces do not stop a
process from making new ones. So the sandbox also loads a seccomp filter (``bwrap --seccomp``)
that makes these calls fail with ``EPERM`` (``ENOSYS`` for ``clone3``, whose flags a filter
cannot read, so that the C library falls back to ``clone``):

* anonymous memory files (``memfd_create``): their pages are not counted by ``RLIMIT_AS``;
* new namespaces (``unshare``, ``setns``, ``clone`` with a namespace flag): a nested user
  namespace may mount a fresh, unsized tmpfs;
* mounting and changing root (``mount``, ``umount2``, ``pivot_root``, ``chroot``,
  ``fsopen``, ``fsmount``, ``move_mount``, ``open_tree``);
* reading or driving other processes (``ptrace``, ``process_vm_readv``,
  ``process_vm_writev``, ``kcmp``, ``pidfd_getfd``);
* kernel facilities a notebook never needs (``bpf``, ``perf_event_open``, ``userfaultfd``,
  the key ring, ``io_uring``, module and ``kexec`` loading, ``open_by_handle_at``).

The filter is built with libseccomp (through ``pyseccomp``) and written once per process to
a private file that :func:`filter_file` returns.
"""

from __future__ import annotations

import atexit
import errno
import functools
import os
import shutil
import tempfile
from pathlib import Path

from coursekit.errors import CoursekitError

__all__ = ["DENIED", "NAMESPACE_FLAGS", "SeccompUnavailable", "filter_file"]

DENIED = (
    "memfd_create",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "add_key",
    "request_key",
    "keyctl",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "open_by_handle_at",
    "name_to_handle_at",
    "acct",
    "swapon",
    "swapoff",
    "reboot",
    "settimeofday",
    "clock_settime",
    "adjtimex",
)
"""System calls that fail with ``EPERM`` inside the sandbox."""

NAMESPACE_FLAGS = {
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
    "CLONE_NEWTIME": 0x00000080,
}
"""``clone`` flags that make a new namespace; ``clone`` with any of them fails."""


class SeccompUnavailable(CoursekitError, RuntimeError):
    """The seccomp filter cannot be built here; the message says what to install."""


@functools.cache
def filter_file() -> Path:
    """A private file (``0600``, in a ``0700`` folder) holding the compiled BPF filter."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # the binding, or libseccomp.so.2 itself
        raise SeccompUnavailable(
            f"the grading sandbox's seccomp filter needs libseccomp and pyseccomp ({exc}): "
            "install the `instructor` extra and Debian's libseccomp2, or pass --no-sandbox "
            "to grade unsandboxed (not recommended)"
        ) from exc
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for flag in NAMESPACE_FLAGS.values():
        rules.add_rule(
            seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag)
        )
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    folder = Path(tempfile.mkdtemp(prefix="coursekit-seccomp-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "filter.bpf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        rules.export_bpf(handle)
    return path
