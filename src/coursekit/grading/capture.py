"""Phase 1 of grading: run a student's cells and record, as data, what each test needs.

``python -P -m coursekit.grading.capture --cell-timeout S --output-chars N`` is the one
process of a submission's sandbox; it runs as the sandbox's own unprivileged uid, and the
student's code runs in it (an IPython shell, :mod:`coursekit.grading.shell`), so no trusted
process shares its uid or its PID namespace. It reads the *plan* (JSON) on stdin and writes
one JSON record per line on file descriptor 3 (``--record-fd``), a pipe its parent reads:

* ``{"start": i}`` before cell ``i`` runs (the parent's watchdog times the cell from it);
* ``{"cell": i, "outputs": [...], "count": n, "timeout": bool}`` after a student or
  instructor cell (the outputs go into the autograded notebook);
* ``{"cell": i, "captured": {name: data}}`` for a test cell: the names its test reads, in
  the format of :mod:`coursekit.grading.values`; a function the test calls is called on the
  argument lists the plan declares, and its results recorded;
* ``{"flag": "..."}`` when the state of the shell after a cell shows an attempt on the
  grader (an input transformer, a trace hook, a patched checker, a rebound given ...);
* ``{"done": true}`` at the end.

The plan holds the student's cells and, for each test cell, only its visible part (run after
the capture, for the state later cells see, its outputs dropped), the names to record and the
declared calls: no hidden test is anywhere this process can read. Whatever the student does
here can change only the data recorded for their own answers; phase 2
(:mod:`coursekit.grading.check`) decides every score, in a process that never runs their code.

Why IPython's shell in this process rather than a Jupyter kernel driven by nbclient: the
kernel needs a driver, and a driver inside the sandbox shares the student's uid (it can be
stopped or forged, as issue 15's SIGSTOP swap did), while one outside needs the kernel's
sockets bound into the sandbox; and the kernel costs more. Measured on the a1 solution (same
cells, unsandboxed, 2 cores): an nbclient kernel 0.9-1.2 s of CPU per notebook, this process
0.5-0.6 s. The shell is the one ipykernel wraps, so cells run as they would in a kernel.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["RECORD_FD", "main"]

RECORD_FD = 3
"""The file descriptor phase 1 writes its records to, unless ``--record-fd`` names another."""


class _Records:
    def __init__(self, fd: int) -> None:
        self._fd = os.dup(fd)
        os.close(fd)

    def send(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -P -m coursekit.grading.capture",
        description="Phase 1 of grading: run a plan's cells and record answers as data.",
    )
    # no defaults: the grader passes the course's limits (coursekit.config.GradingLimits)
    parser.add_argument("--cell-timeout", type=float, required=True)
    parser.add_argument("--output-chars", type=int, required=True)
    parser.add_argument("--record-fd", type=int, default=RECORD_FD)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the plan read on stdin; records go to :data:`RECORD_FD`; exits without atexit hooks."""
    from coursekit._speedups import skip_iri_grammar

    skip_iri_grammar()
    args = _parser().parse_args(argv)
    plan = json.loads(sys.stdin.buffer.read())
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    records = _Records(args.record_fd)
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    sys.path.append(str(Path.cwd()))  # the submission's own modules, after every package

    import pandas  # noqa: F401  (loaded before the baseline, as the setup cell loads it)

    import coursekit.checks
    import coursekit.data  # noqa: F401
    from coursekit.grading.guards import Guards
    from coursekit.grading.shell import make_shell

    shell = make_shell()
    guards = Guards(shell)
    for cell in plan["cells"]:
        index = int(cell["index"])
        where = cell.get("where") or f"cell {index + 1}"
        records.send({"start": index})
        if cell["kind"] == "test":
            captured = _capture(shell, cell, args.cell_timeout)
            records.send({"cell": index, "captured": captured})
            if cell.get("source"):
                shell.run(cell["source"], timeout=args.cell_timeout, limit=args.output_chars)
        else:
            outcome = shell.run(cell["source"], timeout=args.cell_timeout, limit=args.output_chars)
            records.send(
                {
                    "cell": index,
                    "outputs": _plain(outcome.outputs),
                    "count": outcome.execution_count,
                    "timeout": outcome.timed_out,
                }
            )
        if cell["kind"] == "instructor":
            guards.remember_givens(cell.get("binds", []))
        for reason in guards.check(where):
            records.send({"flag": reason})
    records.send({"done": True})
    sys.stdout.flush()
    os._exit(0)  # no atexit hook, no finaliser of the student's runs after this line


def _plain(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outputs as strict JSON carries them: odd values as text, NaN and infinities as null."""
    return [_jsonable(o) for o in outputs]


def _jsonable(value: Any) -> Any:
    import math

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _capture(shell: Any, cell: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Record each name the test needs, under the cell timer."""
    import signal

    from coursekit.grading.values import encode, encode_call_result

    namespace = shell.user_ns
    captured: dict[str, Any] = {}
    calls: dict[str, list[str]] = cell.get("calls", {})

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        for name in cell["capture"]:
            if name not in namespace:
                continue
            value = namespace[name]
            if name in calls and callable(value):
                recorded = []
                for text in calls[name]:
                    try:
                        call_args, call_kwargs = eval(  # noqa: S307 (the instructor's declared arguments, in the sandbox)
                            f"(lambda *a, **k: (list(a), k))({text})", dict(namespace)
                        )
                    except Exception as exc:
                        recorded.append([None, None, f"{type(exc).__name__}: {exc}"[:200]])
                        continue
                    recorded.append(encode_call_result(value, call_args, call_kwargs))
                captured[name] = {"$": "function", "calls": recorded}
            elif callable(value) and not isinstance(value, type):
                captured[name] = {"$": "function", "calls": []}
            else:
                captured[name] = encode(value)
    except KeyboardInterrupt:
        captured["$timeout"] = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return captured


if __name__ == "__main__":
    sys.exit(main())
