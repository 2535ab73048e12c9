"""Two-phase grading of one notebook: capture the answers in the sandbox, check them outside.

No code a student wrote or influenced runs where a score is decided:

1. **Capture** (:mod:`coursekit.grading.capture`, sandboxed, one process per notebook that
   runs as the sandbox's own uid): the student's cells run; each test cell is replaced by a
   step that records, as data, the names its test reads (the plan:
   :mod:`coursekit.grading.plan`). A function the test calls is called on the argument lists
   declared in the source test cell's ``metadata.coursekit.calls`` and its results recorded.
   The plan it gets on stdin has no hidden test; it writes its records to a pipe, read here,
   never to a file.
2. **Check** (:mod:`coursekit.grading.check`, a process that never runs student code, one for
   a whole batch): for each test cell, the instructor's own setup and given cells from the
   course's ``source/`` notebook, then the captured answers, then the test (visible and
   hidden parts) run; the outputs go into the test cell as nbgrader expects them (an error
   output fails it, an ``execute_result`` number is partial credit), so nbgrader's saving
   steps, gradebook, formgrader and feedback see the usual pass, fail or partial credit.

:func:`~coursekit.grading.plan.plan_notebook`, :func:`capture`, :func:`check_requests` (for a
:class:`~coursekit.grading.check.Checker`) and :func:`assemble` are the steps; the pool runs them
for a class (:mod:`coursekit.grading.pool`); :func:`grade_notebook` runs them all for one
notebook (nbgrader's own autograde calls it through coursekit's preprocessor).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.config import GradingLimits
from coursekit.grading.plan import (
    NotebookPlan,
    capture_plan,
    cell_kind,
    plan_notebook,
    static_flags,
)

__all__ = [
    "CaptureRun",
    "NotebookResult",
    "assemble",
    "capture",
    "capture_argv",
    "check_requests",
    "grade_notebook",
    "outcome_of",
]


@dataclass
class CaptureRun:
    """What phase 1 sent back for one notebook."""

    outputs: dict[int, dict[str, Any]] = field(default_factory=dict)
    captured: dict[int, dict[str, Any]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    stopped_at: int | None = None
    finished: bool = False
    problem: str = ""
    """``timeout``, ``notebook-timeout``, ``died``, ``no-start`` or ``""``."""
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class NotebookResult:
    """One graded notebook: executed, with test outputs, and what the instructor should know."""

    notebook: Any
    status: str
    messages: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


# -- phase 1: run the capture --------------------------------------------------------------
def capture_argv(*, limits: GradingLimits, record_fd: int) -> list[str]:
    """The command line of phase 1 (wrap it in the sandbox)."""
    return [
        sys.executable,
        "-P",
        "-m",
        "coursekit.grading.capture",
        "--cell-timeout",
        str(limits.cell_timeout),
        "--output-chars",
        str(limits.output_chars),
        "--record-fd",
        str(record_fd),
    ]


def capture(
    nb: Any,
    plan: NotebookPlan,
    *,
    workdir: Path,
    limits: GradingLimits,
    sandboxed: bool,
    log: Path,
    live: Any = None,
) -> CaptureRun:
    """Run phase 1 for ``nb`` in ``workdir`` and read its records through a pipe.

    A cell that outlives its timeout by ``limits.interrupt_grace_seconds`` (it ignored the
    interrupt) and a notebook that outlives ``limits.notebook_timeout`` are ended by killing
    the process group. ``live`` (a set) holds the running process group while it runs.
    """
    from coursekit.grading import sandbox as sandboxing

    run = CaptureRun()
    started = time.monotonic()
    read_fd, write_fd = os.pipe()
    argv = capture_argv(limits=limits, record_fd=write_fd)
    if sandboxed:
        argv = sandboxing.wrap_command(argv, scratch=workdir, limits=limits, keep_fds=(write_fd,))
    payload = json.dumps(capture_plan(nb, plan)).encode()
    env = None if sandboxed else {**os.environ, "PYTHONSAFEPATH": "1"}
    with log.open("wb") as log_file:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                cwd=workdir,
                pass_fds=(write_fd,),
                start_new_session=True,
                env=env,
            )
        finally:
            os.close(write_fd)
        if live is not None:
            live.add(process.pid)
        try:
            _feed(process, payload)
            _read_records(read_fd, run, limits, _Log(process, log_file, limits))
        finally:
            os.close(read_fd)
            assert process.stdout is not None  # noqa: S101 (narrows the type for mypy)
            process.stdout.close()
            _kill_group(process.pid)
            process.wait()
            if live is not None:
                live.discard(process.pid)
    if not run.problem and not run.finished:
        run.problem = "died"
    if run.problem == "died" and process.returncode == sandboxing.TIMEOUT_EXIT_CODE:
        run.problem = "notebook-timeout"
    if run.problem == "died" and run.stopped_at is None:
        run.problem, run.detail = "no-start", _tail(log)
    run.seconds = time.monotonic() - started
    return run


def _feed(process: subprocess.Popen[bytes], payload: bytes) -> None:
    assert process.stdin is not None  # noqa: S101 (narrows the type for mypy)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.write(payload)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()


class _Log:
    """The phase-1 process's own stdout and stderr, kept up to ``limits.log_kb`` in its log."""

    def __init__(self, process: subprocess.Popen[bytes], file: Any, limits: GradingLimits) -> None:
        """Drain ``process``'s output into ``file``, up to the course's ``log_kb``."""
        assert process.stdout is not None  # noqa: S101 (narrows the type for mypy)
        self.fd = process.stdout.fileno()
        self.file = file
        self.room = limits.log_kb * 1024

    def drain(self) -> bool:
        """Move what is waiting into the log; ``False`` once the process closed its end."""
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            return False
        if self.room > 0:
            self.file.write(chunk[: self.room])
            if len(chunk) > self.room:
                self.file.write(b"\n[log cut: the grader keeps the first part only]\n")
            self.room -= len(chunk)
        return True


def _read_records(fd: int, run: CaptureRun, limits: GradingLimits, log: _Log) -> None:
    """Read phase 1's records, ending it when a cell or the notebook runs out of time."""
    cap = limits.file_size_mb * 1024 * 1024
    deadline = time.monotonic() + limits.notebook_timeout
    cell_started = time.monotonic()
    current: int | None = None
    buffer = b""
    total = 0
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    selector.register(log.fd, selectors.EVENT_READ, "log")
    try:
        while True:
            now = time.monotonic()
            if now > deadline:
                run.problem, run.stopped_at = "notebook-timeout", current
                return
            grace = limits.interrupt_grace_seconds
            if current is not None and now - cell_started > limits.cell_timeout + grace:
                run.problem, run.stopped_at = "timeout", current
                return
            ready = selector.select(timeout=0.2)
            for key, _ in ready:
                if key.data == "log" and not log.drain():
                    selector.unregister(log.fd)
            if not any(key.data != "log" for key, _ in ready):
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                run.stopped_at = current
                return
            total += len(chunk)
            if total > cap:
                run.problem, run.stopped_at = "too-large", current
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                record = _record(line)
                if record is None:
                    run.problem, run.stopped_at = "bad-record", current
                    return
                if record.get("done"):
                    run.stopped_at, run.finished = None, True
                    return
                if not _well_formed(record):  # the student's process may write anything
                    run.problem, run.stopped_at = "bad-record", current
                    return
                if "start" in record:
                    current, cell_started = record["start"], time.monotonic()
                elif "flag" in record:
                    run.flags.append(str(record["flag"])[:300])
                elif "captured" in record:
                    run.captured[record["cell"]] = record["captured"]
                elif "outputs" in record:
                    run.outputs[record["cell"]] = record
    finally:
        selector.close()


def _well_formed(record: dict[str, Any]) -> bool:
    """Whether a phase-1 record has the fields its kind needs, of the right types."""
    if "start" in record:
        return type(record["start"]) is int and record["start"] >= 0
    if "flag" in record or "done" in record:
        return True
    if "captured" in record or "outputs" in record:
        cell = record.get("cell")
        if type(cell) is not int or cell < 0:
            return False
        return isinstance(record.get("captured", {}), dict) and isinstance(
            record.get("outputs", []), list
        )
    return True


def _record(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _tail(log: Path) -> str:
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - 2000))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return "no output"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


# -- assemble ------------------------------------------------------------------------------
def check_requests(nb: Any, plan: NotebookPlan, run: CaptureRun) -> list[dict[str, Any]]:
    """What phase 2 must check for this notebook: one entry per captured test cell."""
    requests = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell_kind(cell) != "test" or index not in run.captured:
            continue
        test = plan.tests.get(str(_nbg(cell).get("grade_id", "")))
        if test is None:
            continue
        captured = dict(run.captured[index])
        timed_out = bool(captured.pop("$timeout", False))
        allowed = {k: v for k, v in captured.items() if k in test.names}
        requests.append(
            {
                "index": index,
                "grade_id": test.grade_id,
                "code": test.marked or test.code,
                "before": test.instructor_before,
                "captured": allowed,
                "timeout": timed_out,
            }
        )
    return requests


def assemble(
    nb: Any, run: CaptureRun, checked: dict[int, list[dict[str, Any]]], *, limits: GradingLimits
) -> Any:
    """The executed notebook: phase 1's outputs in the student's cells, phase 2's in the tests.

    ``nb`` is changed in place (as nbgrader's ``Execute`` changes the notebook it runs).
    """
    from coursekit.grading.nbio import error_output

    out = nb
    reason = {
        "timeout": ("CellTimeoutError", "the cell would not stop at its timeout"),
        "notebook-timeout": ("NotebookTimeoutError", "the notebook ran out of time"),
        "died": ("DeadKernelError", "the kernel died (out of memory, a crash, or exit)"),
        "too-large": ("OutputLimitError", "the notebook's answers were too large to record"),
        "bad-record": ("DeadKernelError", "the notebook damaged the grader's records"),
        "no-start": ("DeadKernelError", "the kernel could not start"),
    }.get(run.problem)
    for index, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if cell_kind(cell) == "test" or index in checked:
            cell.outputs = _split_parts(cell, checked.get(index, []))
        elif index in run.outputs:
            record = run.outputs[index]
            cell.outputs = [_node(o) for o in record.get("outputs", [])]
            cell.execution_count = record.get("count")
        if cell_kind(cell) == "test" and index not in checked:  # fail closed: unchecked scores 0
            cell.outputs = [error_output("NotChecked", "this test was not checked")]
        if reason is None or run.stopped_at is None:
            continue
        ename, why = reason
        if index == run.stopped_at:
            if ename == "CellTimeoutError":
                from coursekit.grading.shell import CELL_TIMEOUT_ERROR

                cell.outputs.append(_node(dict(CELL_TIMEOUT_ERROR)))
            else:
                cell.outputs.append(error_output(ename, why))
        elif index > run.stopped_at and cell_kind(cell) == "test":
            cell.outputs = [error_output(ename, f"not run: {why}")]
    return out


def _split_parts(cell: Any, outputs: list[dict[str, Any]]) -> list[Any]:
    """A test's outputs without phase 2's part markers.

    Which part made each output goes in ``metadata.coursekit.output_parts`` (when the test
    was marked), for the feedback page.
    """
    from coursekit.grading.check import part_of

    own = cell.get("metadata", {}).get("coursekit")
    if isinstance(own, dict):
        own.pop("output_parts", None)  # only phase 2 says which part made an output
    if not outputs or part_of(outputs[0]) is None:
        return [_node(o) for o in outputs]
    kept: list[Any] = []
    parts: list[str] = []
    part = "visible"
    for output in outputs:
        marker = part_of(output)
        if marker is not None:
            part = marker
            continue
        kept.append(_node(output))
        parts.append(part)
    cell.metadata.setdefault("coursekit", {})["output_parts"] = parts
    return kept


# -- one notebook, all phases (nbgrader's preprocessor uses this) -----------------------------
def _node(output: dict[str, Any]) -> Any:
    from nbformat import from_dict

    return from_dict(output)  # type: ignore[no-untyped-call]


def grade_notebook(
    nb: Any,
    *,
    source: Any,
    workdir: Path,
    limits: GradingLimits,
    sandbox: bool = True,
    article: Path | None = None,
    course: Any | None = None,
    source_dir: Path | None = None,
) -> NotebookResult:
    """Grade one sanitized notebook in both phases; return it executed, with its status.

    ``source`` is the instructor's notebook (setup, givens and full tests are read from it),
    ``workdir`` the submission's other files (never a notebook or a hidden test). Phase 2
    runs in a fresh process of its own, in ``source_dir`` (the assignment's source folder, so
    the setup cells may read its files) when given; ``course`` gives the delimiters.
    """
    from coursekit.grading.check import Checker

    plan = plan_notebook(source, course=course)
    log = workdir.parent / f".{workdir.name}.capture.log"
    run = capture(nb, plan, workdir=workdir, limits=limits, sandboxed=sandbox, log=log)
    with Checker(limits=limits, article=article, cwd=source_dir) as checker:
        checked = checker.check("notebook", plan, check_requests(nb, plan, run))
    executed = assemble(nb, run, checked, limits=limits)
    flags = tuple(dict.fromkeys([*static_flags(nb, plan), *run.flags]))
    status, messages = outcome_of(nb, run, flags)
    with contextlib.suppress(OSError):
        log.unlink()
    return NotebookResult(executed, status, messages, flags)


def outcome_of(nb: Any, run: CaptureRun, flags: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The status and the messages of one notebook's run (``nb``: the notebook it ran)."""
    messages = list(flags)
    status = "suspicious" if flags else "graded"
    problem = {
        "timeout": ("timeout", "timed out (cell timeout) and would not stop; later tests score 0"),
        "notebook-timeout": ("timeout", "the notebook ran out of time here; later tests score 0"),
        "died": ("error", "the kernel died here; later tests score zero"),
        "too-large": ("error", "the answers were too large to record; later tests score zero"),
        "bad-record": ("error", "the grader's records were damaged; later tests score zero"),
        "no-start": ("error", f"the kernel could not start ({run.detail}); will retry next run"),
    }.get(run.problem)
    if problem is not None:
        where = f"{_label(nb, run.stopped_at)}: " if run.stopped_at is not None else ""
        messages.append(where + problem[1])
        if not flags:
            status = problem[0]
    for index, record in sorted(run.outputs.items()):
        if record.get("timeout"):
            messages.append(f"{_label(nb, index)}: timed out (cell timeout)")
            if status == "graded":
                status = "timeout"
    return status, tuple(messages)


def _nbg(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def _label(nb: Any, index: int) -> str:
    """A cell's grade id, or ``cell N`` (counted from 1) when it has none."""
    if 0 <= index < len(nb.cells):
        grade_id = _nbg(nb.cells[index]).get("grade_id")
        if grade_id:
            return str(grade_id)
    return f"cell {index + 1}"
