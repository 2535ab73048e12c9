"""Reading a course CSV and checking every cell against its schema, with line numbers."""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ._errors import DataError, Problem
from ._schema import YEAR_MIN, Column, TableSchema

__all__ = ["Row", "check_dates_in_range", "check_unique", "parse_date", "read_table"]

_DATE_FORMS = {
    "day": (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "YYYY-MM-DD"),
    "month": (re.compile(r"^(\d{4})-(\d{2})$"), "YYYY-MM"),
    "year": (re.compile(r"^(\d{4})$"), "YYYY"),
}


@dataclass(frozen=True)
class Row:
    """One data row with the CSV line it came from."""

    line: int
    values: dict[str, str]


def parse_date(text: str, precision: str) -> tuple[int, int, int] | str:
    """Parse ``text`` written at ``precision``; return (year, month, day) or an error message.

    Less precise dates resolve to the first day of their month or year.
    """
    form = _DATE_FORMS.get(precision)
    if form is None:
        return f"unknown precision '{precision}'"
    pattern, shape = form
    match = pattern.match(text)
    if match is None:
        return f"'{text}' does not match precision '{precision}': write it as {shape}"
    parts = [int(g) for g in match.groups()]
    year, month, day = (
        parts[0],
        (parts[1] if len(parts) > 1 else 1),
        (parts[2] if len(parts) > 2 else 1),
    )
    if not 1 <= month <= 12:
        return f"'{text}' has month {month:02d}; use a month from 01 to 12"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
    return (year, month, day)


def _check_cell(col: Column, value: str, row: dict[str, str], today: date) -> str | None:
    """An error message for one cell, or None when it is fine.

    Dates run from the start of ``YEAR_MIN`` to ``today``; a date written at month or year
    precision counts from the first day of its month or year.
    """
    if value == "":
        if col.required:
            what = f" ({col.help})" if col.help else ""
            return f"is empty; every row needs a {col.name}{what}"
        return None
    if value != value.strip():
        return f"'{value}' has leading or trailing spaces; remove them"
    if col.kind == "id" and col.pattern and not re.match(col.pattern, value):
        return f"'{value}' is not a valid id; use the form {col.help}"
    if col.kind in ("choice", "precision") and value not in col.vocabulary:
        return f"'{value}' is not a known value; use one of: {', '.join(col.vocabulary)}"
    if col.kind == "multi":
        items = value.split(";")
        unknown = [v for v in items if v not in col.vocabulary]
        if unknown:
            return (
                f"unknown value(s) {', '.join(repr(u) for u in unknown)}; join known values with"
                f" ';' from: {', '.join(col.vocabulary)}"
            )
        if len(set(items)) != len(items):
            return f"'{value}' repeats a value; list each once"
    if col.kind == "date":
        precision = row.get(col.precision_column, "")
        if precision not in _DATE_FORMS:
            return None  # reported on the precision column itself
        parsed = parse_date(value, precision)
        if isinstance(parsed, str):
            return parsed
        if parsed[0] < YEAR_MIN:
            return f"year {parsed[0]} is outside the course range, which starts in {YEAR_MIN}"
        if date(*parsed) > today:
            return (
                f"'{value}' is after today ({today.isoformat()}); the data record only what has"
                " happened: correct the date, or leave the row out until the event has taken place"
            )
    if col.kind == "year":
        if not re.match(r"^\d{4}$", value):
            return f"'{value}' is not a year; write four digits"
        if int(value) < YEAR_MIN:
            return f"year {value} is outside the course range, which starts in {YEAR_MIN}"
        if int(value) > today.year:
            return (
                f"year {value} is after the current year ({today.year}); correct the year, or"
                " leave the row out until the figure has been published"
            )
    if col.kind == "percent":
        try:
            number = float(value)
        except ValueError:
            return f"'{value}' is not a number; write a percentage such as 37.4 (no % sign)"
        if not 0.0 <= number <= 100.0:
            return f"{value} is not a percentage; use a value between 0 and 100"
    if col.kind == "url" and not re.match(r"^https?://\S+$", value):
        return f"'{value}' is not a web address; start it with http:// or https://"
    return None


def read_table(path: Path, schema: TableSchema, *, today: date | None = None) -> list[Row]:
    """Read ``path`` and check its header and every cell; raise DataError listing all problems.

    ``today`` is the latest date a row may carry (the current date unless given, for tests).
    """
    today = today or date.today()
    name = str(path)
    if not path.is_file():
        raise DataError([Problem(name, None, None, f"file not found; expected {schema.file}")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(name, None, None, f"not UTF-8 text ({exc}); save as UTF-8")]
        ) from exc
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError([Problem(name, 1, None, "the file is empty; add the header row")]) from None
    problems: list[Problem] = []
    for missing in [c for c in schema.names if c not in header]:
        problems.append(Problem(name, 1, missing, "column is missing from the header; add it"))
    for unknown in [c for c in header if c not in schema.names]:
        problems.append(
            Problem(name, 1, unknown, f"unknown column; the columns are: {', '.join(schema.names)}")
        )
    if problems:
        raise DataError(problems)
    rows: list[Row] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"has {len(record)} fields but the header has {len(header)};"
                    " quote any value that contains a comma",
                )
            )
            continue
        values = dict(zip(header, record, strict=True))
        for col in schema.columns:
            message = _check_cell(col, values[col.name], values, today)
            if message is not None:
                problems.append(Problem(name, line, col.name, message))
        rows.append(Row(line, values))
    problems.extend(check_unique(name, rows, schema.key))
    if problems:
        raise DataError(problems)
    return rows


def check_unique(name: str, rows: Iterable[Row], key: tuple[str, ...]) -> list[Problem]:
    """Problems for rows whose ``key`` repeats an earlier row's."""
    seen: dict[tuple[str, ...], int] = {}
    problems: list[Problem] = []
    for row in rows:
        value = tuple(row.values[k] for k in key)
        if value in seen:
            shown = "/".join(value)
            problems.append(
                Problem(
                    name,
                    row.line,
                    key[0] if len(key) == 1 else ",".join(key),
                    f"'{shown}' duplicates line {seen[value]}; give each row a unique"
                    f" {'/'.join(key)}",
                )
            )
        else:
            seen[value] = row.line
    return problems


def check_dates_in_range(
    name: str, rows: Iterable[Row], start: str, end: str, end_precision: str
) -> list[Problem]:
    """Problems for rows whose ``end`` date is before ``start`` or lacks/has a stray precision."""
    problems: list[Problem] = []
    for row in rows:
        v = row.values
        if (v[end] == "") != (v[end_precision] == ""):
            problems.append(
                Problem(
                    name,
                    row.line,
                    end_precision,
                    f"give both {end} and {end_precision}, or leave both empty",
                )
            )
            continue
        if v[end] and v[end] < v[start]:
            problems.append(
                Problem(name, row.line, end, f"'{v[end]}' is before {start} '{v[start]}'")
            )
    return problems
