"""Rubric commands: grading sheets for written answers out, the graders' CSVs back in."""

from __future__ import annotations

from pathlib import Path

import click

from coursekit.cli import main
from coursekit.cli._common import fail_cleanly, load, private_files, say

__all__ = ["rubric", "rubric_export", "rubric_import"]

_DIR = click.Path(file_okay=False, path_type=Path)


def _course(course_dir: Path | None) -> Path:
    return course_dir if course_dir is not None else load().course_path


@main.group()
def rubric() -> None:
    """Grade written answers by question, offline, with rubric sheets.

    \b
    1. coursekit rubric export a2-argument-map --graders 2 --overlap 5 --out sheets/
       writes, per written question (and grader), a self-contained HTML sheet and its CSV.
       Sheets hold the rubric and model answer: give them to graders, never to students.
    2. Each grader opens their sheet in a browser (no server, works offline), ticks the
       criteria by keyboard, comments, and presses Save: it downloads the grading CSV.
       Work is kept in the browser meanwhile.
    3. coursekit rubric import sheets/*.csv
       checks every row first and writes nothing if any is wrong; then the scores and
       comments go into the gradebook as formgrader's would.
    Then coursekit feedback, export and report include the written parts.
    """  # noqa: D301 (click needs the literal \b to keep this block unwrapped)


@rubric.command("export")
@click.argument("assignment")
@click.option(
    "--course",
    "course_dir",
    type=_DIR,
    help="The nbgrader course workspace. Default: course_dir of the configuration (course/).",
)
@click.option(
    "--question",
    "questions",
    multiple=True,
    metavar="CELL",
    help="Only this manually graded cell (its grade id; repeatable). Default: every one.",
)
@click.option(
    "--graders",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="Split each question's answers into this many disjoint sheets.",
)
@click.option(
    "--overlap",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Answers put on every grader's sheet, for the agreement figure of the report.",
)
@click.option("--seed", type=int, help="Seed of the shuffle. Default: random (written in sheets).")
@click.option("--out", type=_DIR, required=True, help="Folder for the sheets and CSVs.")
@fail_cleanly
@private_files
def rubric_export(
    assignment: str,
    course_dir: Path | None,
    questions: tuple[str, ...],
    graders: int,
    overlap: int,
    seed: int | None,
    out: Path,
) -> None:
    """Write grading sheets (HTML) and CSVs for the written questions of ASSIGNMENT."""
    from coursekit.rubric.export import export_sheets

    result = export_sheets(
        course=_course(course_dir),
        assignment=assignment,
        out=out,
        questions=questions,
        graders=graders,
        overlap=overlap,
        seed=seed,
    )
    for warning in result.warnings:
        say(warning, err=True)
    say("\n".join(str(result).splitlines()[len(result.warnings) :]))


@rubric.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--course",
    "course_dir",
    type=_DIR,
    help="The nbgrader course workspace. Default: course_dir of the configuration (course/).",
)
@fail_cleanly
@private_files
def rubric_import(files: tuple[Path, ...], course_dir: Path | None) -> None:
    """Import the grading CSVs the sheets saved into the gradebook.

    Every row is checked first; if anything is wrong, each problem is listed and nothing
    is written. A later save of the same sheet wins, with a warning.
    """
    from coursekit.rubric.importer import import_grades

    result = import_grades(course=_course(course_dir), files=files)
    for warning in result.warnings:
        say(warning, err=True)
    say(str(result).splitlines()[-1])
