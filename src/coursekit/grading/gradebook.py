"""Open nbgrader's gradebook, creating a new database without shelling out to ``alembic``.

nbgrader's :class:`~nbgrader.api.Gradebook` runs the ``alembic`` program found on ``PATH`` to stamp
a new database, which fails when the virtual environment is not activated. Creating the tables
and the stamp here, with alembic's Python API, makes a new gradebook work from any shell.
"""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["ensure_gradebook", "open_gradebook"]


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
    """Create the gradebook tables and alembic stamp at ``db_url`` if the database is empty."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
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
