"""What the grading sandbox costs: the same batch graded with and without it.

Run: ``.venv/bin/python benchmarks/sandbox_overhead.py [--students N] [--rounds R]``.
Three measurements, each alternating sandboxed and unsandboxed runs so a busy machine slows
both alike:

* pool: a throwaway course with the test fixture assignment, its N submissions graded ``R``
  times each way (``force=True``, one worker): median seconds per submission;
* child: phase 1 of one submission (the capture process: start, every cell, the records) run
  ``2R + 4`` times each way, paired: the median extra seconds the sandbox adds;
* start-up: ``python -c pass`` with and without the sandbox.

The overhead reported against the target (at most 10 %) is the child's median paired
difference divided by the unsandboxed pool seconds per submission: what the sandbox adds to
grading one submission. Prints; does not assert.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The fixture factories live with the tests; this script runs from a source checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coursekit.config import CourseConfig, GradingLimits, load_config
from coursekit.grading import sandbox
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.submissions import inspect_submission
from coursekit.grading.workspace import init_course
from tests.fixtures.submissions import ASSIGNMENT, write_scenario

TARGET_PERCENT = 10.0


def _course(base: Path, students: int) -> tuple[Path, CourseConfig]:
    repo = base / "repo"
    write_scenario("source", repo / "assignments" / ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    (repo / "coursekit.toml").write_text("[limits]\ncell_timeout = 30\n", encoding="utf-8")
    config = load_config(repo)
    init_course(directory=repo / "course", config=config)
    release(course=repo / "course")
    for i in range(students):
        scenario = "ok" if i % 2 == 0 else "wrong_answers"
        folder = repo / "course" / "submitted" / f"student{i:02d}" / ASSIGNMENT
        write_scenario(scenario, folder, f"{ASSIGNMENT}.ipynb")
    return repo / "course", config


def _startup_ms(rounds: int = 20) -> tuple[float, float]:
    """Median milliseconds of ``python -c pass`` without and with the sandbox."""
    plain: list[float] = []
    boxed: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        argv = [sys.executable, "-S", "-c", "pass"]
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(argv, check=True)
            plain.append((time.perf_counter() - start) * 1000)
            command = sandbox.wrap_command(argv, scratch=Path(folder), limits=GradingLimits())
            start = time.perf_counter()
            subprocess.run(command, check=True)
            boxed.append((time.perf_counter() - start) * 1000)
    return statistics.median(plain), statistics.median(boxed)


def _child_seconds(base: Path, pairs: int) -> tuple[float, float, float]:
    """Median seconds of one submission's phase-1 child: plain, sandboxed, paired extra."""
    import nbformat

    from coursekit.grading import twophase
    from coursekit.grading.plan import plan_notebook

    limits = GradingLimits()
    source_path = write_scenario("source", base / "child-source")
    notebook = inspect_submission(write_scenario("ok", base / "child-sub"), source_path).notebook
    plan = plan_notebook(nbformat.read(source_path, as_version=4))
    plain: list[float] = []
    boxed: list[float] = []
    for i in range(pairs):
        for sandboxed, times in ((True, boxed), (False, plain)):
            folder = base / f"child-{i}-{sandboxed}"
            folder.mkdir()
            start = time.perf_counter()
            run = twophase.capture(
                notebook,
                plan,
                workdir=folder,
                limits=limits,
                sandboxed=sandboxed,
                log=base / f"child-{i}-{sandboxed}.log",
            )
            times.append(time.perf_counter() - start)
            assert run.finished, run
            assert not run.problem, run
    extra = statistics.median(b - p for b, p in zip(boxed, plain, strict=True))
    return statistics.median(plain), statistics.median(boxed), extra


def main() -> None:
    """Grade the batch both ways and print the overhead."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sandbox.check_available()
    timings: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="ck-bench-") as base:
        course, config = _course(Path(base), args.students)
        grade(course=course, assignment=ASSIGNMENT, config=config, workers=1)  # warm caches
        for _ in range(args.rounds):
            for boxed in (True, False):
                run = grade(
                    course=course,
                    assignment=ASSIGNMENT,
                    config=config,
                    workers=1,
                    force=True,
                    sandbox=boxed,
                )
                assert all(r.regraded for r in run.results)
                timings[boxed].append(run.seconds / len(run.results))
        child_plain, child_boxed, extra = _child_seconds(Path(base), 2 * args.rounds + 4)
    with_box, without = statistics.median(timings[True]), statistics.median(timings[False])
    plain_ms, boxed_ms = _startup_ms()
    overhead = 100 * extra / without
    verdict = "ok" if overhead <= TARGET_PERCENT else "OVER TARGET"
    print(f"pool: {args.students} submissions x {args.rounds} rounds each way, 1 worker")
    print(f"  unsandboxed: {without:.3f} s per submission (runs: {_fmt(timings[False])})")
    print(f"  sandboxed:   {with_box:.3f} s per submission (runs: {_fmt(timings[True])})")
    print(f"  difference of medians: {100 * (with_box - without) / without:+.1f} % (noisy)")
    print(f"child: one submission's phase 1, {2 * args.rounds + 4} pairs")
    print(f"  unsandboxed {child_plain:.3f} s, sandboxed {child_boxed:.3f} s")
    print(f"  median paired extra: {extra * 1000:+.0f} ms")
    print(
        f"start-up: python -c pass {plain_ms:.1f} ms plain, {boxed_ms:.1f} ms sandboxed "
        f"(+{boxed_ms - plain_ms:.1f} ms per sandbox)"
    )
    print(
        f"OVERHEAD per submission: {extra * 1000:+.0f} ms of {without:.3f} s = {overhead:+.1f} % "
        f"(target <= {TARGET_PERCENT:.0f} %: {verdict})"
    )


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


if __name__ == "__main__":
    main()
