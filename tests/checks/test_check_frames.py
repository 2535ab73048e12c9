"""Tests of the DataFrame and Series checkers."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit.checks import check_frame, check_series, column_fingerprints, fingerprint
from coursekit.checks.frames import ColumnKind as FrameKind

COLUMNS = ["trilateral", "year", "leaders_meetings", "ratio"]
KEY = ["trilateral", "year"]


@pytest.fixture
def right() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trilateral": ["US-JP-ROK", "US-JP-ROK", "CN-JP-ROK", "CN-JP-ROK"],
            "year": [2022, 2023, 2022, 2023],
            "leaders_meetings": [2, 3, 0, 0],
            "ratio": [2 / 3, 1.0, 0.0, 0.0],
        }
    )


def _check(answer: object, right: pd.DataFrame, hashed: bool) -> object:
    kinds: dict[str, FrameKind] = {
        "trilateral": "str",
        "year": "int",
        "leaders_meetings": "int",
        "ratio": "number",
    }
    if hashed:
        return check_frame(
            answer,
            name="table",
            columns=COLUMNS,
            column_kinds=kinds,
            key=KEY,
            n_rows=4,
            column_hashes=column_fingerprints(right, key=KEY),
        )
    return check_frame(
        answer, name="table", columns=COLUMNS, column_kinds=kinds, key=KEY, expected=right
    )


def _layer(result: object) -> str | None:
    failed = result.failed_layer  # type: ignore[attr-defined]
    return None if failed is None else str(failed.layer)


@pytest.mark.parametrize("hashed", [True, False])
def test_right_frame_passes_in_any_row_and_column_order(right: pd.DataFrame, hashed: bool) -> None:
    shuffled = right.iloc[[3, 1, 0, 2]][["ratio", "year", "trilateral", "leaders_meetings"]]
    assert _check(shuffled, right, hashed).passed  # type: ignore[attr-defined]
    floats = right.astype({"leaders_meetings": "float64", "year": "Int64"})
    assert _check(floats, right, hashed).passed  # type: ignore[attr-defined]


@pytest.mark.parametrize("hashed", [True, False])
def test_type_layer(right: pd.DataFrame, hashed: bool) -> None:
    result = _check(right["year"], right, hashed)
    assert _layer(result) == "type"
    assert ".reset_index()" in str(result)
    assert _layer(_check([1, 2], right, hashed)) == "type"


@pytest.mark.parametrize("hashed", [True, False])
def test_shape_layer(right: pd.DataFrame, hashed: bool) -> None:
    result = _check(right.set_index(KEY), right, hashed)
    assert _layer(result) == "shape"
    assert "they are in the index: call .reset_index()" in str(result)
    result = _check(right.assign(extra=1).drop(columns="ratio"), right, hashed)
    assert "missing the column(s) 'ratio'" in str(result)
    assert "should not be there: 'extra'" in str(result)
    result = _check(right.iloc[:3], right, hashed)
    assert "should have 4 row(s), but it has 3" in str(result)
    doubled = pd.concat([right, right[["ratio"]]], axis=1)
    assert "repeated column name(s) 'ratio'" in str(_check(doubled, right, hashed))


@pytest.mark.parametrize("hashed", [True, False])
def test_contents_layer(right: pd.DataFrame, hashed: bool) -> None:
    bad = right.assign(leaders_meetings=[2.5, 3, 0, 0])
    result = _check(bad, right, hashed)
    assert _layer(result) == "contents"
    assert "column 'leaders_meetings' of table should hold whole numbers" in str(result)
    result = _check(right.assign(year=right["year"].astype(str)), right, hashed)
    assert "column 'year' of table should hold whole numbers" in str(result)
    gap = right.assign(ratio=[None, 1.0, 0.0, 0.0])  # type: ignore[list-item]
    result = _check(gap, right, hashed)
    assert "column 'ratio' of table has 1 missing value(s), the first in row 0" in str(result)
    dup = right.assign(year=[2022, 2022, 2022, 2023])
    result = _check(dup, right, hashed)
    assert "1 duplicate row(s)" in str(result)
    assert "trilateral='US-JP-ROK', year=2022" in str(result)


def test_values_layer_hashed_names_columns_only(right: pd.DataFrame) -> None:
    wrong = right.assign(ratio=[0.5, 1.0, 0.0, 0.0])
    result = _check(wrong, right, hashed=True)
    assert _layer(result) == "values"
    assert "column(s) 'ratio' of table are not right yet" in str(result)
    other_keys = right.assign(year=[2020, 2023, 2022, 2023])
    assert "not the right ones" in str(_check(other_keys, right, hashed=True))


def test_values_layer_clear_names_first_row(right: pd.DataFrame) -> None:
    wrong = right.assign(leaders_meetings=[2, 1, 0, 0])
    result = _check(wrong, right, hashed=False)
    text = str(result)
    assert "column 'leaders_meetings' of table is not right in 1 row(s)" in text
    assert "trilateral='US-JP-ROK', year=2023" in text
    other_keys = right.assign(year=[2020, 2023, 2022, 2023])
    text = str(_check(other_keys, right, hashed=False))
    assert "1 row(s) that should not be there, e.g. trilateral='US-JP-ROK', year=2020" in text
    assert "missing 1 row(s)" in text


def test_ratio_rounding_tolerance(right: pd.DataFrame) -> None:
    close = right.assign(ratio=[0.6667, 1.0, 0.0, 0.0])
    assert not _check(close, right, hashed=True).passed  # type: ignore[attr-defined]
    hashes = column_fingerprints(right, key=KEY, ndigits=3)
    result = check_frame(close, columns=COLUMNS, key=KEY, column_hashes=hashes, ndigits=3)
    assert result.passed


def test_allow_missing_columns(right: pd.DataFrame) -> None:
    gap = right.assign(ratio=[None, 1.0, 0.0, 0.0])  # type: ignore[list-item]
    assert check_frame(gap, columns=COLUMNS, allow_missing=["ratio"]).passed
    assert not check_frame(gap, columns=COLUMNS, allow_missing=["year"]).passed
    assert check_frame(gap, columns=COLUMNS, allow_missing=True).passed


def test_instructor_errors(right: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="key="):
        check_frame(right, columns=COLUMNS, expected=right)
    with pytest.raises(ValueError, match="fingerprint"):
        check_frame(right, columns=COLUMNS, key=KEY, column_hashes={"ratio": "x"})


# --- Series ------------------------------------------------------------------------------

COUNTS = pd.Series({2012: 1, 2013: 0, 2014: 0})


def test_series_pass() -> None:
    assert check_series(COUNTS.iloc[::-1], kind="int", expected=COUNTS).passed
    assert check_series(COUNTS, expected_hash=fingerprint(COUNTS)).passed
    assert check_series(COUNTS.astype(float), kind="int", expected=COUNTS.to_dict()).passed


def test_series_layers() -> None:
    result = check_series(COUNTS.to_frame("n"), name="s")
    assert _layer(result) == "type"
    assert "select one column" in str(result)
    assert "should have 3 value(s), but it has 2" in str(
        check_series(COUNTS.iloc[:2], expected=COUNTS)
    )
    result = check_series(pd.Series([1, None], index=[1, 1]), name="s", kind="str")
    text = str(result)
    assert "should hold text" in text
    assert "1 missing value(s)" in text
    assert "repeated labels" in text
    text = str(check_series(pd.Series({2012: 1, 2013: 0, 2015: 0}), name="s", expected=COUNTS))
    assert "label(s) that should not be there: 2015" in text
    assert "missing 1 label(s)" in text
    text = str(check_series(pd.Series({2012: 1, 2013: 5, 2014: 0}), name="s", expected=COUNTS))
    assert "not right for 1 label(s), e.g. 2013" in text
    assert "s is not right yet" in str(
        check_series(COUNTS + 1, name="s", expected_hash=fingerprint(COUNTS))
    )
