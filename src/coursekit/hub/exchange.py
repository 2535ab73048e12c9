"""The students' side of the hub's exchange: submissions only their student (and root) can read.

nbgrader's own submit leaves each submission in the exchange's inbound folder readable by
every user, and the submission's folder writable by every user ("hidden by the timestamp"):
anyone who learns a folder's name can read or change another student's work. On the hub the
instructor's tools run as root, so a submission can be private to its student; the hub's
student configuration makes nbgrader use :class:`PrivateSubmit`.
"""

from __future__ import annotations

import os

from nbgrader.exchange.default.submit import ExchangeSubmit

__all__ = ["PrivateSubmit"]


class PrivateSubmit(ExchangeSubmit):  # type: ignore[misc]
    """nbgrader's submit, then the submission made ``0700`` (folders) and ``0600`` (files)."""

    def copy_files(self) -> None:
        """Submit as nbgrader does, then take every permission but the owner's away."""
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        for folder, dirs, files in os.walk(dest):
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o700)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o600)
        os.chmod(dest, 0o700)
