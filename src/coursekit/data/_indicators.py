"""Deriving the comparison indicators from meetings, mechanisms and events (never typed by hand)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._loaders import (
    PathArg,
    _events_cached,
    _mechanisms_cached,
    _meetings_cached,
    _stamp,
    resolve,
)
from ._schema import (
    EVENTS,
    INDICATORS,
    MECHANISMS,
    MEETINGS,
    MINISTERIAL_LEVELS,
    TRILATERALS,
    YEAR_MAX,
    YEAR_MIN,
)

__all__ = ["GROUPS", "derive_indicators", "load_indicators"]

GROUPS = tuple(t for t in TRILATERALS if t != "none")
"""The groupings indicators are computed for."""


def _counts(frame: pd.DataFrame) -> dict[tuple[str, int], int]:
    """Rows per (trilateral, year)."""
    if frame.empty:
        return {}
    out: dict[tuple[str, int], int] = {}
    for group, year in zip(frame["trilateral"], frame["year"], strict=True):
        key = (str(group), int(year))
        out[key] = out.get(key, 0) + 1
    return out


def derive_indicators(
    events: pd.DataFrame, meetings: pd.DataFrame, mechanisms: pd.DataFrame
) -> pd.DataFrame:
    """The long indicator frame (trilateral, year, indicator, value) from the three tables.

    Every grouping and year from 1945 to the current year appears for every indicator, zeros
    included.
    ``mechanisms_active`` counts mechanisms whose start year is at or before the year and whose
    end year (if any) is at or after it.
    """
    leaders = meetings[meetings["level"] == "leaders"]
    counts: dict[str, dict[tuple[str, int], int]] = {
        "leaders_meetings": _counts(leaders),
        "leaders_standalone": _counts(leaders[leaders["format"] == "standalone"]),
        "leaders_sidelines": _counts(leaders[leaders["format"] == "sidelines"]),
        "leaders_virtual": _counts(leaders[leaders["format"] == "virtual"]),
        "ministerial_meetings": _counts(meetings[meetings["level"].isin(MINISTERIAL_LEVELS)]),
        "exercises": _counts(events[events["category"] == "military-exercise"]),
        "cooperation_events": _counts(events[events["tone"] == "cooperation"]),
        "friction_events": _counts(events[events["tone"] == "friction"]),
    }
    spans = [
        (str(t), int(s.year), YEAR_MAX if pd.isna(e) else int(e.year))
        for t, s, e in zip(
            mechanisms["trilateral"], mechanisms["start"], mechanisms["end"], strict=True
        )
    ]
    records: list[tuple[str, int, str, int]] = []
    for group in GROUPS:
        for year in range(YEAR_MIN, YEAR_MAX + 1):
            for name in INDICATORS:
                if name == "mechanisms_active":
                    value = sum(1 for t, s, e in spans if t == group and s <= year <= e)
                else:
                    value = counts[name].get((group, year), 0)
                records.append((group, year, name, value))
    long = pd.DataFrame(records, columns=["trilateral", "year", "indicator", "value"])
    long["trilateral"] = pd.Categorical(long["trilateral"], categories=list(GROUPS))
    long["year"] = long["year"].astype("Int64")
    long["indicator"] = pd.Categorical(long["indicator"], categories=list(INDICATORS))
    long["value"] = long["value"].astype("Int64")
    return long


@lru_cache(maxsize=16)
def _indicators_cached(
    events: tuple[Path, str], meetings: tuple[Path, str], mechanisms: tuple[Path, str]
) -> pd.DataFrame:
    return derive_indicators(
        _events_cached(*events),
        _meetings_cached(*meetings, *events),
        _mechanisms_cached(*mechanisms),
    )


def load_indicators(path: PathArg = None) -> pd.DataFrame:
    """Indicators derived from the data folder ``path`` (default: the packaged data)."""
    folder = None if path is None else Path(path)
    if folder is not None and folder.is_file():
        folder = folder.parent
    files = [resolve(folder, schema) for schema in (EVENTS, MEETINGS, MECHANISMS)]
    keys = tuple((f, _stamp(f)) for f in files)
    return _indicators_cached(keys[0], keys[1], keys[2]).copy()
