"""Open nbgrader's gradebook, creating a new database without shelling out to ``alembic``.

nbgrader's :class:`~nbgrader.api.Gradebook` runs the ``alembic`` program found on ``PATH`` to stamp
a new database, which fails when the virtual environment is not activated. Creating the tables
and the stamp here, with alembic's Python API, makes a new gradebook work from any shell.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["ensure_gradebook", "fast_sqlite_commits", "open_gradebook", "quiet_nbgrader"]


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
