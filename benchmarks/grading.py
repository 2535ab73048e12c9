"""Grading speed: plain ``nbgrader autograde`` against ``coursekit grade`` (two phases, sandboxed).

Both grade the same synthetic class of N submissions of a real assignment, each in its own
copy of the course, through their command lines (so each pays its own start-up): nbgrader as
it ships (its own ``Execute``, one kernel per notebook, sequential, unsandboxed) and coursekit
with the sandbox ON (phase 1 in a sandbox per notebook, phase 2 batched in one worker). Then
every cell's score is compared. Run from the repository root::

    .venv/bin/python benchmarks/grading.py                  # 40 submissions of the first assignment
    .venv/bin/python benchmarks/grading.py -n 12 --assignment a2-argument-map
    .venv/bin/python benchmarks/grading.py -n 12 --sandbox-overhead

``--sandbox-overhead`` also grades the batch sandboxed and unsandboxed with ``coursekit grade
--force`` and prints what the sandbox costs. ``--sizing`` prints, from this run's cost per
notebook, the table of grading minutes for classes of several sizes on machines of several
sizes that the instructor guide quotes ("Running the course for a large class").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursekit.config import load_config
from coursekit.grading.release import release
from coursekit.grading.synthetic import synthetic_class
from coursekit.grading.workspace import init_course, source_assignments

BIN = Path(sys.executable).parent


def _run(argv: list[str], cwd: Path) -> float:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # nbgrader exits 1 when some submission failed
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def _scores(db: Path, course_id: str, assignment: str) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    found: dict[tuple[str, str], float | None] = {}
    with Gradebook(f"sqlite:///{db}", course_id) as gb:
        for submission in gb.assignment_submissions(assignment):
            for nb in submission.notebooks:
                for grade in nb.grades:
                    found[(submission.student.id, grade.name)] = grade.auto_score
    return found


def _plain_nbgrader(course: Path, course_id: str) -> None:
    """Make ``course`` a plain nbgrader course: no coursekit step in its autograde."""
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n",
        encoding="utf-8",
    )


def _course(base: Path, name: str, assignment: str, students: int) -> Path:
    config = load_config()
    course = base / name
    init_course(directory=course, config=config, assignments=[assignment])
    if name == "nbgrader":
        _plain_nbgrader(course, config.course_id)
    (rel,) = release(course=course, assignments=[assignment]).released
    for notebook in sorted((course / "source" / assignment).glob("*.ipynb")):
        made = synthetic_class(
            source=notebook, release=rel.release_dir / notebook.name, students=students
        )
        for sub in made:
            target = course / "submitted" / sub.student / assignment / notebook.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(sub.text, encoding="utf-8")
    return course


def measure_sandbox_overhead(course: Path, assignment: str, workers: int | None) -> None:
    """Grade the batch again with and without the sandbox and print the difference.

    ``benchmarks/sandbox_overhead.py`` measures the same per submission, paired.
    """
    extra = ["--workers", str(workers)] if workers else []
    base = [str(BIN / "coursekit"), "grade", assignment, "--course", str(course), "--force"]
    plain = _run([*base, "--no-sandbox", *extra], course)
    boxed = _run([*base, "--sandbox", *extra], course)
    print(
        f"sandbox overhead: unsandboxed {plain:.1f} s, sandboxed {boxed:.1f} s, "
        f"{boxed - plain:+.1f} s ({(boxed / plain - 1) * 100:+.0f}%)"
    )


def print_sizing(core_seconds: float) -> None:
    """Grading minutes for classes of several sizes, at ``core_seconds`` of CPU per notebook.

    A linear extrapolation from this machine: it assumes the cores are as fast as these and that
    the one thread writing the gradebook keeps up (it sets the pace at some tens of cores).
    """
    classes = (50, 200, 800)
    notebooks = 5  # one notebook per assignment, five assignments in a term
    cores = (2, 8, 32)
    print(f"\ncost: {core_seconds:.2f} CPU-seconds per notebook; minutes for one assignment")
    print("| students | " + " | ".join(f"{n} cores" for n in cores) + " | a term (5), 8 cores |")
    print("|---:|" + "---:|" * len(cores) + "---:|")
    for students in classes:
        per = [students * core_seconds / n / 60 for n in cores]
        term = students * notebooks * core_seconds / 8 / 60
        cells = " | ".join(_minutes(m) for m in per)
        print(f"| {students} | {cells} | {_minutes(term)} |")


def _minutes(value: float) -> str:
    return "< 0.1" if value < 0.05 else f"{value:.1f}"


def main() -> None:
    """Run the benchmark and print the times, the ratio and whether every score matched."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--students", type=int, default=40)
    parser.add_argument("--assignment", help="default: the first assignment of the repository")
    parser.add_argument("--workers", type=int, help="coursekit's workers (default: one per core)")
    parser.add_argument("--sandbox-overhead", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary courses")
    parser.add_argument("--sizing", action="store_true", help="print grading minutes by class size")
    args = parser.parse_args()
    config = load_config()
    assignment = args.assignment or source_assignments(config)[0].name
    base = Path(tempfile.mkdtemp(prefix="coursekit-bench-"))
    try:
        ours = _course(base, "coursekit", assignment, args.students)
        theirs = _course(base, "nbgrader", assignment, args.students)
        nbgrader_s = _run([str(BIN / "nbgrader"), "autograde", assignment], theirs)
        extra = ["--workers", str(args.workers)] if args.workers else []
        coursekit_s = _run(
            [
                str(BIN / "coursekit"),
                "grade",
                assignment,
                "--course",
                str(ours),
                "--sandbox",
                *extra,
            ],
            ours,
        )
        mine = _scores(ours / "gradebook.db", config.course_id, assignment)
        reference = _scores(theirs / "gradebook.db", config.course_id, assignment)
        # nbgrader leaves every score empty for a submission it could not grade (the broken file)
        graded = {student for (student, _), v in reference.items() if v is not None}
        reference = {k: v for k, v in reference.items() if k[0] in graded}
        common = {k: v for k, v in mine.items() if k in reference}
        matched = common == reference and bool(reference)
        graded_by_nbgrader = len(graded)
        print(f"assignment {assignment}: {args.students} submissions, {os.cpu_count()} cores")
        print(f"nbgrader autograde (plain, unsandboxed, sequential): {nbgrader_s:7.1f} s")
        print(f"coursekit grade (two phases, sandbox on):           {coursekit_s:7.1f} s")
        print(f"speed-up: {nbgrader_s / coursekit_s:.2f}x")
        print(
            f"scores matched on all {len(reference)} cells of {graded_by_nbgrader} "
            f"submissions nbgrader graded: {'yes' if matched else 'NO'}"
        )
        if args.sandbox_overhead:
            measure_sandbox_overhead(ours, assignment, args.workers)
        if args.sizing:
            print_sizing(coursekit_s * (os.cpu_count() or 1) / args.students)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
