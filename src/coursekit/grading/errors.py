"""The one error type of the grading pipeline: a message that names the file and the fix."""

from __future__ import annotations

from coursekit.errors import CoursekitError

__all__ = ["GradingError"]


class GradingError(CoursekitError, RuntimeError):
    """A grading step cannot go on; the message says which file or setting and what to do."""
