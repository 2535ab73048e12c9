"""The known-wrong tables (``coursekit/checks/known_wrong/*.json``) against the notebooks.

Each table belongs to an assignment that exists and is valid, and running the assignment's
source notebook (its solutions, then its visible and hidden tests) in one IPython shell:

* every ``checks.known_wrong(...)`` call names an entry that exists (it raises otherwise);
* every question of the table is asked for by some check (an unused entry helps nobody);
* no check finds a known mistake in the solution's own answers: no entry's fingerprint is
  the fingerprint of the value the solution gives (with the checker's ``ordered``/``ndigits``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from coursekit.checks import hints, results
from tests.assignments.notebook_checks import KNOWN_WRONG_DIR, KNOWN_WRONG_FILES, SOURCES


def test_every_table_is_valid_and_belongs_to_an_assignment() -> None:
    ids = {path.stem for path in SOURCES}
    for path in KNOWN_WRONG_FILES:
        assert path.stem in ids, f"{path.name}: no assignment {path.stem!r}"
        hints.read_table(path, where=path.name)  # raises, naming the entry, when malformed


@dataclass
class Run:
    """What running one notebook's cells showed."""

    asked: set[tuple[str, str]] = field(default_factory=set)
    """``(assignment, question)`` of every ``checks.known_wrong`` call."""
    mistakes: list[str] = field(default_factory=list)
    """A known mistake found in an answer: ``cell N: hint``."""
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    """An IPython shell that runs notebook cells as ``nbgrader validate`` does (no widgets)."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def run_notebook(path: Path, shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run every code cell of ``path`` (solutions and full tests), recording known mistakes."""
    run = Run()
    cell_now = [0]
    asked, found = hints.known_wrong, results.known_mistake

    def recording_known_wrong(assignment: str, question: str) -> dict[str, str]:
        run.asked.add((assignment, question))
        return asked(assignment, question)

    def recording_mistake(answer: Any, known_wrong: Any, **kw: Any) -> str | None:
        hint = found(answer, known_wrong, **kw)
        if hint is not None:
            run.mistakes.append(f"cell {cell_now[0]}: {hint}")
        return hint

    monkeypatch.setattr("coursekit.checks.known_wrong", recording_known_wrong)
    monkeypatch.setattr(hints, "known_wrong", recording_known_wrong)
    monkeypatch.setattr(results, "known_mistake", recording_mistake)
    shell.reset(new_session=True)
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "code":
                continue
            cell_now[0] = index + 1
            outcome = shell.run_cell(cell.source, silent=True)
            if not outcome.success:
                error = outcome.error_in_exec or outcome.error_before_exec
                run.errors.append(f"cell {index + 1}: {type(error).__name__}: {error}")
    finally:
        os.chdir(here)
    return run


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_known_mistakes_are_asked_for_and_never_the_solution(
    path: Path, shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = KNOWN_WRONG_DIR / f"{path.stem}.json"
    run = run_notebook(path, shell, monkeypatch)
    assert run.mistakes == [], f"{path.name}: the solution is a known mistake"
    assert run.errors == [], f"{path.name}: the source does not run with its solutions"
    assert {a for a, _ in run.asked} <= {path.stem}, f"{path.name} reads another's table"
    if table.is_file():
        unused = set(hints.read_table(table, where=table.name)) - {q for _, q in run.asked}
        assert not unused, f"{table.name}: no check asks for {sorted(unused)}"


def test_a_known_mistake_in_the_solution_is_found(
    tmp_path: Path, shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coursekit import checks
    from tests.grading.grading_factories import code, graded_tests, source_notebook

    right, alphabetical = ["b", "a"], ["a", "b"]
    table = {
        "q1": (
            hints.KnownMistake(checks.fingerprint(alphabetical), "see 1.3 x"),
            hints.KnownMistake(checks.fingerprint(right), "see 1.3 y"),
        ),
        "q2": (),
    }
    monkeypatch.setattr(hints, "known_wrong_table", lambda _: table)
    nb = source_notebook(
        code("from coursekit import checks", "setup", locked=True),
        code(
            f"order = ...\n### BEGIN SOLUTION\norder = {right}\n### END SOLUTION",
            "a",
            solution=True,
        ),
        graded_tests(
            "t",
            "checks.check_list(order, name='order',"
            " known_wrong=checks.known_wrong('fx-known', 'q1')).assert_ok()",
        ),
    )
    path = tmp_path / "fx-known.ipynb"
    nbformat.write(nb, path)
    run = run_notebook(path, shell, monkeypatch)
    assert run.mistakes == ["cell 3: see 1.3 y"]
    assert run.asked == {("fx-known", "q1")}  # q2 is never asked for
    assert len(run.errors) == 1
    assert "CheckFailed" in run.errors[0]


NOTES_DIR = Path(__file__).resolve().parents[2] / "assignments" / "_known_wrong_notes"


def test_every_known_mistake_has_an_instructor_note_outside_the_package() -> None:
    """What each mistake is stays with the sources; the shipped tables hold only hints."""
    for path in KNOWN_WRONG_FILES:
        table = hints.read_table(path, where=path.name)
        notes_path = NOTES_DIR / path.name
        assert notes_path.is_file(), f"{notes_path}: add a note for each mistake of {path.name}"
        notes = json.loads(notes_path.read_text(encoding="utf-8"))
        shipped = {(q, m.fingerprint) for q, mistakes in table.items() for m in mistakes}
        noted = {(q, f) for q, by_mark in notes.items() for f, text in by_mark.items() if text}
        assert shipped == noted, f"{path.name}: notes and hints differ: {shipped ^ noted}"
