"""The execution child: nbgrader's execution semantics plus limits, as a separate process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.config import GradingLimits
from coursekit.grading import execute
from coursekit.grading.nbio import read_notebook
from tests.grading.grading_factories import code, graded_tests, source_notebook


def run_child(tmp_path: Path, *cells: nbformat.NotebookNode, **limits: int) -> tuple[int, Path]:
    nb = source_notebook(*cells)
    infile, outfile = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, infile)
    argv = execute.execute_argv(infile, outfile, limits=GradingLimits(**limits))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    return done.returncode, outfile


def errors(cell: nbformat.NotebookNode) -> list[str]:
    return [o["ename"] for o in cell.outputs if o["output_type"] == "error"]


def test_argv_is_the_documented_command() -> None:
    argv = execute.execute_argv(Path("a.ipynb"), Path("b.ipynb"), limits=GradingLimits())
    assert argv[:5] == [sys.executable, "-m", "coursekit.grading.execute", "a.ipynb", "b.ipynb"]
    assert argv[5:] == [
        "--cell-timeout",
        "30",
        "--notebook-timeout",
        "300",
        "--output-chars",
        "100000",
    ]


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    (tmp_path / "in.ipynb").write_text("{not json")
    assert execute.main([str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb")]) == 2
    assert not (tmp_path / "out.ipynb").exists()


@pytest.mark.slow
def test_runs_in_the_notebook_folder_errors_allowed_env_set(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("42")
    rc, out = run_child(
        tmp_path,
        code("import os\nprint(open('data.txt').read(), os.environ['NBGRADER_EXECUTION'])"),
        code("1 / 0"),
        graded_tests("t", "assert True", points=1),
    )
    assert rc == execute.EXIT_OK
    nb = read_notebook(out)
    assert nb.cells[0].outputs[0]["text"] == "42 autograde\n"
    assert errors(nb.cells[1]) == ["ZeroDivisionError"]
    assert nb.cells[2].outputs == []


@pytest.mark.slow
def test_notebook_timeout_marks_later_grade_cells_failed(tmp_path: Path) -> None:
    rc, out = run_child(
        tmp_path,
        code("import time\ntime.sleep(60)"),
        code("x = 1"),
        graded_tests("t", "assert True", points=1),
        notebook_timeout=6,
        cell_timeout=60,
    )
    assert rc == execute.EXIT_TIMEOUT
    nb = read_notebook(out)
    assert errors(nb.cells[0]) == ["NotebookTimeoutError"]
    assert nb.cells[1].outputs == []
    assert errors(nb.cells[2]) == ["NotebookTimeoutError"]


@pytest.mark.slow
def test_cell_timeout_is_nbgraders_cell_timeout_error(tmp_path: Path) -> None:
    rc, out = run_child(
        tmp_path, code("import time\ntime.sleep(60)"), code("y = 2"), cell_timeout=2
    )
    assert rc == execute.EXIT_OK
    nb = read_notebook(out)
    assert "CellTimeoutError" in errors(nb.cells[0])


@pytest.mark.slow
def test_kernel_death_exits_4_and_fails_the_rest(tmp_path: Path) -> None:
    rc, out = run_child(
        tmp_path, code("import os\nos._exit(3)"), graded_tests("t", "assert True", points=1)
    )
    assert rc == execute.EXIT_KERNEL_DIED
    nb = read_notebook(out)
    assert errors(nb.cells[0]) == ["DeadKernelError"]
    assert errors(nb.cells[1]) == ["DeadKernelError"]


@pytest.mark.slow
def test_output_is_cut_but_stderr_still_counts(tmp_path: Path) -> None:
    rc, out = run_child(
        tmp_path,
        code("import sys\nprint('x' * 5000)\nprint('late', file=sys.stderr)"),
        output_chars=1000,
    )
    assert rc == execute.EXIT_OK
    outputs = read_notebook(out).cells[0].outputs
    stdout = "".join(o["text"] for o in outputs if o.get("name") == "stdout")
    assert len(stdout) < 1200 and "output cut" in stdout
    assert any(o.get("name") == "stderr" for o in outputs)
