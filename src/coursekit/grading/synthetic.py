"""A synthetic class: submissions of varied quality made from an assignment's own notebooks.

For the demo and the benchmark. From the source notebook (with solutions) and the released
student version, each student answers a share of the questions. A code question gets the
source's solution (markers and all, which are comments), a wrong answer (the solution with its
names set to ``None`` after it, so it runs and fails the tests) or is left as released. A
written question never gets the source's cell (that holds the rubric and model answer): it
gets a student's answer at a level of quality (:mod:`coursekit.grading.synthetic_written`),
recorded in :attr:`Synthetic.written` for the demo's simulated graders. The first student
answers everything well, one is blank, one is broken (not JSON); the rest are spread between.
Same seed, same class.
"""

from __future__ import annotations

import ast
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.grading.nbio import read_notebook
from coursekit.grading.synthetic_written import written_answer

__all__ = ["Synthetic", "synthetic_class", "wrong_answer"]

_BROKEN = '{"cells": [{"cell_type": "code", "source": "this notebook was cut off in transit'


@dataclass(frozen=True)
class Synthetic:
    """One synthetic student's submission."""

    student: str
    kind: str
    """``correct``, ``partial``, ``blank`` or ``broken``."""
    text: str
    """The notebook file's text."""
    written: dict[str, str] = field(default_factory=dict)
    """Written question (grade id) -> the level of the answer given (``good``, ``fair``,
    ``weak``); questions left blank are not listed."""


def wrong_answer(solution: str) -> str:
    """``solution`` followed by lines that set every name it defines to ``None``."""
    try:
        tree = ast.parse(solution)
    except SyntaxError:
        return "# (no answer)\n"
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(t.id for t in targets if isinstance(t, ast.Name))
    tail = "".join(f"\n{name} = None" for name in dict.fromkeys(names))
    return solution + (tail or "\nNone")


def _solutions(source_nb: Any) -> dict[str, tuple[str, str]]:
    found = {}
    for cell in source_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            kind = "written" if cell.cell_type == "markdown" else cell.cell_type
            found[meta["grade_id"]] = (kind, cell.source)
    return found


def _written_tier(rng: random.Random, share: float) -> str | None:
    """The level of a written answer for a student answering ``share`` of the questions."""
    roll = rng.random()
    if roll < share * 0.4:
        return "good"
    if roll < share:
        return "fair"
    if roll < share + (1 - share) / 2:
        return "weak"
    return None


def synthetic_class(
    *, source: Path, release: Path, students: int, seed: int = 2021
) -> list[Synthetic]:
    """``students`` submissions of the released notebook ``release`` (answers from ``source``)."""
    rng = random.Random(seed)  # noqa: S311 (seeded for a reproducible order, not a secret)
    solutions = _solutions(read_notebook(source))
    released_text = release.read_text(encoding="utf-8")
    out: list[Synthetic] = []
    used: dict[str, set[str]] = {}
    width = max(2, len(str(students)))
    for i in range(students):
        student = f"student{i + 1:0{width}d}"
        if i == 0:
            kind, share = "correct", 1.0
        elif i == students - 1 and students >= 3:
            out.append(Synthetic(student, "broken", _BROKEN))
            continue
        elif i == students - 2 and students >= 4:
            out.append(Synthetic(student, "blank", released_text))
            continue
        else:
            share = rng.uniform(0.25, 1.0)
            kind = "correct" if share > 0.95 else "partial"
        nb = json.loads(released_text)
        written: dict[str, str] = {}
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if grade_id not in solutions:
                continue
            cell_type, solution = solutions[grade_id]
            if cell_type == "written":
                tier = "good" if i == 0 else _written_tier(rng, share)
                if tier is not None:
                    pool = used.setdefault(grade_id, set())
                    cell["source"] = written_answer(grade_id, tier, pool, rng)
                    written[grade_id] = tier
                continue
            roll = rng.random()
            if roll < share:
                cell["source"] = solution
            elif roll < share + (1 - share) / 2:
                cell["source"] = wrong_answer(solution)
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        out.append(Synthetic(student, kind, text, written))
    return out
