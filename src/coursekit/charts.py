"""Altair chart builders shared by the book and the widgets, plus offline embedding helpers.

The same builder draws a comparison in the static book and in a live widget. ``embed``
renders any chart in the static book through the page's global ``vegaEmbed`` (the book
serves the Vega bundles itself), and ``mimebundle`` gives JupyterLab's built-in Vega-Lite
renderer a spec it understands; neither loads anything from the network.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import HTML

from .analysis import INDICATOR_LABELS, OPINION_SERIES, OPINION_UNIT
from .data import INDICATOR_INFO

__all__ = [
    "LAB_MIMETYPE",
    "TONE_COLORS",
    "comparison_chart",
    "embed",
    "embed_html",
    "mimebundle",
    "spec",
    "static_comparison",
    "timeline_chart",
]

TONE_COLORS: dict[str, str] = {
    "cooperation": "#1b7837",
    "friction": "#b2182b",
    "neutral": "#8c8c8c",
}
"""One colour per event tone, used by every timeline."""

LAB_MIMETYPE = "application/vnd.vegalite.v5+json"
"""The newest Vega-Lite mimetype JupyterLab 4 renders without extensions."""

_WIDTH = 480
_HEIGHT = 260
_counter = itertools.count(1)

ChartLike = alt.TopLevelMixin | Mapping[str, Any]


def _units(indicator: str) -> tuple[str, str]:
    """(axis title, tooltip title) naming the unit of ``indicator``'s values."""
    if indicator in INDICATOR_INFO:
        info = INDICATOR_INFO[indicator]
        return info.per_year, f"{info.unit.capitalize()} {info.verb}"
    if indicator in OPINION_SERIES:
        return "Percent of respondents", OPINION_UNIT.capitalize()
    known = [*INDICATOR_INFO, *OPINION_SERIES]
    raise ValueError(f"unknown indicator {indicator!r}; choose one of {known}")


def _label(indicator: str) -> str:
    if indicator in INDICATOR_LABELS:
        return INDICATOR_LABELS[indicator]
    if indicator in OPINION_SERIES:
        return OPINION_SERIES[indicator][2]
    return indicator


def comparison_chart(
    frame: pd.DataFrame,
    indicator: str,
    *,
    title: str | None = None,
    width: int = _WIDTH,
    height: int = _HEIGHT,
) -> alt.Chart:
    """Line chart of a wide frame (year index, one column per series) for ``indicator``.

    Works for :func:`coursekit.analysis.compare` output (series = trilaterals, counts) and for
    :func:`coursekit.analysis.opinion_series` output (series = directions, percentages).
    """
    series = str(frame.columns.name or "series")
    long = (
        frame.rename_axis(index="year")
        .rename_axis(columns=series)
        .reset_index()
        .melt(id_vars="year", var_name=series, value_name="value")
        .dropna(subset=["value"])
    )
    long["year"] = long["year"].astype("int64")
    axis_title, value_title = _units(indicator)
    if indicator not in INDICATOR_INFO:
        y_axis = alt.Axis(title=axis_title)
    else:
        top = int(long["value"].max()) if len(long) else 1
        if top <= 12:  # whole-number ticks only: a count of 0.5 meetings means nothing
            y_axis = alt.Axis(title=axis_title, values=list(range(max(top, 1) + 1)))
        else:
            y_axis = alt.Axis(title=axis_title, format="d", tickMinStep=1)
    base = alt.Chart(long).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", axis=y_axis),
        color=alt.Color(
            f"{series}:N", title=series.capitalize(), sort=list(map(str, frame.columns))
        ),
        tooltip=[
            alt.Tooltip(f"{series}:N", title=series.capitalize()),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("value:Q", title=value_title),
        ],
    )
    chart: alt.Chart = base.mark_line(point=alt.OverlayMarkDef(filled=True, size=40)).properties(
        width=width, height=height, title=title or _label(indicator)
    )
    return chart


def timeline_chart(
    events_df: pd.DataFrame, *, width: int = _WIDTH, title: str | None = None
) -> alt.Chart:
    """Events as points on a date axis, one row per trilateral, coloured by tone."""
    frame = pd.DataFrame(
        {
            "id": events_df["id"].astype(str),
            "date": events_df["date"].dt.strftime("%Y-%m-%d"),
            "trilateral": events_df["trilateral"].astype(str),
            "tone": events_df["tone"].astype(str),
            "title": events_df["title"].astype(str),
            "category": events_df["category"].astype(str),
        }
    )
    rows = max(1, frame["trilateral"].nunique())
    chart = (
        alt.Chart(frame, title=title or "Events")
        .mark_circle(size=70, opacity=0.8)
        .encode(
            x=alt.X("date:T", title="Date"),
            y=alt.Y("trilateral:N", title=None),
            color=alt.Color(
                "tone:N",
                title="Tone",
                scale=alt.Scale(domain=list(TONE_COLORS), range=list(TONE_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("id:N", title="Id"),
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("tone:N", title="Tone"),
            ],
        )
    )
    sized: alt.Chart = chart.properties(width=width, height=max(60, 32 * rows))
    return sized


def _choose(keys: Mapping[str, str], texts: Mapping[str, str]) -> str:
    """A Vega expression giving ``texts[name]`` for the indicator the dropdown has picked."""
    expr = json.dumps("")
    for name, key in reversed(list(keys.items())):
        expr = f"indicator === {json.dumps(key)} ? {json.dumps(texts[name])} : {expr}"
    return expr


def static_comparison(
    indicators: pd.DataFrame,
    *,
    trilaterals: Sequence[str] | None = None,
    years: tuple[int, int] = (1990, 2024),
    indicator: str = "leaders_meetings",
    width: int = _WIDTH,
    height: int = _HEIGHT,
) -> alt.LayerChart:
    """One self-contained interactive comparison for the static book.

    An ``Indicator`` dropdown picks the indicator, ``From``/``To`` sliders set the year
    range, and clicking the legend highlights trilaterals: all in the browser, no kernel.
    The data are aggregated in pandas first (one short row per trilateral and year).
    """
    names = list(INDICATOR_LABELS)
    if indicator not in names:
        raise ValueError(f"unknown indicator {indicator!r}; choose one of {names}")
    chosen = (
        list(trilaterals)
        if trilaterals
        else list(dict.fromkeys(indicators["trilateral"].astype(str)))
    )
    rows = indicators[
        indicators["trilateral"].astype(str).isin(chosen)
        & indicators["year"].between(years[0], years[1])
    ]
    wide = rows.pivot_table(
        index=["trilateral", "year"], columns="indicator", values="value", observed=True
    ).reindex(columns=names, fill_value=0)
    keys = {name: f"i{n}" for n, name in enumerate(names)}
    compact = wide.rename(columns=keys).reset_index()
    compact = compact.rename(columns={"trilateral": "t", "year": "y"})
    compact["t"] = pd.Categorical(compact["t"].astype(str), categories=chosen)
    compact = compact.sort_values(["t", "y"])
    compact["t"] = compact["t"].astype(str)
    compact["y"] = compact["y"].astype("int64")
    for key in keys.values():
        compact[key] = compact[key].fillna(0).astype("int64")

    pick = alt.param(
        name="indicator",
        value=keys[indicator],
        bind=alt.binding_select(
            options=list(keys.values()),
            labels=[INDICATOR_LABELS[n] for n in names],
            name="Indicator ",
        ),
    )
    first = alt.param(
        name="year_from",
        value=years[0],
        bind=alt.binding_range(min=years[0], max=years[1], step=1, name="From "),
    )
    last = alt.param(
        name="year_to",
        value=years[1],
        bind=alt.binding_range(min=years[0], max=years[1], step=1, name="To "),
    )
    legend = alt.selection_point(fields=["t"], bind="legend", name="pick_trilateral")
    unit = _choose(keys, {n: f"{i.unit} {i.verb}" for n, i in INDICATOR_INFO.items()})
    title = _choose(
        keys,
        {
            n: f"{i.label}: {i.unit} {i.verb} in each year"
            + ("" if i.summable else " (not to be added up)")
            for n, i in INDICATOR_INFO.items()
        },
    )
    base = (
        alt.Chart(compact)
        .transform_calculate(value="datum[indicator]", unit=unit)
        .transform_filter("datum.y >= year_from && datum.y <= year_to")
        .encode(
            x=alt.X("y:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(
                "value:Q",
                title="Number in the year (unit in the title)",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color("t:N", title="Trilateral", sort=chosen),
            opacity=alt.condition(legend, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("t:N", title="Trilateral"),
                alt.Tooltip("y:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Number"),
                alt.Tooltip("unit:N", title="Unit"),
            ],
        )
    )
    lines = base.mark_line().add_params(pick, first, last, legend)
    points = base.mark_point(filled=True, size=30)
    layered: alt.LayerChart = (lines + points).properties(
        width=width, height=height, title=alt.TitleParams(text={"expr": title})
    )
    return layered


def spec(chart: ChartLike) -> dict[str, Any]:
    """The chart's Vega-Lite spec as a plain dict, without the ``$schema`` address."""
    out = dict(chart) if isinstance(chart, Mapping) else chart.to_dict(validate=False)
    out.pop("$schema", None)
    return out


def mimebundle(chart: ChartLike, *, text: str = "") -> dict[str, Any]:
    """A display bundle JupyterLab renders natively (its Vega-Lite 5 renderer), offline.

    ``text`` is the plain-text fallback shown where no Vega renderer exists.
    """
    body = spec(chart)
    body["$schema"] = "https://vega.github.io/schema/vega-lite/v5.json"
    return {LAB_MIMETYPE: body, "text/plain": text or "<chart: open in JupyterLab to view>"}


def embed_html(chart: ChartLike, *, div_id: str | None = None) -> str:
    """HTML for ``chart``: a div and a script calling the page's ``window.vegaEmbed``.

    No script is loaded from elsewhere: the page must provide vega, vega-lite and vega-embed
    (the course book serves them). Without them the div explains what is missing.
    """
    target = div_id or f"coursekit-chart-{next(_counter)}"
    payload = json.dumps(spec(chart), separators=(",", ":"), sort_keys=True)
    payload = payload.replace("</", "<\\/")
    return (
        f'<div id="{target}" class="coursekit-chart"></div>\n'
        "<script>\n"
        "(function () {\n"
        f'  var el = document.getElementById("{target}");\n'
        f"  var spec = {payload};\n"
        "  function draw() {\n"
        "    if (typeof window.vegaEmbed === 'function') {\n"
        '      window.vegaEmbed(el, spec, {"actions": false, "mode": "vega-lite"});\n'
        "    } else {\n"
        "      el.textContent = 'This interactive chart needs the Vega scripts served with"
        " the course book.';\n"
        "    }\n"
        "  }\n"
        "  if (typeof window.vegaEmbed === 'function' || document.readyState === 'complete')"
        " { draw(); }\n"
        "  else { window.addEventListener('load', draw, {once: true}); }\n"
        "})();\n"
        "</script>"
    )


def embed(chart: ChartLike, *, div_id: str | None = None) -> HTML:
    """``chart`` as an IPython HTML object for the static book (see :func:`embed_html`)."""
    return HTML(embed_html(chart, div_id=div_id))
