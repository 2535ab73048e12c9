"""Helpers shared by the widgets: chart outputs, HTML tables and the static fallback."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Literal

import altair as alt
import ipywidgets as widgets

from .. import charts

__all__ = [
    "CONTROL_CSS",
    "Markup",
    "Renderer",
    "chart_output",
    "control_layout",
    "html_table",
    "output_area",
    "set_chart",
]

_TABLE_CSS = (
    ".coursekit-table table{border-collapse:collapse;font-size:90%}"
    ".coursekit-table th,.coursekit-table td{padding:2px 8px;text-align:left;"
    "border-bottom:1px solid #ddd;vertical-align:top}"
)

CONTROL_CSS = (
    "<style>.coursekit-years .widget-readout,.coursekit-years .jupyter-widget-readout"
    "{min-width:6.5em;max-width:none;overflow:visible;margin-left:1em;flex:0 0 auto}</style>"
)
"""Room for a range slider's "1995 – 2024" readout beside the handle, in JupyterLab and the book.

ipywidgets caps a readout at half an inline width and lets the last handle sit on its edge;
the explorers put this style in their status line (a style element in an HTML widget applies to
the page), and the book's ``coursekit.css`` repeats it for pages rendered from saved state.
"""

Renderer = Literal["vegalite", "html"]
"""How charts are shown: ``vegalite`` for JupyterLab's own renderer, ``html`` for the book."""


def control_layout() -> tuple[widgets.Layout, dict[str, str]]:
    """A control's layout and style: one full row (up to 40em) and a label that is never cut."""
    layout = widgets.Layout(width="100%", max_width="40em")
    return layout, {"description_width": "6.5em"}


def output_area() -> tuple[widgets.HTML, widgets.Output, widgets.HTML]:
    """The three views under an explorer's controls: a status line, the chart, the table."""
    status = widgets.HTML()
    status.add_class("coursekit-status")
    table_view = widgets.HTML()
    table_view.add_class("coursekit-table")
    return status, widgets.Output(), table_view


def chart_output(renderer: Renderer, chart: alt.TopLevelMixin, text: str) -> dict[str, Any]:
    """One notebook ``display_data`` output holding ``chart`` for the given renderer."""
    if renderer == "html":
        data: dict[str, Any] = {"text/html": charts.embed_html(chart), "text/plain": text}
    elif renderer == "vegalite":
        data = charts.mimebundle(chart, text=text)
    else:
        raise ValueError(f"unknown renderer {renderer!r}; use 'vegalite' or 'html'")
    return {"output_type": "display_data", "data": data, "metadata": {}}


def set_chart(out: widgets.Output, renderer: Renderer, chart: alt.TopLevelMixin, text: str) -> None:
    """Replace what ``out`` shows with ``chart`` (works with or without a running kernel)."""
    out.outputs = (chart_output(renderer, chart, text),)


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], *, css_class: str = ""
) -> str:
    """A small HTML table; cells are escaped unless they are ``Markup``-like (``__html__``)."""

    def cell(value: object) -> str:
        if hasattr(value, "__html__"):
            return str(value.__html__())
        return html.escape("" if value is None else str(value))

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    cls = f' class="{html.escape(css_class)}"' if css_class else ""
    return (
        f"<style>{_TABLE_CSS}</style><table{cls}><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


class Markup(str):
    """A string already safe to put in HTML."""

    def __html__(self) -> str:
        return str(self)
