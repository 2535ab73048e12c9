"""The terminal side of the long commands: one rich progress line per stage, tools' logs in a file.

``demo``, ``book build`` and ``grade`` run inside a :class:`Terminal`. By default everything
the tools print (Sphinx, Jupyter kernels, nbgrader, alembic), from this process and from the
processes it starts, goes to a log file that the command names at the end; the terminal shows
only the stages, the notices and the summary. With ``verbose`` the tools' output streams to
the terminal instead and no log file is written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from coursekit.progress import Stage

if TYPE_CHECKING:
    from coursekit.grading.results import GradeRun

__all__ = ["Terminal", "paths", "runs_table", "stdout_console"]

_DONE = "[green]✓[/green]"
_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Error\b|Traceback")
_SHOWN = 20
_FAILED = "[red]✗[/red]"


def stdout_console() -> Console:
    """A console on the current ``sys.stdout`` (what a summary is printed to)."""
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


class _Sink(io.TextIOBase):
    """The log file as a text stream that drops what is written after it closes.

    Loggers set up during the command may keep a reference to ``sys.stderr``; once the
    command is over their late lines are dropped instead of failing on a closed file.
    """

    def __init__(self, file: IO[str]) -> None:
        self._file = file

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self._file.closed:
            self._file.write(text)
        return len(text)

    def flush(self) -> None:
        if not self._file.closed:
            self._file.flush()


class _Mark(SpinnerColumn):
    """The spinner of a running stage, ✓ once it is done, ✗ if it failed."""

    def render(self, task: Task) -> RenderableType:
        if task.fields.get("failed"):
            return Text.from_markup(_FAILED)
        return super().render(task)


class _Task:
    def __init__(self, bar: RichProgress | None, task: Any, total: int | None) -> None:
        self._bar, self._task, self._total, self.done = bar, task, total, 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(self._task, advance=count, count=self.count)

    @property
    def count(self) -> str:
        return f"{self.done}/{self._total}" if self._total else ""


class Terminal:
    """A :class:`coursekit.progress.Progress` for a terminal, used as a context manager.

    ``log`` is the file the tools' output goes to (unless ``verbose``); ``stream`` is where
    the stages are shown (the current ``sys.stderr`` by default).
    """

    def __init__(self, *, log: Path, verbose: bool = False, stream: IO[str] | None = None) -> None:
        """Show stages on ``stream``; send the tools' output to ``log`` unless ``verbose``."""
        self.log = None if verbose else log
        self._stream = stream
        self._stack = contextlib.ExitStack()
        self._bar: RichProgress | None = None
        self.console = Console(stderr=True)

    def __enter__(self) -> Terminal:
        """Start sending the tools' output to the log file."""
        stack = self._stack
        stream = self._stream if self._stream is not None else sys.stderr
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            file = stack.enter_context(self.log.open("w", encoding="utf-8", buffering=1))
            stream = stack.enter_context(_diverted(file, stream))
        self.console = Console(file=stream, highlight=False, soft_wrap=True)
        if self.console.is_terminal and self.log is not None:
            self._bar = RichProgress(
                _Mark(finished_text=_DONE),
                TextColumn("{task.description}"),
                TextColumn("{task.fields[count]}", style="progress.download"),
                TimeElapsedColumn(),
                console=self.console,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            stack.enter_context(self._bar)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop; after a failure, say where the full log is."""
        self._stack.close()
        self._bar = None
        self.console = Console(file=self._stream or sys.stderr, highlight=False, soft_wrap=True)
        if kind is not None and self.log is not None:
            problems = _problems(self.log)
            if problems:
                self.console.print(f"From the tools' output ({len(problems)} lines):")
                for line in problems:
                    self.console.print(f"  {line}", markup=False)
            self.console.print(f"The tools' full output is in {self.log}", markup=False)

    def stage(self, title: str, *, total: int | None = None) -> AbstractContextManager[Stage]:
        """One progress line for the ``with`` block: a spinner, then ✓ (or ✗) and the time."""
        return self._stage(title, total)

    @contextmanager
    def _stage(self, title: str, total: int | None) -> Iterator[Stage]:
        started = time.monotonic()
        if self._bar is not None:
            count = f"0/{total}" if total else ""
            task = self._bar.add_task(title, total=total, count=count, failed=False)
            try:
                yield _Task(self._bar, task, total)
            except BaseException:
                self._bar.update(task, failed=True)
                self._bar.stop_task(task)
                raise
            self._bar.update(task, total=total or 1, completed=total or 1)
            return
        if self.log is None:  # verbose: the tools' output comes between these lines
            self.console.print(f"… {title}")
        counter = _Task(None, None, total)
        try:
            yield counter
        except BaseException:
            self.console.print(f"{_FAILED} {title}")
            raise
        count = f" {counter.count}" if total else ""
        self.console.print(f"{_DONE} {title}{count} ({time.monotonic() - started:.0f} s)")

    def notice(self, text: str) -> None:
        """Show ``text`` (a warning about the results) above the progress lines."""
        self.console.print(Text(text, style="bold red"))


@contextmanager
def _diverted(log: IO[str], stream: IO[str]) -> Iterator[IO[str]]:
    """Send standard output and error to ``log``; yield a stream that still reaches ``stream``.

    When the standard streams are the process's file descriptors 1 and 2, those are
    redirected too, so the processes started meanwhile (kernels, Sphinx's workers) write to
    the log as well.
    """
    sink = _Sink(log)
    for handle in (sys.stdout, sys.stderr):
        handle.flush()
    saved: list[tuple[int, int]] = []
    shown: IO[str] = stream
    try:
        if _fd(stream) == 2 and _fd(sys.stdout) == 1:
            shown = os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace", buffering=1)
            for fd in (1, 2):
                saved.append((fd, os.dup(fd)))
                os.dup2(log.fileno(), fd)
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield shown
    finally:
        for handle in (sys.stdout, sys.stderr):
            handle.flush()
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)
        if shown is not stream:
            shown.close()


def _fd(stream: IO[str]) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _problems(log: Path) -> list[str]:
    """The log's warning and error lines (its last lines if it has none), at most 20."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    plain = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line).rstrip() for line in lines]
    found = [line for line in plain if _PROBLEM.search(line)]
    return (found or [line for line in plain if line])[-_SHOWN:]


def paths(console: Console, title: str, rows: Sequence[tuple[str, Path | str]]) -> None:
    """``title`` and one ``label  path`` line per row, labels aligned, paths never wrapped."""
    if not rows:
        return
    console.print(title, style="bold", markup=False)
    width = max(len(label) for label, _ in rows)
    for number, (label, path) in enumerate(rows, 1):
        console.print(f"  {number}. {label.ljust(width)}  {path}", markup=False, overflow="ignore")


def runs_table(runs: Sequence[GradeRun]) -> Table:
    """One row per grading run: submissions, how many were graded, which need a look, mean."""
    table = Table(title="Autograded parts", title_justify="left", title_style="bold")
    for name in ("assignment", "submissions", "graded", "to look at", "mean score"):
        table.add_column(name, justify="left" if name in ("assignment", "to look at") else "right")
    for run in runs:
        counts = run.counts()
        others = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s != "graded")
        scored = [r for r in run.results if r.max_score > 0]
        mean = (
            f"{sum(r.score for r in scored) / len(scored):.1f} / {scored[0].max_score:g}"
            if scored
            else "-"
        )
        table.add_row(
            run.assignment, str(len(run.results)), str(counts["graded"]), others or "-", mean
        )
    return table
