"""Simulated teaching assistants for the demo: they fill the grading CSVs as a person would.

Two graders each get their sheet of every written question (one answer on both, for the
agreement figure). Knowing the level each synthetic answer was written at, a grader ticks
the criteria a reader would: most of them for a good answer, some for a fair one, few for a
weak one, with a little noise and the second grader a touch more lenient, so the report's
grader and agreement figures have something to show. The CSVs are then imported like real
ones. Only the demo uses this.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coursekit.grading.workspace import open_course
from coursekit.rubric.codes import code_map
from coursekit.rubric.export import SheetExport, assignment_questions, export_sheets
from coursekit.rubric.importer import ImportResult, import_grades
from coursekit.rubric.questions import Question
from coursekit.rubric.schema import write_rows

__all__ = ["SimulatedGrading", "simulate_graders"]

GRADERS = ("TA-A", "TA-B")
_CHANCE = {"good": (0.95, 0.8), "fair": (0.7, 0.4), "weak": (0.3, 0.1)}
"""Level -> chance of meeting the first criterion, and each of the others."""
_COMMENTS = {
    "good": (
        "A clear argument, and the evidence is well chosen and cited.",
        "Well argued; the weak point is named and explained, not just asserted.",
    ),
    "fair": (
        "You describe the events correctly, but say how each one supports your point.",
        "The outline is right; add the evidence (event ids, a source from the book).",
    ),
    "weak": (
        "This needs evidence: cite events by id and name the source you rely on.",
        "Reread the question: it asks for an explanation, not a summary.",
    ),
}


@dataclass(frozen=True)
class SimulatedGrading:
    """The sheets the simulated graders got, their CSVs, and the import."""

    sheets: SheetExport
    files: tuple[Path, ...]
    imported: ImportResult | None


def _criteria(question: Question, level: str, rng: random.Random, lenient: float) -> list[str]:
    """The criteria a grader finds met; ``rng`` is the answer's, so graders mostly agree."""
    first, rest = _CHANCE.get(level, _CHANCE["fair"])
    met = []
    for index, criterion in enumerate(question.criteria):
        chance = (first if index == 0 else rest) + lenient
        if rng.random() < chance:
            met.append(criterion.id)
    return met


def simulate_graders(
    *,
    course: Path,
    assignment: str,
    levels: Mapping[str, Mapping[str, str]],
    out: Path,
    seed: int = 2021,
) -> SimulatedGrading:
    """Export sheets for two graders (overlap 1), fill them from ``levels``, import them.

    ``levels`` maps each written question's grade id to student -> the answer's level.
    """
    ws = open_course(course)
    questions = {q.grade_id: q for q in assignment_questions(ws, assignment)}
    sheets = export_sheets(
        course=course,
        assignment=assignment,
        out=out / "sheets",
        graders=len(GRADERS),
        overlap=1,
        seed=seed,
    )
    files: list[Path] = []
    for sheet in sheets.sheets:
        question = questions[sheet.question]
        grader_index = int(sheet.sheet.rsplit("-g", 1)[1].split("of")[0]) - 1
        grader = GRADERS[grader_index]
        with sheet.csv.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        codes = code_map(ws.root, ws.course_id, levels.get(sheet.question, {}).keys())
        rng = random.Random(f"{seed}:{sheet.sheet}")  # noqa: S311 (seeded for a reproducible order, not a secret)
        for row in rows:
            student = codes.get(row["code"])
            level = levels.get(sheet.question, {}).get(student or "", "fair")
            reading = random.Random(f"{seed}:{sheet.question}:{row['code']}")  # noqa: S311 (seeded for a reproducible order, not a secret)
            met = _criteria(question, level, reading, 0.15 * grader_index)
            row.update(
                graded="yes",
                criteria=";".join(met),
                adjustment="",
                score=f"{question.score(tuple(met), 0.0):g}",
                comment=rng.choice(_COMMENTS.get(level, _COMMENTS["fair"])),
                second_look="yes" if level == "weak" and rng.random() < 0.3 else "no",
                grader=grader,
                saved_at=f"2026-11-30T12:00:0{grader_index}Z",
            )
        filled = out / "graded" / f"{sheet.csv.stem}-{grader}.csv"
        write_rows(filled, rows)
        files.append(filled)
    imported = import_grades(course=course, files=files) if files else None
    return SimulatedGrading(sheets, tuple(files), imported)
