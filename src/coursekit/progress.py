"""How a long-running function reports its stages: one ``with progress.stage(...)`` per stage.

The library's functions (the demo, grading) take a :class:`Progress` and say only what they
are doing, never how it is shown. The ``coursekit`` command passes one that draws a progress
line per stage and sends the tools' logs to a file; :class:`Lines` (the default) hands each
stage's title, and each notice, to a function such as ``print``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

__all__ = ["Lines", "Progress", "Stage"]


class Stage(Protocol):
    """A running stage: ``advance()`` counts its items done (students graded, pages built)."""

    def advance(self, count: int = 1) -> None:
        """Mark ``count`` more items of the stage done."""


class Progress(Protocol):
    """Where a function reports its stages and anything the user must see."""

    def stage(self, title: str, *, total: int | None = None) -> AbstractContextManager[Stage]:
        """A stage titled ``title`` (``total`` items, if known) for the ``with`` block."""

    def notice(self, text: str) -> None:
        """Something the user must read (a warning about the results), shown in any mode."""


class _Counter:
    def __init__(self) -> None:
        self.done = 0

    def advance(self, count: int = 1) -> None:
        self.done += count


class Lines:
    """A :class:`Progress` that passes ``"<title> …"`` and each notice to ``say`` (``print``)."""

    def __init__(self, say: Callable[[str], None] = print) -> None:
        """Report through ``say``."""
        self._say = say

    def stage(self, title: str, *, total: int | None = None) -> AbstractContextManager[Stage]:
        """Say ``title`` as the stage starts."""
        return self._stage(title)

    @contextmanager
    def _stage(self, title: str) -> Iterator[Stage]:
        self._say(f"{title} …")
        yield _Counter()

    def notice(self, text: str) -> None:
        """Say ``text``."""
        self._say(text)
