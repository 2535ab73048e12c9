"""Static checks of the nbgrader source notebooks (fast: nothing is executed)."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat import NotebookNode

from coursekit.config import load_config
from tests.assignments.nbcourse import (
    ASSIGNMENT_IDS,
    REPO,
    cells_by_id,
    grade_info,
    hidden_regions,
    read_notebook,
    source_path,
)

SECRETS: dict[str, list[str]] = {
    # Answers (or rubric phrases) that may appear only inside solution or hidden-test regions.
    "a0-working-with-the-data": ['"E006"', "2010, "],
    "a1-timeline": [
        '"A11"',
        '"A13"',
        '"A15"',
        '"A27": "cooperation-against',
        'indicator = "coded-events"',
    ],
    "a2-argument-map": [
        'thesis_choice = "convene-shared-interests"',
        '"no-direct-stake": "claim-not-stake"',
        '"no-direct-stake": "none"',
        '"A66": {"stance": "against"',
    ],
    "a3-comparing-trilaterals": [
        "2009-2013, 2015, 2018-2021",
        "US-JP-ROK 1/11 (0.091)",
        '"cjk-more-institutionalised": {"supported": False',
        '"cjk-met-more": "format"',
    ],
    "a4-policy-memo": [
        '"E075": "other-grouping"',
        '"E029": "supports"',
        '"obj-d": "shared-exposure"',
        '"A64": "court-rulings"',
    ],
    "a5-after-the-article": [
        '"A96": "uncertainty-america"',
        '"E058": "china-vote"',
        '"outcome": "happened", "evidence": ["E058"',
        '"tariff-deals": "design"',
    ],
}


@pytest.fixture(params=ASSIGNMENT_IDS)
def source(request: pytest.FixtureRequest) -> tuple[str, NotebookNode]:
    return request.param, read_notebook(source_path(request.param))


def visible_text(nb: NotebookNode) -> str:
    """Everything a student sees: the notebook text without solution/hidden regions."""
    text = "\n".join(c.source for c in nb.cells)
    for region in hidden_regions(nb):
        text = text.replace(region, "")
    return text


def test_assignments_folder_matches_config() -> None:
    folder = load_config(REPO).assignments_path
    found = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[0] not in "._")
    assert found == sorted(ASSIGNMENT_IDS)


def test_notebook_is_valid_and_clean(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"


def test_first_cell_is_the_setup_import(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    first = nb.cells[0]
    assert first.cell_type == "code"
    assert re.search(r"^from coursekit import .*checks", first.source, re.M)
    assert grade_info(first)["locked"] is True
    assert first.metadata["jupyter"]["source_hidden"] is True


def test_nbgrader_metadata(source: tuple[str, NotebookNode]) -> None:
    aid, nb = source
    infos = [grade_info(c) for c in nb.cells if grade_info(c)]
    ids = [i["grade_id"] for i in infos]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    assert all(i["schema_version"] == 3 for i in infos)
    auto = sum(
        i["points"] for c in nb.cells if (i := grade_info(c)).get("grade") and c.cell_type == "code"
    )
    manual = sum(
        i["points"]
        for c in nb.cells
        if (i := grade_info(c)).get("grade") and c.cell_type == "markdown"
    )
    assert (4 if aid.startswith("a0-") else 10) <= auto <= 40, f"{aid}: {auto} autograded points"
    assert manual > 0
    for cell in nb.cells:
        info = grade_info(cell)
        if info.get("grade") and cell.cell_type == "code":
            assert not info["solution"], f"{info['grade_id']} is a test cell"
            assert info["locked"], f"{info['grade_id']} is a test cell"
            assert "assert_ok()" in cell.source
        if info.get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source, info["grade_id"]


def test_written_answers_hold_their_rubric_inside_a_solution_region(
    source: tuple[str, NotebookNode],
) -> None:
    _, nb = source
    written = [c for c in nb.cells if c.cell_type == "markdown" and grade_info(c).get("grade")]
    assert written
    for cell in written:
        assert grade_info(cell)["solution"] is True
        match = re.search(r"### BEGIN SOLUTION\n(.*)### END SOLUTION", cell.source, re.S)
        assert match, grade_info(cell)["grade_id"]
        assert "**Rubric (" in match.group(1)
        points = int(re.search(r"Rubric \((\d+) points", match.group(1)).group(1))  # type: ignore[union-attr]
        assert points == grade_info(cell)["points"]
        rows = re.findall(r"^\| (\d) \|", match.group(1), re.M)
        assert sum(map(int, rows)) == points, "rubric rows must add up to the cell's points"
    assert "Rubric" not in visible_text(nb)


def test_every_answer_has_a_test(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    kinds = [
        (
            "answer"
            if grade_info(c).get("solution")
            else "test"
            if grade_info(c).get("grade")
            else None
        )
        for c in nb.cells
        if c.cell_type == "code"
    ]
    # every code answer cell is followed, before the next answer, by at least one test cell
    for i, kind in enumerate(kinds):
        if kind == "answer":
            rest = [k for k in kinds[i + 1 :] if k]
            assert rest
            assert rest[0] == "test"


def test_visible_text_reveals_no_answer(source: tuple[str, NotebookNode]) -> None:
    aid, nb = source
    visible = visible_text(nb)
    for secret in SECRETS[aid]:
        assert secret not in visible, f"{aid}: {secret!r} is visible to students"


def test_hidden_tests_are_only_in_test_cells(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    for cell in nb.cells:
        if "BEGIN HIDDEN TESTS" in cell.source:
            info = grade_info(cell)
            assert info.get("grade"), info.get("grade_id")
            assert not info.get("solution"), info.get("grade_id")


def test_widgets_are_guarded(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    for cell in nb.cells:
        if "coursekit.widgets" in cell.source:
            assert 'os.environ.get("NBGRADER_EXECUTION")' in cell.source
            assert not grade_info(cell).get("grade")


def test_cells_by_id_covers_answers(source: tuple[str, NotebookNode]) -> None:
    _, nb = source
    cells = cells_by_id(nb)
    assert "setup" in cells
    assert any(grade_info(c).get("solution") for c in cells.values())


@pytest.mark.parametrize("assignment", ["a0-working-with-the-data", "a1-timeline"])
def test_every_known_mistake_has_a_golden_scenario(assignment: str) -> None:
    from coursekit.checks.hints import known_wrong_table
    from tests.assignments.scenarios import SCENARIOS

    table = known_wrong_table(assignment)
    hints = {m.hint for mistakes in table.values() for m in mistakes}
    assert hints == {s.hint for s in SCENARIOS[assignment].values() if s.hint}


def test_a1_option_lists_are_neither_chronological_nor_decoys_last() -> None:
    from coursekit import data

    cells = cells_by_id(read_notebook(source_path("a1-timeline")))
    dates = data.events().set_index("id")["date"]
    for grade_id, decoys in (("q2a-tests", {"A44", "A63"}),):
        listed = re.search(r"_options = \[([^\]]*)\]", cells[grade_id].source)
        assert listed, grade_id
        ids = re.findall(r'"([A-Z]\d+)"', listed.group(1))
        when = [dates[i] for i in ids]
        assert when not in (sorted(when), sorted(when, reverse=True)), grade_id
        assert ids[-1] not in decoys, grade_id
        assert set(ids[-len(decoys) :]) != decoys, grade_id
    # the episodes of q3 and the labels of q3, q4b and q4c are not in an order that gives them away
    keys = re.search(r"keys=\[([^\]]*)\]", cells["q3a-tests"].source)
    assert keys
    episodes = re.findall(r'"([A-Z]\d+)"', keys.group(1))
    assert [dates[i] for i in episodes] != sorted(dates[i] for i in episodes)
    for grade_id, right in (("q4b-tests", "one-chain-2019"), ("q4c-tests", "coded-events")):
        options = re.search(r"options=\[([^\]]*)\]", cells[grade_id].source)
        assert options
        labels = re.findall(r'"([a-z0-9-]+)"', options.group(1))
        assert labels[0] != right, grade_id
        assert labels[-1] != right, grade_id
