"""A course's class list: one student per row, with the names formgrader shows.

``coursekit course init --students FILE`` puts each student, with their names and email, into
the gradebook (nbgrader's formgrader lists them by name, not "None, None"); a hub's roster
(``coursekit hub init``) also needs ids usable as Unix user names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.intake import IntakeError, check_student_id, printable

__all__ = ["Student", "add_students", "read_roster"]

# A Unix user name that is also a usable nbgrader student id (useradd's portable names).
_USER_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_FIELDS = ("id", "first_name", "last_name", "email")


@dataclass(frozen=True)
class Student:
    """One student of the roster."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def read_roster(path: Path, *, unix_names: bool = False) -> list[Student]:
    """The students in the roster file ``path``.

    The file is a CSV with a header (``id`` and optionally ``first_name``, ``last_name``,
    ``email``), or plain text with one id per line. Every problem is reported at once, each
    with its line, and nothing is returned while any remains: an id must be a usable student
    id (:func:`~coursekit.grading.intake.check_student_id`), with ``unix_names`` also a Unix
    user name (lower-case letters, digits, ``_`` and ``-``, starting with a letter or ``_``,
    at most 32 characters), and appear once.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GradingError(f"{path}: cannot read the roster ({exc})") from exc
    lines = text.splitlines()
    header = [h.strip() for h in next(csv.reader(lines[:1]), [])]
    rows: list[tuple[int, dict[str, str]]] = []
    if header and header[0] == "id":
        unknown = [h for h in header if h not in _FIELDS]
        if unknown:
            raise GradingError(
                f"{path}:1: unknown column(s) {unknown}; the columns are {list(_FIELDS)}"
            )
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    else:
        for number, line in enumerate(lines, start=1):
            rows.append((number, {"id": line.strip()}))
    students: list[Student] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        sid = row.get("id", "")
        if not sid or sid.startswith("#"):
            continue
        try:
            check_student_id(sid, where=f"{path}:{number}")
        except IntakeError as exc:
            problems.append(str(exc))
            continue
        if unix_names and not _USER_NAME.fullmatch(sid):
            problems.append(
                f"{path}:{number}: {printable(repr(sid))} is not usable as a Unix user name "
                "(a-z, 0-9, _ and -, starting with a letter or _, at most 32 characters)"
            )
            continue
        if sid in seen:
            problems.append(f"{path}:{number}: {sid!r} is listed again (first on line {seen[sid]})")
            continue
        seen[sid] = number
        students.append(Student(sid, *(row.get(f, "") for f in _FIELDS[1:])))
    if problems:
        raise GradingError("\n".join(problems))
    if not students:
        raise GradingError(f"{path}: the roster lists no students")
    return students


def add_students(gradebook: Any, students: Sequence[Student]) -> None:
    """Add ``students`` to an open nbgrader ``Gradebook``, or update their names and email.

    An empty field is stored as nothing (``None``), as nbgrader stores a name not given.
    """
    for s in students:
        gradebook.update_or_create_student(
            s.id,
            first_name=s.first_name or None,
            last_name=s.last_name or None,
            email=s.email or None,
        )
