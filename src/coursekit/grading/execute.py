"""Run one notebook in a fresh kernel: the child process each graded submission runs in.

``python -m coursekit.grading.execute IN.ipynb OUT.ipynb --cell-timeout S --notebook-timeout S``
reads the sanitized notebook ``IN``, runs every cell in a new kernel (a child of this process,
so a sandbox around this command holds the kernel too) in ``IN``'s folder, and writes the
executed notebook to ``OUT``. The execution follows nbgrader's ``Execute`` preprocessor exactly
(errors allowed, interrupt on a cell timeout and record a ``CellTimeoutError``, the reply's
error added when no error output shows it, ``NBGRADER_EXECUTION=autograde``), so the scores
match ``nbgrader autograde``. On top of it: a wall-clock limit for the whole notebook, a cap on
the characters of output kept per cell, and grade cells that never ran marked as failed.

Exit status: 0 ran (cell errors are part of the result); 2 ``IN`` unreadable; 3 the notebook
ran out of time; 4 the kernel died; 5 the kernel could not start. ``OUT`` is written for 0, 3
and 4. :func:`execute_argv` builds the command line; the grading pool may wrap it in a sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.config import GradingLimits

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_KERNEL_DIED",
    "EXIT_NO_KERNEL",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "execute_argv",
    "main",
]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_TIMEOUT = 3
EXIT_KERNEL_DIED = 4
EXIT_NO_KERNEL = 5

# nbgrader's Execute.error_on_timeout, so a cell timeout reads (and scores) the same.
_CELL_TIMEOUT_ERROR = {
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}
_RESERVE_SECONDS = 5.0  # kept back from --notebook-timeout to stop the kernel and write OUT
_SHORT_RESULT = 200  # an execute_result this short is always kept whole (partial credit)


def execute_argv(infile: Path, outfile: Path, *, limits: GradingLimits) -> list[str]:
    """The command line that executes ``infile`` into ``outfile`` under ``limits``."""
    return [
        sys.executable,
        "-m",
        "coursekit.grading.execute",
        str(infile),
        str(outfile),
        "--cell-timeout",
        str(limits.cell_timeout),
        "--notebook-timeout",
        str(limits.notebook_timeout),
        "--output-chars",
        str(limits.output_chars),
    ]


@dataclass
class _Outcome:
    code: int = EXIT_OK
    stopped_at: int | None = None
    reason: str = ""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit.grading.execute",
        description="Execute one notebook for grading and write the executed copy.",
    )
    parser.add_argument("infile", type=Path, help="the sanitized notebook to run")
    parser.add_argument("outfile", type=Path, help="where to write the executed notebook")
    parser.add_argument("--cell-timeout", type=int, default=30, help="seconds one cell may run")
    parser.add_argument(
        "--notebook-timeout", type=int, default=300, help="seconds this whole command may run"
    )
    parser.add_argument(
        "--output-chars", type=int, default=100_000, help="characters of output kept per cell"
    )
    return parser


def _error(ename: str, evalue: str) -> Any:
    from coursekit.grading.nbio import error_output

    return error_output(ename, evalue)


def _is_grade_code(cell: Any) -> bool:
    return bool(
        cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    )


def _mark_unrun(nb: Any, start: int, ename: str, why: str) -> None:
    """Give the stopped cell and every later grade cell an error, so they score zero."""
    for index, cell in enumerate(nb.cells[start:], start=start):
        if cell.cell_type != "code":
            continue
        if index == start:
            cell.setdefault("outputs", []).append(_error(ename, why))
        elif _is_grade_code(cell):
            cell.outputs = [_error(ename, f"not run: {why}")]


def _record_reply_error(cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
    """nbgrader's ``Execute.on_cell_executed``: show an error the outputs do not show."""
    from coursekit.grading.nbio import error_output

    content = execute_reply["content"]
    if content["status"] != "error":
        return
    if any(o.output_type == "error" and o.ename == content["ename"] for o in cell.outputs):
        return
    traceback = content["traceback"] or [
        "ERROR: An error occurred while showtraceback was disabled"
    ]
    cell.outputs.append(error_output(content["ename"], content["evalue"], traceback))


def _cap_output(out: Any, room: int) -> None:
    """Shrink one output to ``room`` characters, keeping what scoring reads."""
    note = "[output cut: this cell printed more than the grader keeps]"
    if out.output_type == "stream":
        out.text = out.text[: max(room, 0)] + (f"\n{note}\n" if room > 0 else "")
    elif out.output_type == "error":
        out.evalue = str(out.evalue)[:_SHORT_RESULT]
        out.traceback = [f"{out.ename}: {out.evalue}", note]
    else:
        plain = out.get("data", {}).get("text/plain", "")
        keep = out.output_type == "execute_result" and len(plain) <= _SHORT_RESULT
        out.data = {"text/plain": plain if keep else note}


async def _run(nb: Any, *, cwd: Path, cell_timeout: int, budget: float, chars: int) -> _Outcome:
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from nbclient.util import ensure_async

    class GradingClient(NotebookClient):
        """nbclient with a per-cell cap on output characters."""

        used: dict[int, int]

        def output(self, outs: Any, msg: Any, display_id: Any, cell_index: int) -> Any:
            out = super().output(outs, msg, display_id, cell_index)
            if out is not None:
                size = len(str(out.get("text", ""))) + len(str(out.get("data", "")))
                size += len(str(out.get("traceback", "")))
                before = self.used.get(cell_index, 0)
                self.used[cell_index] = before + size
                if before + size > chars:
                    _cap_output(out, chars - before)
            return out

    outcome = _Outcome()
    kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    runtime = Path(tempfile.mkdtemp(prefix="ck-"))
    km = AsyncKernelManager(
        kernel_name=kernel_name,
        transport="ipc",
        ip=str(runtime / "k"),
        connection_file=str(runtime / "kernel.json"),
    )
    client = GradingClient(
        nb,
        km=km,
        timeout=cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        raise_on_iopub_timeout=True,
        error_on_timeout=_CELL_TIMEOUT_ERROR,
        extra_arguments=[],
        on_cell_executed=_record_reply_error,
        resources={"metadata": {"path": str(cwd)}},
        shutdown_kernel="immediate",
    )
    client.used = {}
    deadline = time.monotonic() + budget
    try:
        async with client.async_setup_kernel(cwd=str(cwd), cleanup_kc=True):
            assert client.kc is not None
            info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
            if info is not None:
                nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(nb.cells):
                remaining = deadline - time.monotonic()
                task = asyncio.ensure_future(
                    client.async_execute_cell(cell, index, store_history=True)
                )
                done, _ = await asyncio.wait({task}, timeout=max(remaining, 0.01))
                if not done:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    outcome = _Outcome(EXIT_TIMEOUT, index, "the notebook ran out of time")
                    _mark_unrun(nb, index, "NotebookTimeoutError", outcome.reason)
                    break
                error = task.exception()
                if isinstance(error, DeadKernelError):
                    outcome = _Outcome(EXIT_KERNEL_DIED, index, "the kernel died")
                    _mark_unrun(
                        nb,
                        index,
                        "DeadKernelError",
                        "the kernel died (out of memory, a crash, or exit)",
                    )
                    break
                if error is not None:
                    raise error
            client.set_widgets_metadata()
    except DeadKernelError as exc:  # died outside a cell (while starting or stopping)
        if outcome.code == EXIT_OK:
            outcome = _Outcome(EXIT_NO_KERNEL, None, f"the kernel could not run: {exc}")
    except RuntimeError as exc:
        if outcome.code == EXIT_OK:
            outcome = _Outcome(EXIT_NO_KERNEL, None, f"the kernel could not start: {exc}")
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    args = _parser().parse_args(argv)
    started = time.monotonic()
    from coursekit.grading.nbio import read_notebook, write_notebook

    try:
        nb = read_notebook(args.infile)
    except Exception as exc:
        print(f"{args.infile}: cannot read the notebook: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    reserve = min(_RESERVE_SECONDS, args.notebook_timeout * 0.1)
    budget = args.notebook_timeout - reserve - (time.monotonic() - started)
    outcome = asyncio.run(
        _run(
            nb,
            cwd=args.infile.resolve().parent,
            cell_timeout=args.cell_timeout,
            budget=budget,
            chars=args.output_chars,
        )
    )
    if outcome.code == EXIT_NO_KERNEL:
        print(outcome.reason, file=sys.stderr)
        return outcome.code
    write_notebook(nb, args.outfile)
    if outcome.reason:
        where = f" in cell {outcome.stopped_at}" if outcome.stopped_at is not None else ""
        print(f"{outcome.reason}{where}", file=sys.stderr)
    return outcome.code


if __name__ == "__main__":
    sys.exit(main())
