"""The manually graded questions of an assignment, read from its SOURCE notebooks only.

A written question is a graded solution cell that is not an autograder test. Its rubric and
model answer live inside the cell's solution region (``### BEGIN SOLUTION`` … ``### END
SOLUTION``), which nbgrader removes from the student version: a markdown table with a
``points`` column and a ``criterion`` column, then the model answer. The question's prompt is
the locked markdown above the cell, back to the nearest heading. Student copies are never
read for any of this: a student could have written a "rubric" into their own answer.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.nbio import read_notebook

__all__ = ["Criterion", "Question", "read_questions", "referenced_names", "solution_region"]

_BEGIN = re.compile(r"^\s*#*\s*BEGIN SOLUTION\s*$", re.MULTILINE)
_END = re.compile(r"^\s*#*\s*END SOLUTION\s*$", re.MULTILINE)
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S", re.MULTILINE)


@dataclass(frozen=True)
class Criterion:
    """One line of a rubric: an id (``C1``…), its points and what earns them."""

    id: str
    points: float
    text: str


@dataclass(frozen=True)
class Question:
    """A manually graded cell with its prompt, rubric and model answer (instructor-only)."""

    assignment: str
    notebook: str
    grade_id: str
    points: float
    title: str
    prompt: str
    """The markdown a student saw above the answer cell."""
    criteria: tuple[Criterion, ...]
    model_answer: str
    """The solution region after the rubric table (markdown)."""
    code_cells: tuple[str, ...]
    """Grade ids of the student's answer code cells the prompt refers to."""

    def criterion(self, cid: str) -> Criterion | None:
        """The criterion with id ``cid``, if the rubric has it."""
        return next((c for c in self.criteria if c.id == cid), None)

    def score(self, ticked: tuple[str, ...], adjustment: float) -> float:
        """The score of ``ticked`` criteria plus ``adjustment``, kept within 0 and the points."""
        total = sum(c.points for c in self.criteria if c.id in ticked) + adjustment
        return max(0.0, min(self.points, total))


def solution_region(source: str) -> str:
    """The text between the first ``BEGIN SOLUTION`` and ``END SOLUTION`` lines (or '')."""
    begin = _BEGIN.search(source)
    if not begin:
        return ""
    end = _END.search(source, begin.end())
    return source[begin.end() : end.start() if end else len(source)].strip("\n")


def _cells(row: str) -> list[str]:
    match = _ROW.match(row)
    return [c.strip() for c in match.group(1).split("|")] if match else []


def _rubric(region: str, where: str) -> tuple[tuple[Criterion, ...], str]:
    """Criteria from the region's ``| points | criterion |`` table, and the text after it."""
    lines = region.splitlines()
    headers = [[c.lower() for c in _cells(line)] for line in lines]
    starts = [i for i, h in enumerate(headers) if "points" in h and "criterion" in h]
    if not starts:
        return (), region.strip()
    start = starts[0]
    header = headers[start]
    p_col, c_col = header.index("points"), header.index("criterion")
    criteria: list[Criterion] = []
    end = start + 1
    for end in range(start + 1, len(lines) + 1):
        if end == len(lines):
            break
        row = lines[end]
        if _RULE.match(row):
            continue
        cells = _cells(row)
        if not cells:
            break
        try:
            points = float(cells[p_col])
        except (ValueError, IndexError):
            raise GradingError(
                f"{where}: rubric row {row.strip()!r} has no number in its points column"
            ) from None
        criteria.append(Criterion(f"C{len(criteria) + 1}", points, cells[c_col]))
    after = "\n".join(lines[end:]).strip()
    return tuple(criteria), after


def _nbgrader(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def _assigned_names(source: str) -> set[str]:
    """Names a code cell assigns or defines at top level (public ones, 3+ characters)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") and len(n) >= 3}


def referenced_names(prompt: str, names: set[str]) -> set[str]:
    """The ``names`` that ``prompt`` mentions as whole words."""
    return {n for n in names if re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", prompt)}


def _prompt(cells: list[Any], index: int) -> str:
    """The locked markdown above cell ``index``, back to and including the nearest heading."""
    parts: list[str] = []
    for cell in reversed(cells[:index]):
        meta = _nbgrader(cell)
        if cell.cell_type != "markdown" or meta.get("solution") or meta.get("grade"):
            continue
        parts.insert(0, cell.source)
        if _HEADING.search(cell.source):
            break
    return "\n\n".join(parts).strip()


def _title(prompt: str, grade_id: str) -> str:
    for line in prompt.splitlines():
        if _HEADING.match(line):
            return line.lstrip("#").strip()
    return grade_id


def read_questions(source: Path, *, assignment: str) -> list[Question]:
    """The manually graded questions of the source notebook ``source``, in notebook order."""
    nb = read_notebook(source)
    cells = list(nb.cells)
    answers: dict[str, set[str]] = {}
    for cell in cells:
        meta = _nbgrader(cell)
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            answers[str(meta.get("grade_id"))] = _assigned_names(cell.source)
    questions = []
    for index, cell in enumerate(cells):
        meta = _nbgrader(cell)
        if not (meta.get("grade") and meta.get("solution") and meta.get("grade_id")):
            continue
        grade_id = str(meta["grade_id"])
        where = f"{source}: cell {grade_id!r}"
        criteria, model = _rubric(solution_region(cell.source), where)
        prompt = _prompt(cells, index)
        code_cells = tuple(gid for gid, names in answers.items() if referenced_names(prompt, names))
        questions.append(
            Question(
                assignment=assignment,
                notebook=source.stem,
                grade_id=grade_id,
                points=float(meta.get("points", 0)),
                title=_title(prompt, grade_id),
                prompt=prompt,
                criteria=criteria,
                model_answer=model,
                code_cells=code_cells,
            )
        )
    return questions
