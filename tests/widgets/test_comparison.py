"""TrilateralComparison updates its state, chart and table when a control changes (no kernel).

The widgets read the fixture data of ``tests/fixtures/widget_data`` (its README gives the counts).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coursekit import charts
from coursekit.widgets import TrilateralComparison


def test_initial_state(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    assert w.value == {
        "trilaterals": ("US-JP-ROK", "CN-JP-ROK"),
        "indicator": "leaders_meetings",
        "years": (1995, date.today().year),
    }
    assert w.table.loc["US-JP-ROK", "Total meetings"] == 4  # 2014, 2022, 2023, 2024
    assert "Leaders' meetings" in w.status.value
    (output,) = w.chart.outputs
    assert charts.LAB_MIMETYPE in output["data"]


def test_changing_indicator_updates_table_and_status(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    before = w.table_view.value
    w.indicator_picker.value = "leaders_standalone"
    assert w.value["indicator"] == "leaders_standalone"
    assert w.table.loc["US-JP-ROK", "Total summits"] == 1  # Camp David
    assert w.table.loc["CN-JP-ROK", "Total summits"] == 3
    assert w.table_view.value != before
    assert "Standalone leaders' summits" in w.status.value


def test_year_range_and_trilaterals(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    w.year_slider.value = (2022, 2024)
    assert list(w.frame.index) == [2022, 2023, 2024]
    w.trilateral_picker.value = ("US-JP-ROK", "QUAD", "AUKUS")
    assert list(w.frame.columns) == ["US-JP-ROK", "QUAD", "AUKUS"]
    assert w.table.loc["QUAD", "Total meetings"] == 3  # two in 2022, one in 2024


def test_fewer_than_two_trilaterals_asks_for_more(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    w.trilateral_picker.value = ("QUAD",)
    assert "at least two" in w.status.value
    assert w.table.empty
    assert w.chart.outputs == ()


def test_opinion_indicator_uses_one_survey(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    w.indicator_picker.value = "opinion:genron-good"
    assert list(w.table.index) == ["JP on KR", "KR on JP"]
    assert w.table.loc["KR on JP", "Latest"] == "28.9% (2023)"
    assert "one survey only" in w.status.value


def test_html_renderer_embeds_for_the_book(widget_data: Path) -> None:
    w = TrilateralComparison(renderer="html", data_path=widget_data)
    (output,) = w.chart.outputs
    assert "window.vegaEmbed" in output["data"]["text/html"]
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "window.vegaEmbed" in bundle["text/html"]
    assert "<table>" in bundle["text/html"]


def test_unknown_renderer_is_rejected(widget_data: Path) -> None:
    with pytest.raises(ValueError, match="unknown renderer"):
        TrilateralComparison(renderer="svg", data_path=widget_data)  # type: ignore[arg-type]


def test_active_mechanisms_report_the_last_year_never_mechanism_years(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    w.indicator_picker.value = "mechanisms_active"
    last = w.value["years"][1]
    column = f"Mechanisms active in {last}"
    for group in ("US-JP-ROK", "CN-JP-ROK"):
        assert w.table.loc[group, column] == w.frame.loc[last, group]
        summed = int(w.frame[group].sum())
        assert summed > w.frame.loc[last, group]  # a sum would be mechanism-years
        assert f"{group} {summed}" not in w.status.value
    assert f"Mechanisms active in {last}:" in w.status.value
    assert "Total" not in "".join(map(str, w.table.columns))


def test_the_status_and_table_name_the_unit(widget_data: Path) -> None:
    w = TrilateralComparison(data_path=widget_data)
    total = int(w.frame["US-JP-ROK"].sum())
    assert total > 0
    assert f"Total meetings held: US-JP-ROK {total};" in w.status.value
    assert "<th>Total meetings</th>" in w.table_view.value
    w.indicator_picker.value = "opinion:genron-good"
    assert "latest (% of respondents)" in w.status.value
