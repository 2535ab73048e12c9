"""The comparison counts, recomputed from the data, match an official list of leaders' meetings.

Table 6.1 and the comparison widget both count leaders' meetings per trilateral and year through
``coursekit.analysis.compare``; a meeting missing from ``meetings.csv`` silently lowers those
counts. The fixture in ``tests/fixtures/official_meetings`` lists meetings as official records
report them, each with its source, and says for which years the list is complete.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from coursekit import analysis
from coursekit.data import events, indicators, mechanisms, meetings
from coursekit.data._indicators import derive_indicators

from .test_sources import banned_kind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "official_meetings"
INDICATOR_FOR_FORMATS = {
    "any": "leaders_meetings",
    "standalone": "leaders_standalone",
    "sidelines": "leaders_sidelines",
    "virtual": "leaders_virtual",
}


def _read(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


LEADERS = _read("leaders.csv")
COVERAGE = _read("coverage.csv")


def _label(row: dict[str, str]) -> str:
    return f"{row['trilateral']} {row['date']} ({row['place']})"


def test_fixture_rows_cite_a_followable_source() -> None:
    for row in [*LEADERS, *COVERAGE]:
        assert row["source"].strip(), f"fixture row without a source: {row}"
        for field in ("source", "source_url"):
            kind = banned_kind(row.get(field) or "")
            assert kind is None, f"fixture row cites a {kind}: {row}"
    assert len({(r["trilateral"], r["date"]) for r in LEADERS}) == len(LEADERS)


@pytest.mark.parametrize("official", LEADERS, ids=_label)
def test_official_meeting_is_in_the_data(official: dict[str, str]) -> None:
    mt = meetings()
    rows = mt[(mt["trilateral"] == official["trilateral"]) & (mt["level"] == "leaders")]
    when = pd.Timestamp(official["date"])
    same_year = rows[rows["year"] == when.year]
    assert len(same_year), f"meetings.csv lacks the leaders' meeting {_label(official)}"
    exact = same_year[(same_year["date"] == when) & (same_year["date_precision"] == "day")]
    assert len(exact) == 1, (
        f"{_label(official)}: meetings.csv has {same_year['date'].dt.date.tolist()} at "
        f"{same_year['date_precision'].tolist()} precision, not this day"
    )
    assert exact.iloc[0]["format"] == official["format"], (
        f"{_label(official)}: format {exact.iloc[0]['format']!r} in meetings.csv, "
        f"{official['format']!r} in the official record"
    )


@pytest.mark.parametrize("span", COVERAGE, ids=lambda s: f"{s['trilateral']}-{s['formats']}")
def test_per_year_counts_match_the_official_list(span: dict[str, str]) -> None:
    group, formats = span["trilateral"], span["formats"]
    first, last = int(span["first_year"]), int(span["last_year"])
    indicator = INDICATOR_FOR_FORMATS[formats]
    ours = analysis.compare(indicators(), [group], indicator, (first, last))[group]
    listed = Counter(
        pd.Timestamp(r["date"]).year
        for r in LEADERS
        if r["trilateral"] == group and formats in ("any", r["format"])
    )
    wrong = {
        year: (int(ours.loc[year]), listed.get(year, 0))
        for year in range(first, last + 1)
        if int(ours.loc[year]) != listed.get(year, 0)
    }
    assert not wrong, (
        f"{group} {indicator}: (data, official list) differ in {wrong}; "
        "add the missing meeting to meetings.csv or correct the list with its source"
    )


def test_a_missing_meeting_fails_the_count() -> None:
    """Dropping one official meeting from a copy of the data changes the recomputed count."""
    mt = meetings()
    brisbane = (mt["trilateral"] == "US-JP-AU") & (mt["date"] == pd.Timestamp("2014-11-16"))
    assert brisbane.sum() == 1
    fewer = derive_indicators(events(), mt[~brisbane], mechanisms())
    table = analysis.compare(fewer, ["US-JP-AU"], "leaders_meetings", (2007, 2014))
    assert table.loc[2014, "US-JP-AU"] == 0
    full = analysis.compare(indicators(), ["US-JP-AU"], "leaders_meetings", (2007, 2014))
    assert full.loc[2014, "US-JP-AU"] == 1
