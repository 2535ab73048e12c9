"""A synthetic class: submissions of varied quality made from an assignment's own notebooks.

For the demo and the benchmark. From the source notebook (with solutions) and the released
student version, each student answers a share of the questions: an answered question gets the
source's solution (markers and all, which are comments), a wrong answer (the solution with its
names set to ``None`` after it, so it runs and fails the tests) or is left as released. The
first student answers everything, one is blank, one is broken (not JSON); the rest are spread
between. Same seed, same class.
"""

from __future__ import annotations

import ast
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.nbio import read_notebook

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
            found[meta["grade_id"]] = (cell.cell_type, cell.source)
    return found


def synthetic_class(
    *, source: Path, release: Path, students: int, seed: int = 2021
) -> list[Synthetic]:
    """``students`` submissions of the released notebook ``release`` (answers from ``source``)."""
    rng = random.Random(seed)
    solutions = _solutions(read_notebook(source))
    released_text = release.read_text(encoding="utf-8")
    out: list[Synthetic] = []
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
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if grade_id not in solutions:
                continue
            cell_type, solution = solutions[grade_id]
            roll = rng.random()
            if roll < share:
                cell["source"] = solution
            elif roll < share + (1 - share) / 2:
                cell["source"] = wrong_answer(solution) if cell_type == "code" else "I am not sure."
        out.append(Synthetic(student, kind, json.dumps(nb, indent=1, ensure_ascii=False) + "\n"))
    return out
