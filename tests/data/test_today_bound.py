"""The data run to the present: no fixed last year, but nothing dated after today."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from coursekit.data import YEAR_MAX, DataError, events, indicators, mechanisms, meetings, opinion
from coursekit.data._loaders import data_dir
from coursekit.data._schema import EVENTS, OPINION
from coursekit.data._validate import read_table
from tests.data.conftest import EditCell


def test_the_last_year_is_the_current_year() -> None:
    assert date.today().year == YEAR_MAX
    years = indicators()["year"]
    assert int(years.max()) == date.today().year


def test_packaged_data_stop_at_today() -> None:
    today = date.today()
    for frame, column in (
        (events(), "date"),
        (meetings(), "date"),
        (mechanisms(), "start"),
    ):
        assert frame[column].max().date() <= today
    assert int(opinion()["year"].max()) <= today.year


def test_packaged_events_reach_2025_and_2026() -> None:
    years = set(events()["year"].dropna().astype(int))
    assert {2025, 2026} <= years, "the events stop before the present"


def test_a_day_after_today_is_an_error(edit_cell: EditCell) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    folder = edit_cell("events.csv", 3, "date", tomorrow)
    with pytest.raises(DataError) as exc:
        events(folder)
    msg = str(exc.value)
    assert "events.csv, line 5, column 'date'" in msg
    assert f"'{tomorrow}' is after today" in msg
    assert "correct the date" in msg


def test_today_itself_is_allowed(edit_cell: EditCell) -> None:
    last = events()["date"].max()
    folder = edit_cell("events.csv", 3, "date", date.today().isoformat())
    ev = events(folder)
    assert ev["date"].max().date() == date.today() >= last.date()


def test_next_year_at_year_precision_is_an_error(edit_cell: EditCell) -> None:
    folder = edit_cell("mechanisms.csv", 2, "start", str(date.today().year + 1))
    edit_cell("mechanisms.csv", 2, "start_precision", "year")
    with pytest.raises(DataError, match=r"mechanisms.csv, line 4, column 'start'.*after today"):
        mechanisms(folder)


def test_an_opinion_year_after_this_year_is_an_error(edit_cell: EditCell) -> None:
    folder = edit_cell("opinion.csv", 0, "year", str(date.today().year + 1))
    with pytest.raises(DataError) as exc:
        opinion(folder)
    msg = str(exc.value)
    assert "opinion.csv, line 2, column 'year'" in msg
    assert "after the current year" in msg


def _one_event(tmp_path: Path, date_text: str, precision: str) -> Path:
    """An events.csv holding the first packaged event, redated to ``date_text``."""
    path = tmp_path / "events.csv"
    lines = (data_dir() / EVENTS.file).read_text(encoding="utf-8").splitlines(keepends=True)
    row = lines[1].split(",")
    row[1:3] = [date_text, precision]
    path.write_text(lines[0] + ",".join(row), encoding="utf-8")
    return path


def test_the_bound_follows_the_date_given(tmp_path: Path) -> None:
    """The same file passes or fails depending on which day counts as today."""
    path = _one_event(tmp_path, "2025-06-04", "day")
    assert len(read_table(path, EVENTS, today=date(2025, 6, 4))) == 1
    with pytest.raises(DataError, match=r"line 2, column 'date'.*after today \(2025-06-03\)"):
        read_table(path, EVENTS, today=date(2025, 6, 3))


def test_a_month_counts_from_its_first_day(tmp_path: Path) -> None:
    path = _one_event(tmp_path, "2025-06", "month")
    assert len(read_table(path, EVENTS, today=date(2025, 6, 1))) == 1
    with pytest.raises(DataError, match=r"'2025-06' is after today \(2025-05-31\)"):
        read_table(path, EVENTS, today=date(2025, 5, 31))


def test_an_opinion_year_counts_from_january(tmp_path: Path) -> None:
    path = tmp_path / "opinion.csv"
    text = (data_dir() / OPINION.file).read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(text[:2]), encoding="utf-8")
    year = int(text[1].split(",")[0])
    assert len(read_table(path, OPINION, today=date(year, 1, 1))) == 1
    with pytest.raises(DataError, match=rf"year {year} is after the current year \({year - 1}\)"):
        read_table(path, OPINION, today=date(year - 1, 12, 31))
