"""The one base of coursekit's own errors: a message naming the file or setting and the fix.

The ``coursekit`` command prints a :class:`CoursekitError` as one line and exits with status 1;
any other exception is a bug and keeps its traceback. Each subclass also derives from the
built-in type callers caught before (``ValueError`` or ``RuntimeError``), so existing
``except`` clauses keep working.
"""

from __future__ import annotations

__all__ = ["CoursekitError"]


class CoursekitError(Exception):
    """An expected failure the user can fix; the message says which file, cell or row, and how."""
