"""How the book writes a date: by day, month or year, as precise as the data is."""

from __future__ import annotations

import datetime as dt

__all__ = ["format_event_date"]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_event_date(date: dt.date, precision: str) -> str:
    """``25 March 2014`` for day precision, ``March 1971`` for month, ``2002`` for year."""
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{_MONTHS[date.month - 1]} {date.year}"
    if precision == "day":
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
    raise ValueError(f"unknown date precision {precision!r}; use day, month or year")
