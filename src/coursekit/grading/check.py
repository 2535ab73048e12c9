"""Phase 2 of grading: run the instructor's tests on captured answers, where no student code runs.

``python -m coursekit.grading.check --cell-timeout S [--article FILE]`` is a worker that never
runs a student's code: it reads requests (one JSON object per line) on stdin and answers each
on its own protocol pipe (the stdout it started with; anything the tests print goes into
their outputs or to stderr). For a notebook it runs the instructor's own setup and given
cells from the course's ``source/`` notebook once, keeping the namespace after each; then, for
each test cell of each submission, it starts from a copy of the namespace the test's position
sees, adds the captured answers (rebuilt by :mod:`coursekit.grading.values`; a student's
function answers only the calls phase 1 recorded), and runs the full test, visible and hidden
parts, in an IPython shell (:mod:`coursekit.grading.shell`). Its outputs are the test cell's
outputs, in nbgrader's shape. One worker serves a whole batch; :class:`Checker` drives it.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from coursekit.config import GradingLimits
from coursekit.errors import CoursekitError
from coursekit.grading.plan import PART_MARKER

__all__ = ["Checker", "CheckerFailed", "main", "part_of", "part_output"]


def part_output(part: str) -> dict[str, Any]:
    """The marker output phase 2 writes where a test's hidden part begins or ends."""
    return {
        "output_type": "display_data",
        "data": {"text/plain": ""},
        "metadata": {"coursekit": {"part": part}},
    }


def part_of(output: Any) -> str | None:
    """``"hidden"`` or ``"visible"`` for a marker made by :func:`part_output`, else ``None``."""
    if output.get("output_type") != "display_data":
        return None
    meta = output.get("metadata", {}).get("coursekit", {})
    part = meta.get("part") if isinstance(meta, dict) else None
    return part if part in ("hidden", "visible") else None


class CheckerFailed(CoursekitError, RuntimeError):
    """The phase-2 worker died or did not answer in time; the message says which."""


class Checker:
    """A phase-2 worker process for a batch: :meth:`check` one notebook's tests at a time."""

    def __init__(
        self, *, limits: GradingLimits, article: Path | None = None, cwd: Path | None = None
    ) -> None:
        """Start the worker in ``cwd`` (``article``: the course's copy, for quotations).

        ``cwd`` is where the instructor's cells run (the assignment's source folder, so a
        setup cell may read the assignment's own files).
        """
        argv = [sys.executable, "-P", "-m", "coursekit.grading.check"]
        argv += ["--cell-timeout", str(limits.cell_timeout)]
        argv += ["--output-chars", str(limits.output_chars)]
        if article is not None:
            argv += ["--article", str(article)]
        env = {**os.environ, "NBGRADER_EXECUTION": "autograde", "MPLBACKEND": "Agg"}
        self._process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
        self._limits = limits
        self._defined: dict[str, int] = {}
        self._buffer = b""

    def __enter__(self) -> Checker:
        """Start and return the worker."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the worker."""
        self.close()

    def close(self) -> None:
        """Stop the worker."""
        assert self._process.stdin is not None  # noqa: S101 (narrows the type for mypy)
        assert self._process.stdout is not None  # noqa: S101
        if not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()

    def _ask(self, request: dict[str, Any], cells: int) -> dict[str, Any]:
        """Send one request; wait for its reply (a cell timeout per cell, and some more)."""
        assert self._process.stdin is not None  # noqa: S101 (narrows the type for mypy)
        assert self._process.stdout is not None  # noqa: S101
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            raise CheckerFailed("the grader's checker stopped (phase 2)") from None
        deadline = time.monotonic() + self._limits.cell_timeout * (cells + 1) + 30
        fd = self._process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._process.kill()
                    raise CheckerFailed("the grader's checker did not answer in time (phase 2)")
                if not selector.select(timeout=left):
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise CheckerFailed("the grader's checker stopped (phase 2)")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        reply: dict[str, Any] = json.loads(line)
        return reply

    def check(
        self, key: str, plan: Any, tests: list[dict[str, Any]]
    ) -> dict[int, list[dict[str, Any]]]:
        """The outputs of each test cell (by cell index) of one notebook of one submission."""
        if key not in self._defined:
            self._ask({"define": key, "cells": list(plan.instructor)}, 4 * len(plan.instructor))
            self._defined[key] = 1
        if not tests:
            return {}
        reply = self._ask({"check": key, "tests": tests}, len(tests))
        return {int(k): v for k, v in reply["results"].items()}


# -- the worker ------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -P -m coursekit.grading.check",
        description="Phase 2 of grading: run the instructor's tests on captured answers.",
    )
    # no defaults: the grader passes the course's limits (coursekit.config.GradingLimits)
    parser.add_argument("--cell-timeout", type=float, required=True)
    parser.add_argument("--output-chars", type=int, required=True)
    parser.add_argument("--article", type=Path, default=None)
    return parser


def _fresh(namespace: dict[str, Any]) -> dict[str, Any]:
    """A copy of a namespace whose data values a test may change without touching the next."""
    out = {}
    for name, value in namespace.items():
        if isinstance(value, ModuleType) or callable(value):
            out[name] = value
            continue
        try:
            out[name] = copy.deepcopy(value)
        except Exception:
            out[name] = value
    return out


class _Worker:
    def __init__(self, args: argparse.Namespace) -> None:
        from coursekit.grading.shell import make_shell

        self.shell = make_shell()
        self.args = args
        self.base = dict(self.shell.user_ns)
        self.snapshots: dict[str, list[dict[str, Any]]] = {}
        self.broken: dict[str, str] = {}

    def define(self, key: str, cells: list[str]) -> dict[str, Any]:
        ns = self.shell.user_ns
        ns.clear()
        ns.update(self.base)
        snapshots = [dict(ns)]
        for number, source in enumerate(cells, start=1):
            outcome = self.shell.run(source, timeout=self.args.cell_timeout * 4, limit=10_000)
            if outcome.error and key not in self.broken:
                errors = [o for o in outcome.outputs if o["output_type"] == "error"]
                what = f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else "failed"
                self.broken[key] = (
                    f"the instructor's setup cell {number} failed in the checker ({what})"
                )
            snapshots.append(dict(ns))
        self.snapshots[key] = snapshots
        return {"ok": key not in self.broken, "error": self.broken.get(key, "")}

    def _mark_part(self, part: str) -> None:
        """Where a hidden part of a test begins or ends: a marker output (see ``assemble``)."""
        if self.shell.sink is not None:
            self.shell.sink.add(part_output(part))

    def check(self, key: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
        from coursekit.grading.nbio import error_output
        from coursekit.grading.shell import CELL_TIMEOUT_ERROR
        from coursekit.grading.values import BadCapture, decode

        results: dict[str, list[dict[str, Any]]] = {}
        for test in tests:
            index = str(test["index"])
            if key in self.broken:
                results[index] = [dict(error_output("GraderSetupError", self.broken[key]))]
                continue
            if test.get("timeout"):
                results[index] = [dict(CELL_TIMEOUT_ERROR)]
                continue
            ns = self.shell.user_ns
            ns.clear()
            before = self.snapshots[key][int(test["before"])]
            ns.update(_fresh(before))
            # A name the instructor's own cells define (however they define it) always keeps
            # the instructor's value: a captured value of that name is dropped, never used.
            captured = {n: v for n, v in test["captured"].items() if n not in before}
            try:
                answers = {n: decode(v, n) for n, v in captured.items()}
            except (BadCapture, RecursionError) as exc:
                results[index] = [dict(error_output("CaptureError", f"{exc}"))]
                continue
            except Exception as exc:  # forged data that pandas or numpy refuse to build
                reason = f"{type(exc).__name__}: {str(exc)[:200]}"
                results[index] = [dict(error_output("CaptureError", reason))]
                continue
            ns.update(answers)
            ns[PART_MARKER] = self._mark_part
            outcome = self.shell.run(
                test["code"], timeout=self.args.cell_timeout, limit=self.args.output_chars
            )
            results[index] = outcome.outputs
        return {"results": results}


def main(argv: Sequence[str] | None = None) -> int:
    """Serve requests on stdin until it closes (see the module docstring)."""
    from coursekit._speedups import skip_iri_grammar

    skip_iri_grammar()
    args = _parser().parse_args(argv)
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    from coursekit.checks import quotes

    use_article = getattr(quotes, "use_article", None)
    if use_article is not None:
        use_article(args.article)
    worker = _Worker(args)
    for line in sys.stdin:
        request = json.loads(line)
        if "define" in request:
            reply = worker.define(str(request["define"]), list(request["cells"]))
        else:
            reply = worker.check(str(request["check"]), list(request["tests"]))
        protocol.write(json.dumps(reply, default=str) + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
