"""The one boundary with nbgrader's internals: its settings, its API, and coursekit's plug-ins.

An nbgrader upgrade should touch this file only. It holds:

* :func:`nbgrader_settings`: the solution, hidden-test and mark-scheme delimiters and the
  ignore patterns, read from a course's nbgrader configuration (so a course with its own
  delimiters is handled everywhere), and :func:`split_hidden` / :func:`strip_hidden`, which
  cut hidden regions out of a cell's text exactly as nbgrader's ``ClearHiddenTests`` does;
* :func:`nbgrader_api` and :func:`check_result`: nbgrader's own steps run in-process through
  its ``NbGraderAPI``, with clear errors;
* the gradebook: :func:`ensure_gradebook` (a new database made without the ``alembic``
  program), :func:`open_gradebook`, :func:`quiet_nbgrader`, :func:`fast_sqlite_commits`,
  :func:`shared_gradebook_engines`;
* :class:`QuickCheckCellMetadata`: nbgrader's cell-metadata check with its JSON schema
  compiled once;
* the plug-ins that ``coursekit course init`` writes into ``nbgrader_config.py``
  (:func:`config_lines`), so that nbgrader's own ``autograde`` and ``generate_feedback``,
  from the command line or from formgrader's buttons, are as safe as coursekit's commands:
  :class:`SubmissionExporter` (submissions read with size and depth limits and diagnosed),
  :class:`OverwriteCells` (nbgrader's repair, deleted grade cells put back, without its
  crashes), :class:`SandboxedExecute` (execution in the sandbox, in two phases) and
  :class:`FeedbackExporter` (coursekit's feedback page, which shows no hidden test).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import traceback
import uuid
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert.exporters import Exporter, NotebookExporter
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, ValidationError
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from nbgrader.preprocessors import OverwriteCells as _NbgraderOverwriteCells
from traitlets import Bool, Dict, Unicode

from coursekit.config import GradingLimits
from coursekit.grading.errors import GradingError

if TYPE_CHECKING:
    from coursekit.grading.workspace import Course

__all__ = [
    "AUTOGRADE_STEPS",
    "GENERATE_STEPS",
    "SANITIZE_STEPS",
    "ClearCoursekitMetadata",
    "FeedbackExporter",
    "NbgraderSettings",
    "OverwriteCells",
    "QuickCheckCellMetadata",
    "SandboxedExecute",
    "SubmissionExporter",
    "check_result",
    "config_lines",
    "ensure_gradebook",
    "fast_sqlite_commits",
    "has_hidden",
    "nbgrader_api",
    "nbgrader_settings",
    "open_gradebook",
    "quiet_nbgrader",
    "shared_gradebook_engines",
    "split_hidden",
    "strip_hidden",
]

_EXCEPTION = re.compile(r"^[\w.]*(Error|Exception|Exit)\b.*:")
HIDDEN_NOTE = "# (hidden tests are not shown)"


# ---- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NbgraderSettings:
    """The nbgrader settings coursekit must agree with, read from a course's configuration."""

    solution: tuple[str, str] = ("BEGIN SOLUTION", "END SOLUTION")
    """``ClearSolutions.begin_solution_delimeter`` and ``end_solution_delimeter``."""
    hidden_tests: tuple[str, str] = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
    """``ClearHiddenTests.begin_test_delimeter`` and ``end_test_delimeter``."""
    mark_scheme: tuple[str, str] = ("BEGIN MARK SCHEME", "END MARK SCHEME")
    """``ClearMarkScheme.begin_mark_scheme_delimeter`` and ``end_mark_scheme_delimeter``."""
    ignore: tuple[str, ...] = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")
    """``CourseDirectory.ignore``: files nbgrader never copies."""

    @property
    def hidden_regions(self) -> tuple[tuple[str, str], ...]:
        """The regions that students never see: hidden tests and mark schemes."""
        return (self.hidden_tests, self.mark_scheme)


def nbgrader_settings(course: Course | Any | None = None) -> NbgraderSettings:
    """The delimiters and ignore patterns of ``course``, as nbgrader itself reads them.

    ``course`` is a :class:`Course` or a traitlets ``Config``; ``None`` gives nbgrader's defaults.
    """
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions
    from traitlets.config import Config

    cfg = Config()
    if course is not None:
        cfg.merge(getattr(course, "config", course))
    solutions = ClearSolutions(config=cfg)
    hidden = ClearHiddenTests(config=cfg)
    scheme = ClearMarkScheme(config=cfg)
    return NbgraderSettings(
        solution=(solutions.begin_solution_delimeter, solutions.end_solution_delimeter),
        hidden_tests=(hidden.begin_test_delimeter, hidden.end_test_delimeter),
        mark_scheme=(scheme.begin_mark_scheme_delimeter, scheme.end_mark_scheme_delimeter),
        ignore=tuple(CourseDirectory(config=cfg).ignore),
    )


def split_hidden(
    text: str, settings: NbgraderSettings, *, note: str | None = HIDDEN_NOTE
) -> tuple[str, list[str]]:
    """Split a cell's ``text`` into what students see and the hidden lines.

    A hidden region runs from the line holding a begin delimiter to the line holding its end
    delimiter (both lines included), as in nbgrader's ``ClearHiddenTests``. In the visible
    text each region becomes ``note`` (indented like its first line), or nothing when
    ``note`` is ``None``. An unclosed region hides the rest of the cell.
    """
    visible: list[str] = []
    hidden: list[str] = []
    end: str | None = None
    for line in text.splitlines():
        if end is None:
            end = next((e for b, e in settings.hidden_regions if b in line), None)
            if end is None:
                visible.append(line)
            elif note is not None:
                visible.append(line[: len(line) - len(line.lstrip())] + note)
        elif end in line:
            end = None
        else:
            hidden.append(line)
    return "\n".join(visible), hidden


def strip_hidden(text: str, settings: NbgraderSettings) -> str:
    """``text`` with every hidden region (delimiter lines included) removed."""
    return split_hidden(text, settings, note=None)[0]


def has_hidden(text: str, settings: NbgraderSettings) -> bool:
    """Whether ``text`` holds a hidden region."""
    return any(b in line for line in text.splitlines() for b, _ in settings.hidden_regions)


# ---- the API ----------------------------------------------------------------------------


def nbgrader_api(course: Course, *, extra: Mapping[str, Mapping[str, Any]] | None = None) -> Any:
    """An ``NbGraderAPI`` on ``course``'s config, with ``extra`` settings (section -> traits)."""
    from nbgrader.apps.api import NbGraderAPI
    from traitlets.config import Config

    cfg = Config()
    cfg.merge(course.config)
    for section, traits in (extra or {}).items():
        for name, value in traits.items():
            cfg[section][name] = value
    # Without an exchange, NbGraderAPI logs a CRITICAL "Unwritable directory" while it probes
    # the default one; that probe is not an error for a course that does not use an exchange.
    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        api = NbGraderAPI(config=cfg, coursedir=course.coursedir())
    finally:
        logger.setLevel(level)
    api.log_level = logging.ERROR
    return api


def check_result(result: Mapping[str, Any], what: str, path: Path) -> None:
    """Raise :class:`GradingError` if an ``NbGraderAPI`` call did not succeed.

    The message carries the exception nbgrader logged (its last ``...Error: ...`` line), which
    names the real cause, rather than its closing "see the above traceback".
    """
    if result.get("success"):
        return
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if _EXCEPTION.match(line)]
    logged = [line.removeprefix("[ERROR]").strip() for line in lines if line.startswith("[ERROR]")]
    reason = (errors or logged or lines or ["no details"])[-1]
    if errors and errors[-1].startswith("nbgrader.converters.base.NbGraderException"):
        reason = next((e for e in reversed(errors[:-1])), logged[0] if logged else reason)
    raise GradingError(f"{path}: nbgrader {what} failed: {reason}")


# ---- the gradebook -----------------------------------------------------------------------
#
# nbgrader's Gradebook runs the ``alembic`` program found on PATH to stamp a new database,
# which fails when the virtual environment is not activated; the tables and the stamp are
# made here with alembic's Python API instead.


def _alembic_head() -> str:
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:  # pragma: no cover - nbgrader always ships migrations
        raise RuntimeError("nbgrader ships no alembic migrations; reinstall nbgrader")
    return str(head)


def ensure_gradebook(db_url: str) -> None:
    """Create the gradebook tables and alembic stamp at ``db_url`` if the database is empty.

    A SQLite gradebook is switched to write-ahead logging, so readers never block the
    grader's writes (the setting stays with the file; nbgrader works with it unchanged).
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                {"v": _alembic_head()},
            )
    finally:
        engine.dispose()


@contextmanager
def open_gradebook(db_url: str, course_id: str) -> Iterator[Any]:
    """Yield an open :class:`nbgrader.api.Gradebook`, creating the database first if needed."""
    from nbgrader.api import Gradebook

    ensure_gradebook(db_url)
    with Gradebook(db_url, course_id) as gb:
        yield gb


@contextmanager
def quiet_nbgrader() -> Iterator[None]:
    """Silence SQLAlchemy's warnings about nbgrader's gradebook code.

    nbgrader 0.9 builds a new submission in a way SQLAlchemy 2 warns about ("Object of type
    <SubmittedAssignment> not in session, add operation along 'Student.submissions' will not
    proceed") although the row is added right after; the warning is nbgrader's, not a fault
    of the grading, and would otherwise reach every instructor's terminal.
    """
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        yield


@contextmanager
def fast_sqlite_commits(db_url: str) -> Iterator[None]:
    """While inside, connections to the SQLite gradebook at ``db_url`` commit without fsync.

    nbgrader commits once per graded cell; with SQLite's default each commit waits for the
    disk. In write-ahead-log mode, ``synchronous=NORMAL`` keeps the database consistent after a
    crash (a power cut may lose the last commits, which the next ``coursekit grade`` redoes:
    its record of what was graded is written after the gradebook). Other databases and other
    SQLite files are left alone.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine, make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        yield
        return
    target = str(Path(url.database).resolve())

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            row = cursor.execute("PRAGMA database_list").fetchone()
            if row is not None and row[2] and str(Path(row[2]).resolve()) == target:
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)


@contextmanager
def shared_gradebook_engines() -> Iterator[None]:
    """While inside, every nbgrader ``Gradebook`` on a database shares one SQLAlchemy engine.

    nbgrader opens a new ``Gradebook`` for each step that reads or writes grades (several per
    notebook), and each one makes a new engine: SQLAlchemy then compiles the same statements
    again, inspects the tables and runs ``create_all`` every time. Inside this block the
    engine (and so its compiled-statement cache) is made once per database URL, and the
    tables are checked once per engine. ``Gradebook.close`` still returns its connections
    (an engine survives ``dispose``). Leaving the block restores nbgrader's own behaviour.
    Thread-safe; enter it once around a grading run, not in several threads at once.
    """
    import threading

    import nbgrader.api as gradebook_api

    make_engine = gradebook_api.create_engine
    real_inspect = gradebook_api.inspect
    metadata = gradebook_api.Base.metadata
    engines: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}
    tables: dict[int, list[str]] = {}
    lock = threading.Lock()

    class _Tables:
        """What ``Gradebook`` asks of ``inspect(engine)``: the table names, known already."""

        def __init__(self, names: list[str]) -> None:
            self.names = names

        def get_table_names(self) -> list[str]:
            return list(self.names)

    def create_engine(url: Any, **kwargs: Any) -> Any:
        key = (str(url), tuple(sorted(kwargs.items())))
        with lock:
            if key not in engines:
                engines[key] = make_engine(url, **kwargs)
            return engines[key]

    def inspect(subject: Any) -> Any:
        with lock:
            names = tables.get(id(subject))
        return _Tables(names) if names is not None else real_inspect(subject)

    def create_all(bind: Any = None, **kwargs: Any) -> None:
        with lock:
            ours = any(bind is engine for engine in engines.values())
            if ours and id(bind) in tables:
                return
        type(metadata).create_all(metadata, bind=bind, **kwargs)
        if ours:  # only engines made here live (and keep their id) until the block ends
            names = real_inspect(bind).get_table_names()
            with lock:
                tables[id(bind)] = names

    gradebook_api.create_engine = create_engine
    gradebook_api.inspect = inspect
    metadata.create_all = create_all
    try:
        yield
    finally:
        gradebook_api.create_engine = make_engine
        gradebook_api.inspect = real_inspect
        del metadata.create_all
        for engine in engines.values():
            engine.dispose()


# ---- cell-metadata checks ------------------------------------------------------------------
#
# nbgrader's CheckCellMetadata (run twice per notebook by autograde) checks the JSON *schema
# itself* again for every cell: about 0.3 s per notebook of a real assignment, in the one
# process that saves every grade. QuickCheckCellMetadata runs nbgrader's own validator with a
# schema validator built once, raising the same errors.


class _SchemaCheckedOnce(BaseMetadataValidator):  # type: ignore[misc]
    """``BaseMetadataValidator.validate_cell`` with a prebuilt JSON-schema validator."""

    @functools.cached_property
    def _validator(self) -> Any:
        import jsonschema  # type: ignore[import-untyped]

        cls = jsonschema.validators.validator_for(self.schema)
        cls.check_schema(self.schema)
        return cls(self.schema)

    def validate_cell(self, cell: Any) -> None:
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        if "nbgrader" not in cell.metadata:
            return
        schema = cell.metadata["nbgrader"].get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {schema} (expected {self.schema_version})",
                schema,
                self.schema_version,
            )
        if schema > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {schema} (expected {self.schema_version})",
                schema,
                self.schema_version,
            )
        error = best_match(self._validator.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class _QuickValidator(MetadataValidator, _SchemaCheckedOnce):  # type: ignore[misc]
    """nbgrader's ``MetadataValidatorV3``; its ``super()`` call reaches the quick base check."""


@functools.cache
def _validator() -> _QuickValidator:
    return _QuickValidator()


class QuickCheckCellMetadata(CheckCellMetadata):  # type: ignore[misc]
    """nbgrader's ``CheckCellMetadata`` with the schema checked once per process."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Validate every cell's nbgrader metadata; raise ``ValidationError`` as nbgrader does."""
        try:
            _validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


# ---- plug-ins for nbgrader's own converters ------------------------------------------------


def _course_of(configurable: Any) -> Course:
    """The course a converter step works in: its configured root, else the working folder.

    nbgrader's converters change into ``CourseDirectory.root`` before converting.
    """
    from coursekit.grading.workspace import open_course

    root = configurable.config.CourseDirectory.get("root") or os.getcwd()
    return open_course(Path(str(root)))


class SubmissionExporter(NotebookExporter):
    """nbgrader's notebook exporter, reading submissions the way ``coursekit grade`` does.

    A submitted notebook is read with a size cap before parsing and a depth limit on its
    JSON, and diagnosed against the source
    (:func:`coursekit.grading.submissions.inspect_submission`): each finding is logged as a
    warning naming the student. An unreadable notebook scores zero (as nbgrader scores a
    missing one) and stops that student's grading with the reason.
    """

    def from_filename(
        self, filename: str, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[Any, dict[str, Any]]:
        """Read ``filename`` safely, report what is wrong with it, and export it."""
        from coursekit.grading.submissions import inspect_submission

        path = Path(filename)
        info = (resources or {}).get("nbgrader", {})
        ws = _course_of(self)
        submitted = ws.path("submitted", info.get("student", ""), info.get("assignment", ""))
        if path.parent.resolve() != submitted.resolve():
            return super().from_filename(filename, resources, **kw)
        source = ws.path("source", ".", info["assignment"]) / path.name
        check = inspect_submission(path, source)
        for message in check.messages:
            self.log.warning("coursekit: %s: %s", info.get("student"), message)
        if check.notebook is None:
            _zero(ws, info["assignment"], info["student"], path.stem)
            raise GradingError(check.messages[0] if check.messages else f"{path}: unreadable")
        resources = dict(resources or {})
        resources.setdefault("metadata", {})
        resources["metadata"].update(name=path.stem, path=str(path.parent))
        exported: tuple[Any, dict[str, Any]] = super().from_notebook_node(  # type: ignore[no-untyped-call]
            check.notebook, resources, **kw
        )
        return exported


def _zero(ws: Course, assignment: str, student: str, notebook: str) -> None:
    """Score every cell of a student's notebook zero, as nbgrader does for a missing notebook."""
    from nbgrader.api import Gradebook

    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        submitted = gb.find_submission_notebook(notebook, assignment, student)
        for grade in submitted.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()


def _grade_id(cell: Any) -> str | None:
    value = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return value if isinstance(value, str) and value else None


def _with_id(nb: Any, cell: Any) -> Any:
    """``cell`` with a fresh cell id when ``nb``'s nbformat has ids (4.5 and later)."""
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5) and "id" not in cell:
        taken = {c.get("id") for c in nb.cells}
        cell["id"] = next(i for i in (uuid.uuid4().hex[:8] for _ in range(100)) if i not in taken)
    return cell


class OverwriteCells(_NbgraderOverwriteCells):  # type: ignore[misc]
    """nbgrader's ``OverwriteCells``, with its handling of unknown and missing cells fixed.

    nbgrader 0.9 leaves the rest of the grading metadata on a cell whose grade id the
    gradebook does not know (a "bonus" cell a student made up), and its
    ``add_missing_cells`` crashes on a cell that ``DeduplicateIds`` emptied and on a deleted
    grade cell whose neighbour in the source is not an answer or test cell. Here an unknown
    cell becomes an ordinary cell, and a deleted grade cell is put back after the nearest
    cell before it in the source that the submission still has.
    """

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        """nbgrader's check of one cell; an unknown grade id makes it an ordinary cell."""
        had = _grade_id(cell)
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had is not None and _grade_id(cell) is None:
            cell.metadata.pop("nbgrader", None)
        elif not cell.get("metadata", {}).get("nbgrader", True):
            cell.metadata.pop("nbgrader", None)  # emptied by DeduplicateIds
        return cell, resources

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Put back each deleted grade cell, after its nearest surviving predecessor."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = {cell.name: cell for cell in source_nb.source_cells}
        order = list(cells)
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        for name in order:
            present = {gid: i for i, c in enumerate(nb.cells) if (gid := _grade_id(c))}
            if name not in grade_cells or name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            cell = _with_id(
                nb,
                self.missing_cell_transform(
                    cells[name], grade_cells[name].max_score, is_solution=name in solutions
                ),
            )
            before = [n for n in order[: order.index(name)] if n in present]
            nb.cells.insert(present[before[-1]] + 1 if before else 0, cell)
        return nb, resources

    def add_missing_task_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Put back each deleted task cell at the end, as nbgrader does."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = {cell.name: cell for cell in source_nb.source_cells}
        present = {_grade_id(c) for c in nb.cells}
        for task in source_nb.task_cells:
            if task.name not in present:
                cell = self.missing_cell_transform(cells[task.name], task.max_score, is_task=True)
                nb.cells.append(_with_id(nb, cell))
        return nb, resources


class SandboxedExecute(Execute):  # type: ignore[misc]
    """nbgrader's ``Execute`` step, replaced: the notebook runs sandboxed, in two phases.

    Phase 1 runs the student's cells in the sandbox (no network, no course files, limits);
    phase 2 runs the instructor's tests on the captured answers in a process that never ran
    student code (:func:`coursekit.grading.twophase.grade_notebook`). The notebook comes
    back with each test cell's outputs, as nbgrader's ``Execute`` would leave it, and
    nbgrader's next steps save the grades. When the sandbox cannot run, grading stops with
    the reason: it never falls back to running student code unsandboxed.
    """

    sandbox = Bool(
        True, help="Run student code in the sandbox (False only for trusted notebooks)."
    ).tag(config=True)
    limits = Dict(
        {}, help="coursekit GradingLimits fields (memory_mb, cell_timeout, ...) for the sandbox."
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Run ``nb`` for grading and return it with its outputs."""
        from coursekit.grading import sandbox as sandboxing
        from coursekit.grading.nbio import read_notebook

        ws = _course_of(self)
        info = resources["nbgrader"]
        limits = GradingLimits(**self.limits)
        if self.sandbox:
            try:
                sandboxing.check_available()
            except sandboxing.SandboxUnavailable as exc:
                raise GradingError(
                    f"{exc}; nbgrader's autograde in this course runs only in coursekit's "
                    "sandbox: fix that, or use `coursekit grade` (see its --no-sandbox)"
                ) from exc
        else:
            self.log.warning(sandboxing.NO_SANDBOX_WARNING)
        source = read_notebook(
            ws.path("source", ".", info["assignment"]) / f"{info['notebook']}.ipynb"
        )
        scratch = ws.root / ".coursekit" / "scratch" / "nbgrader" / uuid.uuid4().hex[:12]
        workdir = scratch / "files"
        workdir.mkdir(parents=True)
        try:
            _copy_other_files(Path(resources["metadata"]["path"]), workdir, nbgrader_settings(ws))
            executed = self._run(nb, source=source, workdir=workdir, limits=limits, ws=ws)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return executed, resources

    def _run(
        self, nb: Any, *, source: Any, workdir: Path, limits: GradingLimits, ws: Course
    ) -> Any:
        from coursekit.checks.quotes import ARTICLE_MISSING_NOTE, uses_quotes
        from coursekit.grading import twophase

        result = twophase.grade_notebook(
            nb,
            source=source,
            workdir=workdir,
            limits=limits,
            sandbox=self.sandbox,
            article=ws.article,
            course=ws,
        )
        notes = list(result.messages) + [f"flagged: {flag}" for flag in result.flags]
        if ws.article is None and uses_quotes(source):
            notes.append(ARTICLE_MISSING_NOTE)
        for note in notes:
            self.log.warning("coursekit: %s", note)
        return result.notebook


def _copy_other_files(folder: Path, dest: Path, settings: NbgraderSettings) -> None:
    """The submission's other files (data it reads), never a notebook."""
    from nbgrader.utils import find_all_files

    for name in find_all_files(str(folder), [*settings.ignore, "*.ipynb"]):
        target = dest / Path(name).relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(name, target)


class FeedbackExporter(Exporter):
    """nbgrader's feedback exporter, replaced by coursekit's feedback page.

    ``nbgrader generate_feedback`` and formgrader's "Generate Feedback" write the same page
    as ``coursekit feedback`` (:func:`coursekit.grading.feedback.feedback_page`): scores,
    the student's cells, test results, and no hidden test, by construction.
    """

    file_extension = Unicode(".html").tag(config=True)
    output_mimetype = "text/html"
    show_hidden_details = Bool(
        False,
        help="Show the checkers' messages from hidden tests on feedback pages (the course's "
        "feedback.show_hidden_details; never a hidden test's source or a solution value).",
    ).tag(config=True)

    def from_notebook_node(
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[Any, dict[str, Any]]:
        """The feedback page of the student, assignment and notebook in ``resources``."""
        from coursekit.grading.feedback import feedback_page

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        info = resources["nbgrader"]
        page = feedback_page(
            _course_of(self),
            assignment=info["assignment"],
            student=info["student"],
            notebook=info["notebook"],
            graded=nb_copy,
            show_hidden=bool(self.show_hidden_details),
        )
        resources["output_extension"] = ".html"
        return page, resources


class ClearCoursekitMetadata(NbGraderPreprocessor):  # type: ignore[misc]
    """Remove coursekit's own cell metadata (``metadata.coursekit``) from a released notebook.

    Source notebooks may declare, for two-phase grading, the arguments on which a test calls
    a student's function; students need not see that.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Drop ``metadata.coursekit`` from one cell."""
        cell.get("metadata", {}).pop("coursekit", None)
        return cell, resources


def _generate_steps() -> list[type]:
    from nbgrader.converters import GenerateAssignment

    steps: list[type] = list(GenerateAssignment.class_traits()["preprocessors"].default())
    return [*steps, ClearCoursekitMetadata]


SANITIZE_STEPS: list[type] = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
"""nbgrader's sanitize steps, with :class:`OverwriteCells` for nbgrader's."""

AUTOGRADE_STEPS: list[type] = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
"""nbgrader's autograde steps, with :class:`SandboxedExecute` for nbgrader's ``Execute``."""

GENERATE_STEPS: list[type] = _generate_steps()
"""nbgrader's ``generate_assignment`` steps, then :class:`ClearCoursekitMetadata`."""


def config_lines(
    *, limits: GradingLimits, sandbox: bool = True, show_hidden_details: bool = False
) -> list[str]:
    """The lines of ``nbgrader_config.py`` that route nbgrader's own commands through coursekit."""
    fields = ", ".join(f"{k!r}: {v!r}" for k, v in asdict(limits).items())
    return [
        "",
        "# coursekit: nbgrader's own `autograde` and `generate_feedback` (command line and",
        "# formgrader's buttons) go through coursekit: submissions are read safely and checked,",
        "# student code runs only in the sandbox (two phases), and feedback shows no hidden test.",
        "from coursekit.grading import nbgrader_api as coursekit_nbgrader  # noqa: E402",
        "",
        "c.OverwriteCells.add_missing_cells = True",
        "c.Autograde.exporter_class = coursekit_nbgrader.SubmissionExporter",
        "c.Autograde.sanitize_preprocessors = coursekit_nbgrader.SANITIZE_STEPS",
        "c.Autograde.autograde_preprocessors = coursekit_nbgrader.AUTOGRADE_STEPS",
        f"c.SandboxedExecute.sandbox = {sandbox!r}",
        f"c.SandboxedExecute.limits = {{{fields}}}",
        "c.GenerateAssignment.preprocessors = coursekit_nbgrader.GENERATE_STEPS",
        "c.GenerateFeedback.exporter_class = coursekit_nbgrader.FeedbackExporter",
        "c.GenerateFeedback.preprocessors = []",
        f"c.FeedbackExporter.show_hidden_details = {show_hidden_details!r}",
    ]
