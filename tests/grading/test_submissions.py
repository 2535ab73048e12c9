"""Checks on submitted notebooks: one test per broken or tampered scenario."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coursekit.config import GradingLimits
from coursekit.grading import submissions
from coursekit.grading.submissions import (
    SubmissionCheck,
    find_notebook,
    inspect_folder,
    inspect_submission,
)
from tests.fixtures.submissions import (
    ASSIGNMENT,
    HOSTILE,
    SCENARIOS,
    source_notebook,
    write_scenario,
)

NAME = f"{ASSIGNMENT}.ipynb"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_scenario("source", tmp_path / "source")


def check(name: str, tmp_path: Path, source: Path, **kwargs: Any) -> SubmissionCheck:
    """Write scenario ``name`` and inspect it, asserting the file is left untouched."""
    path = write_scenario(name, tmp_path / "submitted" / name, NAME)
    before = path.read_bytes()
    result = inspect_submission(path, source, **kwargs)
    assert path.read_bytes() == before, "the submitted file must never change"
    assert result.path == path
    if result.notebook is not None:
        nbformat.validate(result.notebook)
    return result


def cell(nb: Any, grade_id: str) -> Any:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def grade_ids(nb: Any) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]


ALL_IDS = ["intro", "setup", "q1-answer", "q1-tests", "q2-answer", "q2-tests", "q3-answer"]


def test_ok_submission_passes_unchanged(tmp_path: Path, source: Path) -> None:
    result = check("ok", tmp_path, source)
    assert result.status == "ok" and result.flags == frozenset() and result.messages == ()
    assert result.gradable
    assert grade_ids(result.notebook) == ALL_IDS
    assert cell(result.notebook, "q1-answer").source == "def double(x):\n    return 2 * x"
    assert str(result) == f"{NAME}: ok"


def test_release_version_of_test_cells_is_not_tampering(tmp_path: Path, source: Path) -> None:
    result = check("release", tmp_path, source)
    assert result.status == "ok", result.messages
    assert "HIDDEN TESTS" in cell(result.notebook, "q1-tests").source, "graded with hidden tests"


def test_source_may_be_a_notebook_object(tmp_path: Path) -> None:
    result = check("edited_points", tmp_path, source_notebook())
    assert result.flags == {"tampered"}


@pytest.mark.parametrize(
    ("name", "flag", "words"),
    [
        ("empty_file", "empty", "the file is empty"),
        ("invalid_json", "invalid-json", "invalid JSON at line 18, column 10"),
        ("not_a_notebook", "not-a-notebook", "not a Jupyter notebook"),
        ("nbformat_v5", "unsupported-version", "nbformat 5 cannot be read"),
    ],
)
def test_unreadable_files_are_rejected(
    tmp_path: Path, source: Path, name: str, flag: str, words: str
) -> None:
    result = check(name, tmp_path, source)
    assert result.status == "rejected" and result.notebook is None and not result.gradable
    assert result.flags == {flag}
    assert words in result.messages[0] and str(result.path) in result.messages[0]
    assert "resubmit" in result.messages[0] or flag == "not-a-notebook"


def test_not_utf8_is_rejected(tmp_path: Path, source: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = inspect_submission(path, source)
    assert result.status == "rejected" and result.flags == {"invalid-json"}


def test_too_large_is_rejected_unread(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(submissions, "MAX_NOTEBOOK_MB", 0)
    result = check("ok", tmp_path, source)
    assert result.status == "rejected" and result.flags == {"too-large"}


def test_missing_file_is_rejected(tmp_path: Path, source: Path) -> None:
    result = inspect_submission(tmp_path / NAME, source)
    assert result.status == "rejected" and result.flags == {"missing"}


def test_cell_without_source_is_repaired(tmp_path: Path, source: Path) -> None:
    result = check("cell_without_source", tmp_path, source)
    assert result.status == "repaired" and result.flags == {"repaired-fields"}
    assert "cell 3 lacked source" in result.messages[0]
    assert cell(result.notebook, "q1-answer").source == ""


def test_nbformat_v3_is_upgraded(tmp_path: Path, source: Path) -> None:
    result = check("nbformat_v3", tmp_path, source)
    assert result.status == "repaired" and result.flags == {"upgraded"}
    assert result.notebook.nbformat == 4
    assert grade_ids(result.notebook) == ALL_IDS
    assert "return 2 * x" in cell(result.notebook, "q1-answer").source


def test_deleted_grade_cell_scores_zero_and_locked_cell_comes_back(
    tmp_path: Path, source: Path
) -> None:
    result = check("deleted_grade_cell", tmp_path, source)
    assert result.status == "repaired" and result.flags == {"deleted-cells"}
    assert result.missing_grade_ids == ("q2-tests",)
    assert grade_ids(result.notebook) == [i for i in ALL_IDS if i != "q2-tests"]
    assert cell(result.notebook, "setup").source == "import math\nLIMIT = 100"
    text = "\n".join(result.messages)
    assert "test cell 'q2-tests' (1 point) was deleted; that part scores 0" in text
    assert "locked cell 'setup' was deleted; put back" in text


def test_duplicated_cells_keep_one_graded_copy(tmp_path: Path, source: Path) -> None:
    result = check("duplicated_cells", tmp_path, source)
    assert result.status == "repaired" and result.flags == {"duplicate-cells"}
    assert grade_ids(result.notebook) == ALL_IDS
    sources = [c.source for c in result.notebook.cells]
    assert "def double(x):\n    return 0" in sources, "the earlier copy stays as an ordinary cell"
    assert cell(result.notebook, "q1-answer").source == "def double(x):\n    return x + x"
    assert sum("assert double(2)" in s for s in sources) == 1
    assert "cell 9 is a copy of test cell 'q1-tests'; copy removed" in result.messages[1]
    assert len({c["id"] for c in result.notebook.cells}) == len(result.notebook.cells)


def test_edited_test_cell_is_restored(tmp_path: Path, source: Path) -> None:
    result = check("edited_test_cell", tmp_path, source)
    assert result.status == "repaired" and result.flags == {"tampered"}
    tests = cell(result.notebook, "q1-tests")
    assert tests.source == cell(nbformat.read(source, as_version=4), "q1-tests").source
    assert "test cell 'q1-tests' (cell 4) was edited; restored" in result.messages[0]


def test_edited_points_are_restored(tmp_path: Path, source: Path) -> None:
    result = check("edited_points", tmp_path, source)
    assert result.flags == {"tampered"}
    assert cell(result.notebook, "q1-tests").metadata.nbgrader.points == 2
    assert cell(result.notebook, "q3-answer").metadata.nbgrader.points == 3
    assert cell(result.notebook, "q3-answer").source == "Because of the alliances."
    assert "points 100 (should be 2)" in result.messages[0]
    assert "points 50 (should be 3)" in result.messages[1]


def test_edited_locked_cell_is_restored(tmp_path: Path, source: Path) -> None:
    result = check("edited_locked_cell", tmp_path, source)
    assert result.flags == {"tampered"}
    assert cell(result.notebook, "setup").source == "import math\nLIMIT = 100"
    assert cell(result.notebook, "intro").metadata.nbgrader.locked is True
    assert len(result.messages) == 2


def test_fake_grade_cell_loses_its_metadata(tmp_path: Path, source: Path) -> None:
    result = check("fake_grade_cell", tmp_path, source)
    assert result.flags == {"tampered"}
    assert grade_ids(result.notebook) == ALL_IDS
    assert "'bonus-points' that the assignment does not have" in result.messages[0]


def test_changed_kernelspec_is_reset(tmp_path: Path, source: Path) -> None:
    result = check("changed_kernelspec", tmp_path, source)
    assert result.flags == {"kernelspec"}
    assert result.notebook.metadata.kernelspec.name == "python3"
    assert "kernel 'bash' replaced by the assignment's 'python3'" in result.messages[0]


def test_huge_outputs_are_capped(tmp_path: Path, source: Path) -> None:
    limits = GradingLimits(output_chars=5_000)
    result = check("huge_outputs", tmp_path, source, limits=limits)
    assert result.flags == {"outputs-capped"}
    out = cell(result.notebook, "q2-answer").outputs
    assert len(out[0].text) < 5_200 and "output cut by coursekit" in out[0].text
    assert "cell 5 has" in result.messages[0]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_notebooks_are_well_formed(tmp_path: Path, source: Path, name: str) -> None:
    assert check(name, tmp_path, source).status == "ok"


def test_every_scenario_leaves_its_file_untouched(tmp_path: Path, source: Path) -> None:
    for name in SCENARIOS:
        path = write_scenario(name, tmp_path / name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        mtime = path.stat().st_mtime_ns
        inspect_submission(path, source)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
        assert path.stat().st_mtime_ns == mtime, name


def test_find_notebook_expected_renamed_missing_and_ambiguous(tmp_path: Path) -> None:
    folder = tmp_path / "alice"
    expected = write_scenario("ok", folder, NAME)
    assert find_notebook(folder, NAME).path == expected
    expected.rename(folder / "My homework (1).ipynb")
    (folder / ".ipynb_checkpoints").mkdir()
    write_scenario("ok", folder / ".ipynb_checkpoints", "x-checkpoint.ipynb")
    found = find_notebook(folder, NAME)
    assert found.renamed and found.path == folder / "My homework (1).ipynb"
    assert "renamed" in found.message
    write_scenario("ok", folder, "other.ipynb")
    several = find_notebook(folder, NAME)
    assert several.path is None and "several other notebooks" in several.message
    empty = tmp_path / "bob"
    empty.mkdir()
    assert find_notebook(empty, NAME).path is None
    assert "no notebook submitted" in find_notebook(empty, NAME).message


def test_inspect_folder_reports_renamed_and_missing(tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "alice"
    write_scenario("edited_points", folder, "homework-final.ipynb")
    result = inspect_folder(folder, NAME, source)
    assert result.status == "repaired" and result.flags == {"renamed", "tampered"}
    assert "graded homework-final.ipynb instead" in result.messages[0]
    (tmp_path / "bob").mkdir()
    missing = inspect_folder(tmp_path / "bob", NAME, source)
    assert missing.status == "rejected" and missing.flags == {"missing"}
