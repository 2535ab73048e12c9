"""Tests of normal forms and fingerprints."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from coursekit.checks import fingerprint, normalize
from coursekit.checks.normalize import NotComparable, is_fingerprint, matches, normalize_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("  US–JP–ROK ", "us-jp-rok"),
        ("Camp\u00a0David\nsummit", "camp david summit"),
        (1965.0, 1965),
        (np.int64(7), 7),
        (np.float64(0.1 + 0.2), 0.3),
        (pd.Timestamp("2023-08-18"), "2023-08-18"),
        (dt.date(2023, 8, 18), dt.datetime(2023, 8, 18)),
        ({"b": 1, "a": 2}, {"a": 2, "b": 1}),
        ((1, 2), [1, 2]),
        ({3, 1, 2}, [1, 2, 3]),
        (float("nan"), None),
        (pd.NA, None),
        (pd.Series([1, 2]), [1, 2]),
        (pd.Series({2019: 1}), {2019: 1}),
    ],
)
def test_equal_normal_forms(a: object, b: object) -> None:
    assert normalize(a) == normalize(b)
    assert fingerprint(a) == fingerprint(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (True, 1),
        ([1, 2], [2, 1]),
        (0.12, 0.13),
        ("1965", 1965),
        ("a b", "ab"),
        (pd.Timestamp("2023-08-18 10:00"), "2023-08-18"),
    ],
)
def test_different_values_have_different_fingerprints(a: object, b: object) -> None:
    assert fingerprint(a) != fingerprint(b)


def test_unordered_ignores_order_at_every_depth() -> None:
    a = {"x": [3, 1], "y": [[2, 1], [0]]}
    b = {"y": [[0], [1, 2]], "x": [1, 3]}
    assert fingerprint(a, ordered=False) == fingerprint(b, ordered=False)
    assert fingerprint(a) != fingerprint(b)


def test_ndigits_controls_float_rounding() -> None:
    assert fingerprint(2 / 3, ndigits=3) == fingerprint(0.667, ndigits=3)
    assert fingerprint(2 / 3) != fingerprint(0.667)


def test_frame_fingerprint_ignores_row_and_column_order_and_index() -> None:
    df = pd.DataFrame({"t": ["a", "b"], "n": [1, 2]})
    shuffled = df.iloc[::-1][["n", "t"]]
    assert fingerprint(df) == fingerprint(shuffled.reset_index(drop=True))
    assert fingerprint(df) == fingerprint(df.set_index("t").reset_index())
    assert fingerprint(df.set_index("t")) == fingerprint(df)


def test_fingerprint_shape() -> None:
    h = fingerprint({"San Francisco Peace Treaty": 1951})
    assert is_fingerprint(h)
    assert not is_fingerprint("sha256:xyz")
    assert not is_fingerprint(42)


def test_unknown_types_raise_and_never_match() -> None:
    with pytest.raises(NotComparable, match="object"):
        normalize(object())
    assert not matches(object(), 1, hashed=False, ordered=True, ndigits=6)
    assert not matches(object(), fingerprint(1), hashed=True, ordered=True, ndigits=6)


def test_normalize_text_examples() -> None:
    assert normalize_text("  Alignment   despite\tANTAGONISM ") == "alignment despite antagonism"
    assert normalize_text("Ｆｕｌｌ―width") == "full-width"
