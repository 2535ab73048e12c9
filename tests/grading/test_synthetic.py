"""The synthetic class of the demo and the benchmark."""

from __future__ import annotations

import json
import random

from coursekit.grading.synthetic import synthetic_class, wrong_answer
from coursekit.grading.synthetic_written import ANSWERS, written_answer
from tests.conftest import REPO
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT


def test_wrong_answer_runs_and_unsets_every_name() -> None:
    text = wrong_answer("def f(x):\n    return x\ny = 2\nz: int = 3")
    namespace: dict[str, object] = {}
    exec(text, namespace)  # noqa: S102 (the generator's own output)
    assert namespace["f"] is None
    assert namespace["y"] is None
    assert namespace["z"] is None
    assert wrong_answer("this is ( not python") == "# (no answer)\n"


def test_class_of_varied_quality_same_seed_same_class(released: FixtureCourse) -> None:
    source = released.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    made = synthetic_class(source=source, release=released.release_nb, students=8)
    assert [s.student for s in made] == [f"student{i:02d}" for i in range(1, 9)]
    assert made[0].kind == "correct"
    assert made[-1].kind == "broken"
    assert made[-2].kind == "blank"
    assert {s.kind for s in made[1:-2]} <= {"correct", "partial"}
    first = json.loads(made[0].text)
    assert any("return 2 * x" in "".join(c["source"]) for c in first["cells"])
    assert made[-2].text == released.release_nb.read_text()
    again = synthetic_class(source=source, release=released.release_nb, students=8)
    assert [s.text for s in again] == [s.text for s in made]


def test_written_answers_are_students_answers_never_the_rubric() -> None:
    source = REPO / "assignments" / "a2-argument-map" / "a2-argument-map.ipynb"
    made = synthetic_class(source=source, release=source, students=12)
    levels = [s.written.get("critique-written") for s in made]
    assert levels[0] == "good"
    assert {"good", "fair"} <= set(levels)
    assert made[-1].written == {}
    assert made[-2].written == {}
    texts = []
    for synthetic in made[:-2]:
        if "critique-written" not in synthetic.written:
            continue
        cell = next(
            c
            for c in json.loads(synthetic.text)["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade_id") == "critique-written"
        )
        texts.append("".join(cell["source"]))
    assert len(texts) >= 6
    for text in texts:
        assert "BEGIN SOLUTION" not in text
        assert "Rubric" not in text
        assert "Model answer" not in text
        assert "|---|" not in text
    assert len(set(texts)) == len(texts), "two synthetic students wrote the same answer"


def test_an_exhausted_pool_stitches_two_answers_without_repeating() -> None:
    rng = random.Random(1)
    used: set[str] = set()
    given = [written_answer("critique-written", "good", used, rng) for _ in range(8)]
    assert len(set(given)) == 8
    assert given[2] not in ANSWERS["critique-written"]["good"]
    assert given[2].startswith(tuple(a[:40] for a in ANSWERS["critique-written"]["good"])) or any(
        a.split(". ")[0] in given[2] for a in ANSWERS["critique-written"]["good"]
    )
