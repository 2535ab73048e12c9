"""The grading CSV: one row per anonymous answer, the same columns from sheet and template.

A sheet's "Save" writes it and ``coursekit rubric export`` writes an empty one beside each
sheet (for graders who prefer a spreadsheet). Columns:

``assignment, notebook, question, sheet``
    which sheet the row belongs to (checked on import);
``code``
    the answer's anonymous code;
``graded``
    ``yes`` once the grader has graded it (other rows are left alone on import);
``criteria``
    the rubric criteria met, as ids separated by ``;`` (``C1;C3``);
``adjustment, reason``
    a deduction (negative) or bonus (positive) in points, and why;
``score``
    criteria points plus adjustment, kept within 0 and the question's points;
``comment``
    the comment for the student;
``second_look``
    ``yes`` when the grader wants someone to look again;
``grader``
    the grader's initials;
``saved_at``
    when the sheet was saved (ISO 8601), which orders two saves of the same sheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COLUMNS", "Row", "read_rows", "write_rows"]

COLUMNS = (
    "assignment",
    "notebook",
    "question",
    "sheet",
    "code",
    "graded",
    "criteria",
    "adjustment",
    "reason",
    "score",
    "comment",
    "second_look",
    "grader",
    "saved_at",
)


@dataclass(frozen=True)
class Row:
    """One row of a grading CSV, as text (validation turns it into a grade)."""

    file: Path
    line: int
    """The row's number in the file, counting the header as row 1 (as a spreadsheet does)."""
    fields: dict[str, str]

    def get(self, name: str) -> str:
        """The stripped value of column ``name`` ('' when absent)."""
        return (self.fields.get(name) or "").strip()

    @property
    def where(self) -> str:
        """``file, row N`` for messages."""
        return f"{self.file}, row {self.line}"


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    """The rows of the CSV at ``path`` and the problems that stop it being read at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot be read as UTF-8 text ({exc}); save it as CSV (UTF-8)"]
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = reader.fieldnames or []
    missing = [c for c in ("assignment", "question", "sheet", "code", "score") if c not in header]
    if missing:
        return [], [
            f"{path}: not a grading CSV (no column(s) {', '.join(missing)}); "
            "import the file a grading sheet saved"
        ]
    rows = []
    for number, record in enumerate(reader, start=2):
        values = [v for v in record.values() if isinstance(v, str)]
        if any(v.strip() for v in values):
            rows.append(Row(path, number, {k: v for k, v in record.items() if k is not None}))
    return rows, []


def write_rows(path: Path, rows: Iterable[dict[str, str]]) -> None:
    """Write ``rows`` (column -> text) to ``path`` with the header, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
