"""The known-wrong tables (``coursekit/checks/known_wrong/*.json``) against the notebooks.

Each table belongs to an assignment that exists, every question in it is used by a checker
in that assignment's tests, every ``checks.known_wrong(...)`` call names an entry that
exists, and no entry is the right answer: its fingerprint differs from the fingerprint of
the value the source notebook's solution gives (the notebook's own cells are run, tests
left out, and the checker's answer expression is evaluated where its test cell stands).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from coursekit import checks
from coursekit.checks import hints
from tests.assignments.notebook_checks import (
    KNOWN_WRONG_DIR,
    KNOWN_WRONG_FILES,
    SOURCES,
    is_test,
    known_wrong_uses,
)

Table = Mapping[str, tuple[hints.KnownMistake, ...]]


def test_every_table_is_valid_and_belongs_to_an_assignment() -> None:
    ids = {path.stem for path in SOURCES}
    for path in KNOWN_WRONG_FILES:
        assert path.stem in ids, f"{path.name}: no assignment {path.stem!r}"
        hints.read_table(path, where=path.name)  # raises, naming the entry, when malformed


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_known_wrong_call_names_an_entry_and_every_entry_is_used(path: Path) -> None:
    uses = list(known_wrong_uses(path))
    for use in uses:
        assert use.assignment == path.stem, f"{path.name} cell {use.cell + 1}: {use}"
        checks.known_wrong(use.assignment, use.question)  # raises when it does not exist
    table = KNOWN_WRONG_DIR / f"{path.stem}.json"
    if table.is_file():
        used = {use.question for use in uses}
        unused = set(hints.read_table(table, where=table.name)) - used
        assert not unused, f"{table.name}: no checker uses {sorted(unused)}"


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    """An IPython shell that runs a notebook's cells as grading does (no widgets)."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def solution_collisions(
    path: Path, table_of: Callable[[str], Table], shell: InteractiveShell
) -> list[str]:
    """The known-wrong entries of ``path``'s checks that are the solution's own answer."""
    uses = list(known_wrong_uses(path))
    if not uses:
        return []
    nb = nbformat.read(path, as_version=4)
    shell.reset(new_session=True)
    found = []
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if not is_test(cell):
                result = shell.run_cell(cell.source, silent=True)
                assert result.success, f"{path.name} cell {index + 1}: {result.error_in_exec}"
                continue
            for use in (u for u in uses if u.cell == index):
                answer = shell.ev(use.answer)
                mark = checks.fingerprint(answer, ordered=use.ordered, ndigits=use.ndigits)
                for mistake in table_of(use.assignment).get(use.question, ()):
                    if mistake.fingerprint == mark:
                        found.append(f"{use.assignment} {use.question}: {mistake.mistake}")
    finally:
        os.chdir(here)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_no_known_wrong_entry_is_the_solution(path: Path, shell: InteractiveShell) -> None:
    assert solution_collisions(path, hints.known_wrong_table, shell) == []


def test_an_entry_that_is_the_solution_is_found(tmp_path: Path, shell: InteractiveShell) -> None:
    from tests.grading.grading_factories import code, graded_tests, source_notebook

    nb = source_notebook(
        code("from coursekit import checks", "setup", locked=True),
        code(
            "order = ...\n### BEGIN SOLUTION\norder = ['b', 'a']\n### END SOLUTION",
            "q1-answer",
            solution=True,
        ),
        graded_tests(
            "q1-tests",
            "checks.check_list(sorted(order, reverse=True), name='order',"
            " known_wrong=checks.known_wrong('fx-known', 'q1')).assert_ok()",
        ),
    )
    path = tmp_path / "fx-known.ipynb"
    nbformat.write(nb, path)
    table = {
        "q1": (
            hints.KnownMistake(checks.fingerprint(["a", "b"]), "see 1.3 x", "alphabetical"),
            hints.KnownMistake(checks.fingerprint(["b", "a"]), "see 1.3 x", "the solution"),
        )
    }
    assert solution_collisions(path, lambda _: table, shell) == ["fx-known q1: the solution"]
