"""An in-process IPython shell that runs cells and keeps their outputs in nbformat's shape.

Both grading phases run cells with it: phase 1 (:mod:`coursekit.grading.capture`) the
student's cells, inside the sandbox; phase 2 (:mod:`coursekit.grading.check`) the
instructor's tests. It is IPython's own ``InteractiveShell`` (the shell inside ``ipykernel``:
same transformers, magics, ``display`` and last-expression results) without a kernel: its
display hook, display publisher, tracebacks and ``sys.stdout``/``sys.stderr`` write into a
list of outputs as nbclient would have written them (stream, display_data, execute_result,
error). A cell runs under a timer that interrupts it like a kernel interrupt
(``KeyboardInterrupt``); one that ran past it gets nbgrader's ``CellTimeoutError`` output.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

__all__ = ["CELL_TIMEOUT_ERROR", "CellOutcome", "GradingShell", "make_shell"]

CELL_TIMEOUT_ERROR = {
    "output_type": "error",
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}
"""nbgrader's ``Execute.error_on_timeout``: a cell timeout reads (and scores) the same."""
_CUT = "[output cut: this cell printed more than the grader keeps]"
_SHORT_RESULT = 200


@dataclass
class CellOutcome:
    """What one cell left: its outputs, its execution count, whether it failed or timed out."""

    outputs: list[dict[str, Any]] = field(default_factory=list)
    execution_count: int | None = None
    error: bool = False
    timed_out: bool = False


class _Sink:
    """Where a running cell's outputs go, with a cap on the characters kept."""

    def __init__(self, limit: int) -> None:
        self.outputs: list[dict[str, Any]] = []
        self.room = limit

    def add(self, out: dict[str, Any]) -> None:
        size = len(str(out.get("text", ""))) + len(str(out.get("data", "")))
        size += len(str(out.get("traceback", "")))
        if size > self.room:
            out = _cut(out, self.room)
        self.room -= size
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        if self.room <= 0:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            keep = text[: self.room]
            last["text"] += keep + (f"\n{_CUT}\n" if len(keep) < len(text) else "")
            self.room -= len(text)
            return
        self.add({"output_type": "stream", "name": name, "text": text})


def _cut(out: dict[str, Any], room: int) -> dict[str, Any]:
    out = dict(out)
    if out["output_type"] == "stream":
        out["text"] = out["text"][: max(room, 0)] + f"\n{_CUT}\n"
    elif out["output_type"] == "error":
        out["evalue"] = str(out["evalue"])[:_SHORT_RESULT]
        out["traceback"] = [f"{out['ename']}: {out['evalue']}", _CUT]
    else:
        plain = out.get("data", {}).get("text/plain", "")
        keep = out["output_type"] == "execute_result" and len(plain) <= _SHORT_RESULT
        out["data"] = {"text/plain": plain if keep else _CUT}
    return out


class _Stream:
    """A text stream (``sys.stdout`` or ``sys.stderr``) writing into the current cell's outputs."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, shell: GradingShell, name: str) -> None:
        self._shell, self.name = shell, name

    def write(self, text: str) -> int:
        sink = self._shell.sink
        if sink is not None and text:
            sink.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


class _Hook(DisplayHook):  # type: ignore[misc]
    """The last expression's value becomes an ``execute_result``."""

    def start_displayhook(self) -> None:
        return None

    def write_output_prompt(self) -> None:
        return None

    def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
        sink = getattr(self.shell, "sink", None)
        if sink is not None:
            sink.add(
                {
                    "output_type": "execute_result",
                    "execution_count": self.shell.execution_count,
                    "data": dict(format_dict),
                    "metadata": dict(md_dict or {}),
                }
            )

    def finish_displayhook(self) -> None:
        return None


class _Publisher(DisplayPublisher):  # type: ignore[misc]
    """``display(...)`` becomes a ``display_data`` output."""

    def publish(self, data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
        sink = getattr(self.shell, "sink", None)
        if sink is not None:
            sink.add(
                {
                    "output_type": "display_data",
                    "data": dict(data),
                    "metadata": dict(metadata or {}),
                }
            )

    def clear_output(self, wait: bool = False) -> None:
        sink = getattr(self.shell, "sink", None)
        if sink is not None:
            sink.outputs.clear()


class GradingShell(InteractiveShell):  # type: ignore[misc]
    """IPython's shell with outputs collected per cell instead of printed."""

    sink: _Sink | None = None

    def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
        if self.sink is not None:
            self.sink.add(
                {
                    "output_type": "error",
                    "ename": getattr(etype, "__name__", str(etype)),
                    "evalue": _safe_str(evalue),
                    "traceback": [str(line) for line in stb],
                }
            )

    def run(self, source: str, *, timeout: float, limit: int) -> CellOutcome:
        """Run one cell; a cell still running after ``timeout`` seconds is interrupted."""
        self.sink = _Sink(limit)
        fired = []

        def interrupt(signum: int, frame: Any) -> None:
            fired.append(True)
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with _redirected(self):
                result = self.run_cell(source, store_history=True)
        except KeyboardInterrupt:  # raised between IPython's own handlers
            result = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        sink, self.sink = self.sink, None
        outcome = CellOutcome(outputs=sink.outputs, execution_count=self.execution_count - 1)
        outcome.error = result is None or not result.success
        if fired:
            outcome.timed_out = outcome.error = True
            outcome.outputs.append(dict(CELL_TIMEOUT_ERROR))
        return outcome


def _safe_str(value: Any) -> str:
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


@contextmanager
def _redirected(shell: GradingShell) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def make_shell() -> GradingShell:
    """A fresh shell: no history file, no colours in tracebacks, outputs collected."""
    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "nocolor"
    cfg.InteractiveShell.xmode = "Context"
    shell = GradingShell.instance(config=cfg, displayhook_class=_Hook, display_pub_class=_Publisher)
    shell.display_pub.shell = shell
    assert isinstance(shell, GradingShell)  # noqa: S101 (narrows the type for mypy)
    return shell
