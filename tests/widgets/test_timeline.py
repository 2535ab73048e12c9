"""TimelineExplorer filters events in place and lists them with their sources (no kernel).

The widget reads the 45 events of ``tests/fixtures/widget_data`` (none in 1946-1947).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coursekit.widgets import TimelineExplorer


def test_initial_state_lists_everything(widget_data: Path) -> None:
    w = TimelineExplorer(data_path=widget_data)
    assert w.value["trilaterals"] is None
    assert w.value["years"] == (1945, date.today().year)
    assert len(w.matches) == 45
    assert w.table_view.value.count("<tr>") == 41  # header + first 40 rows


def test_tag_filter_updates_rows_and_status(widget_data: Path) -> None:
    w = TimelineExplorer(data_path=widget_data)
    w.tag_picker.value = "cyber"
    assert w.value["tags"] == "cyber"
    assert all("cyber" in tags.split(";") for tags in w.matches["tags"])
    assert f"{len(w.matches)} matching event(s)" in w.status.value
    assert "E031" in w.table_view.value


def test_filters_combine_and_sources_are_linked(widget_data: Path) -> None:
    w = TimelineExplorer(data_path=widget_data)
    w.trilateral_picker.value = "US-JP-ROK"
    w.text_box.value = "working group"
    assert set(w.matches["id"]) == {"E031", "E032"}
    assert 'href="https://www.state.gov/' in w.table_view.value
    assert "7 December 2023" in w.table_view.value


def test_no_match_clears_chart(widget_data: Path) -> None:
    w = TimelineExplorer(data_path=widget_data)
    w.year_slider.value = (1946, 1947)
    assert len(w.matches) == 0
    assert w.chart.outputs == ()
    assert "0 matching" in w.status.value


def test_table_escapes_text(widget_data: Path) -> None:
    w = TimelineExplorer(data_path=widget_data)
    w.text_box.value = "Kim Dae-jung-Obuchi"
    assert "A36" in w.table_view.value
    assert "<script" not in w.table_view.value
