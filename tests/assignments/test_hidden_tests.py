"""Hidden tests are self-contained: they read the answers and the course's modules, no given.

A given (a constant such as ``TO_CLASSIFY`` in an instructor cell) is a name a student can
rebind. Phase 2 of grading loads the givens from the source notebook, so a rebinding cannot
reach a score there; the hidden tests also never read one, so that even a test run beside
the student's code (``nbgrader validate``, or plain nbgrader) checks the instructor's answer
and not the student's own definition of it.
"""

from __future__ import annotations

import nbformat
import pytest

from coursekit.grading import plan as planning
from coursekit.grading.nbgrader_api import nbgrader_settings, strip_hidden
from tests.assignments.nbcourse import ASSIGNMENT_IDS, source_path


def hidden_parts(code: str) -> tuple[str, str]:
    """(visible, hidden) parts of a test cell, cut at nbgrader's default delimiters."""
    visible = strip_hidden(code, nbgrader_settings(None))
    begin, end = nbgrader_settings(None).hidden_tests
    hidden = "\n".join(part.split(end)[0].split("\n", 1)[-1] for part in code.split(begin)[1:])
    return visible, hidden


def rebindable_reads(assignment: str) -> dict[str, set[str]]:
    """Per test cell, the givens its hidden part reads (there should be none).

    A given is a name an instructor cell binds, other than an imported module.
    """
    source = nbformat.read(source_path(assignment), as_version=4)
    plan = planning.plan_notebook(source)
    modules = {
        name
        for text in plan.instructor
        for name in planning.bound_names(text)
        if planning._is_import(text, name)
    }
    givens = set(plan.bound) - modules
    found = {}
    for grade_id, test in plan.tests.items():
        visible, hidden = hidden_parts(test.code)
        reads = (planning.free_names(hidden) - planning.bound_names(visible)) & givens
        if reads:
            found[grade_id] = reads
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENT_IDS)
def test_hidden_tests_read_no_given(assignment: str) -> None:
    assert rebindable_reads(assignment) == {}


def test_the_rule_catches_a_hidden_test_that_reads_a_given() -> None:
    visible, hidden = hidden_parts(
        "checks.check_dict(eras, keys=TO_CLASSIFY).assert_ok()\n"
        "### BEGIN HIDDEN TESTS\n"
        "_dates = data.events().set_index('id').loc[TO_CLASSIFY, 'date']\n"
        "### END HIDDEN TESTS"
    )
    assert "BEGIN" not in visible
    assert "TO_CLASSIFY" in visible
    assert planning.free_names(hidden) == {"data", "TO_CLASSIFY"}
