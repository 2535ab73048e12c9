"""a2's hidden quotation test: each quotation must state its premise and the three must differ.

The repository has no copy of the article, so the graded scenarios score every quotation 0
(see ``without_article``). Here the hidden part of a2's ``q5-tests`` runs against a small
stand-in article that holds the three quotations of the instructor's solution among
invented sentences, so the rules on key words and repeats can be seen to decide.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from coursekit import checks
from coursekit.checks import quotes as quote_module
from tests.assignments.nbcourse import source_path
from tests.assignments.test_hidden_tests import hidden_parts

STAKE = (
    "the United States is without a direct stake in the contemporary debate over history "
    "and identity"
)
DISPUTED = "Building a united front against China remains a disputed second objective"
VOTE = "China necessarily gets a vote on the future evolution of the region"
FILLER = " ".join(f"filler{i}" for i in range(120))
STAND_IN = (
    f"[opening]\nThe invented opening sentence talks about allies and meetings. {STAKE}. "
    f"Another invented sentence follows it here. {DISPUTED}.\n"
    f"[recommendation 1]\n{FILLER}\n"
    f"[conclusion]\nA closing invented line about the region. {VOTE}.\n"
)


def hidden_q5() -> str:
    nb = nbformat.read(source_path("a2-argument-map"), as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q5-tests"]
    return hidden_parts(cell.source)[1]


@pytest.fixture
def stand_in_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quote_module, "_IN_USE", None)
    path = tmp_path / "article.txt"
    path.write_text(STAND_IN, encoding="utf-8")
    quote_module.use_article(path)


def passed(answer: dict[str, str]) -> dict[str, bool]:
    namespace: dict[str, object] = {"checks": checks, "quotes": answer}
    exec(hidden_q5(), namespace)  # noqa: S102 (the instructor's own test cell)
    results = namespace["_results"]
    return {r.name: r.passed for r in results}  # type: ignore[attr-defined]


RIGHT = {"no-direct-stake": STAKE, "disputed-objective": DISPUTED, "china-gets-a-vote": VOTE}


@pytest.mark.usefixtures("stand_in_article")
@pytest.mark.parametrize(
    ("answer", "failing"),
    [
        (RIGHT, set()),
        # one quotation given for two premises: the copy lacks "direct stake", both fail
        ({**RIGHT, "no-direct-stake": DISPUTED}, {"no-direct-stake", "disputed-objective"}),
        # a real sentence of the opening that does not state the premise
        (
            {**RIGHT, "no-direct-stake": "Another invented sentence follows it here"},
            {"no-direct-stake"},
        ),
        # the key words, but not the article's wording
        (
            {**RIGHT, "china-gets-a-vote": "Beijing gets a vote on what the region does"},
            {"china-gets-a-vote"},
        ),
    ],
)
def test_quotation_must_state_its_premise_and_differ(
    answer: dict[str, str], failing: set[str]
) -> None:
    result = passed(answer)
    assert {name.split("'")[1] for name, ok in result.items() if not ok} == failing
