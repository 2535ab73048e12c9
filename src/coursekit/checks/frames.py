"""Checkers for pandas answers: DataFrames with exact columns, and Series.

Layers: type (a DataFrame / Series) -> shape (columns, rows) -> contents (column kinds,
missing values, duplicate keys) -> values. Rows are matched by ``key`` columns, never by
position, so row order does not matter. Expected values come in clear (a DataFrame, for
hidden tests) or as per-column fingerprints from :func:`column_fingerprints` (for visible
tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
from pandas.api import types as ptypes

from coursekit.checks.kinds import show
from coursekit.checks.normalize import NotComparable, fingerprint, is_fingerprint, normalize
from coursekit.checks.results import CheckResult, run_four_layers

__all__ = ["KEYS_FIELD", "ColumnKind", "check_frame", "check_series", "column_fingerprints"]

ColumnKind = Literal["int", "number", "str", "datetime", "bool", "any"]
"""The kind of values a column must hold."""

_COLUMN_KIND_NAMES: dict[ColumnKind, str] = {
    "int": "whole numbers",
    "number": "numbers",
    "str": "text",
    "datetime": "dates (datetime64)",
    "bool": "True/False values",
    "any": "any values",
}

KEYS_FIELD = "__keys__"
"""The entry of :func:`column_fingerprints` that fingerprints the key values."""


def _column_is(series: pd.Series, kind: ColumnKind) -> bool:
    if kind == "any":
        return True
    if kind == "bool":
        return ptypes.is_bool_dtype(series)
    if ptypes.is_bool_dtype(series):
        return False
    if kind == "number":
        return ptypes.is_numeric_dtype(series)
    if kind == "int":
        if ptypes.is_integer_dtype(series):
            return True
        if ptypes.is_float_dtype(series):
            values = series.dropna()
            return bool((values == values.round()).all())
        return False
    if kind == "datetime":
        return ptypes.is_datetime64_any_dtype(series)
    if ptypes.is_string_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype):
        return bool(series.dropna().map(lambda v: isinstance(v, str)).all())
    return False


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _row_order(frame: pd.DataFrame, key: Sequence[str], ndigits: int) -> list[tuple[str, int]]:
    """``(normalized key, position)`` for every row, sorted by the normalized key."""
    rows = []
    for pos in range(len(frame)):
        values = [normalize(frame[k].iloc[pos], ndigits=ndigits) for k in key]
        rows.append((_dumps(values), pos))
    return sorted(rows)


def _describe_key(frame: pd.DataFrame, key: Sequence[str], pos: int) -> str:
    return ", ".join(f"{k}={show(frame[k].iloc[pos])}" for k in key)


def column_fingerprints(
    frame: pd.DataFrame,
    *,
    key: Sequence[str],
    columns: Sequence[str] | None = None,
    ndigits: int = 6,
) -> dict[str, str]:
    """Fingerprints of each column of the right answer, with rows ordered by ``key``.

    Pass the result as ``column_hashes`` to :func:`check_frame` with the same ``key`` and
    ``ndigits``. The entry ``"__keys__"`` fingerprints the set of key values.
    """
    order = [pos for _, pos in _row_order(frame, key, ndigits)]
    keys = [[normalize(frame[k].iloc[p], ndigits=ndigits) for k in key] for p in order]
    out = {KEYS_FIELD: fingerprint(keys, ndigits=ndigits)}
    for col in columns if columns is not None else [c for c in frame.columns if c not in key]:
        out[str(col)] = fingerprint([frame[col].iloc[p] for p in order], ndigits=ndigits)
    return out


def check_frame(
    answer: Any,
    *,
    name: str = "answer",
    columns: Sequence[str],
    column_kinds: Mapping[str, ColumnKind] | None = None,
    key: Sequence[str] | None = None,
    n_rows: int | None = None,
    allow_missing: bool | Sequence[str] = False,
    expected: pd.DataFrame | None = None,
    column_hashes: Mapping[str, str] | None = None,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a DataFrame: type, exact columns and row count, column kinds, then values.

    ``columns`` are the exact column names (any order). ``key`` names the columns that
    identify a row (unique); values are compared row by row after matching keys, with
    ``expected`` (a DataFrame) or ``column_hashes`` (from :func:`column_fingerprints`).
    ``allow_missing`` is ``True``, ``False`` or the columns that may hold missing values.
    """
    for h in (column_hashes or {}).values():
        if not is_fingerprint(h):
            raise ValueError(f"not a fingerprint: {h!r}; use checks.column_fingerprints(...)")
    if (expected is not None or column_hashes is not None) and not key:
        raise ValueError("comparing values needs key= (the columns that identify a row)")
    if n_rows is None and expected is not None:
        n_rows = len(expected)
    kinds = dict(column_kinds or {})
    row_key = list(key or [])

    def type_layer() -> Iterator[str]:
        if isinstance(answer, pd.DataFrame):
            return
        tip = ""
        if isinstance(answer, pd.Series):
            tip = "; turn it into a DataFrame, e.g. with .reset_index()"
        yield f"{name} should be a pandas DataFrame, but it is a {type(answer).__name__}{tip}"

    def shape_layer() -> Iterator[str]:
        have = [str(c) for c in answer.columns]
        repeated = sorted({c for c in have if have.count(c) > 1})
        if repeated:
            yield f"{name} has repeated column name(s) {', '.join(map(repr, repeated))}"
            return
        missing = [c for c in columns if c not in have]
        extra = [c for c in have if c not in columns]
        if missing:
            in_index = [c for c in missing if c in [str(n) for n in answer.index.names]]
            tip = "; they are in the index: call .reset_index()" if in_index else ""
            yield f"{name} is missing the column(s) {', '.join(map(repr, missing))}{tip}"
        if extra:
            yield f"{name} has column(s) that should not be there: {', '.join(map(repr, extra))}"
        if n_rows is not None and len(answer) != n_rows:
            yield f"{name} should have {n_rows} row(s), but it has {len(answer)}"

    def contents_layer() -> Iterator[str]:
        for col in columns:
            series = answer[col]
            kind = kinds.get(col, "any")
            if not _column_is(series, kind):
                yield (
                    f"column {col!r} of {name} should hold {_COLUMN_KIND_NAMES[kind]}, "
                    f"but its dtype is {series.dtype}"
                )
            may_miss = allow_missing is True or (
                not isinstance(allow_missing, bool) and col in allow_missing
            )
            n_missing = int(series.isna().sum())
            if n_missing and not may_miss:
                first = int(series.isna().to_numpy().nonzero()[0][0])
                yield (
                    f"column {col!r} of {name} has {n_missing} missing value(s), "
                    f"the first in row {first}"
                )
        if row_key:
            dup = answer.duplicated(subset=row_key, keep="first")
            if bool(dup.any()):
                pos = int(dup.to_numpy().nonzero()[0][0])
                yield (
                    f"{name} has {int(dup.sum())} duplicate row(s) for the same "
                    f"{', '.join(row_key)}, the first at {_describe_key(answer, row_key, pos)}"
                )

    def values_layer() -> Iterator[str]:
        try:
            mine = _row_order(answer, row_key, ndigits)
        except NotComparable as exc:
            yield f"{name} has key values that cannot be compared ({exc})"
            return
        value_columns = [c for c in columns if c not in row_key]
        if column_hashes is not None:
            keys = [json.loads(k) for k, _ in mine]
            if (
                KEYS_FIELD in column_hashes
                and fingerprint(keys, ndigits=ndigits) != column_hashes[KEYS_FIELD]
            ):
                yield f"the rows of {name} are not the right ones (compare your {row_key} values)"
                return
            order = [pos for _, pos in mine]
            wrong = [
                c
                for c in value_columns
                if c in column_hashes
                and not _hash_ok([answer[c].iloc[p] for p in order], column_hashes[c], ndigits)
            ]
            if wrong:
                yield f"column(s) {', '.join(map(repr, wrong))} of {name} are not right yet"
            return
        assert expected is not None  # noqa: S101 (narrows the type for mypy)
        yield from _compare_to_expected(answer, expected, name, row_key, value_columns, ndigits)

    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if expected is not None or column_hashes is not None else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=True,
        ndigits=ndigits,
    )


def _hash_ok(values: Any, expected_hash: str, ndigits: int) -> bool:
    try:
        return fingerprint(values, ndigits=ndigits) == expected_hash
    except NotComparable:
        return False


def _compare_to_expected(
    answer: pd.DataFrame,
    expected: pd.DataFrame,
    name: str,
    key: list[str],
    value_columns: list[str],
    ndigits: int,
) -> Iterator[str]:
    mine = dict(_row_order(answer, key, ndigits))
    theirs = dict(_row_order(expected, key, ndigits))
    extra = [k for k in mine if k not in theirs]
    missing = [k for k in theirs if k not in mine]
    if extra:
        shown = "; ".join(_describe_key(answer, key, mine[k]) for k in extra[:3])
        yield f"{name} has {len(extra)} row(s) that should not be there, e.g. {shown}"
    if missing:
        shown = "; ".join(_describe_key(expected, key, theirs[k]) for k in missing[:3])
        yield f"{name} is missing {len(missing)} row(s), e.g. {shown}"
    if extra or missing:
        return
    for col in value_columns:
        bad = []
        for k, pos in mine.items():
            try:
                a = normalize(answer[col].iloc[pos], ndigits=ndigits)
            except NotComparable:
                a = object()
            b = normalize(expected[col].iloc[theirs[k]], ndigits=ndigits)
            if repr(a) != repr(b):
                bad.append(pos)
        if bad:
            yield (
                f"column {col!r} of {name} is not right in {len(bad)} row(s), "
                f"e.g. at {_describe_key(answer, key, bad[0])}"
            )


def check_series(
    answer: Any,
    *,
    name: str = "answer",
    length: int | None = None,
    kind: ColumnKind = "any",
    allow_missing: bool = False,
    expected: pd.Series | Mapping[Any, Any] | None = None,
    expected_hash: str | None = None,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a Series: type, length, value kind and missing values, then index and values.

    Values are matched by index label: ``expected`` (a Series or a dict from label to
    value) names the labels that differ; ``expected_hash`` is
    ``fingerprint(right_series)``.
    """
    if expected_hash is not None and not is_fingerprint(expected_hash):
        raise ValueError(f"not a fingerprint: {expected_hash!r}")
    want = None if expected is None else pd.Series(expected)
    if length is None and want is not None:
        length = len(want)

    def type_layer() -> Iterator[str]:
        if isinstance(answer, pd.Series):
            return
        tip = ""
        if isinstance(answer, pd.DataFrame):
            tip = "; select one column, e.g. frame['column']"
        yield f"{name} should be a pandas Series, but it is a {type(answer).__name__}{tip}"

    def shape_layer() -> Iterator[str]:
        if length is not None and len(answer) != length:
            yield f"{name} should have {length} value(s), but it has {len(answer)}"

    def contents_layer() -> Iterator[str]:
        if not _column_is(answer, kind):
            yield f"{name} should hold {_COLUMN_KIND_NAMES[kind]}, but its dtype is {answer.dtype}"
        n_missing = int(answer.isna().sum())
        if n_missing and not allow_missing:
            yield f"{name} has {n_missing} missing value(s)"
        if answer.index.has_duplicates:
            yield f"the index of {name} has repeated labels; each label should appear once"

    def values_layer() -> Iterator[str]:
        if expected_hash is not None:
            if not _hash_ok(answer, expected_hash, ndigits):
                yield f"{name} is not right yet"
            return
        if want is None:
            return
        mine = {repr(normalize(k)): k for k in answer.index}
        theirs = {repr(normalize(k)): k for k in want.index}
        extra = [mine[k] for k in mine if k not in theirs]
        if extra:
            yield (
                f"{name} has label(s) that should not be there: "
                f"{', '.join(show(e) for e in extra[:5])}"
            )
        if len(theirs) - (len(mine) - len(extra)):
            yield f"{name} is missing {len(theirs) - (len(mine) - len(extra))} label(s)"
        if extra:
            return
        bad = [
            mine[k]
            for k in mine
            if k in theirs
            and repr(normalize(answer[mine[k]], ndigits=ndigits))
            != repr(normalize(want[theirs[k]], ndigits=ndigits))
        ]
        if bad:
            yield f"{name} is not right for {len(bad)} label(s), e.g. {show(bad[0])}"

    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if expected is not None or expected_hash is not None else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=True,
        ndigits=ndigits,
    )
