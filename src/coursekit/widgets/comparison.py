"""TrilateralComparison: compare an indicator (or opinion series) across trilaterals by year."""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import analysis, charts, data
from ._common import CONTROL_CSS, Renderer, control_layout, html_table, output_area, set_chart

__all__ = ["TrilateralComparison"]

_GROUPS = tuple(t for t in data.TRILATERALS if t != "none")


class TrilateralComparison(widgets.VBox):  # type: ignore[misc]
    """Pick two or more trilaterals, an indicator and a year range; see a chart and a table.

    The controls only call :mod:`coursekit.analysis` and :mod:`coursekit.charts`; the
    current result is readable as :attr:`value` (the controls' state), :attr:`frame` (the
    data behind the chart) and :attr:`table` (the summary table shown).
    """

    def __init__(
        self,
        *,
        trilaterals: tuple[str, ...] = ("US-JP-ROK", "CN-JP-ROK"),
        indicator: str = "leaders_meetings",
        years: tuple[int, int] = (1995, data.YEAR_MAX),
        renderer: Renderer = "vegalite",
        data_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """Build the explorer on the course data (or the CSVs under ``data_path``)."""
        self._indicators = data.indicators(data_path)
        self._opinion = data.opinion(data_path)
        self._renderer: Renderer = renderer
        options = [(label, key) for key, label in analysis.INDICATOR_LABELS.items()]
        options += [
            (f"Opinion: {label}", key) for key, (_, _, label) in analysis.OPINION_SERIES.items()
        ]
        layout, style = control_layout()
        self.trilateral_picker = widgets.SelectMultiple(
            options=list(_GROUPS),
            value=tuple(trilaterals),
            rows=len(_GROUPS),
            description="Trilaterals",
            style=style,
        )
        self.indicator_picker = widgets.Dropdown(
            options=options,
            value=indicator,
            description="Indicator",
            layout=layout,
            style=style,
        )
        self.year_slider = widgets.IntRangeSlider(
            value=years,
            min=data.YEAR_MIN,
            max=data.YEAR_MAX,
            step=1,
            description="Years",
            continuous_update=False,
            layout=control_layout()[0],
            style=style,
        )
        self.year_slider.add_class("coursekit-years")
        self.status, self.chart, self.table_view = output_area()
        self.frame = pd.DataFrame()
        self.table = pd.DataFrame()
        for control in (self.trilateral_picker, self.indicator_picker, self.year_slider):
            control.observe(self._changed, names="value")
        controls = widgets.VBox([self.indicator_picker, self.year_slider, self.trilateral_picker])
        super().__init__([controls, self.status, self.chart, self.table_view])
        self.update()

    @property
    def value(self) -> dict[str, Any]:
        """The controls' state: trilaterals, indicator and (first, last) years."""
        first, last = self.year_slider.value
        return {
            "trilaterals": tuple(self.trilateral_picker.value),
            "indicator": str(self.indicator_picker.value),
            "years": (int(first), int(last)),
        }

    def _changed(self, change: dict[str, Any]) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the frame, chart, table and status from the controls."""
        state = self.value
        indicator, years = state["indicator"], state["years"]
        if indicator in analysis.OPINION_SERIES:
            survey, measure, label = analysis.OPINION_SERIES[indicator]
            self.frame = analysis.opinion_series(self._opinion, survey, measure, years)
            self.table = self._opinion_summary(self.frame)
            summary = "; ".join(f"{name} {row.iloc[0]}" for name, row in self.table.iterrows())
            text = f"{label}, {years[0]}–{years[1]}, latest ({analysis.OPINION_UNIT}): {summary}."
            note = "Opinion data do not depend on the trilaterals chosen; one survey only."
        else:
            label = analysis.INDICATOR_LABELS[indicator]
            if len(state["trilaterals"]) < 2:
                self._show_message(f"{label}: choose at least two trilaterals to compare.")
                return
            self.frame = analysis.compare(self._indicators, state["trilaterals"], indicator, years)
            self.table = analysis.summarize(self.frame, indicator)
            text = analysis.summary_text(self.frame, indicator)
            note = ""
        self.status.value = f"{CONTROL_CSS}<b>{html.escape(text, quote=False)}</b>" + (
            f" <i>{html.escape(note, quote=False)}</i>" if note else ""
        )
        if self.frame.dropna(how="all").empty:
            self.chart.outputs = ()
        else:
            set_chart(
                self.chart, self._renderer, charts.comparison_chart(self.frame, indicator), text
            )
        rows = [[name, *row.tolist()] for name, row in self.table.iterrows()]
        header = [str(self.table.index.name), *map(str, self.table.columns)]
        self.table_view.value = html_table(header, rows)

    def _show_message(self, message: str) -> None:
        self.frame = pd.DataFrame()
        self.table = pd.DataFrame()
        self.status.value = f"{CONTROL_CSS}<b>{html.escape(message, quote=False)}</b>"
        self.chart.outputs = ()
        self.table_view.value = ""

    @staticmethod
    def _opinion_summary(frame: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for name in frame.columns:
            column = frame[name].dropna()
            if column.empty:
                rows.append((str(name), "-", "-", "-"))
                continue
            first, last = int(column.index[0]), int(column.index[-1])
            rows.append(
                (
                    str(name),
                    f"{column.iloc[-1]:.1f}% ({last})",
                    f"{column.iloc[0]:.1f}% ({first})",
                    f"{column.min():.1f}-{column.max():.1f}%",
                )
            )
        table = pd.DataFrame(rows, columns=["direction", "Latest", "Earliest", "Range"])
        return table.set_index("direction")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus a static HTML snapshot for exports without widget state."""
        bundle: dict[str, Any] = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The current status, chart and table as self-contained HTML (for static pages)."""
        parts = [f"<div>{self.status.value}</div>"]
        if not self.frame.dropna(how="all").empty:
            chart = charts.comparison_chart(self.frame, self.value["indicator"])
            parts.append(charts.embed_html(chart))
        parts.append(self.table_view.value)
        return "\n".join(parts)
