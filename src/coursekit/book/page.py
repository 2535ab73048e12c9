"""Shared setup for book pages: the hidden first cell runs ``from coursekit.book.page import *``.

It gives every chapter the same names, so no chapter copies helper code: pandas as
``pd``, the data loaders, ``analysis``, ``charts`` and :func:`show_table`.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from coursekit import analysis, charts
from coursekit.data import events, indicators, mechanisms, meetings, opinion

__all__ = [
    "analysis",
    "charts",
    "events",
    "indicators",
    "mechanisms",
    "meetings",
    "opinion",
    "pd",
    "show_table",
]

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.max_rows", 200)


def _cell(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return html.escape(str(value))


def show_table(frame: pd.DataFrame, caption: str | None = None) -> HTML:
    """Render a compact, accessible HTML table of ``frame`` (no index, header cells scoped)."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(
        f'<table class="ck-table">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
