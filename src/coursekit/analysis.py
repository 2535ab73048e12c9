"""Pure functions over the course DataFrames: filters, comparisons, hiatuses, ratios, balances.

Nothing here reads files or draws: each function takes frames from :mod:`coursekit.data`
and returns a new frame or value, so the book, the widgets, the assignments and their tests
all compute the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from .data import INDICATOR_INFO

__all__ = [
    "INDICATOR_LABELS",
    "OPINION_SERIES",
    "OPINION_UNIT",
    "compare",
    "cooperation_ratio",
    "filter_events",
    "format_date",
    "hiatus_spans",
    "hiatus_years",
    "opinion_series",
    "ratio",
    "standalone_share",
    "summarize",
    "summary_text",
    "tone_balance",
]

INDICATOR_LABELS: dict[str, str] = {name: info.label for name, info in INDICATOR_INFO.items()}
"""Readable names for the indicators in ``coursekit.data.indicators()``.

Units and totalling rules are in ``coursekit.data.INDICATOR_INFO``.
"""

OPINION_SERIES: dict[str, tuple[str, str, str]] = {
    "opinion:genron-good": ("genron-eai", "good", "Good impression of the other (Genron NPO/EAI)"),
    "opinion:genron-bad": ("genron-eai", "bad", "Bad impression of the other (Genron NPO/EAI)"),
}
"""Opinion choices offered next to the indicators: key -> (survey, measure, label)."""

OPINION_UNIT = "% of respondents"
"""The unit of every opinion series: a share of a survey's respondents, never summed."""

YearRange = tuple[int, int]


def _as_set(values: str | Iterable[str] | None) -> set[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return {values}
    return set(values)


def filter_events(
    df: pd.DataFrame,
    *,
    trilaterals: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    tones: str | Iterable[str] | None = None,
    tags: str | Iterable[str] | None = None,
    years: YearRange | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Events matching every filter given; ``None`` (or empty text) means no filter.

    ``tags`` matches events carrying any of the tags; ``years`` is an inclusive
    ``(first, last)``; ``text`` is a case-insensitive search of title, description and note.
    """
    mask = pd.Series(True, index=df.index)
    for column, wanted in (("trilateral", trilaterals), ("category", categories), ("tone", tones)):
        chosen = _as_set(wanted)
        if chosen is not None:
            mask &= df[column].astype(str).isin(chosen)
    chosen_tags = _as_set(tags)
    if chosen_tags is not None:
        mask &= df["tags"].map(lambda t: bool(chosen_tags & set(str(t).split(";"))))
    if years is not None:
        first, last = years
        mask &= df["year"].between(first, last).fillna(False).astype(bool)
    if text:
        needle = text.strip().lower()
        haystack = (
            df["title"].fillna("")
            + " "
            + df["description"].fillna("")
            + " "
            + df["note"].fillna("")
        ).str.lower()
        mask &= haystack.str.contains(needle, regex=False)
    return df[mask]


_MONTHS = (
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
)


def format_date(date: object, precision: str) -> str:
    """A date written as precisely as the data know it: '25 March 2014', 'March 1971' or '2002'.

    The one date formatter of the course: the book's pages, its date role, the timeline and
    the widgets all use it. A missing date (``NaT``, ``None``) gives an empty string (an
    arrangement still in force has no end date); anything else that is not a date, or a
    precision other than ``day``, ``month`` or ``year``, is an error. Month names are English
    whatever the locale.
    """
    if precision not in ("day", "month", "year"):
        raise ValueError(f"unknown date precision {precision!r}; use day, month or year")
    if date is None or date is pd.NaT:
        return ""
    if not isinstance(date, dt.date):
        raise TypeError(f"format_date needs a date or timestamp, not {type(date).__name__}")
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def compare(
    indicators: pd.DataFrame,
    trilaterals: Sequence[str],
    indicator: str,
    years: YearRange | None = None,
) -> pd.DataFrame:
    """One indicator for several trilaterals: a year index and one column per trilateral.

    Missing combinations are zero. Raises ValueError for an unknown indicator or trilateral.
    """
    known = {str(v) for v in indicators["indicator"].unique()}
    if indicator not in known:
        raise ValueError(f"unknown indicator {indicator!r}; choose one of {sorted(known)}")
    groups = {str(v) for v in indicators["trilateral"].unique()}
    unknown = [t for t in trilaterals if t not in groups]
    if unknown:
        raise ValueError(f"unknown trilateral(s) {unknown}; choose from {sorted(groups)}")
    rows = indicators[indicators["indicator"] == indicator]
    first = int(indicators["year"].min()) if years is None else years[0]
    last = int(indicators["year"].max()) if years is None else years[1]
    index = pd.RangeIndex(first, last + 1, name="year")
    wide = pd.DataFrame(index=index)
    for group in trilaterals:
        chosen = rows[rows["trilateral"] == group]
        values = pd.Series(
            chosen["value"].to_numpy(dtype="int64", na_value=0),
            index=chosen["year"].to_numpy(dtype="int64"),
        )
        values = values.groupby(level=0).sum()
        wide[group] = values.reindex(index, fill_value=0).to_numpy()
    wide = wide.astype("int64")
    wide.columns.name = "trilateral"
    return wide


def hiatus_years(
    meetings: pd.DataFrame,
    trilateral: str,
    level: str = "leaders",
    formats: str | Iterable[str] | None = None,
) -> list[int]:
    """Years between a trilateral's first and last meeting at ``level`` with no such meeting.

    ``formats`` restricts the meetings counted (e.g. ``"standalone"``). The data lists only
    meetings confirmed in the sources: the CJK sidelines meetings of 2001-2006 are missing,
    so ask for ``formats="standalone"`` when studying CJK summit hiatuses.
    """
    rows = meetings[(meetings["trilateral"] == trilateral) & (meetings["level"] == level)]
    chosen = _as_set(formats)
    if chosen is not None:
        rows = rows[rows["format"].astype(str).isin(chosen)]
    met = {int(y) for y in rows["year"].dropna()}
    if not met:
        return []
    return [y for y in range(min(met), max(met) + 1) if y not in met]


def hiatus_spans(
    meetings: pd.DataFrame,
    trilateral: str,
    level: str = "leaders",
    formats: str | Iterable[str] | None = None,
) -> list[YearRange]:
    """The hiatus years grouped into inclusive runs, e.g. ``[(2018, 2021)]``."""
    spans: list[YearRange] = []
    for year in hiatus_years(meetings, trilateral, level, formats):
        if spans and spans[-1][1] == year - 1:
            spans[-1] = (spans[-1][0], year)
        else:
            spans.append((year, year))
    return spans


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when the denominator is zero."""
    return None if denominator == 0 else numerator / denominator


def standalone_share(
    indicators: pd.DataFrame, trilateral: str, years: YearRange | None = None
) -> float | None:
    """Share of a trilateral's leaders' meetings that were standalone summits."""
    table = compare(indicators, [trilateral], "leaders_standalone", years)
    total = compare(indicators, [trilateral], "leaders_meetings", years)
    return ratio(float(table[trilateral].sum()), float(total[trilateral].sum()))


def cooperation_ratio(events: pd.DataFrame) -> pd.DataFrame:
    """Per trilateral: cooperation and friction event counts and the cooperation share."""
    counts = events.groupby(["trilateral", "tone"], observed=False).size().unstack(fill_value=0)
    for tone in ("cooperation", "friction", "neutral"):
        if tone not in counts.columns:
            counts[tone] = 0
    out = counts[["cooperation", "friction"]].copy()
    decided = out["cooperation"] + out["friction"]
    out["cooperation_share"] = (out["cooperation"] / decided.where(decided > 0)).round(3)
    out.columns.name = None
    return out


def tone_balance(
    events: pd.DataFrame,
    *,
    trilaterals: str | Iterable[str] | None = None,
    years: YearRange | None = None,
) -> pd.DataFrame:
    """Per year: cooperation, friction and neutral counts and ``balance`` = coop - friction."""
    chosen = filter_events(events, trilaterals=trilaterals, years=years)
    counts = chosen.groupby(["year", "tone"], observed=False).size().unstack(fill_value=0)
    for tone in ("cooperation", "friction", "neutral"):
        if tone not in counts.columns:
            counts[tone] = 0
    counts = counts[["cooperation", "friction", "neutral"]].astype("int64")
    if years is not None:
        counts = counts.reindex(range(years[0], years[1] + 1), fill_value=0)
    counts["balance"] = counts["cooperation"] - counts["friction"]
    counts.index = counts.index.astype("int64")
    counts.index.name = "year"
    counts.columns.name = None
    return counts


def opinion_series(
    opinion: pd.DataFrame, survey: str, measure: str, years: YearRange | None = None
) -> pd.DataFrame:
    """One survey's measure as a year index with one column per direction, e.g. 'KR on JP'.

    Only one survey is used, so series are never mixed; missing years stay missing (NaN).
    """
    rows = opinion[(opinion["survey"] == survey) & (opinion["measure"] == measure)]
    if rows.empty:
        raise ValueError(f"no opinion data for survey {survey!r} and measure {measure!r}")
    direction = rows["respondents"].astype(str) + " on " + rows["target"].astype(str)
    wide = (
        rows.assign(direction=direction)
        .pivot_table(index="year", columns="direction", values="value", aggfunc="first")
        .sort_index()
    )
    wide.index = wide.index.astype("int64")
    if years is not None:
        wide = wide.loc[(wide.index >= years[0]) & (wide.index <= years[1])]
    wide.index.name = "year"
    wide.columns.name = "direction"
    return wide


def summarize(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One row per series of :func:`compare` output, totalled by the indicator's own rule.

    A flow (meetings, exercises, events) gets its total over the range, the number of years
    with any, and its peak year. A stock (``mechanisms_active``) is never summed over years,
    which would count mechanism-years: it gets its value in the last year of the range, its
    peak and the number of years with any. Column names carry the unit.
    """
    if indicator not in INDICATOR_INFO:
        raise ValueError(f"unknown indicator {indicator!r}; choose one of {list(INDICATOR_INFO)}")
    info = INDICATOR_INFO[indicator]
    last = int(frame.index.max()) if len(frame.index) else None
    rows: list[tuple[str, int, int | str, int | str]] = []
    for name in frame.columns:
        column = frame[name]
        years_with_any = int((column > 0).sum())
        if years_with_any:
            peak_year = int(column.index[int(column.to_numpy().argmax())])
            peak = f"{int(column.max())} ({peak_year})"
        else:
            peak = "-"
        if info.summable:
            rows.append((str(name), int(column.sum()), years_with_any, peak))
        else:
            now = int(column.loc[last]) if last is not None else 0
            rows.append((str(name), now, peak, years_with_any))
    if info.summable:
        columns = [f"Total {info.unit}", "Years with any", "Most in one year"]
    else:
        columns = [
            f"{info.unit.capitalize()} {info.verb} in {last}",
            "Most at once",
            "Years with any",
        ]
    table = pd.DataFrame(rows, columns=[str(frame.columns.name or "trilateral"), *columns])
    return table.set_index(table.columns[0])


def summary_text(frame: pd.DataFrame, indicator: str) -> str:
    """One sentence a student can quote, e.g. "total meetings held, 1995-2024: US-JP-ROK 10".

    Flows are summed over the range; stocks give the last year's value and the peak (see
    :func:`summarize`), so "Active mechanisms" never reports mechanism-years.
    """
    info = INDICATOR_INFO[indicator]
    table = summarize(frame, indicator)
    first, last = int(frame.index.min()), int(frame.index.max())
    values = "; ".join(f"{name} {row.iloc[0]}" for name, row in table.iterrows())
    if info.summable:
        return f"{info.label}, {first}–{last}. Total {info.unit} {info.verb}: {values}."
    peaks = "; ".join(f"{name} {row.iloc[1]}" for name, row in table.iterrows())
    return (
        f"{info.label}, {first}–{last}. {info.unit.capitalize()} {info.verb} in {last}: "
        f"{values}. Most at once (year): {peaks}."
    )
