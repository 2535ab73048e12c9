"""Every ``see N.M Heading`` the checks give a student names a section of the built book.

The section registry (:data:`coursekit.checks.SECTIONS`) must be the built book's numbering
and headings; every reference in a notebook's code cells (test messages and hints), in a
known-wrong hint, and every ``checks.see("N.M")`` call must name a section that exists there,
with that exact number and heading (straight and curly quotation marks count as the same).
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import nbformat
import pytest

from coursekit.checks import SECTIONS
from coursekit.checks.sections import references
from tests.assignments.notebook_checks import (
    SOURCES,
    calls,
    code_tree,
    known_wrong_hints,
    strings,
)

pytestmark = pytest.mark.slow

_H2 = re.compile(
    r'<h2><span class="section-number">(\d+\.\d+)\. </span>(.*?)<a class="headerlink"', re.S
)


def built_sections(html_dir: Path) -> dict[str, str]:
    """Section number -> heading, as the built pages show them (``##`` headings)."""
    found: dict[str, str] = {}
    for page in sorted(html_dir.glob("ch*.html")):
        for number, inner in _H2.findall(page.read_text(encoding="utf-8")):
            found[number] = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
    return found


@pytest.fixture(scope="module")
def sections(built_book: Path) -> dict[str, str]:
    found = built_sections(built_book)
    assert len(found) > 100, f"{built_book}: the section numbers were not found"
    return found


def test_the_registry_is_the_built_books_numbering(sections: dict[str, str]) -> None:
    assert dict(SECTIONS) == sections


def _problems(where: str, text: str, sections: dict[str, str]) -> list[str]:
    bad = []
    for ref in references(text):
        if ref.number not in sections:
            bad.append(f"{where}: see {ref.number}: the book has no such section")
        elif not ref.heading_ok(sections):
            bad.append(
                f"{where}: see {ref.number} should be followed by {sections[ref.number]!r}, "
                f"not {ref.rest[:60]!r}"
            )
    return bad


def _values(node: ast.expr) -> list[str]:
    """The strings an argument can be: a constant, or either branch of ``a if c else b``."""
    if isinstance(node, ast.IfExp):
        return _values(node.body) + _values(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return []  # a name or a call: checked when the notebook runs (see() raises on a bad number)


def notebook_problems(path: Path, sections: dict[str, str]) -> list[str]:
    """Every ``see N.M`` and ``checks.see(...)`` in ``path``'s code cells that is wrong."""
    bad: list[str] = []
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.name} cell {index + 1}"
        tree = code_tree(cell.source)
        for text in strings(tree):
            bad += _problems(where, text, sections)
        for call in calls(tree, "see"):
            # checks.see("6.4" if ... else "6.5"): every number the argument can be
            numbers = _values(call.args[0]) if call.args else []
            bad += [
                f"{where}: checks.see({number!r}): the book has no such section"
                for number in numbers
                if number not in sections
            ]
    return bad


def test_every_reference_in_the_notebooks_names_a_built_section(
    sections: dict[str, str],
) -> None:
    bad = [problem for path in SOURCES for problem in notebook_problems(path, sections)]
    assert bad == []


def test_a_wrong_reference_in_a_notebook_is_caught(
    sections: dict[str, str], tmp_path: Path
) -> None:
    from tests.grading.grading_factories import graded_tests, source_notebook

    nb = source_notebook(
        graded_tests(
            "t",
            f"ok = checks.see('6.4' if a else '6.5') + 'see 5.7 {sections['5.7']}'",
            "bad = checks.see('6.4' if a else '6.55')\n"
            "msg = ('not yet: see 5.7 The 2019 '\n       'cascade')",
        )
    )
    path = tmp_path / "fx.ipynb"
    nbformat.write(nb, path)
    assert [p.split(": ", 1)[1][:40] for p in notebook_problems(path, sections)] == [
        "see 5.7 should be followed by 'The 2018–",
        "checks.see('6.55'): the book has no such",
    ]


def test_every_known_wrong_hint_names_a_built_section(sections: dict[str, str]) -> None:
    bad: list[str] = []
    for name, question, hint in known_wrong_hints():
        where = f"{name} {question}"
        if not list(references(hint)):
            bad.append(f"{where}: the hint names no section (see N.M Heading)")
        bad += _problems(where, hint, sections)
    assert bad == []


def test_a_wrong_reference_is_caught(sections: dict[str, str]) -> None:
    assert _problems("x", "see 5.7 The 2019 cascade", sections)
    assert _problems("x", "see 5.77 Anything", sections)
    assert not _problems("x", f"see 5.7 {sections['5.7']}.", sections)
