"""Two-phase grading, piece by piece: the data format, free names, the plan, phase 1 and 2."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from coursekit import data
from coursekit.config import GradingLimits
from coursekit.grading import plan as planning
from coursekit.grading import twophase
from coursekit.grading.values import BadCapture, NotCaptured, RecordedFunction, decode, encode
from tests.assignments.nbcourse import source_path
from tests.grading.grading_factories import basic_assignment, code


def roundtrip(value: object) -> object:
    return decode(json.loads(json.dumps(encode(value), allow_nan=False)))


@pytest.mark.parametrize(
    "frame",
    [
        data.events(),
        data.indicators(),
        data.events().groupby(["trilateral", "year"], observed=True).size().reset_index(),
        pd.DataFrame({"a": [1, None], "b": [1.5, float("nan")]}, index=["x", "y"]),
        pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}).set_index(pd.Index([3, 4])),
        data.indicators().pivot_table(
            index="trilateral", columns="indicator", values="value", aggfunc="sum", observed=True
        ),
    ],
)
def test_frames_come_back_with_their_dtypes_and_index(frame: pd.DataFrame) -> None:
    back = roundtrip(frame)
    assert isinstance(back, pd.DataFrame)
    pd.testing.assert_frame_equal(back, frame, check_exact=True)


def test_series_and_scalars_come_back_as_they_were() -> None:
    events = data.events()
    for series in (events.groupby("year").size(), events.set_index("id")["date"]):
        pd.testing.assert_series_equal(roundtrip(series), series)  # type: ignore[call-overload]
    values = [
        {1: "a", "b": (1, 2)},
        {1, 2},
        frozenset({"x"}),
        (1, [2, {"k": None}]),
        np.int64(3),
        np.float32(1.5),
        np.array([[1, 2], [3, 4]]),
        pd.Timestamp("2023-08-18"),
        pd.Timedelta(days=3),
        float("inf"),
        True,
        "text",
    ]
    for value in values:
        back = roundtrip(value)
        assert type(back) is type(value)
        if isinstance(value, np.ndarray):
            assert np.array_equal(back, value)  # type: ignore[arg-type]
        else:
            assert back == value
    assert np.isnan(roundtrip(float("nan")))  # type: ignore[call-overload]
    assert roundtrip(pd.NaT) is pd.NaT


def test_code_is_never_recorded_and_odd_values_fail_when_used() -> None:
    class Sneaky:
        def __eq__(self, other: object) -> bool:
            return True

    back = roundtrip(Sneaky())
    assert isinstance(back, NotCaptured)
    with pytest.raises(TypeError, match="records only data"):
        len(back)

    class Always(dict):  # type: ignore[type-arg]
        def __eq__(self, other: object) -> bool:
            return True

    assert type(roundtrip(Always(a=1))) is dict


@pytest.mark.parametrize(
    "bad",
    [
        {"$": "pickle", "v": "gASV"},
        {"$": "np", "dtype": "V8", "v": 1},
        {"$": "series", "dtype": "object", "name": None, "v": [1]},
        {"$": "frame", "columns": 1},
        {"$": "float", "v": "1e999"},
    ],
)
def test_anything_outside_the_format_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(BadCapture):
        decode(bad)


def test_recorded_functions_answer_only_recorded_calls() -> None:
    def era(year: int) -> str:
        return "old" if year < 1965 else "new"

    from coursekit.grading.values import encode_call_result

    data_ = {"$": "function", "calls": [encode_call_result(era, [1950], {})]}
    func = decode(data_, "era")
    assert isinstance(func, RecordedFunction)
    assert func(1950) == "old"
    with pytest.raises(RuntimeError, match="was not called while your notebook ran"):
        func(1990)


def test_free_names_follow_python_scopes() -> None:
    text = (
        "_all = data.events()\n"
        "x = x + 1\n"
        "def _era(d):\n    return next(l for b, l in BOUNDS if d < pd.Timestamp(b))\n"
        "checks.check_dict({d: era_of(d) for d in _cases}, expected=_cases)\n"
        "_cases = {}\n"
        "total += 1\n"
        "%time print(len(_all))\n"
    )
    assert planning.free_names(text) == {
        "data",
        "x",
        "BOUNDS",
        "pd",
        "checks",
        "era_of",
        "_cases",
        "total",
    }


def test_the_plan_has_no_hidden_test_and_declares_calls() -> None:
    fixture = planning.plan_notebook(basic_assignment())
    assert fixture.tests["q1-tests"].names == ("double",)
    assert len(fixture.tests["q1-tests"].calls["double"]) == 2
    source = nbformat.read(source_path("a1-timeline"), as_version=4)
    plan = planning.plan_notebook(source)
    assert plan.tests["q1-tests"].names == ("signed",)
    assert plan.tests["q3a-tests"].names == ("cha_reading",)
    assert {"checks", "pd", "data"} <= plan.given_names
    assert "events" not in plan.given_names, "a DataFrame may be reassigned honestly"
    sent = json.dumps(planning.capture_plan(source, plan))
    assert "HIDDEN TESTS" not in sent
    for test in plan.tests.values():
        hidden = test.code.split("### BEGIN HIDDEN TESTS")[1:]
        for line in "".join(hidden).splitlines():
            if len(line.strip()) > 25 and line.strip() not in test.visible:
                assert line.strip() not in sent, line


def _run_fixture(tmp_path: Path, answers: dict[str, str], limits: GradingLimits) -> object:
    source = basic_assignment()
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    work = tmp_path / "work"
    work.mkdir()
    return twophase.grade_notebook(nb, source=source, workdir=work, limits=limits, sandbox=False)


def _scores(result: object) -> dict[str, float]:
    from nbgrader.utils import determine_grade

    nb = result.notebook  # type: ignore[attr-defined]
    return {
        c.metadata["nbgrader"]["grade_id"]: determine_grade(c)[0]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }


def test_a_cell_that_will_not_stop_is_a_timeout(tmp_path: Path) -> None:
    stubborn = (
        "import signal, time\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "while True:\n    try:\n        time.sleep(1)\n    except BaseException:\n        pass\n"
    )
    limits = GradingLimits(cell_timeout=2, notebook_timeout=60)
    result = _run_fixture(tmp_path, {"q2-answer": stubborn}, limits)
    assert result.status == "timeout"  # type: ignore[attr-defined]
    assert any("would not stop" in m for m in result.messages)  # type: ignore[attr-defined]
    assert _scores(result) == {"q1-tests": 2, "q2-tests": 0}


def test_a_test_cell_without_a_result_fails_closed(tmp_path: Path) -> None:
    source = basic_assignment()
    source.cells.append(code("assert True", "q9-tests", grade=True, locked=True, points=1))
    plan = planning.plan_notebook(source)
    run = twophase.CaptureRun(finished=True)
    out = twophase.assemble(source, run, {}, limits=GradingLimits())
    q9 = out.cells[-1]
    assert [o.ename for o in q9.outputs] == ["NotChecked"]
    assert plan.tests["q9-tests"].names == ()


def test_the_phase_1_log_is_capped(tmp_path: Path) -> None:
    source = basic_assignment()
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    flood = 'import os\nfor _ in range(40):\n    os.write(1, b"x" * 100_000)\ncapital = "Seoul"'
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2-answer":
            cell.source = flood
    work = tmp_path / "work"
    work.mkdir()
    log = tmp_path / "capture.log"
    plan = planning.plan_notebook(source)
    limits = GradingLimits(log_kb=100)  # the flood writes 4000 KB
    run = twophase.capture(nb, plan, workdir=work, limits=limits, sandboxed=False, log=log)
    assert run.finished
    assert not run.problem
    assert 100 * 1024 < log.stat().st_size < 100 * 1024 + 200
    assert log.read_bytes().endswith(b"[log cut: the grader keeps the first part only]\n")


def test_guards_flag_hooks_from_cells_but_not_from_libraries() -> None:
    import subprocess
    import sys

    code = """
from coursekit.grading.guards import Guards
from coursekit.grading.shell import make_shell
shell = make_shell()
guards = Guards(shell)
cells = [
    "import altair, jsonschema\\nfrom coursekit import checks",
    "import atexit\\natexit.register(lambda: None)",
    "import sys\\nclass Finder:\\n    def find_spec(self, *a):\\n        return None\\n"
    "sys.meta_path.insert(0, Finder())",
    "get_ipython().events.register('post_run_cell', lambda result: None)",
    "checks.CheckResult.assert_ok = lambda self: None",
]
for number, source in enumerate(cells, start=1):
    shell.run(source, timeout=30, limit=1000)
    print(guards.check(f"cell {number}"))
"""
    done = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        "[]",
        "['suspicious: exit hook installed in cell 2']",
        "['suspicious: import hook installed in cell 3']",
        "['suspicious: IPython event callback installed in cell 4']",
        "['suspicious: checker coursekit.checks.CheckResult.assert_ok patched in cell 5']",
    ]


def test_partial_credit_comes_back_as_nbgrader_reads_it(tmp_path: Path) -> None:
    from tests.grading.grading_factories import source_notebook

    source = source_notebook(
        code("### BEGIN SOLUTION\nitems = [1, 2]\n### END SOLUTION", "a", solution=True),
        code(
            "assert isinstance(items, list)\n"
            "### BEGIN HIDDEN TESTS\nfloat(len(items))\n### END HIDDEN TESTS",
            "t",
            grade=True,
            locked=True,
            points=2,
        ),
    )
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    nb.cells[0].source = "items = [7]"
    work = tmp_path / "work"
    work.mkdir()
    result = twophase.grade_notebook(
        nb, source=source, workdir=work, limits=GradingLimits(), sandbox=False
    )
    assert _scores(result) == {"t": 1.0}
    test_cell = result.notebook.cells[1]
    assert [o.output_type for o in test_cell.outputs] == ["execute_result"]


def test_a_constant_the_plan_missed_keeps_the_instructors_value(tmp_path: Path) -> None:
    """A setup cell the plan cannot read (a cell magic) still defines the names phase 2 uses."""
    from tests.grading.grading_factories import source_notebook

    source = source_notebook(
        code("%%capture\nEXPECTED = 1951", "setup", locked=True),
        code("### BEGIN SOLUTION\nanswer = 1951\n### END SOLUTION", "a", solution=True),
        code("assert answer == EXPECTED", "t", grade=True, locked=True, points=1),
    )
    assert "EXPECTED" in planning.plan_notebook(source).tests["t"].names  # the plan misses it
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    nb.cells[1].source = "EXPECTED = 1900\nanswer = 1900"  # the forgery
    work = tmp_path / "work"
    work.mkdir()
    forged = twophase.grade_notebook(
        nb, source=source, workdir=work, limits=GradingLimits(), sandbox=False
    )
    assert _scores(forged) == {"t": 0}
    nb.cells[1].source = "answer = 1951"  # the honest answer still passes
    honest = twophase.grade_notebook(
        nb, source=source, workdir=work, limits=GradingLimits(), sandbox=False
    )
    assert _scores(honest) == {"t": 1}


@pytest.mark.parametrize(
    ("record", "ok"),
    [
        ({"start": 3}, True),
        ({"start": "3"}, False),
        ({"start": -1}, False),
        ({"cell": 2, "captured": {"x": 1}}, True),
        ({"cell": "x", "captured": {}}, False),
        ({"cell": 2, "captured": []}, False),
        ({"cell": 1.5, "outputs": []}, False),
        ({"cell": 1, "outputs": "text"}, False),
        ({"flag": "suspicious: x"}, True),
    ],
)
def test_phase_1_records_of_the_wrong_shape_are_refused(
    record: dict[str, object], ok: bool
) -> None:
    assert twophase._well_formed(record) is ok


def test_an_unanswered_stub_comes_back_as_ellipsis() -> None:
    assert encode(...) == {"$": "ellipsis"}
    assert roundtrip(...) is Ellipsis
    assert roundtrip({"a": [..., 1]}) == {"a": [..., 1]}


def _contract_assignment() -> nbformat.NotebookNode:
    """One answer with a ``...`` stub: a visible test (shape, a known mistake), hidden checks.

    The hidden checks end in ``checks.partial(..., points=3)``, the cell's points.
    """
    from tests.grading.grading_factories import graded_tests, source_notebook

    visible = (
        "from coursekit import checks\n"
        "KNOWN = {checks.fingerprint(['Seoul', 'Tokyo']): 'Busan is the port: see 2.4 The Korean"
        " War and Japan as a rear base, 1950–1953'}\n"
        "checks.check_list(cities, name='cities', length=2, item_kind='str',"
        " known_wrong=KNOWN).assert_ok()"
    )
    hidden = (
        "checks.partial(\n"
        "    checks.check_value(cities[0], name='cities[0]', expected='Seoul'),\n"
        "    checks.check_value(cities[1], name='cities[1]', expected='Busan'),\n"
        "    points=3,\n"
        ")"
    )
    return source_notebook(
        code(
            "cities = ...  # replace ... with your answer\n"
            "### BEGIN SOLUTION\ncities = ['Seoul', 'Busan']\n### END SOLUTION",
            "q1-answer",
            solution=True,
        ),
        graded_tests("q1-tests", visible, hidden, points=3),
    )


@pytest.mark.parametrize(
    ("answer", "score", "shown"),
    [
        ("cities = ['Seoul', 'Busan']", 3.0, "[ok] cities[1]: all checks passed"),
        ("cities = ['Seoul', 'Incheon']", 1.5, "[not yet] cities[1]: problem with the values"),
        ("cities = ['Seoul', 'Tokyo']", 0.0, "Hint: Busan is the port: see 2.4"),
        ("cities = ...  # replace ... with your answer", 0.0, "you have not answered cities yet"),
    ],
)
def test_stub_known_mistake_and_partial_credit_through_both_phases(
    tmp_path: Path, answer: str, score: float, shown: str
) -> None:
    source = _contract_assignment()
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    nb.cells[0].source = answer
    work = tmp_path / "work"
    work.mkdir()
    result = twophase.grade_notebook(
        nb, source=source, workdir=work, limits=GradingLimits(), sandbox=False
    )
    assert _scores(result) == {"q1-tests": score}
    outputs = result.notebook.cells[1].outputs
    text = "".join(o.get("text", "") + "\n".join(o.get("traceback", [])) for o in outputs)
    assert shown in text
    parts = result.notebook.cells[1].metadata["coursekit"]["output_parts"]
    assert len(parts) == len(outputs)
    if score:
        assert outputs[-1].output_type == "execute_result"
        assert outputs[-1].data["text/plain"] == repr(score)
        assert parts == ["visible", "hidden", "hidden"]  # [ok] line; reports; the score
        assert "[ok] cities: type, contents are right" not in outputs[0].text
        assert outputs[0].text.startswith("[ok] cities: type, shape and contents are right;")
    else:
        assert outputs[-1].output_type == "error"
        assert "Traceback" not in text
        assert "results.py" not in text
        assert parts == ["visible"]  # the visible test stopped the cell


def test_hidden_parts_are_marked_without_changing_the_cells_result() -> None:
    marked = planning.mark_parts(
        "x = 1\n### BEGIN HIDDEN TESTS\ncheck(x)\n### END HIDDEN TESTS\n# done\n",
        "BEGIN HIDDEN TESTS",
        "END HIDDEN TESTS",
    )
    assert marked.splitlines() == [
        '__coursekit_part__("visible")',
        "x = 1",
        '__coursekit_part__("hidden")',
        "check(x)",
        "### END HIDDEN TESTS",  # nothing follows: check(x) stays the last expression
        "# done",
    ]
    middle = planning.mark_parts(
        "for y in ys:\n    ### BEGIN HIDDEN TESTS\n    f(y)\n    ### END HIDDEN TESTS\n    g(y)",
        "BEGIN HIDDEN TESTS",
        "END HIDDEN TESTS",
    )
    assert '    __coursekit_part__("hidden")' in middle
    assert '    __coursekit_part__("visible")' in middle
    # a marker that would break the code is not added
    odd = "if True:\n    a = 1\n### BEGIN HIDDEN TESTS\n    b = 2"
    assert planning.mark_parts(odd, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") == odd
    assert planning.mark_parts("x = 1", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") == "x = 1"


def test_a_submission_cannot_say_which_part_made_an_output() -> None:
    """``output_parts`` comes from phase 2 alone (the feedback page trusts it)."""
    source = basic_assignment()
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    test_index = 2  # q1-tests
    nb.cells[test_index].metadata["coursekit"] = {"output_parts": ["visible"]}
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "x", "traceback": []}
    run = twophase.CaptureRun(finished=True)
    out = twophase.assemble(nb, run, {test_index: [error]}, limits=GradingLimits())
    assert "output_parts" not in out.cells[test_index].metadata["coursekit"]
