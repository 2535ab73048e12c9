"""Forged grades: attacks on the checker, in a real assignment, graded sandboxed in two phases.

Every attack is one student cell (in place of the first answer) of the released
``a1-timeline`` notebook, with every other answer left as the stub or filled with junk that
the attack is meant to make pass. Under plain nbgrader these take the points (the
``nbgrader_forged`` test shows one doing it); here each must score what the same notebook
scores without the attack (0: nothing is answered) and end ``suspicious`` with a reason that
names the hook and the cell. The controls: the instructor's answers score full marks
unflagged, and the same answers with an attack cell added still score full marks (the attack
takes nothing away from honest work) but are flagged.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from coursekit.config import load_config
from coursekit.grading.pool import grade
from coursekit.grading.release import release
from coursekit.grading.results import GradeRun, StudentResult
from coursekit.grading.workspace import init_course
from tests.assignments.nbcourse import fill, solution_sources, source_path
from tests.assignments.scenarios import SCENARIOS

pytestmark = pytest.mark.slow

A1 = "a1-timeline"
FULL = SCENARIOS[A1]["correct"].score

WRAP_EVERY_CELL = """
def _wrap(lines):
    body = "".join("    " + line for line in lines) or "    pass\\n"
    return ["try:\\n", body, "\\nexcept BaseException:\\n    pass\\n"]
"""

JUNK = """
signed = responds_to = cha_reading = jk_friction = friction_reading = friction_indicator = 0
"""

FAKE_CHECKS = """
import types as _t
class _Pass:
    passed = True
    def assert_ok(self):
        print("[ok] all checks passed")
def _anything(*args, **kwargs):
    return _Pass()
"""

# attack name -> (code of the attack cell, words the suspicious reason must contain)
ATTACKS: dict[str, tuple[str, str]] = {
    "transformer-post": (
        WRAP_EVERY_CELL + "get_ipython().input_transformers_post.append(_wrap)\n",
        "input transformer installed in cell 7 (q1-answer)",
    ),
    "transformer-cleanup": (
        WRAP_EVERY_CELL + "get_ipython().input_transformers_cleanup.append(_wrap)\n",
        "input transformer installed in cell 7 (q1-answer)",
    ),
    "ast-transformer": (
        "import ast\n"
        "class _NoAsserts(ast.NodeTransformer):\n"
        "    def visit_Call(self, node):\n"
        "        if getattr(node.func, 'attr', '') == 'assert_ok':\n"
        "            return ast.Constant(None)\n"
        "        return self.generic_visit(node)\n"
        "get_ipython().ast_transformers.append(_NoAsserts())\n" + JUNK,
        "AST transformer installed",
    ),
    "settrace": (
        "import sys\nsys.settrace(lambda frame, event, arg: None)\n" + JUNK,
        "trace or profile hook installed",
    ),
    "patch-assert-ok": (
        "checks.CheckResult.assert_ok = lambda self: None\n" + JUNK,
        "checker coursekit.checks.CheckResult.assert_ok patched",
    ),
    "redefine-check-frame": (
        FAKE_CHECKS + "checks.check_frame = _anything\nchecks.check_series = _anything\n" + JUNK,
        "check_frame patched",
    ),
    "replace-checks-module": (
        FAKE_CHECKS
        + "import sys\n_fake = _t.ModuleType('coursekit.checks')\n"
        + "_fake.__getattr__ = lambda name: _anything\n"
        + "sys.modules['coursekit.checks'] = _fake\nchecks = _fake\n"
        + JUNK,
        "coursekit.checks replaced in sys.modules",
    ),
    "patch-data-loader": (
        "_empty = events.iloc[0:0]\ndata.events = lambda *a, **k: _empty.copy()\n"
        'nuclear_tests = _empty[["id", "date", "title"]]\n',
        "course module coursekit.data.events patched in cell 7 (q1-answer)",
    ),
    "patch-isinstance": (
        "import builtins\nbuiltins.isinstance = lambda obj, kind: True\n" + JUNK,
        "builtins patched in cell 7 (q1-answer)",
    ),
    "rebind-givens": (
        "import types as _types\npd = _types.SimpleNamespace()\n" + JUNK,
        "the given pd rebound",
    ),
    "replace-run-cell": (
        "_ip = get_ipython()\n_run = _ip.run_cell\n"
        "_ip.run_cell = lambda raw_cell, *a, **k: _run('pass', *a, **k)\n" + JUNK,
        "shell method replaced in cell 7 (q1-answer)",
    ),
    "atexit-hook": (
        "import atexit\natexit.register(lambda: print('rewriting the results'))\n",
        "exit hook installed",
    ),
}


@dataclass(frozen=True)
class Graded:
    run: GradeRun
    course: Path

    def result(self, student: str) -> StudentResult:
        return next(r for r in self.run.results if r.student == student)

    def autograded(self, student: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / A1 / f"{A1}.ipynb"
        return nbformat.read(path, as_version=4)


def _release_nb(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / A1 / f"{A1}.ipynb", as_version=4)


def _submit(course: Path, student: str, nb: nbformat.NotebookNode, extra: dict[str, str]) -> None:
    folder = course / "submitted" / student / A1
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{A1}.ipynb")
    for name, text in extra.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


FAKE_PACKAGE = {
    "coursekit/__init__.py": "",
    "coursekit/checks.py": FAKE_CHECKS.replace("import types as _t\n", "")
    + "def __getattr__(name):\n    return _anything\n",
    "coursekit/data.py": "import pandas as pd\ndef events():\n    return pd.DataFrame()\n",
}

EXFILTRATE = """
import base64, os
for _root, _dirs, _files in os.walk("."):
    for _name in _files:
        with open(os.path.join(_root, _name), "rb") as _f:
            print(_name, base64.b64encode(_f.read()).decode())
print("FORGED [ok] nuclear_tests: all checks passed (type, shape, contents, values).")
"""


ALWAYS_EQUAL = """
class _Yes(pd.DataFrame):
    def __eq__(self, other):
        return True
    def equals(self, other):
        return True
nuclear_tests = _Yes()
class _Any(dict):
    def __eq__(self, other):
        return True
treaty_years = eras = _Any()
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    base = tmp_path_factory.mktemp("forgery")
    config = load_config(Path(__file__).resolve().parents[2])
    course = base / "course"
    init_course(directory=course, config=config, assignments=[A1])
    release(course=course, assignments=[A1])
    rel = _release_nb(course)
    source = nbformat.read(source_path(A1), as_version=4)
    answers = solution_sources(source)
    _submit(course, "honest", fill(rel, answers), {})
    _submit(course, "stub", rel, {})
    for name, (code, _) in ATTACKS.items():
        _submit(course, name, fill(rel, {"q1-answer": code}), {})
    attack = ATTACKS["transformer-post"][0]
    both = {**answers, "q1-answer": answers["q1-answer"] + "\n" + attack}
    _submit(course, "honest-plus-transformer", fill(rel, both), {})
    _submit(course, "fake-package", rel, FAKE_PACKAGE)
    _submit(course, "exfiltrate", fill(rel, {"q1-answer": EXFILTRATE}), {})
    _submit(course, "always-equal", fill(rel, {"q1-answer": ALWAYS_EQUAL}), {})
    run = grade(course=course, assignment=A1, config=config, sandbox=True)
    return Graded(run, course)


def test_honest_control_scores_full_marks_unflagged(graded: Graded) -> None:
    honest = graded.result("honest")
    assert (honest.score, honest.status, honest.messages) == (FULL, "graded", ())
    stub = graded.result("stub")
    assert (stub.score, stub.status) == (0.0, "graded")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_gains_nothing_and_is_flagged(graded: Graded, attack: str) -> None:
    got = graded.result(attack)
    text = "\n".join(got.messages)
    assert got.score == graded.result("stub").score == 0.0, text
    assert got.status == "suspicious", text
    assert ATTACKS[attack][1] in text


def test_attack_beside_honest_answers_takes_nothing_away(graded: Graded) -> None:
    got = graded.result("honest-plus-transformer")
    assert got.score == FULL
    assert got.status == "suspicious"
    assert any("input transformer installed" in m for m in got.messages)


def test_fake_package_next_to_the_notebook_is_ignored_and_flagged(graded: Graded) -> None:
    got = graded.result("fake-package")
    assert (got.score, got.status) == (0.0, "suspicious")
    assert any("coursekit/" in m and "shadow" in m for m in got.messages)


def test_reading_the_working_folder_finds_no_hidden_test(graded: Graded) -> None:
    got = graded.result("exfiltrate")
    assert (got.score, got.status) == (0.0, "graded")
    nb = graded.autograded("exfiltrate")
    answer = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer"
    )
    printed = "".join(o.get("text", "") for o in answer.outputs)
    assert "FORGED [ok]" in printed, "the cell ran and printed"
    decoded = b""
    for line in printed.splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2:
            try:
                decoded += base64.b64decode(parts[1], validate=True)
            except ValueError:
                continue
    assert b"HIDDEN TESTS" not in decoded
    assert b"_right" not in decoded
    tests = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-tests"
    )
    assert any(o.output_type == "error" for o in tests.outputs), "a printed 'passed' earns nothing"


def test_json_records_carry_the_status_and_reason(graded: Graded) -> None:
    records = {r["student"]: r for r in graded.run.to_json()}
    record = records["transformer-post"]
    assert record["status"] == "suspicious"
    assert any(m.endswith(ATTACKS["transformer-post"][1]) for m in record["messages"])
    assert json.loads(json.dumps(records))["honest"]["status"] == "graded"


def test_plain_nbgrader_is_forged_by_the_same_cell(tmp_path: Path, graded: Graded) -> None:
    """The control that makes the attack tests able to fail: one kernel, the transformer wins."""
    from nbclient import NotebookClient

    nb = graded.autograded("transformer-post")
    sanitized = nbformat.read(
        graded.course / "submitted" / "transformer-post" / A1 / f"{A1}.ipynb", as_version=4
    )
    source = nbformat.read(source_path(A1), as_version=4)
    tests = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }
    for cell in sanitized.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            cell.source = tests[grade_id]
    client = NotebookClient(sanitized, timeout=60, allow_errors=True, kernel_name="python3")
    client.execute(cwd=str(tmp_path))
    failed = [
        c.metadata["nbgrader"]["grade_id"]
        for c in sanitized.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in tests
        and any(o.output_type == "error" for o in c.outputs)
    ]
    assert failed == [], "in one shared kernel the transformer hides every failure"
    two_phase_failed = [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in tests
        and any(o.output_type == "error" for o in c.outputs)
    ]
    assert two_phase_failed == list(tests), "two phases fail every unanswered test"


def test_the_terminal_table_says_what_to_look_at(graded: Graded) -> None:
    table = graded.run.table()
    line = next(x for x in table.splitlines() if x.startswith("look at transformer-post: "))
    assert ATTACKS["transformer-post"][1] in line
    assert not any(x.startswith("look at honest:") for x in table.splitlines())


def test_objects_that_claim_to_equal_anything_are_recorded_as_their_data(graded: Graded) -> None:
    got = graded.result("always-equal")
    assert (got.score, got.status) == (0.0, "graded")
    nb = graded.autograded("always-equal")
    q1 = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-tests")
    assert any(o.output_type == "error" for o in q1.outputs)
