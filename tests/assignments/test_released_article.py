"""No released notebook carries an n-gram index of any text, or the article's text."""

from __future__ import annotations

import nbformat
import pytest

from tests.article_scan import findings
from tests.assignments.conftest import Released
from tests.assignments.nbcourse import ASSIGNMENT_IDS
from tests.test_article_leaks import reference

pytestmark = pytest.mark.slow


def test_released_notebooks_carry_no_index_or_the_article(released: dict[str, Released]) -> None:
    article = reference()
    problems = {
        assignment: found
        for assignment, generated in released.items()
        if (found := findings(nbformat.writes(generated.release), article))
    }
    assert sorted(released) == sorted(ASSIGNMENT_IDS)  # every assignment was scanned
    assert problems == {}
