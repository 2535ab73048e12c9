"""Loading the course CSVs into typed, validated pandas DataFrames (cached, returned as copies)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._errors import DataError, Problem
from ._schema import (
    EVENTS,
    MECHANISMS,
    MEETINGS,
    OPINION,
    STATUSES,
    Column,
    TableSchema,
)
from ._validate import Row, check_dates_in_range, parse_date, read_table

__all__ = [
    "PathArg",
    "data_dir",
    "load_events",
    "load_mechanisms",
    "load_meetings",
    "load_opinion",
    "resolve",
]

PathArg = str | os.PathLike[str] | None


def data_dir() -> Path:
    """The folder of the CSV files shipped with the package."""
    return Path(__file__).resolve().parent


def resolve(path: PathArg, schema: TableSchema) -> Path:
    """The CSV file for ``schema``: ``path`` itself if it is a file, else ``path/<file>``.

    With ``path=None`` the packaged data is used.
    """
    if path is None:
        return data_dir() / schema.file
    p = Path(path)
    return p / schema.file if p.is_dir() else p


def _stamp(path: Path) -> str:
    """A digest of the file's bytes: the cache key, so an edited file is always re-read."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "missing"


def _category(col: Column) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(col.vocabulary), ordered=False)


def _dates(rows: list[Row], column: str, precision: str) -> pd.Series:
    stamps: list[str] = []
    for row in rows:
        text = row.values[column]
        parsed = parse_date(text, row.values[precision]) if text else None
        if isinstance(parsed, tuple):
            stamps.append(f"{parsed[0]:04d}-{parsed[1]:02d}-{parsed[2]:02d}")
        else:
            stamps.append("")
    return pd.Series(pd.to_datetime(stamps, format="%Y-%m-%d", errors="coerce")).astype(
        "datetime64[ns]"
    )


def _frame(rows: list[Row], schema: TableSchema) -> pd.DataFrame:
    """Build a typed frame from checked rows."""
    data: dict[str, pd.Series] = {}
    for col in schema.columns:
        raw = [r.values[col.name] for r in rows]
        if col.kind == "date":
            data[col.name] = _dates(rows, col.name, col.precision_column)
        elif col.kind in ("choice", "precision"):
            data[col.name] = pd.Series([v or None for v in raw], dtype=_category(col))
        elif col.kind == "year":
            data[col.name] = pd.Series([int(v) for v in raw], dtype="Int64")
        elif col.kind == "percent":
            data[col.name] = pd.Series([float(v) for v in raw], dtype="float64")
        else:
            data[col.name] = pd.Series([v or None for v in raw], dtype="str")
    return pd.DataFrame(data)


def _add_year(frame: pd.DataFrame) -> None:
    """Insert a nullable-integer ``year`` column after ``date_precision``."""
    position = list(frame.columns).index("date_precision") + 1
    frame.insert(position, "year", frame["date"].dt.year.astype("Int64"))


@lru_cache(maxsize=32)
def _events_cached(path: Path, stamp: str) -> pd.DataFrame:
    rows = read_table(path, EVENTS)
    frame = _frame(rows, EVENTS)
    _add_year(frame)
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def load_events(path: PathArg = None) -> pd.DataFrame:
    """Validated events; ``path`` is a data folder or an ``events.csv`` file."""
    file = resolve(path, EVENTS)
    return _events_cached(file, _stamp(file)).copy()


@lru_cache(maxsize=32)
def _meetings_cached(path: Path, stamp: str, events_path: Path, events_stamp: str) -> pd.DataFrame:
    rows = read_table(path, MEETINGS)
    known = set(_events_cached(events_path, events_stamp)["id"])
    problems = [
        Problem(
            str(path),
            row.line,
            "event_id",
            f"'{row.values['event_id']}' is not an id in {events_path}; fix the id or leave it"
            " empty",
        )
        for row in rows
        if row.values["event_id"] and row.values["event_id"] not in known
    ]
    if problems:
        raise DataError(problems)
    frame = _frame(rows, MEETINGS)
    _add_year(frame)
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def load_meetings(path: PathArg = None) -> pd.DataFrame:
    """Validated meetings; ``event_id`` links are checked against the sibling ``events.csv``."""
    file = resolve(path, MEETINGS)
    events_file = file.parent / EVENTS.file
    return _meetings_cached(file, _stamp(file), events_file, _stamp(events_file)).copy()


@lru_cache(maxsize=32)
def _mechanisms_cached(path: Path, stamp: str) -> pd.DataFrame:
    rows = read_table(path, MECHANISMS)
    problems = check_dates_in_range(str(path), rows, "start", "end", "end_precision")
    closed = {"ended", "lapsed"}
    for row in rows:
        status, end = row.values["status"], row.values["end"]
        if status in closed and not end:
            problems.append(
                Problem(str(path), row.line, "end", f"status '{status}' needs an end date")
            )
        if status not in closed and status in STATUSES and end:
            problems.append(
                Problem(
                    str(path),
                    row.line,
                    "status",
                    f"'{status}' but an end date is given; use 'ended' or 'lapsed', or clear end",
                )
            )
    if problems:
        raise DataError(problems)
    return _frame(rows, MECHANISMS)


def load_mechanisms(path: PathArg = None) -> pd.DataFrame:
    """Validated mechanisms (institutions, dialogues, arrangements)."""
    file = resolve(path, MECHANISMS)
    return _mechanisms_cached(file, _stamp(file)).copy()


@lru_cache(maxsize=32)
def _opinion_cached(path: Path, stamp: str) -> pd.DataFrame:
    rows = read_table(path, OPINION)
    problems = [
        Problem(str(path), row.line, "target", "respondents and target must differ")
        for row in rows
        if row.values["respondents"] == row.values["target"]
    ]
    if problems:
        raise DataError(problems)
    frame = _frame(rows, OPINION)
    return frame.sort_values(["survey", "year", "respondents", "measure"]).reset_index(drop=True)


def load_opinion(path: PathArg = None) -> pd.DataFrame:
    """Validated public-opinion data points, one row per survey figure."""
    file = resolve(path, OPINION)
    return _opinion_cached(file, _stamp(file)).copy()
