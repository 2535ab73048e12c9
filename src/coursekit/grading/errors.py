"""The one error type of the grading pipeline: a message that names the file and the fix."""

from __future__ import annotations

__all__ = ["GradingError"]


class GradingError(RuntimeError):
    """A grading step cannot go on; the message says which file or setting and what to do."""
