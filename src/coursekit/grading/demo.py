"""``coursekit demo``: the whole instructor path on a synthetic class, in one folder.

Builds the book, makes a course workspace with a SQLite gradebook, releases every assignment,
writes a synthetic class as a learning-management-system export (a folder per student),
collects it, grades it, has two simulated teaching assistants grade the written answers on
rubric sheets (one answer shared, for the agreement figure) and imports their CSVs, and writes
feedback, an item report per assignment and the grade exports. The result says where each
piece is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.config import CourseConfig, load_config
from coursekit.grading.collect import collect
from coursekit.grading.export import export
from coursekit.grading.feedback import feedback
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.report import report
from coursekit.grading.results import GradeRun, StudentResult
from coursekit.grading.synthetic import synthetic_class
from coursekit.grading.workspace import init_course

__all__ = ["DemoResult", "demo"]


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put everything."""

    directory: Path
    course: Path
    book: Path | None
    runs: tuple[GradeRun, ...]
    feedback: dict[str, Path] = field(default_factory=dict)
    reports: dict[str, Path] = field(default_factory=dict)
    exports: tuple[Path, ...] = ()
    sheets: dict[str, Path] = field(default_factory=dict)
    """Assignment -> the folder of its grading sheets and the simulated graders' CSVs."""

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [*dict.fromkeys(w for run in self.runs for w in run.warnings)]
        lines.append(f"demo in {self.directory}")
        lines.append(f"  book:        {self.book / 'index.html' if self.book else '(not built)'}")
        lines.append(f"  course:      {self.course} (nbgrader workspace, SQLite gradebook)")
        for run in self.runs:
            lines.append(f"  graded:      {run.summary()}")
        for aid, path in self.sheets.items():
            lines.append(f"  sheets:      {path} ({aid}, written answers graded by two TAs)")
        for aid, path in self.feedback.items():
            lines.append(f"  feedback:    {path} ({aid}, one page per student)")
        for aid, path in self.reports.items():
            lines.append(f"  report:      {path} ({aid})")
        for path in self.exports:
            lines.append(f"  grades:      {path}")
        return "\n".join(lines)


def demo(
    *,
    students: int = 12,
    directory: Path | None = None,
    book: bool = True,
    sandbox: bool | None = None,
    workers: int | None = None,
    config: CourseConfig | None = None,
    say: Callable[[str], None] = print,
    progress: Callable[[StudentResult], None] | None = None,
) -> DemoResult:
    """Run the whole path on ``students`` synthetic students in ``directory``.

    ``directory`` defaults to ``demo/`` in the project; ``book=False`` skips the book build;
    ``sandbox`` and ``workers`` are passed to grading; ``say`` reports each step.
    """
    if students < 1:
        raise ValueError("the demo needs at least one student")
    cfg = config or load_config()
    where = (directory or cfg.path(Path("demo"))).resolve()
    where.mkdir(parents=True, exist_ok=True)
    built = None
    if book:
        from coursekit.book.build import build_book

        say("building the book …")
        built = build_book(cfg, progress=say)
    course = where / "course"
    say(f"making the course workspace in {course} …")
    init_course(directory=course, config=cfg, db_url=f"sqlite:///{course / 'gradebook.db'}")
    say("releasing the assignments …")
    released = release(course=course)
    runs: list[GradeRun] = []
    pages: dict[str, Path] = {}
    reports: dict[str, Path] = {}
    sheets: dict[str, Path] = {}
    for item in released.released:
        aid = item.assignment
        lms = where / "lms-export" / aid
        source_dir = course / "source" / aid
        levels: dict[str, dict[str, str]] = {}
        for notebook in sorted(source_dir.glob("*.ipynb")):
            for sub in synthetic_class(
                source=notebook, release=item.release_dir / notebook.name, students=students
            ):
                target = lms / sub.student / notebook.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(sub.text, encoding="utf-8")
                for grade_id, level in sub.written.items():
                    levels.setdefault(grade_id, {})[sub.student] = level
        say(f"collecting {aid} from {lms} …")
        collect(course=course, assignment=aid, source=lms)
        say(f"grading {aid} …")
        runs.append(
            grade(
                course=course,
                assignment=aid,
                sandbox=sandbox,
                workers=workers,
                config=cfg,
                progress=progress,
            )
        )
        if _grade_written(course, aid, levels, where / "rubric" / aid, say):
            sheets[aid] = where / "rubric" / aid
        written = feedback(course=course, assignment=aid)
        pages[aid] = course / "feedback"
        if not written.pages:
            pages.pop(aid)
        reports[aid] = report(
            course=course, assignment=aid, out=where / "reports" / aid, config=cfg
        ).html
    exports = (
        export(course=course, format="csv", out=where / "grades.csv").path,
        export(course=course, format="canvas", out=where / "grades-canvas.csv").path,
    )
    return DemoResult(
        directory=where,
        course=course,
        book=built,
        runs=tuple(runs),
        feedback=pages,
        reports=reports,
        exports=exports,
        sheets=sheets,
    )


def _grade_written(
    course: Path,
    assignment: str,
    levels: dict[str, dict[str, str]],
    out: Path,
    say: Callable[[str], None],
) -> bool:
    """Simulated TAs grade the written answers on rubric sheets; whether there were any."""
    from coursekit.rubric.simulate import simulate_graders

    if not levels:
        return False
    say(f"grading the written answers of {assignment} on rubric sheets (two simulated TAs) …")
    done = simulate_graders(course=course, assignment=assignment, levels=levels, out=out)
    for warning in done.sheets.warnings:
        say(warning)
    return bool(done.files)
