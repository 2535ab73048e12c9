"""The synthetic class of the demo and the benchmark."""

from __future__ import annotations

import json

from coursekit.grading.synthetic import synthetic_class, wrong_answer
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT


def test_wrong_answer_runs_and_unsets_every_name() -> None:
    text = wrong_answer("def f(x):\n    return x\ny = 2\nz: int = 3")
    namespace: dict[str, object] = {}
    exec(text, namespace)
    assert namespace["f"] is None and namespace["y"] is None and namespace["z"] is None
    assert wrong_answer("this is ( not python") == "# (no answer)\n"


def test_class_of_varied_quality_same_seed_same_class(released: FixtureCourse) -> None:
    source = released.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    made = synthetic_class(source=source, release=released.release_nb, students=8)
    assert [s.student for s in made] == [f"student{i:02d}" for i in range(1, 9)]
    assert made[0].kind == "correct" and made[-1].kind == "broken" and made[-2].kind == "blank"
    assert {s.kind for s in made[1:-2]} <= {"correct", "partial"}
    first = json.loads(made[0].text)
    assert any("return 2 * x" in "".join(c["source"]) for c in first["cells"])
    assert made[-2].text == released.release_nb.read_text()
    again = synthetic_class(source=source, release=released.release_nb, students=8)
    assert [s.text for s in again] == [s.text for s in made]
