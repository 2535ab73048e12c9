"""Course data: validated loaders for events, meetings, mechanisms, indicators and opinion.

Importing this package is cheap: pandas is imported only when a loader is first called. Every
loader takes an optional ``path`` (a data folder, or the CSV file itself) so tests can feed
their own files; bad data raises :class:`DataError` naming the file, line, column and the fix.
Parsed frames are cached per file and modification time; each call returns a fresh copy.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ._errors import DataError, Problem
from ._indicator_info import INDICATOR_INFO, IndicatorInfo
from ._schema import (
    CATEGORIES,
    INDICATORS,
    SCHEMAS,
    TAGS,
    TONES,
    TRILATERALS,
    YEAR_MAX,
    YEAR_MIN,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CATEGORIES",
    "INDICATORS",
    "INDICATOR_INFO",
    "SCHEMAS",
    "TAGS",
    "TONES",
    "TRILATERALS",
    "YEAR_MAX",
    "YEAR_MIN",
    "DataError",
    "IndicatorInfo",
    "Problem",
    "events",
    "indicators",
    "mechanisms",
    "meetings",
    "opinion",
]

PathLike = str | os.PathLike[str] | None


def events(path: PathLike = None) -> pd.DataFrame:
    """Dated events from 1945 to today, one row each, sorted by date (``SCHEMAS['events']``).

    ``date`` is the first day of the month or year when ``date_precision`` is coarser than a
    day; ``year`` is a nullable integer; ``trilateral``, ``category``, ``tone`` and
    ``confidence`` are categoricals; ``actors`` and ``tags`` are ``;``-joined strings.
    """
    from ._loaders import load_events

    return load_events(path)


def meetings(path: PathLike = None) -> pd.DataFrame:
    """Leaders', ministers' and officials' meetings per trilateral, sorted by date."""
    from ._loaders import load_meetings

    return load_meetings(path)


def mechanisms(path: PathLike = None) -> pd.DataFrame:
    """Institutions, dialogues and arrangements with start, end (NaT if none) and status."""
    from ._loaders import load_mechanisms

    return load_mechanisms(path)


def opinion(path: PathLike = None) -> pd.DataFrame:
    """Public-opinion figures (percent), one row per survey, year, direction and measure."""
    from ._loaders import load_opinion

    return load_opinion(path)


def indicators(path: PathLike = None) -> pd.DataFrame:
    """Long frame (trilateral, year, indicator, value) derived from meetings/mechanisms/events."""
    from ._indicators import load_indicators

    return load_indicators(path)
