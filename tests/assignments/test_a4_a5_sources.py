"""Static checks of a4 and a5 that the shared source tests do not make (fast: data only).

Every known mistake of the two tables has a golden scenario that shows its hint; the lists
students choose from do not give the answer away by their order; and a5's questions about
the latest record can still be answered from the course data.
"""

from __future__ import annotations

from typing import Any

import pytest

from coursekit import data
from coursekit.checks.hints import known_wrong_table
from tests.assignments.nbcourse import cells_by_id, read_notebook, source_path
from tests.assignments.scenarios import _A4_RESPONDS, SCENARIOS

A4, A5 = "a4-policy-memo", "a5-after-the-article"


def givens(assignment: str, grade_id: str) -> dict[str, Any]:
    """The constants an instructor cell of ``assignment`` defines (it holds literals only)."""
    found: dict[str, Any] = {}
    exec(cells_by_id(read_notebook(source_path(assignment)))[grade_id].source, {}, found)  # noqa: S102
    return found


@pytest.mark.parametrize("assignment", [A4, A5])
def test_every_known_mistake_has_a_golden_scenario(assignment: str) -> None:
    table = known_wrong_table(assignment)
    hints = {m.hint for mistakes in table.values() for m in mistakes}
    assert hints == {s.hint for s in SCENARIOS[assignment].values() if s.hint}


def test_a4_lists_do_not_give_the_answer_away() -> None:
    dates = data.events().set_index("id")["date"]
    candidates = givens(A4, "partA-given")["CANDIDATES"]
    when = [dates[i] for i in candidates]
    assert when not in (sorted(when), sorted(when, reverse=True))
    measures = givens(A4, "partC-given")["MEASURES"]
    when = [dates[i] for i in measures]
    assert when not in (sorted(when), sorted(when, reverse=True))
    triggers = list(givens(A4, "partC-given")["TRIGGERS"])
    assert sorted(measures) == sorted(_A4_RESPONDS)
    assert set(_A4_RESPONDS.values()) <= set(triggers)
    # copying TRIGGERS in the order given matches no measure to its trigger
    assert not any(_A4_RESPONDS[m] == t for m, t in zip(measures, triggers, strict=False))


# the event each trigger of a4's Part C stands for (the 2010 detention is part of B08's row)
_TRIGGER_EVENTS = {
    "radar-2018": "A63",
    "taiwan-remark": "E056",
    "export-curbs": "A65",
    "new-prime-minister": "E055",
    "radar-2025": "E059",
    "court-rulings": "A62",
}


def test_a4_nearest_earlier_trigger_does_not_earn_full_marks() -> None:
    """Date order alone (each measure's latest earlier trigger) must not solve Part C."""
    dates = data.events().set_index("id")["date"]
    triggers = givens(A4, "partC-given")["TRIGGERS"]
    assert set(triggers) == {*_TRIGGER_EVENTS, "captain-detained"}
    when = {t: dates[e] for t, e in _TRIGGER_EVENTS.items()}
    when["captain-detained"] = dates["B08"]  # the same month as the halt
    right = 0
    for measure, answer in _A4_RESPONDS.items():
        earlier = {t: d for t, d in when.items() if d <= dates[measure]}
        nearest = max(earlier, key=lambda t: earlier[t])
        right += nearest == answer
    assert right <= 3, right


def test_a5_lists_do_not_give_the_answer_away() -> None:
    dates = data.events().set_index("id")["date"]
    episodes = givens(A5, "partA1-given")["EPISODES"]
    when = [dates[i] for i in episodes]
    assert when not in (sorted(when), sorted(when, reverse=True))
    outcomes = givens(A5, "partB-given")["OUTCOMES"]
    assert outcomes[0] != "happened"
    assert outcomes[-1] != "happened"


def test_a5_latest_record_has_evidence_for_every_prediction() -> None:
    """Each Part B row can meet 'one event from 2025 or later' from the data as they stand."""
    events = data.events()
    rows = [
        (set(str(r.actors).split(";")), set(str(r.tags).split(";")), str(r.tone), str(r.trilateral))
        for r in events[events["date"] >= "2025-01-01"].itertuples()
    ]
    three = {"US", "JP", "KR"}
    assert any(three <= a and tone == "cooperation" for a, _, tone, _ in rows)
    assert any("CN" in a and "china" in t and tone == "friction" for a, t, tone, _ in rows)
    assert any("democracy" in t and group == "none" for _, t, _, group in rows)
    assert any("north-korea" in t and (three <= a or "KP" in a) for a, t, _, _ in rows)
    assert any(len(a & three) >= 2 and "critical-inputs" in t for a, t, _, _ in rows)
    # and 2025 has US-Japan-ROK meetings to count for A2
    meetings = data.meetings()
    assert ((meetings["trilateral"].astype(str) == "US-JP-ROK") & (meetings["year"] == 2025)).any()
