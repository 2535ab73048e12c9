"""TimelineExplorer: filter the course events and see them on a timeline with their sources."""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import analysis, charts, data
from ._common import CONTROL_CSS, Markup, Renderer, html_table, output_area, set_chart

__all__ = ["TimelineExplorer"]

ALL = "(all)"
"""The dropdown choice meaning 'no filter'."""


def _choices(values: tuple[str, ...]) -> list[str]:
    return [ALL, *values]


class TimelineExplorer(widgets.VBox):  # type: ignore[misc]
    """Filter events by trilateral, category, tone, tag, years and text.

    Shows a timeline chart and the matching rows with their sources. The current result is
    readable as :attr:`value` (the filters) and :attr:`matches` (the matching events).
    """

    def __init__(
        self,
        *,
        trilateral: str = ALL,
        category: str = ALL,
        tone: str = ALL,
        tag: str = ALL,
        years: tuple[int, int] = (data.YEAR_MIN, data.YEAR_MAX),
        text: str = "",
        max_rows: int = 40,
        renderer: Renderer = "vegalite",
        data_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """Build the explorer on the course events (or the CSVs under ``data_path``)."""
        self._events = data.events(data_path)
        self._renderer: Renderer = renderer
        self._max_rows = max_rows
        narrow = widgets.Layout(width="260px")
        self.trilateral_picker = widgets.Dropdown(
            options=_choices(data.TRILATERALS),
            value=trilateral,
            description="Trilateral",
            layout=narrow,
        )
        self.category_picker = widgets.Dropdown(
            options=_choices(data.CATEGORIES),
            value=category,
            description="Category",
            layout=narrow,
        )
        self.tone_picker = widgets.Dropdown(
            options=_choices(data.TONES), value=tone, description="Tone", layout=narrow
        )
        self.tag_picker = widgets.Dropdown(
            options=_choices(data.TAGS), value=tag, description="Tag", layout=narrow
        )
        self.year_slider = widgets.IntRangeSlider(
            value=years,
            min=data.YEAR_MIN,
            max=data.YEAR_MAX,
            step=1,
            description="Years",
            continuous_update=False,
            layout=widgets.Layout(width="100%", max_width="520px"),
        )
        self.year_slider.add_class("coursekit-years")
        self.text_box = widgets.Text(
            value=text,
            description="Search",
            placeholder="words in title or description",
            continuous_update=False,
            layout=widgets.Layout(width="520px"),
        )
        self.status, self.chart, self.table_view = output_area()
        self.matches = self._events.iloc[0:0]
        controls = (
            self.trilateral_picker,
            self.category_picker,
            self.tone_picker,
            self.tag_picker,
            self.year_slider,
            self.text_box,
        )
        for control in controls:
            control.observe(self._changed, names="value")
        layout = widgets.VBox(
            [
                widgets.HBox([self.trilateral_picker, self.category_picker]),
                widgets.HBox([self.tone_picker, self.tag_picker]),
                self.year_slider,
                self.text_box,
            ]
        )
        super().__init__([layout, self.status, self.chart, self.table_view])
        self.update()

    @property
    def value(self) -> dict[str, Any]:
        """The filters as keyword arguments for :func:`coursekit.analysis.filter_events`."""

        def pick(widget: widgets.Dropdown) -> str | None:
            chosen = str(widget.value)
            return None if chosen == ALL else chosen

        first, last = self.year_slider.value
        return {
            "trilaterals": pick(self.trilateral_picker),
            "categories": pick(self.category_picker),
            "tones": pick(self.tone_picker),
            "tags": pick(self.tag_picker),
            "years": (int(first), int(last)),
            "text": str(self.text_box.value).strip() or None,
        }

    def _changed(self, change: dict[str, Any]) -> None:
        self.update()

    def update(self) -> None:
        """Re-filter the events and redraw the chart, table and status."""
        self.matches = analysis.filter_events(self._events, **self.value)
        count = len(self.matches)
        shown = min(count, self._max_rows)
        text = f"{count} matching event(s)" + (
            f"; the first {shown} are listed" if count > shown else ""
        )
        self.status.value = f"{CONTROL_CSS}<b>{html.escape(text)}.</b>"
        if count:
            set_chart(self.chart, self._renderer, charts.timeline_chart(self.matches), text)
        else:
            self.chart.outputs = ()
        self.table_view.value = self._table(self.matches.head(self._max_rows))

    @staticmethod
    def _table(rows: pd.DataFrame) -> str:
        body = []
        for row in rows.itertuples(index=False):
            source = html.escape(str(row.source))
            url = row.source_url
            if isinstance(url, str) and url:
                source = f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{source}</a>'
            body.append(
                [
                    analysis.format_date(row.date, str(row.date_precision)),
                    row.id,
                    row.title,
                    row.trilateral,
                    row.category,
                    row.tone,
                    Markup(source),
                ]
            )
        header = ["Date", "Id", "Event", "Trilateral", "Category", "Tone", "Source"]
        return html_table(header, body)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus a static HTML snapshot for exports without widget state."""
        bundle: dict[str, Any] = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The current status, timeline and table as self-contained HTML."""
        parts = [f"<div>{self.status.value}</div>"]
        if len(self.matches):
            parts.append(charts.embed_html(charts.timeline_chart(self.matches)))
        parts.append(self.table_view.value)
        return "\n".join(parts)
