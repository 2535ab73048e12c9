"""coursekit.charts: chart specs, the static interactive comparison and offline embedding."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest
from IPython.display import HTML

from coursekit import analysis, charts
from coursekit.data import INDICATORS, events, indicators, opinion


def _values(spec: dict[str, object]) -> list[dict[str, object]]:
    datasets = spec["datasets"]
    assert isinstance(datasets, dict) and len(datasets) == 1
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
    assert len(ids) == 1 and ids[0] not in second.data
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
