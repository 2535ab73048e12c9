"""``coursekit grade``: autograde every submission of an assignment in two phases, in parallel.

The work of ``nbgrader autograde``, split so that no code a student wrote runs where a score is
decided (:mod:`coursekit.grading.twophase`), and so it runs in parallel and pays start-up once:

* this process imports nbgrader once, and does every gradebook read and write itself, one at a
  time (nbgrader's sanitize steps before execution, its grade-saving steps after it:
  :class:`~coursekit.grading.nbgrader_api.AutogradeSteps`);
* phase 1 of each notebook (the student's cells, the answers captured as data) runs in its
  own sandbox, ``workers`` of them at once;
* phase 2 (the instructor's tests on the captured answers) runs for the whole batch in one
  worker process that never runs student code (:class:`~coursekit.grading.check.Checker`);
* a content hash per submission (:mod:`coursekit.grading.state`) lets a rerun skip unchanged
  submissions unless ``force``.

Honest submissions score what ``nbgrader autograde`` gives them (a test compares them cell by
cell); a submission that tampers with the grader gains nothing and ends ``suspicious``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from coursekit.config import CourseConfig, GradingLimits, load_config
from coursekit.grading import sandbox as sandboxing
from coursekit.grading import twophase
from coursekit.grading.check import Checker, CheckerFailed
from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import (
    AutogradeSteps,
    ensure_gradebook,
    fast_sqlite_commits,
    notebook_resources,
    quiet_nbgrader,
    shared_gradebook_engines,
)
from coursekit.grading.nbio import read_notebook
from coursekit.grading.plan import NotebookPlan, plan_notebook, static_flags
from coursekit.grading.results import STATUSES, GradeRun, StudentResult
from coursekit.grading.state import GradeState, folder_hash, load_state, save_state
from coursekit.grading.submissions import inspect_folder
from coursekit.grading.workspace import Course, open_course

__all__ = ["grade"]


@dataclass
class _Run:
    """One notebook of one submission, to grade."""

    notebook: str
    nb: Any
    """The sanitized notebook (nbgrader's sanitize steps ran on it)."""
    resources: dict[str, Any]
    flags: list[str] = field(default_factory=list)
    captured: twophase.CaptureRun | None = None
    checked: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    check_error: str = ""


@dataclass
class _Job:
    """One student's submission on its way through the pool."""

    student: str
    digest: str
    scratch: Path
    started: float
    runs: list[_Run] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    retry: bool = False


def grade(
    *,
    course: Path,
    assignment: str,
    workers: int | None = None,
    timeout: int | None = None,
    force: bool = False,
    sandbox: bool | None = None,
    students: Sequence[str] = (),
    config: CourseConfig | None = None,
    progress: Callable[[StudentResult], None] | None = None,
) -> GradeRun:
    """Autograde every submitted notebook of ``assignment`` in the course at ``course``.

    ``workers`` children run at once (default: the configuration's, one per core);
    ``timeout`` is the seconds one cell may run (default ``limits.cell_timeout``); ``force``
    grades unchanged submissions again; ``sandbox`` runs each child inside the sandbox (default
    from the configuration; ``False`` is reported loudly); ``students`` limits the run;
    ``progress`` is called with each result as it arrives. Grades go into the gradebook and the
    executed notebooks into ``autograded/`` exactly as ``nbgrader autograde`` leaves them.
    """
    cfg = config or load_config()
    ws = open_course(course)
    with quiet_nbgrader(), fast_sqlite_commits(ws.db_url), shared_gradebook_engines():
        run = _grade(
            course=course,
            assignment=assignment,
            workers=workers,
            timeout=timeout,
            force=force,
            sandbox=sandbox,
            students=students,
            config=cfg,
            progress=progress,
        )
        _mark_invalid(ws, assignment, run)
        return run


def _mark_invalid(ws: Course, assignment: str, run: GradeRun) -> None:
    """Show invalid submissions as flagged and pending in formgrader (see grading.status)."""
    from nbgrader.api import Gradebook

    from coursekit.grading.status import mark_invalid

    with Gradebook(ws.db_url, ws.course_id) as gb:
        mark_invalid(gb, ws, assignment, run.results)


def _grade(
    *,
    course: Path,
    assignment: str,
    workers: int | None,
    timeout: int | None,
    force: bool,
    sandbox: bool | None,
    students: Sequence[str],
    config: CourseConfig,
    progress: Callable[[StudentResult], None] | None,
) -> GradeRun:
    cfg = config
    limits = replace(cfg.limits, cell_timeout=timeout) if timeout else cfg.limits
    sandboxed = cfg.sandbox if sandbox is None else sandbox
    if sandboxed:
        try:
            sandboxing.check_available()
        except sandboxing.SandboxUnavailable as exc:
            raise GradingError(str(exc)) from exc
    started = time.monotonic()
    ws = open_course(course)
    notebooks = _assignment_notebooks(ws, assignment)
    wanted = ws.students(assignment)
    if students:
        missing = sorted(set(students) - set(wanted))
        if missing:
            raise GradingError(
                f"{ws.path('submitted', '*', assignment)}: no submission from {missing}"
            )
        wanted = [s for s in wanted if s in set(students)]
    state = load_state(
        ws.root,
        assignment,
        source_hash=folder_hash(ws.path("source", ".", assignment)),
        db_url=ws.db_url,
    )
    grader = _Grader(ws, assignment, notebooks, limits, sandboxed, state)
    results: dict[str, StudentResult] = {}

    def done(result: StudentResult) -> None:
        results[result.student] = result
        if result.regraded:
            save_state(state)  # after each result: a killed run resumes where it stopped
        if progress is not None:
            progress(result)

    pool_size = max(1, workers or cfg.worker_count)
    try:
        with ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="grade") as pool:
            futures = {}
            for student in wanted:
                digest = folder_hash(ws.path("submitted", student, assignment))
                kept = None if force else grader.unchanged(student, digest)
                if kept is not None:
                    done(kept)
                    continue
                try:
                    job = grader.prepare(student, digest)
                except Exception as exc:  # one student's files never stop the class
                    done(grader.failed(student, digest, exc))
                    continue
                if job.runs:
                    futures[pool.submit(grader.run, job)] = job
                else:
                    done(grader.finish(job))
            try:
                for future in as_completed(futures):
                    done(grader.finish(future.result()))
            except BaseException:  # Ctrl-C or a failure: stop what is queued and running
                grader.stopping = True
                for future in futures:
                    future.cancel()
                grader.kill_all()
                raise
    finally:
        grader.close()
        save_state(state)
        shutil.rmtree(grader.scratch_root, ignore_errors=True)
    ordered = tuple(results[s] for s in wanted if s in results)
    return GradeRun(
        assignment=assignment,
        results=ordered,
        sandboxed=sandboxed,
        seconds=time.monotonic() - started,
        warnings=() if sandboxed else (sandboxing.NO_SANDBOX_WARNING,),
    )


def _assignment_notebooks(ws: Course, assignment: str) -> list[str]:
    from nbgrader.api import Gradebook, MissingEntry

    ensure_gradebook(ws.db_url)
    with Gradebook(ws.db_url, ws.course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError(
                f"{ws.db_url}: assignment {assignment!r} is not in the gradebook; "
                f"run `coursekit release {assignment} --course {ws.root}` first"
            ) from None
        names = sorted(nb.name for nb in record.notebooks)
    if not names:
        raise GradingError(f"{ws.db_url}: assignment {assignment!r} has no notebooks; release it")
    return names


def _rmtree(path: Path) -> None:
    """Remove a folder if it is there (nbgrader's 444 files go too: their folder is writable)."""
    if path.is_dir():
        shutil.rmtree(path)


class _Grader:
    """The per-run machinery: gradebook access, sanitizing, execution, saving."""

    def __init__(
        self,
        ws: Course,
        assignment: str,
        notebooks: list[str],
        limits: GradingLimits,
        sandboxed: bool,
        state: GradeState,
    ) -> None:
        from nbgrader.utils import find_all_files

        self.ws = ws
        self.assignment = assignment
        self.notebooks = notebooks
        self.limits = limits
        self.sandboxed = sandboxed
        self.state = state
        self.steps = AutogradeSteps(ws)
        self.coursedir = ws.coursedir()
        self.ignore: list[str] = list(self.coursedir.ignore)
        source = ws.path("source", ".", assignment)
        excluded = {source / x for x in self.steps.exclude_overwriting.get(assignment, [])}
        self.source_files = [
            Path(p)
            for p in find_all_files(str(source), [*self.ignore, "*.ipynb"])
            if Path(p) not in excluded
        ]
        self.source_dir = source
        self.scratch_root = ws.root / ".coursekit" / "scratch" / assignment
        self.log_dir = ws.root / ".coursekit" / "logs" / assignment
        self.hard_timeout = sandboxing.wall_clock_seconds(limits)
        self.live: set[int] = set()
        self.stopping = False
        self._lock = threading.Lock()
        self._plans: dict[str, NotebookPlan] = {}
        self._quotes: dict[str, bool] = {}
        self._checker: Checker | None = None
        self._check_lock = threading.Lock()
        self.article: Path | None = getattr(ws, "article", None)
        note = _article_note()
        self.article_note = note if self.article is None else ""

    def kill_all(self) -> None:
        """Kill every child still running (their process groups)."""
        with self._lock:
            for pgid in list(self.live):
                _kill_group(pgid)

    # -- gradebook -------------------------------------------------------------------------
    def _gradebook(self) -> Any:
        from nbgrader.api import Gradebook

        return Gradebook(self.ws.db_url, self.ws.course_id)

    def unchanged(self, student: str, digest: str) -> StudentResult | None:
        """The stored result when the submission has not changed and its grades are still there."""
        from nbgrader.api import MissingEntry

        if not self.state.unchanged(student, digest):
            return None
        if not self.ws.path("autograded", student, self.assignment).is_dir():
            return None
        with self._gradebook() as gb:
            try:
                gb.find_submission(self.assignment, student)
            except MissingEntry:
                return None
        return replace(self.state.results[student], regraded=False, seconds=0.0)

    def _zero(self, student: str, notebook: str) -> None:
        """Score every cell of a notebook zero, as nbgrader does for a missing notebook."""
        with self._gradebook() as gb:
            submitted = gb.find_submission_notebook(notebook, self.assignment, student)
            for grade in submitted.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
            gb.db.commit()

    def failed(self, student: str, digest: str, exc: Exception) -> StudentResult:
        """The result of a submission that could not even be prepared: zero, with the reason."""
        with self._gradebook() as gb:
            max_score = float(gb.find_assignment(self.assignment).max_score)
        for notebook in self.notebooks:
            with contextlib.suppress(Exception):
                self._zero(student, notebook)
        result = StudentResult(
            student=student,
            assignment=self.assignment,
            score=0.0,
            max_score=max_score,
            status="error",
            messages=(
                f"the submission could not be prepared for grading ({_first_line(exc)}); "
                "scored zero",
            ),
            sandboxed=self.sandboxed,
        )
        self.state.record(result, digest)
        return result

    # -- before execution --------------------------------------------------------------------
    def prepare(self, student: str, digest: str) -> _Job:
        """Record the submission, check and sanitize each notebook, fill the scratch folder."""
        submitted = self.ws.path("submitted", student, self.assignment)
        job = _Job(student, digest, self.scratch_root / student, time.monotonic())
        timestamp = self.coursedir.get_existing_timestamp(str(submitted))
        with self._gradebook() as gb:
            gb.update_or_create_student(student)
            if timestamp:
                gb.update_or_create_submission(self.assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(self.assignment, student)
        _rmtree(job.scratch)
        job.scratch.mkdir(parents=True)
        self._copy_files(submitted, job.scratch)
        for reason in _shadowing(submitted):
            job.statuses.append("suspicious")
            job.messages.append(reason)
        autograded = self.ws.path("autograded", student, self.assignment)
        _rmtree(autograded)
        for notebook in self.notebooks:
            run = self._prepare_notebook(job, submitted, notebook)
            if run is not None:
                job.runs.append(run)
        return job

    def _copy_files(self, submitted: Path, scratch: Path) -> None:
        """Submitted files, then the source's files over them (nbgrader's rule), no notebooks."""
        from nbgrader.utils import find_all_files

        pairs = [
            (Path(p), scratch / Path(p).relative_to(submitted))
            for p in find_all_files(str(submitted), [*self.ignore, "*.ipynb"])
        ]
        pairs += [(p, scratch / p.relative_to(self.source_dir)) for p in self.source_files]
        for src, dest in pairs:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                dest.unlink()
            shutil.copyfile(src, dest)

    def _prepare_notebook(self, job: _Job, submitted: Path, notebook: str) -> _Run | None:
        """Check one submitted notebook and sanitize it; ``None`` when it cannot be run."""
        check = inspect_folder(
            submitted,
            f"{notebook}.ipynb",
            self.source_dir / f"{notebook}.ipynb",
            limits=self.limits,
        )
        job.messages.extend(check.messages)
        tampered = "tampered" in check.flags
        if check.notebook is None:
            job.statuses.append("tampered" if tampered else "invalid")
            self._zero(job.student, notebook)
            return None
        if tampered:
            job.statuses.append("tampered")
        resources = notebook_resources(
            self.ws,
            assignment=self.assignment,
            student=job.student,
            notebook=notebook,
            path=job.scratch,
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sanitized = self.steps.sanitize(check.notebook, resources)
        except Exception as exc:
            job.statuses.append("invalid")
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            job.messages.append(
                f"{check.path}: nbgrader cannot grade this notebook ({reason}); scored zero"
            )
            self._zero(job.student, notebook)
            return None
        return _Run(
            notebook=notebook,
            nb=sanitized,
            resources=resources,
            flags=static_flags(sanitized, self.plan(notebook)),
        )

    # -- execution (worker threads) ---------------------------------------------------------
    def run(self, job: _Job) -> _Job:
        """Phase 1 of each notebook of ``job`` in its own sandbox (called in a worker thread)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        job.started = time.monotonic()
        for run in job.runs:
            if self.stopping:
                break
            plan = self.plan(run.notebook)
            try:
                run.captured = twophase.capture(
                    run.nb,
                    plan,
                    workdir=job.scratch,
                    limits=self.limits,
                    sandboxed=self.sandboxed,
                    log=self.log_dir / f"{job.student}.{run.notebook}.log",
                    live=_Live(self),
                )
                self._check(run, plan)
            except Exception as exc:  # one notebook never stops the class
                if run.captured is None:
                    run.captured = twophase.CaptureRun()
                run.check_error = f"it could not be graded ({_first_line(exc)})"
        return job

    def _check(self, run: _Run, plan: NotebookPlan) -> None:
        """Phase 2 of one notebook on the batch's checker (one notebook at a time)."""
        assert run.captured is not None  # noqa: S101 (narrows the type for mypy)
        requests = twophase.check_requests(run.nb, plan, run.captured)
        with self._check_lock:
            try:
                run.checked = self.checker().check(run.notebook, plan, requests)
            except CheckerFailed as exc:
                run.check_error = str(exc)
                self._close_checker()

    # -- after execution -------------------------------------------------------------------
    def finish(self, job: _Job) -> StudentResult:
        """Save the grades of an executed submission and return its result."""
        autograded = self.ws.path("autograded", job.student, self.assignment)
        autograded.mkdir(parents=True, exist_ok=True)
        self._copy_files(self.ws.path("submitted", job.student, self.assignment), autograded)
        for run in job.runs:
            if run.captured is None:  # stopped before it ran
                job.statuses.append("error")
                job.messages.append(f"{run.notebook}.ipynb: not run (grading stopped); will retry")
                job.retry = True
                self._zero(job.student, run.notebook)
                continue
            if run.check_error:
                job.statuses.append("error")
                job.messages.append(f"{run.notebook}.ipynb: {run.check_error}; scored zero")
                self._zero(job.student, run.notebook)
                continue
            try:
                out_nb = twophase.assemble(run.nb, run.captured, run.checked, limits=self.limits)
                flags = tuple(dict.fromkeys([*run.flags, *run.captured.flags]))
                status, notes = twophase.outcome_of(out_nb, run.captured, flags)
                run.resources["metadata"]["path"] = str(autograded)
                text = self.steps.finish(out_nb, run.resources)
            except Exception as exc:  # one student's notebook never stops the class
                job.statuses.append("error")
                job.messages.append(
                    f"{run.notebook}.ipynb: its grades could not be saved ({_first_line(exc)}); "
                    "scored zero"
                )
                self._zero(job.student, run.notebook)
                continue
            job.statuses.append(status)
            job.messages.extend(f"{run.notebook}.ipynb: {m}" for m in notes)
            if run.captured.problem == "no-start":
                job.retry = True
            if self.article_note and self.uses_quotes(run.notebook):
                job.messages.append(f"{run.notebook}.ipynb: {self.article_note}")
            (autograded / f"{run.notebook}.ipynb").write_text(text, encoding="utf-8")
        for path in autograded.rglob("*"):
            if path.is_file():
                path.chmod(0o400)
        shutil.rmtree(job.scratch, ignore_errors=True)
        with self._gradebook() as gb:
            submission = gb.find_submission(self.assignment, job.student)
            score, max_score = float(submission.score), float(submission.max_score)
        statuses = job.statuses or ["graded"]
        result = StudentResult(
            student=job.student,
            assignment=self.assignment,
            score=score,
            max_score=max_score,
            status=max(statuses, key=STATUSES.index),
            messages=tuple(m.replace(f"{self.ws.root}/", "") for m in job.messages),
            sandboxed=self.sandboxed,
            seconds=time.monotonic() - job.started,
        )
        self.state.record(result, None if job.retry else job.digest)
        return result

    # -- plans and phase 2 --------------------------------------------------------------------
    def plan(self, notebook: str) -> NotebookPlan:
        """The grading plan of one of the assignment's source notebooks (read once)."""
        with self._lock:
            if notebook not in self._plans:
                source = read_notebook(self.source_dir / f"{notebook}.ipynb")
                self._plans[notebook] = plan_notebook(source, course=self.ws)
                self._quotes[notebook] = _uses_quotes(source)
            return self._plans[notebook]

    def uses_quotes(self, notebook: str) -> bool:
        """Whether the notebook's tests check quotations against the article."""
        self.plan(notebook)
        return self._quotes[notebook]

    def checker(self) -> Checker:
        """The batch's phase-2 worker, started on first use."""
        if self._checker is None:
            self._checker = Checker(limits=self.limits, article=self.article, cwd=self.source_dir)
        return self._checker

    def close(self) -> None:
        """Stop the phase-2 worker."""
        with self._check_lock:
            self._close_checker()

    def _close_checker(self) -> None:
        if self._checker is not None:
            self._checker.close()
            self._checker = None


class _Live:
    """The set of running process groups, as :func:`twophase.capture` adds and discards them."""

    def __init__(self, grader: _Grader) -> None:
        self.grader = grader

    def add(self, pgid: int) -> None:
        with self.grader._lock:
            self.grader.live.add(pgid)

    def discard(self, pgid: int) -> None:
        with self.grader._lock:
            self.grader.live.discard(pgid)


def _uses_quotes(source: Any) -> bool:
    from coursekit.checks import quotes

    uses = getattr(quotes, "uses_quotes", None)
    return bool(uses(source)) if uses is not None else False


def _shadowing(folder: Path) -> list[str]:
    """Reasons to look at modules in a submission named like an installed package.

    Phase 1 imports the course's packages before the student's cells and puts the
    submission's folder last on ``sys.path``, so such a module changes nothing; under plain
    nbgrader it would replace the package (a ``coursekit/`` whose checks always pass).
    """
    import importlib.util

    reasons = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_symlink():
            continue
        if entry.suffix == ".py" and entry.is_file():
            name = entry.stem
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            name = entry.name
        else:
            continue
        with contextlib.suppress(ImportError, ValueError):
            if name.isidentifier() and importlib.util.find_spec(name) is not None:
                reasons.append(
                    f"suspicious: the submission holds {entry.name}"
                    f"{'/' if entry.is_dir() else ''}, named like the installed package "
                    f"{name} it would shadow under plain nbgrader (ignored when grading)"
                )
    return reasons


def _article_note() -> str:
    from coursekit.checks import quotes

    return str(getattr(quotes, "ARTICLE_MISSING_NOTE", ""))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
