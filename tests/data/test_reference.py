"""Every events row with a facts.md id agrees with the facts.md date, at its stated precision."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from coursekit.data import events

REFERENCE = Path(__file__).resolve().parent.parent / "fixtures" / "reference_facts.csv"
_WIDTH = {"day": 10, "month": 7, "year": 4}


def _reference() -> list[tuple[str, str]]:
    with REFERENCE.open(newline="", encoding="utf-8") as f:
        return [(r["id"], r["date"]) for r in csv.DictReader(f)]


def test_reference_covers_tables_a_b_c() -> None:
    ids = [i for i, _ in _reference()]
    assert len(ids) == 128
    assert len(set(ids)) == 128


@pytest.mark.parametrize(("event_id", "facts_date"), _reference())
def test_event_date_matches_facts(event_id: str, facts_date: str) -> None:
    ev = events().set_index("id")
    assert event_id in ev.index, f"{event_id} from facts.md is missing from events.csv"
    row = ev.loc[event_id]
    precision = str(row["date_precision"])
    ours = row["date"].strftime("%Y-%m-%d")[: _WIDTH[precision]]
    # A range such as '2020-2023' is stored as its first year.
    theirs = facts_date.split("-")[0] if len(facts_date) == 9 else facts_date
    # A finer date than the reference's is allowed when a cited source gives the day; it must
    # still agree with the reference as far as the reference goes.
    width = min(len(theirs), _WIDTH[precision])
    assert ours[:width] == theirs[:width], f"{event_id}: {ours} vs facts.md {facts_date}"
    if len(theirs) > _WIDTH[precision]:
        note = row["note"] if isinstance(row["note"], str) else ""
        assert re.search(r"\b(day|month)\b", note), (
            f"{event_id}: coarser than facts.md; the note must tell readers the day is uncertain"
        )
        assert re.search(r"not (confirmed|given)|only the (month|year)|differ", note), (
            f"{event_id}: coarser than facts.md; the note must tell readers the day is uncertain"
        )
