"""Normal forms and fingerprints of answers, so tests can compare without showing the answer.

:func:`normalize` turns a value into plain JSON data under fixed rules; :func:`fingerprint`
hashes that normal form. Checkers compare a student's answer with the expected value the
same way whether the expected value is given in clear (hidden tests) or as a fingerprint
(visible tests), so both always agree.

The rules:

* strings: Unicode NFKC, any dash turned into ``-``, runs of white space made one space,
  trimmed, case-folded (``"  US–JP–ROK "`` equals ``"us-jp-rok"``);
* numbers: ``bool`` stays ``bool``; floats rounded to ``ndigits`` decimals; a whole float
  equals the integer (``1965.0`` equals ``1965``); NaN and missing values become ``None``;
* dates and times: ISO text, the date alone at midnight (``"2023-08-18"``);
* mappings: keys normalized, order ignored; sets: order ignored;
* lists, tuples, arrays, ``pandas.Index``: order kept, or ignored when ``ordered=False``
  (at every depth);
* ``pandas.Series``: a mapping from index to value (a list when the index is 0..n-1);
* ``pandas.DataFrame``: a non-default index becomes columns; columns sorted by name; rows
  sorted.

Fingerprints of small answer spaces (a year, one of three labels) can be found by trying
every candidate: they keep answers out of sight, hidden tests keep them out of reach.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "HASH_PREFIX",
    "NotComparable",
    "fingerprint",
    "is_fingerprint",
    "matches",
    "normalize",
    "normalize_text",
    "type_name",
]

HASH_PREFIX = "sha256:"
"""Every fingerprint starts with this prefix."""

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


class NotComparable(TypeError):
    """A value has a type the normal form does not cover."""


def normalize_text(text: str) -> str:
    """The normal form of a string: NFKC, plain dashes, single spaces, trimmed, case-folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip().casefold()


def _number(value: float, ndigits: int) -> float | int | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return value
    rounded = round(value, ndigits)
    if rounded == int(rounded):
        return int(rounded)
    return rounded


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _key(value: Any, ordered: bool, ndigits: int) -> str:
    norm = normalize(value, ordered=ordered, ndigits=ndigits)
    return norm if isinstance(norm, str) else _dumps(norm)


def _sequence(items: list[Any], ordered: bool, ndigits: int) -> list[Any]:
    out = [normalize(item, ordered=ordered, ndigits=ndigits) for item in items]
    return out if ordered else sorted(out, key=_dumps)


def _frame(frame: pd.DataFrame, ordered: bool, ndigits: int) -> dict[str, Any]:
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    columns = sorted(str(c) for c in frame.columns)
    renamed = frame.set_axis([str(c) for c in frame.columns], axis=1)
    rows = [
        [normalize(renamed[c].iloc[i], ordered=ordered, ndigits=ndigits) for c in columns]
        for i in range(len(renamed))
    ]
    return {"columns": columns, "rows": sorted(rows, key=_dumps)}


def normalize(value: Any, *, ordered: bool = True, ndigits: int = 6) -> Any:
    """The normal form of ``value`` as plain JSON data (see the module rules).

    Raises :class:`NotComparable` for a type the rules do not cover.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _number(float(value), ndigits)
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.DataFrame):
        return _frame(value, ordered, ndigits)
    if isinstance(value, pd.Series):
        index = value.index
        if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
            return _sequence(list(value), ordered, ndigits)
        return {
            _key(k, ordered, ndigits): normalize(v, ordered=ordered, ndigits=ndigits)
            for k, v in value.items()
        }
    if isinstance(value, Mapping):
        return {
            _key(k, ordered, ndigits): normalize(v, ordered=ordered, ndigits=ndigits)
            for k, v in value.items()
        }
    if isinstance(value, set | frozenset):
        return _sequence(list(value), False, ndigits)
    if isinstance(value, list | tuple | np.ndarray | pd.Index):
        return _sequence(list(value), ordered, ndigits)
    raise NotComparable(f"cannot compare a value of type {type_name(value)}")


def fingerprint(value: Any, *, ordered: bool = True, ndigits: int = 6) -> str:
    """The ``sha256:...`` fingerprint of ``value``'s normal form, for visible tests.

    Instructors compute it once from the right answer and paste it into a test cell,
    e.g. ``fingerprint({"San Francisco Peace Treaty": 1951})``.
    Pass the same ``ordered`` and ``ndigits`` to the checker as here.
    """
    data = _dumps(normalize(value, ordered=ordered, ndigits=ndigits))
    return HASH_PREFIX + hashlib.sha256(data.encode("utf-8")).hexdigest()


def is_fingerprint(text: object) -> bool:
    """Whether ``text`` looks like a fingerprint made by :func:`fingerprint`."""
    return isinstance(text, str) and bool(_HASH.match(text))


def matches(answer: Any, expected: Any, *, hashed: bool, ordered: bool, ndigits: int) -> bool:
    """Whether ``answer`` equals ``expected`` (a fingerprint when ``hashed``) in normal form.

    An answer of a type the rules do not cover never matches.
    """
    try:
        if hashed:
            return fingerprint(answer, ordered=ordered, ndigits=ndigits) == str(expected)
        mine = normalize(answer, ordered=ordered, ndigits=ndigits)
        theirs = normalize(expected, ordered=ordered, ndigits=ndigits)
    except NotComparable:
        return False
    same: bool = _dumps(mine) == _dumps(theirs)
    return same


def type_name(value: object) -> str:
    """A short, readable name for the type of ``value`` (``DataFrame``, ``str``, ...)."""
    return type(value).__name__
