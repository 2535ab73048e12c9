"""Former home of the gradebook helpers, now in :mod:`coursekit.grading.nbgrader_api`.

Kept only so that imports not yet switched keep working; import from ``nbgrader_api``.
"""

from __future__ import annotations

from coursekit.grading.nbgrader_api import (
    ensure_gradebook,
    fast_sqlite_commits,
    open_gradebook,
    quiet_nbgrader,
)

__all__ = ["ensure_gradebook", "fast_sqlite_commits", "open_gradebook", "quiet_nbgrader"]
