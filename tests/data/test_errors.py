"""Bad data raises DataError naming the file, line and column, and saying what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.data import DataError, events, mechanisms, meetings, opinion
from tests.data.conftest import EditCell


def _one(exc: pytest.ExceptionInfo[DataError]) -> str:
    assert len(exc.value.problems) >= 1
    return str(exc.value)


def test_bad_date(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 4, "date", "1948-02-30")
    with pytest.raises(DataError) as exc:
        events(folder)
    msg = _one(exc)
    assert "events.csv, line 6, column 'date'" in msg
    assert "not a real date" in msg


def test_date_not_matching_precision(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 0, "date_precision", "month")
    with pytest.raises(DataError, match=r"line 2, column 'date'.*write it as YYYY-MM"):
        events(folder)


def test_date_out_of_range(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 0, "date", "1931-09-18")
    with pytest.raises(DataError, match=r"line 2, column 'date'.*outside the course range"):
        events(folder)


def test_duplicate_id(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 1, "id", "A01")
    with pytest.raises(DataError) as exc:
        events(folder)
    msg = _one(exc)
    assert "line 3, column 'id'" in msg
    assert "duplicates line 2" in msg


def test_unknown_vocabulary(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 2, "category", "skirmish")
    with pytest.raises(DataError, match=r"line 4, column 'category'.*'skirmish'.*one of:"):
        events(folder)


def test_unknown_tag(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 2, "tags", "history;space")
    with pytest.raises(DataError, match=r"line 4, column 'tags'.*'space'"):
        events(folder)


def test_empty_source(edit_cell: EditCell) -> None:
    folder = edit_cell("meetings.csv", 3, "source", "")
    with pytest.raises(DataError) as exc:
        meetings(folder)
    msg = _one(exc)
    assert "meetings.csv, line 5, column 'source'" in msg
    assert "is empty" in msg


def test_percentage_out_of_range(edit_cell: EditCell) -> None:
    folder = edit_cell("opinion.csv", 0, "value", "112.2")
    with pytest.raises(DataError) as exc:
        opinion(folder)
    msg = _one(exc)
    assert "opinion.csv, line 2, column 'value'" in msg
    assert "between 0 and 100" in msg


def test_broken_event_link(edit_cell: EditCell) -> None:
    folder = edit_cell("meetings.csv", 0, "event_id", "A00")
    with pytest.raises(DataError, match=r"meetings.csv, line 2, column 'event_id'.*'A00'"):
        meetings(folder)


def test_mechanism_status_needs_end(edit_cell: EditCell) -> None:
    folder = edit_cell("mechanisms.csv", 0, "end", "")
    folder = edit_cell("mechanisms.csv", 0, "end_precision", "")
    with pytest.raises(DataError, match=r"mechanisms.csv, line 2, column 'end'.*needs an end"):
        mechanisms(folder)


def test_missing_and_unknown_column(data_copy: Path) -> None:
    path = data_copy / "opinion.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("confidence,note\n", "confidence,notes\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        opinion(path)
    msg = str(exc.value)
    assert "opinion.csv, line 1, column 'note': column is missing" in msg
    assert "column 'notes': unknown column" in msg


def test_all_problems_are_listed(edit_cell: EditCell) -> None:
    edit_cell("events.csv", 0, "tone", "hostile")
    folder = edit_cell("events.csv", 1, "confidence", "certain")
    with pytest.raises(DataError) as exc:
        events(folder)
    assert [(p.line, p.column) for p in exc.value.problems] == [(2, "tone"), (3, "confidence")]


def test_fixed_file_loads_again(edit_cell: EditCell) -> None:
    folder = edit_cell("events.csv", 0, "tone", "hostile")
    with pytest.raises(DataError):
        events(folder)
    edit_cell("events.csv", 0, "tone", "neutral")
    assert len(events(folder)) >= 160
