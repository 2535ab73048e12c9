"""Throwaway nbgrader courses in tmp, driven by the CLI: helpers for the assignment tests.

Each assignment gets its own course folder (``source/``, ``release/``, ``submitted/``, ...)
with its own ``nbgrader_config.py`` and SQLite gradebook, so courses can be generated and
graded in parallel. nbgrader runs as ``.venv/bin/nbgrader`` with Jupyter's config, data
and runtime folders inside tmp, so no user setting leaks in.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import nbformat
from nbformat import NotebookNode

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS_DIR = REPO / "assignments"
ASSIGNMENT_IDS = (
    "a0-working-with-the-data",
    "a1-timeline",
    "a2-argument-map",
    "a3-comparing-trilaterals",
    "a4-policy-memo",
    "a5-after-the-article",
)
NBGRADER = Path(sys.executable).with_name("nbgrader")
WORKERS = 2
"""Courses processed at once (the test machines have two cores)."""

_REGION = re.compile(
    r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[^\n]*\n(.*?)^[ \t]*### END \1[^\n]*(\n|$)",
    re.S | re.M,
)


def source_path(assignment: str) -> Path:
    """The committed nbgrader source notebook of ``assignment``."""
    return ASSIGNMENTS_DIR / assignment / f"{assignment}.ipynb"


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook as nbformat v4."""
    return nbformat.read(path, as_version=4)


def grade_info(cell: NotebookNode) -> dict[str, Any]:
    """The nbgrader metadata of ``cell`` (empty when it has none)."""
    info: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return info


def cells_by_id(nb: NotebookNode) -> dict[str, NotebookNode]:
    """The nbgrader cells of ``nb`` by grade id."""
    return {grade_info(c)["grade_id"]: c for c in nb.cells if grade_info(c).get("grade_id")}


def solution_sources(source: NotebookNode) -> dict[str, str]:
    """The instructor's answer in every solution cell, with the region markers removed."""
    out = {}
    for grade_id, cell in cells_by_id(source).items():
        if grade_info(cell).get("solution"):
            out[grade_id] = _REGION.sub(lambda m: m.group(2), cell.source)
    return out


def hidden_regions(source: NotebookNode) -> list[str]:
    """The text of every solution and hidden-test region in ``source``."""
    return [m.group(2) for c in source.cells for m in _REGION.finditer(c.source)]


def fill(release: NotebookNode, answers: Mapping[str, str]) -> NotebookNode:
    """A copy of the released notebook with the given solution cells answered."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    cells = cells_by_id(nb)
    unknown = set(answers) - set(cells)
    if unknown:
        raise KeyError(f"no such cell(s) in the released notebook: {sorted(unknown)}")
    for grade_id, text in answers.items():
        cells[grade_id].source = text
    return nb


def jupyter_env(tmp: Path) -> dict[str, str]:
    """The environment for Jupyter tools: config, data and runtime folders inside ``tmp``."""
    env = dict(os.environ)
    for name in ("config", "data", "runtime"):
        folder = tmp / f"jupyter-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        env[f"JUPYTER_{name.upper()}_DIR"] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NBGRADER_EXECUTION", None)
    return env


@dataclass
class Course:
    """One throwaway nbgrader course holding one assignment."""

    root: Path
    assignment: str
    env: dict[str, str]

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``nbgrader`` in the course folder; raise with its output if it fails."""
        proc = subprocess.run(
            [str(NBGRADER), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n"
                f"{proc.stdout}\n{proc.stderr}"
            )
        return proc

    @property
    def release_path(self) -> Path:
        """The student version made by ``generate_assignment``."""
        return self.root / "release" / self.assignment / f"{self.assignment}.ipynb"

    def generate(self) -> NotebookNode:
        """Copy the source in, run ``nbgrader generate_assignment`` and read the result."""
        folder = self.root / "source" / self.assignment
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(source_path(self.assignment), folder)
        self.nbgrader("generate_assignment", self.assignment, "--force")
        return read_notebook(self.release_path)

    def submit(self, student: str, nb: NotebookNode) -> None:
        """Place ``nb`` as ``student``'s submission."""
        folder = self.root / "submitted" / student / self.assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{self.assignment}.ipynb")

    def autograde(self) -> subprocess.CompletedProcess[str]:
        """Autograde every submission in one ``nbgrader autograde`` call."""
        return self.nbgrader("autograde", self.assignment, "--force")

    def validate(self, path: Path) -> subprocess.CompletedProcess[str]:
        """Run ``nbgrader validate`` on one notebook."""
        return self.nbgrader("validate", str(path), check=False)

    def scores(self) -> dict[str, dict[str, float | None]]:
        """Autograded points per student and grade cell, read from the gradebook."""
        con = sqlite3.connect(self.root / "gradebook.db")
        try:
            rows = con.execute(
                """
                select s.student_id, bc.name, g.auto_score
                from grade g
                join base_cell bc on bc.id = g.cell_id
                join grade_cells gc on gc.id = g.cell_id
                join submitted_notebook sn on sn.id = g.notebook_id
                join submitted_assignment s on s.id = sn.assignment_id
                where gc.cell_type = 'code'
                """
            ).fetchall()
        finally:
            con.close()
        out: dict[str, dict[str, float | None]] = {}
        for student, cell, score in rows:
            out.setdefault(student, {})[cell] = score
        return out

    def autograded(self, student: str) -> NotebookNode:
        """The autograded notebook of ``student``."""
        path = self.root / "autograded" / student / self.assignment / f"{self.assignment}.ipynb"
        return read_notebook(path)


def make_course(root: Path, assignment: str) -> Course:
    """A fresh course folder with its own config and gradebook."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'coursekit-test'\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(root / 'gradebook.db')!r}\n"
        "c.Execute.timeout = 120\n",
        encoding="utf-8",
    )
    return Course(root=root, assignment=assignment, env=jupyter_env(root))


T = TypeVar("T")
R = TypeVar("R")


def run_parallel(items: list[T], work: Callable[[T], R]) -> dict[T, R]:
    """``work`` on every item, ``WORKERS`` at a time."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(items, pool.map(work, items), strict=True))
