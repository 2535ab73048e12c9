"""nbgrader's gradebook: made without the ``alembic`` program, opened quietly, written fast.

nbgrader's Gradebook runs the ``alembic`` program found on PATH to stamp a new database,
which fails when the virtual environment is not activated; the tables and the stamp are
made here with alembic's Python API instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "ensure_gradebook",
    "fast_sqlite_commits",
    "open_gradebook",
    "quiet_nbgrader",
    "shared_gradebook_engines",
    "zero_notebook",
]


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


def zero_notebook(
    db_url: str, course_id: str, *, assignment: str, student: str, notebook: str
) -> None:
    """Score every cell of a student's notebook zero, as nbgrader does for a missing notebook."""
    from nbgrader.api import Gradebook

    with quiet_nbgrader(), Gradebook(db_url, course_id) as gb:
        submitted = gb.find_submission_notebook(notebook, assignment, student)
        for grade in submitted.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()
