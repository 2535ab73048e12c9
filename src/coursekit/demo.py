"""``coursekit demo``: the whole course on a synthetic class, in one folder.

Builds the book, makes a course workspace with a SQLite gradebook, releases every assignment,
writes a synthetic class as a learning-management-system export (a folder per student),
collects it, grades it, has two simulated teaching assistants grade the written answers on
rubric sheets (one answer shared, for the agreement figure) and imports their CSVs, and writes
feedback, an item report per assignment and the grade exports. The result says where each
piece is, and which four to open first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coursekit.config import CourseConfig, load_config
from coursekit.grading.collect import collect
from coursekit.grading.export import export
from coursekit.grading.feedback import feedback
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.report import report
from coursekit.grading.results import GradeRun
from coursekit.grading.synthetic import synthetic_class
from coursekit.grading.workspace import init_course
from coursekit.progress import Lines, Progress

__all__ = ["DemoResult", "demo"]


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put everything."""

    directory: Path
    course: Path
    book: Path | None
    runs: tuple[GradeRun, ...]
    feedback: dict[str, Path] = field(default_factory=dict)
    """Assignment -> one student's feedback page (the first student with one)."""
    reports: dict[str, Path] = field(default_factory=dict)
    exports: tuple[Path, ...] = ()
    sheets: dict[str, Path] = field(default_factory=dict)
    """Assignment -> the folder of its grading sheets and the simulated graders' CSVs."""

    @property
    def canvas_csv(self) -> Path | None:
        """The grades as Canvas imports them."""
        return next((p for p in self.exports if p.name == "grades-canvas.csv"), None)

    def open_first(self) -> list[tuple[str, Path]]:
        """What a newcomer opens first, in order: the book, a feedback page, a report, Canvas."""
        first = [("the book", self.book / "index.html")] if self.book else []
        if self.feedback:
            first.append(("a student's feedback page", next(iter(self.feedback.values()))))
        if self.reports:
            first.append(("an item report", next(iter(self.reports.values()))))
        if self.canvas_csv is not None:
            first.append(("the grades for Canvas", self.canvas_csv))
        return first

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [*dict.fromkeys(w for run in self.runs for w in run.warnings)]
        lines.append(f"demo in {self.directory}")
        for run in self.runs:
            lines.append(f"  graded:   {run.summary()}")
        lines.append("open first:")
        lines += [f"  {what}: {path}" for what, path in self.open_first()]
        if not self.book:
            lines.append("  (the book was not built)")
        lines.append("everything else:")
        lines.append(f"  course:   {self.course} (nbgrader workspace, SQLite gradebook)")
        lines.append(f"  feedback: {self.course / 'feedback'}/<student>/<assignment>/")
        for aid, path in self.sheets.items():
            lines.append(f"  sheets:   {path} ({aid}, written answers graded by two TAs)")
        lines.append(f"  reports:  {self.directory / 'reports'}/<assignment>/report.html")
        lines += [f"  grades:   {path}" for path in self.exports]
        return "\n".join(lines)


def demo(
    *,
    students: int = 12,
    directory: Path | None = None,
    book: bool = True,
    sandbox: bool | None = None,
    workers: int | None = None,
    config: CourseConfig | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Run the whole path on ``students`` synthetic students in ``directory``.

    ``directory`` defaults to ``demo/`` in the project; ``book=False`` skips the book build;
    ``sandbox`` and ``workers`` are passed to grading; ``progress`` is told each stage
    (default: :class:`coursekit.progress.Lines`, which prints them).
    """
    if students < 1:
        raise ValueError("the demo needs at least one student")
    cfg = config or load_config()
    shown = progress or Lines()
    where = (directory or cfg.path(Path("demo"))).resolve()
    where.mkdir(parents=True, exist_ok=True)
    built = None
    if book:
        from coursekit.book.build import build_book

        with shown.stage("building the book"):
            built = build_book(cfg)
    course = where / "course"
    with shown.stage("making the course workspace"):
        init_course(directory=course, config=cfg, db_url=f"sqlite:///{course / 'gradebook.db'}")
    with shown.stage("releasing the assignments"):
        released = release(course=course)
    runs: list[GradeRun] = []
    pages: dict[str, Path] = {}
    reports: dict[str, Path] = {}
    sheets: dict[str, Path] = {}
    noticed: set[str] = set()
    for item in released.released:
        aid = item.assignment
        with shown.stage(f"grading {aid}", total=students) as stage:
            lms = where / "lms-export" / aid
            levels = _write_class(item.release_dir, course / "source" / aid, lms, students)
            collect(course=course, assignment=aid, source=lms)
            run = grade(
                course=course,
                assignment=aid,
                sandbox=sandbox,
                workers=workers,
                config=cfg,
                progress=lambda _result: stage.advance(),
            )
            runs.append(run)
            if _grade_written(course, aid, levels, where / "rubric" / aid, shown):
                sheets[aid] = where / "rubric" / aid
            written = feedback(course=course, assignment=aid)
            page = next((ps[0] for _s, ps in sorted(written.pages.items()) if ps), None)
            if page is not None:
                pages[aid] = page
            reports[aid] = report(
                course=course, assignment=aid, out=where / "reports" / aid, config=cfg
            ).html
        for warning in run.warnings:
            if warning not in noticed:
                noticed.add(warning)
                shown.notice(warning)
    with shown.stage("exporting the grades"):
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


def _write_class(
    release_dir: Path, source_dir: Path, lms: Path, students: int
) -> dict[str, dict[str, str]]:
    """Write the synthetic class's submissions as an LMS export; the written answers' levels."""
    levels: dict[str, dict[str, str]] = {}
    for notebook in sorted(source_dir.glob("*.ipynb")):
        for sub in synthetic_class(
            source=notebook, release=release_dir / notebook.name, students=students
        ):
            target = lms / sub.student / notebook.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(sub.text, encoding="utf-8")
            for grade_id, level in sub.written.items():
                levels.setdefault(grade_id, {})[sub.student] = level
    return levels


def _grade_written(
    course: Path,
    assignment: str,
    levels: dict[str, dict[str, str]],
    out: Path,
    progress: Progress,
) -> bool:
    """Simulated TAs grade the written answers on rubric sheets; whether there were any."""
    from coursekit.rubric.simulate import simulate_graders

    if not levels:
        return False
    done = simulate_graders(course=course, assignment=assignment, levels=levels, out=out)
    for warning in done.sheets.warnings:
        progress.notice(warning)
    return bool(done.files)
