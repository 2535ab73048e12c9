"""Instructor commands (course, release, collect, grade, feedback, report, export, demo).

Each command parses its options, calls one function of :mod:`coursekit.grading` and prints
the result; the grading modules (and nbgrader) are imported only when a command runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from coursekit.cli import main
from coursekit.cli._common import fail_cleanly, load, private_files, say, verbose_option

__all__ = [
    "collect_cmd",
    "course",
    "demo_cmd",
    "export_cmd",
    "feedback_cmd",
    "grade_cmd",
    "release_cmd",
    "report_cmd",
]

_DIR = click.Path(file_okay=False, path_type=Path)


def _course_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--course",
        "course_dir",
        type=_DIR,
        help="The nbgrader course workspace. Default: course_dir of the configuration (course/).",
    )


def _course(course_dir: Path | None) -> Path:
    return course_dir if course_dir is not None else load().course_path


@main.group()
def course() -> None:
    """Set up the nbgrader course workspace."""


@course.command("init")
@click.argument("directory", type=_DIR)
@click.option(
    "--db-url",
    help="SQLAlchemy URL of the gradebook, e.g. postgresql+psycopg://user@host/db. "
    "Default: SQLite file gradebook.db in DIRECTORY.",
)
@click.option(
    "--exchange",
    type=_DIR,
    help="nbgrader exchange root for releasing and collecting through JupyterHub.",
)
@click.option("--link", is_flag=True, help="Symlink the assignment sources instead of copying.")
@click.option(
    "--article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your copy of the anchor article (plain text): grading checks students' quotations "
    "against it. It is kept private in DIRECTORY/.coursekit (mode 0600) and never released, "
    "exported or built into the book. Without it, quotation parts score nothing.",
)
@click.option(
    "--students",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The class list: a CSV with columns id, first_name, last_name, email (or one id per "
    "line). Each student goes into the gradebook with their names, which formgrader shows.",
)
@fail_cleanly
@private_files
def course_init(
    directory: Path,
    db_url: str | None,
    exchange: Path | None,
    link: bool,
    article: Path | None,
    students: Path | None,
) -> None:
    """Make an nbgrader workspace in DIRECTORY from this repository's assignments.

    Its nbgrader_config.py also makes nbgrader's own autograde and generate_feedback (the
    command line and formgrader's buttons) go through coursekit's sandbox and feedback.
    """
    from coursekit.grading.workspace import init_course

    say(
        init_course(
            directory=directory,
            config=load(),
            db_url=db_url,
            exchange=exchange,
            link=link,
            article=article,
            students=students,
        )
    )


@main.command("release")
@click.argument("assignments", nargs=-1)
@_course_option()
@click.option("--exchange", type=_DIR, help="Also release into this nbgrader exchange root.")
@click.option(
    "--zip",
    "zip_dir",
    type=_DIR,
    metavar="DIR",
    help="Also write DIR/ASSIGNMENT.zip of each student version, to upload to an LMS "
    "(only the released files: no solutions, hidden tests or rubrics).",
)
@click.option(
    "--due",
    help="When the assignments are due, e.g. '2026-12-04 17:00 -0500' (UTC without an offset). "
    "nbgrader counts lateness from it; its LateSubmissionPlugin in nbgrader_config.py sets the "
    "penalty.",
)
@fail_cleanly
@private_files
def release_cmd(
    assignments: tuple[str, ...],
    course_dir: Path | None,
    exchange: Path | None,
    zip_dir: Path | None,
    due: str | None,
) -> None:
    """Make the student versions of assignments.

    ASSIGNMENTS default to all; nbgrader generate_assignment does the work.
    """
    from coursekit.grading.release import release

    say(
        release(
            course=_course(course_dir),
            assignments=assignments,
            exchange=exchange,
            zip_dir=zip_dir,
            due=due,
        )
    )


@main.command("collect")
@click.argument("assignment")
@_course_option()
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, path_type=Path),
    help="A folder or .zip with one folder per student (an LMS export). Default: the exchange.",
)
@click.option(
    "--no-owner-check",
    is_flag=True,
    help="Exchange only: take submissions whatever Unix user owns them (a single-user "
    "exchange). By default a submission must be owned by the student it names.",
)
@fail_cleanly
@private_files
def collect_cmd(
    assignment: str, course_dir: Path | None, source: Path | None, no_owner_check: bool
) -> None:
    """Collect submissions from the exchange or an LMS export.

    They go into submitted/<student>/ASSIGNMENT/. Links, special files, submissions over
    limits.submission_mb, impersonated or future-dated exchange submissions are refused and
    reported; the rest are collected.
    """
    from coursekit.grading.collect import collect

    result = collect(
        course=_course(course_dir),
        assignment=assignment,
        source=source,
        check_owner=not no_owner_check,
    )
    say(result)
    if result.problems:
        say(f"{len(result.problems)} entries were not collected; see above.", err=True)


@main.command("grade")
@click.argument("assignment")
@_course_option()
@click.option(
    "--workers", type=click.IntRange(1, 256), help="Notebooks run at once. Default: one per core."
)
@click.option(
    "--timeout",
    type=click.IntRange(1),
    help="Seconds one cell may run. Default: limits.cell_timeout.",
)
@click.option("--force", is_flag=True, help="Grade unchanged submissions again.")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one record per student (score, max_score, status, messages) to this file.",
)
@click.option(
    "--sandbox/--no-sandbox",
    default=None,
    help="Run student code inside the sandbox (default: the configuration's, on).",
)
@click.option("--student", "students", multiple=True, help="Grade only this student (repeatable).")
@verbose_option()
@fail_cleanly
@private_files
def grade_cmd(
    assignment: str,
    course_dir: Path | None,
    workers: int | None,
    timeout: int | None,
    force: bool,
    json_out: Path | None,
    sandbox: bool | None,
    students: tuple[str, ...],
    verbose: bool,
) -> None:
    """Autograde every submission, in parallel.

    The scores are those of `nbgrader autograde`; a rerun grades only new or changed
    submissions unless --force. nbgrader's and the kernels' output goes to
    COURSE/logs/grade-ASSIGNMENT.log (-v shows it instead).
    """
    from coursekit.cli._output import Terminal, paths, stdout_console
    from coursekit.grading.pool import grade

    config = load()
    course_path = _course(course_dir)
    total = _count(course_path, assignment, students)
    log = course_path / "logs" / f"grade-{assignment}.log"
    with (
        Terminal(log=log, verbose=verbose) as terminal,
        terminal.stage(f"grading {assignment}", total=total) as stage,
    ):
        run = grade(
            course=course_path,
            assignment=assignment,
            workers=workers,
            timeout=timeout,
            force=force,
            sandbox=sandbox,
            students=students,
            config=config,
            progress=lambda _result: stage.advance(),
        )
    for warning in run.warnings:
        terminal.notice(warning)
    say(run.table())
    where: list[tuple[str, Path | str]] = []
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(run.to_json(), indent=1) + "\n", encoding="utf-8")
        where.append(("one record per student", json_out))
    if not verbose:
        where.append(("nbgrader's and the kernels' output", log))
    paths(stdout_console(), "Written:", where)


def _count(course_path: Path, assignment: str, students: tuple[str, ...]) -> int:
    from coursekit.grading.workspace import open_course

    return len(students) or len(open_course(course_path).students(assignment))


@main.command("feedback")
@click.argument("assignment")
@_course_option()
@click.option(
    "--release",
    "release_pages",
    is_flag=True,
    help="Also put the pages into the course's exchange, where each student fetches their own.",
)
@fail_cleanly
@private_files
def feedback_cmd(assignment: str, course_dir: Path | None, release_pages: bool) -> None:
    """Write an HTML feedback page per student.

    Hidden tests, and outputs that would show them, are left out.
    """
    from coursekit.grading.feedback import feedback

    course_path = _course(course_dir)
    say(feedback(course=course_path, assignment=assignment))
    if release_pages:
        from coursekit.grading.release import release_feedback

        say(f"released feedback into {release_feedback(course=course_path, assignment=assignment)}")


@main.command("report")
@click.argument("assignment")
@_course_option()
@click.option("--out", type=_DIR, required=True, help="Folder for report.html and the CSV files.")
@fail_cleanly
@private_files
def report_cmd(assignment: str, course_dir: Path | None, out: Path) -> None:
    """Write the item report of an assignment.

    Per part: difficulty and discrimination; a score histogram; HTML and CSV.
    """
    from coursekit.grading.report import report

    say(report(course=_course(course_dir), assignment=assignment, out=out))


@main.command("export")
@_course_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "canvas"]),
    default="csv",
    show_default=True,
    help="csv: one column per assignment; canvas: Canvas's gradebook import file.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@fail_cleanly
@private_files
def export_cmd(course_dir: Path | None, fmt: str, out: Path) -> None:
    """Export every student's score on every assignment.

    Students with written parts still to grade, or an unreadable submission, are listed
    on stderr and marked in the file (CSV: status column; Canvas: left empty).
    """
    from coursekit.grading.export import export

    result = export(course=_course(course_dir), format=fmt, out=out)
    say(str(result).splitlines()[0])
    if result.warnings:
        say("not complete (written parts to grade, or unreadable):", err=True)
        for warning in result.warnings:
            say(f"  {warning}", err=True)


@main.command("demo")
@click.option("--students", type=click.IntRange(1, 500), default=12, show_default=True)
@click.option("--dir", "directory", type=_DIR, help="Where to put it all. Default: demo/.")
@click.option("--no-book", is_flag=True, help="Skip building the book.")
@click.option("--sandbox/--no-sandbox", default=None, help="Grade inside the sandbox (default on).")
@click.option("--workers", type=click.IntRange(1, 256), help="Notebooks run at once.")
@verbose_option()
@fail_cleanly
@private_files
def demo_cmd(
    students: int,
    directory: Path | None,
    no_book: bool,
    sandbox: bool | None,
    workers: int | None,
    verbose: bool,
) -> None:
    """Run the whole path on a synthetic class.

    Book, course, release, collect, grade, rubric sheets, feedback, report and export;
    the tools' output goes to DIR/demo.log (-v shows it instead).
    """
    from coursekit.cli._output import Terminal, paths, runs_table, stdout_console
    from coursekit.demo import demo

    config = load()
    where = (directory or config.path(Path("demo"))).resolve()
    log = where / "demo.log"
    with Terminal(log=log, verbose=verbose) as terminal:
        result = demo(
            students=students,
            directory=where,
            book=not no_book,
            sandbox=sandbox,
            workers=workers,
            config=config,
            progress=terminal,
        )
    console = stdout_console()
    console.print(f"demo in {result.directory}: {students} synthetic students", markup=False)
    console.print(runs_table(result.runs))
    paths(console, "Open these first:", result.open_first())
    if no_book:
        say("  (the book was not built: run `coursekit book build`)")
    rest = "course/ (nbgrader workspace, gradebook), reports/, rubric/, grades.csv"
    say(f"Everything else is in {result.directory}: {rest}")
    if not verbose:
        say(f"The tools' output is in {log}")
