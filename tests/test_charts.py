"""coursekit.charts: chart specs, the static interactive comparison and offline embedding."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest
from IPython.display import HTML

from coursekit import analysis, charts
from coursekit.data import INDICATOR_INFO, INDICATORS, events, indicators, opinion


def _values(spec: dict[str, object]) -> list[dict[str, object]]:
    datasets = spec["datasets"]
    assert isinstance(datasets, dict)
    assert len(datasets) == 1
    return next(iter(datasets.values()))


def test_comparison_chart_counts() -> None:
    table = analysis.compare(
        indicators(), ["US-JP-ROK", "CN-JP-ROK"], "leaders_meetings", (2022, 2024)
    )
    chart = charts.comparison_chart(table, "leaders_meetings")
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    rows = {(r["trilateral"], r["year"]): r["value"] for r in _values(spec)}
    assert rows[("US-JP-ROK", 2023)] == 3
    assert rows[("CN-JP-ROK", 2024)] == 1
    assert spec["title"] == "Leaders' meetings (any format)"


def test_comparison_chart_opinion_drops_missing_years() -> None:
    table = analysis.opinion_series(opinion(), "genron-eai", "good")
    spec = charts.comparison_chart(table, "opinion:genron-good").to_dict()
    values = _values(spec)
    assert all(v["value"] is not None for v in values)
    assert {v["direction"] for v in values} == {"KR on JP", "JP on KR"}
    assert "Percent" in json.dumps(spec)


def test_timeline_chart_colours_tones() -> None:
    spec = charts.timeline_chart(analysis.filter_events(events(), trilaterals="QUAD")).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["cooperation", "friction", "neutral"]
    assert {v["trilateral"] for v in _values(spec)} == {"QUAD"}


def test_static_comparison_is_interactive_without_kernel() -> None:
    chart = charts.static_comparison(indicators())
    spec = chart.to_dict()
    params = {p["name"]: p for layer in spec["layer"] for p in layer.get("params", [])}
    params.update({p["name"]: p for p in spec.get("params", [])})
    assert params["indicator"]["bind"]["input"] == "select"
    assert len(params["indicator"]["bind"]["options"]) == len(INDICATORS)
    assert params["indicator"]["bind"]["labels"][0] == "Leaders' meetings (any format)"
    assert params["year_from"]["bind"]["input"] == "range"
    assert params["year_to"]["bind"]["input"] == "range"
    size = len(json.dumps(charts.spec(chart)))
    assert size < 40_000, f"static comparison spec is {size} bytes; aggregate more"


def test_static_comparison_rejects_unknown_indicator() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        charts.static_comparison(indicators(), indicator="summits")


def test_embed_is_offline_and_unique() -> None:
    first = charts.embed(charts.static_comparison(indicators()))
    second = charts.embed(charts.timeline_chart(events()))
    assert isinstance(first, HTML)
    html = first.data
    ids = re.findall(r'<div id="([^"]+)"', html)
    assert len(ids) == 1
    assert ids[0] not in second.data
    assert 'window.vegaEmbed(el, spec, {"actions": false' in html
    for text in (first.data, second.data):
        assert "http" not in text, "embedded charts must not reference any URL"
        assert "<script src" not in text
        assert not re.search(r"cdn|jsdelivr|unpkg", text, re.IGNORECASE)
    assert "</script>" not in html.split("<script>", 1)[1][: -len("</script>")]


def test_mimebundle_targets_jupyterlab_renderer() -> None:
    bundle = charts.mimebundle(alt.Chart().mark_point(), text="a chart")
    assert set(bundle) == {charts.LAB_MIMETYPE, "text/plain"}
    assert bundle[charts.LAB_MIMETYPE]["$schema"].endswith("/v5.json")
    assert bundle["text/plain"] == "a chart"


@pytest.mark.parametrize(
    ("indicator", "axis", "tooltip"),
    [
        ("leaders_meetings", "Meetings held in the year", "Meetings held"),
        ("mechanisms_active", "Mechanisms active in the year", "Mechanisms active"),
        ("friction_events", "Events recorded in the year", "Events recorded"),
    ],
)
def test_comparison_chart_names_the_unit_on_the_axis_and_in_the_tooltip(
    indicator: str, axis: str, tooltip: str
) -> None:
    table = analysis.compare(indicators(), ["US-JP-ROK", "CN-JP-ROK"], indicator, (2000, 2024))
    spec = charts.comparison_chart(table, indicator).to_dict()
    assert spec["encoding"]["y"]["axis"]["title"] == axis
    titles = [t["title"] for t in spec["encoding"]["tooltip"]]
    assert tooltip in titles
    assert "Value" not in titles
    assert "Count per year" not in json.dumps(spec)


def test_comparison_chart_rejects_an_unknown_indicator() -> None:
    table = analysis.compare(indicators(), ["US-JP-ROK"], "exercises", (2000, 2001))
    with pytest.raises(ValueError, match="unknown indicator"):
        charts.comparison_chart(table, "summits")


def test_static_comparison_names_each_indicators_unit_and_warns_against_adding_a_stock() -> None:
    spec = charts.static_comparison(indicators()).to_dict()
    title = spec["title"]["text"]["expr"]
    for info in INDICATOR_INFO.values():
        assert f"{info.label}: {info.unit} {info.verb} in each year" in title
    assert "Active mechanisms: mechanisms active in each year (not to be added up)" in title
    assert title.count("not to be added up") == 1
    layer = spec["layer"][0]
    units = next(t["calculate"] for t in layer["transform"] if t["as"] == "unit")
    assert '"mechanisms active"' in units
    assert '"meetings held"' in units
    tooltip = {t["field"]: t["title"] for t in layer["encoding"]["tooltip"]}
    assert tooltip["unit"] == "Unit"
    assert "Count per year" not in json.dumps(spec)
