"""The timeline appendix's generator: every year on the axis, only reader-facing fields, filters."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from coursekit.book.timeline import (
    READER_FIELDS,
    decades,
    timeline_sections,
    timeline_years,
    visual_timeline,
)
from coursekit.data import SCHEMAS, events


def _axis_years(markup: str) -> list[int]:
    return [int(y) for y in re.findall(r'<li class="ck-vtl-year" data-year="(\d{4})"', markup)]


def _details(markup: str) -> dict[str, dict[str, str]]:
    found = re.search(r'<script type="application/json" class="ck-vtl-data">(.*?)</script>', markup)
    assert found, "the timeline carries its events' details as JSON"
    parsed: dict[str, dict[str, str]] = json.loads(found.group(1))
    return parsed


def _with_late_event(year: int) -> pd.DataFrame:
    frame = events().head(3).copy()
    frame.loc[frame.index[-1], "date"] = pd.Timestamp(year=year, month=2, day=1)
    frame.loc[frame.index[-1], "date_precision"] = "month"
    return frame


def test_every_year_from_1945_to_the_latest_in_the_data_is_on_the_axis() -> None:
    ev = events()
    last = int(ev["date"].dt.year.max())
    markup = visual_timeline(ev).data
    assert _axis_years(markup) == list(range(1945, last + 1))
    assert f'data-first="1945" data-last="{last}"' in markup


def test_the_span_follows_the_data_past_any_fixed_end_year() -> None:
    frame = _with_late_event(2026)
    assert timeline_years(frame) == (1945, 2026)
    markup = visual_timeline(frame).data
    assert _axis_years(markup) == list(range(1945, 2027))
    assert "All decades, 1945–2026" in markup
    assert [d for d, _ in decades(1945, 2026)] == list(range(1940, 2030, 10))
    assert decades(1945, 2026)[0][1] == [1945, 1946, 1947, 1948, 1949]
    assert decades(1945, 2026)[-1][1] == list(range(2020, 2027))


def test_one_marker_per_event_in_its_decade_band() -> None:
    ev = events()
    markup = visual_timeline(ev).data
    bands = re.split(r'(?=<div class="ck-vtl-band")', markup)[1:]
    seen: dict[str, int] = {}
    for band in bands:
        decade = int(re.search(r'data-decade="(\d{4})"', band).group(1))  # type: ignore[union-attr]
        for eid in re.findall(r'class="ck-vtl-event[^"]*" tabindex="-1" data-id="(\w+)"', band):
            seen[eid] = decade
    expected = {str(i): int(d.year) // 10 * 10 for i, d in zip(ev["id"], ev["date"], strict=True)}
    assert seen == expected


def test_production_notes_never_reach_the_page() -> None:
    frame = events().head(5).copy()
    frame["note"] = "INTERNAL: facts.md section H, not retrieved"
    frame["confidence"] = "low"
    markup = visual_timeline(frame).data + timeline_sections(frame).data
    assert "INTERNAL" not in markup
    assert "facts.md" not in markup
    real = events()
    page = visual_timeline(real).data + timeline_sections(real).data
    for note in real["note"].dropna():
        if len(note) > 20:
            assert html_text(note) not in page, f"a data note reached the page: {note[:60]}"


def html_text(value: str) -> str:
    """``value`` as it would appear escaped in the markup."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_only_reader_facing_fields_are_shown() -> None:
    assert "note" not in READER_FIELDS
    assert "confidence" not in READER_FIELDS
    assert set(READER_FIELDS) <= set(SCHEMAS["events"].names)
    details = _details(visual_timeline(events()).data)
    keys = {key for entry in details.values() for key in entry}
    assert keys == {"date", "title", "group", "category", "tone", "description", "source", "url"}


def test_filter_attributes_name_the_grouping_and_every_pair() -> None:
    ev = events()
    markup = visual_timeline(ev).data
    rel = dict(re.findall(r'data-id="(\w+)" data-rel="([^"]*)"', markup))
    for row in ev.itertuples():
        values = rel[row.id].split()
        assert f"t:{row.trilateral}" in values
        actors = set(str(row.actors).split(";"))
        assert ("p:JP-KR" in values) == ({"JP", "KR"} <= actors)
        assert ("p:US-JP" in values) == ({"US", "JP"} <= actors)
    options = re.findall(r'<option value="(p:[A-Z]{2}-[A-Z]{2})">', markup)
    assert options[:3] == ["p:US-JP", "p:US-KR", "p:JP-KR"]  # the course's three pairs first
    assert len(options) == len(set(options)) > 3


def test_every_filter_is_a_labelled_form_control() -> None:
    markup = visual_timeline(events()).data
    for name in ("relationship", "category", "tone", "decade"):
        assert f'<label for="ck-vtl-{name}">' in markup
        assert f'<select id="ck-vtl-{name}" name="{name}">' in markup
    tones = re.findall(r'<select id="ck-vtl-tone".*?</select>', markup)[0]
    assert re.findall(r'<option value="(\w*)">', tones) == [
        "",
        "cooperation",
        "friction",
        "neutral",
    ]


def test_text_is_escaped_and_the_json_cannot_close_its_script() -> None:
    frame = events().head(2).copy()
    frame.loc[frame.index[0], "title"] = "A </script><b>bold</b> & title"
    markup = visual_timeline(frame).data
    assert "<b>bold</b>" not in markup
    assert markup.count("</script>") == 1
    assert _details(markup)[str(frame["id"].iloc[0])]["title"] == "A </script><b>bold</b> & title"


def test_the_tables_link_sources_and_anchor_each_row() -> None:
    ev = events()
    tables = timeline_sections(ev).data
    for row in ev.itertuples():
        assert f'<tr id="ck-event-{row.id}">' in tables
    with_url = ev[ev["source_url"].fillna("").str.startswith("http")]
    assert len(with_url) > 0
    first = with_url.iloc[0]
    assert f'<a href="{first["source_url"]}">' in tables
    assert '<th scope="col">Note</th>' not in tables


@pytest.mark.parametrize("year", [1945, 2024])
def test_a_single_year_of_data_still_draws_its_decade(year: int) -> None:
    frame = events().head(1).copy()
    frame["date"] = pd.Timestamp(year=year, month=6, day=1)
    markup = visual_timeline(frame).data
    assert _axis_years(markup)[0] == 1945
    assert _axis_years(markup)[-1] == max(1945, year)
