"""The timeline appendix, generated from the event data: one table per decade."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from coursekit.book.dates import format_event_date

__all__ = ["timeline_sections"]

_COLUMNS = ("Id", "Date", "Event", "Trilateral", "Source", "Note")


def _row(event: pd.Series) -> str:
    cells = (
        event["id"],
        format_event_date(event["date"], str(event["date_precision"])),
        event["title"],
        "" if event["trilateral"] == "none" else event["trilateral"],
        event["source"],
        "" if pd.isna(event["note"]) else event["note"],
    )
    return "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"


def timeline_sections(events: pd.DataFrame) -> HTML:
    """Every event in date order, grouped by decade, as accessible HTML tables."""
    ordered = events.sort_values(["date", "id"])
    head = "".join(f'<th scope="col">{c}</th>' for c in _COLUMNS)
    parts = []
    for decade, group in ordered.groupby((ordered["date"].dt.year // 10) * 10, sort=True):
        rows = "".join(_row(event) for _, event in group.iterrows())
        parts.append(
            f'<table class="ck-table ck-timeline"><caption>The {decade}s '
            f"({len(group)} events)</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return HTML("".join(parts))
