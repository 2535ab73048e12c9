"""What coursekit keeps about rubric grading beside the gradebook, in the course folder.

``.coursekit/rubric/<assignment>/<cell>.json`` (mode 0600) holds, per written question:

* ``sheets``: every sheet exported (its id, seed, grader number, codes, and which of its codes
  are *check* copies: overlap answers whose score counts on another grader's sheet);
* ``grades``: per student, the imported grading that is in the gradebook (criteria, adjustment,
  comment, grader, the file and row it came from);
* ``checks``: the check gradings of overlap answers, kept for the agreement figures only.

The gradebook stays the record of scores and comments (formgrader reads and writes them);
this file adds what nbgrader has no column for: the criteria met, and who graded what.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.intake import write_private

__all__ = ["Grading", "QuestionRecord", "SheetRecord", "load_record", "record_path", "save_record"]


@dataclass(frozen=True)
class SheetRecord:
    """One exported sheet."""

    id: str
    seed: int
    grader: int
    graders: int
    codes: tuple[str, ...]
    checks: tuple[str, ...] = ()
    """Codes on this sheet whose score counts from another sheet (overlap answers)."""


@dataclass(frozen=True)
class Grading:
    """One grader's grading of one answer, as imported."""

    code: str
    sheet: str
    grader: str
    criteria: tuple[str, ...]
    adjustment: float
    reason: str
    comment: str
    score: float
    second_look: bool
    saved_at: str
    file: str
    row: int

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Grading:
        """Rebuild from :func:`dataclasses.asdict`'s output."""
        values = dict(data)
        values["criteria"] = tuple(values.get("criteria", ()))
        return Grading(**values)

    def same_marks(self, other: Grading) -> bool:
        """Whether ``other`` gives this answer the same criteria, score and comment."""
        return (
            set(self.criteria) == set(other.criteria)
            and self.score == other.score
            and self.adjustment == other.adjustment
            and self.comment == other.comment
            and self.reason == other.reason
        )


@dataclass
class QuestionRecord:
    """The stored rubric grading of one question."""

    sheets: dict[str, SheetRecord] = field(default_factory=dict)
    grades: dict[str, Grading] = field(default_factory=dict)
    """Student id -> the grading in the gradebook."""
    checks: dict[str, Grading] = field(default_factory=dict)
    """``<sheet>/<student>`` -> a check grading of an overlap answer."""

    def to_json(self) -> dict[str, Any]:
        """The JSON document."""
        return {
            "sheets": {k: asdict(v) for k, v in sorted(self.sheets.items())},
            "grades": {k: asdict(v) for k, v in sorted(self.grades.items())},
            "checks": {k: asdict(v) for k, v in sorted(self.checks.items())},
        }


def record_path(course_root: Path, assignment: str, question: str) -> Path:
    """Where the record of ``question`` of ``assignment`` lives."""
    return course_root / ".coursekit" / "rubric" / assignment / f"{question}.json"


def load_record(course_root: Path, assignment: str, question: str) -> QuestionRecord:
    """The stored record (empty when there is none yet).

    A record that exists but cannot be read is an error naming the file, never an empty record:
    the next export or import would write over the sheets and grades it holds.
    """
    path = record_path(course_root, assignment, question)
    if not path.exists():
        return QuestionRecord()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sheets = {
            k: SheetRecord(**{**v, "codes": tuple(v["codes"]), "checks": tuple(v["checks"])})
            for k, v in data.get("sheets", {}).items()
        }
        grades = {k: Grading.from_dict(v) for k, v in data.get("grades", {}).items()}
        checks = {k: Grading.from_dict(v) for k, v in data.get("checks", {}).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GradingError(
            f"{path}: the rubric record of {assignment} {question} cannot be read ({exc}); "
            "restore it from a backup (nothing was changed), or move it away to start this "
            "question's sheets afresh"
        ) from exc
    return QuestionRecord(sheets, grades, checks)


def save_record(course_root: Path, assignment: str, question: str, record: QuestionRecord) -> None:
    """Write the record atomically, readable by the owner only."""
    path = record_path(course_root, assignment, question)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, json.dumps(record.to_json(), indent=1, ensure_ascii=False))
