"""Tests of the checkers for values, dicts, lists and records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursekit.checks import (
    Kind,
    check_dict,
    check_list,
    check_records,
    check_true,
    check_value,
    fingerprint,
)

YEARS = {"San Francisco Peace Treaty": 1951, "Treaty on Basic Relations": 1965}
HASHES = {k: fingerprint(v) for k, v in YEARS.items()}


def _layer(result: object) -> str | None:
    failed = result.failed_layer  # type: ignore[attr-defined]
    return None if failed is None else str(failed.layer)


# --- check_value -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1965, np.int64(1965), 1965.0])
def test_value_passes_in_clear_and_hashed(value: object) -> None:
    kind: Kind = "number" if isinstance(value, float) else "int"
    assert check_value(value, kind=kind, expected=1965).passed
    assert check_value(value, kind=kind, expected_hash=fingerprint(1965)).passed


@pytest.mark.parametrize(
    ("value", "layer", "text"),
    [
        ("1965", "type", "write the number without quotes"),
        (True, "type", "but it is a bool"),
        (1965.0, "type", "use int(...)"),
        (None, "type", "but it is None"),
        (1966, "values", "year is not right yet"),
    ],
)
def test_value_failures(value: object, layer: str, text: str) -> None:
    result = check_value(value, name="year", kind="int", expected_hash=fingerprint(1965))
    assert _layer(result) == layer
    assert text in str(result)
    assert "1965" not in "".join(result.messages).replace(str(value), "")


def test_value_allowed_options() -> None:
    result = check_value("maybe", name="label", kind="str", allowed=["shared", "disputed"])
    assert _layer(result) == "contents"
    assert "'maybe', which is not one of the allowed values: 'shared', 'disputed'" in str(result)
    assert check_value("Shared", kind="str", allowed=["shared", "disputed"]).passed


def test_value_tips_for_dates_and_series() -> None:
    assert ".iloc[0]" in str(check_value(pd.Series([1]), kind="date"))
    assert "pd.Timestamp(...)" in str(check_value("2023-08-18", kind="date"))


def test_value_without_expected_checks_only_kind() -> None:
    assert check_value(pd.Timestamp("2023-08-18"), kind="date").passed
    assert not check_value(pd.NaT, kind="date").passed


def test_bad_fingerprint_is_an_instructor_error() -> None:
    with pytest.raises(ValueError, match="not a fingerprint"):
        check_value(1, expected_hash="1965")


# --- check_dict --------------------------------------------------------------------------


def test_dict_right_answer_passes_with_loose_keys() -> None:
    answer = {"san francisco  peace treaty": 1951, "Treaty on Basic Relations": np.int64(1965)}
    assert check_dict(answer, value_kind="int", expected_hashes=HASHES).passed
    assert check_dict(answer, value_kind="int", expected=YEARS).passed
    assert check_dict(answer, expected_hash=fingerprint(YEARS)).passed


def test_dict_type_failure_with_series_tip() -> None:
    result = check_dict(pd.Series(YEARS), name="treaty_years", keys=list(YEARS))
    assert _layer(result) == "type"
    assert ".to_dict()" in str(result)


def test_dict_missing_and_extra_keys_are_named() -> None:
    answer = {"San Francisco Peace Treaty": 1951, "Kono": 1993}
    result = check_dict(answer, name="treaty_years", expected_hashes=HASHES)
    assert _layer(result) == "shape"
    text = str(result)
    assert "missing the key(s) 'Treaty on Basic Relations'" in text
    assert "should not be there: 'Kono'" in text
    assert check_dict(answer, keys=["Kono"], allow_extra=True).passed


def test_dict_kind_failure_names_key() -> None:
    answer = {"San Francisco Peace Treaty": "1951", "Treaty on Basic Relations": 1965}
    result = check_dict(answer, name="treaty_years", value_kind="int", expected_hashes=HASHES)
    assert _layer(result) == "contents"
    assert "treaty_years['San Francisco Peace Treaty'] should be a whole number" in str(result)


def test_dict_per_key_kinds_and_allowed_values() -> None:
    result = check_dict(
        {"label": "both", "n": 2},
        keys=["label", "n"],
        value_kind={"label": "str", "n": "int"},
        allowed_values={"label": ["shared", "disputed"]},
    )
    assert _layer(result) == "contents"
    assert "answer['label'] is 'both'" in str(result)


def test_dict_wrong_values_name_keys_not_answers() -> None:
    answer = {"San Francisco Peace Treaty": 1952, "Treaty on Basic Relations": 1965}
    for result in (
        check_dict(answer, name="t", expected_hashes=HASHES),
        check_dict(answer, name="t", expected=YEARS),
    ):
        assert _layer(result) == "values"
        assert "1 of 2 value(s) are not right yet" in str(result)
        assert "'San Francisco Peace Treaty'" in str(result)
        assert "1951" not in str(result)


def test_dict_whole_hash_failure() -> None:
    answer = {"San Francisco Peace Treaty": 1952, "Treaty on Basic Relations": 1965}
    result = check_dict(answer, name="t", keys=list(YEARS), expected_hash=fingerprint(YEARS))
    assert _layer(result) == "values"
    assert "t is not right yet" in str(result)


# --- check_list --------------------------------------------------------------------------


def test_list_ordered_and_unordered() -> None:
    assert check_list([2012, 2013], expected=[2012, 2013]).passed
    assert check_list((2013, 2012), expected=[2012, 2013], ordered=False).passed
    assert check_list(
        [2013, 2012], expected_hash=fingerprint([2012, 2013], ordered=False), ordered=False
    ).passed
    result = check_list([2013, 2012], name="gaps", expected=[2012, 2013])
    assert _layer(result) == "values"
    assert "gaps[0], gaps[1]" in str(result)


def test_list_type_tips() -> None:
    assert ".tolist()" in str(check_list(pd.Series([1]), name="x"))
    assert "sorted(" in str(check_list({1, 2}, name="x"))


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"length": 3}, "should have 3 item(s), but it has 2"),
        ({"min_length": 3}, "at least 3"),
        ({"max_length": 1}, "at most 1"),
    ],
)
def test_list_length(kwargs: dict[str, int], text: str) -> None:
    result = check_list([1, 2], name="x", **kwargs)  # type: ignore[arg-type]
    assert _layer(result) == "shape"
    assert text in str(result)


def test_list_contents() -> None:
    result = check_list([1, "2", 1], name="x", item_kind="int", unique=True)
    assert _layer(result) == "contents"
    assert "x[1] should be a whole number" in str(result)
    assert "x[2] repeats x[0]" in str(result)
    result = check_list(["shared", "other"], name="x", allowed=["shared", "disputed"])
    assert "x[1] is 'other'" in str(result)


def test_list_item_hashes_name_positions() -> None:
    right = ["deterrence", "liberal order", "nontraditional security"]
    hashes = [fingerprint(x) for x in right]
    assert check_list(
        ["Deterrence", "liberal  order", "Nontraditional security"], item_hashes=hashes
    ).passed
    result = check_list(["deterrence", "x", "y"], name="recs", item_hashes=hashes)
    assert "2 of 3 item(s) are not right yet: recs[1], recs[2]" in str(result)
    assert "liberal" not in str(result)


def test_list_unordered_clear_names_extra_items() -> None:
    result = check_list([2012, 2014], name="gaps", expected=[2012, 2013], ordered=False)
    text = str(result)
    assert "should not be there: 2014" in text
    assert "missing 1 item(s)" in text
    assert "2013" not in text


# --- check_records -----------------------------------------------------------------------

FIELDS = ["objective", "label"]
RIGHT = [
    {"objective": "Deter North Korea", "label": "shared"},
    {"objective": "Balance China", "label": "disputed"},
]


def test_records_pass() -> None:
    hashes = {"label": [fingerprint("shared"), fingerprint("disputed")]}
    kinds: dict[str, Kind] = {"objective": "str", "label": "str"}
    assert check_records(
        RIGHT,
        fields=FIELDS,
        field_kinds=kinds,
        length=2,
        expected_hashes=hashes,
    ).passed
    assert check_records(RIGHT, fields=FIELDS, expected={"label": ["shared", "disputed"]}).passed


def test_records_each_layer() -> None:
    assert _layer(check_records({"a": 1}, fields=FIELDS)) == "type"
    assert "x[1] should be a dict" in str(check_records([{}, 3], name="x", fields=FIELDS))
    result = check_records([{"objective": "a"}], name="x", fields=FIELDS, length=2)
    assert "should have 2 item(s)" in str(result)
    assert "x[0] is missing the key(s) 'label'" in str(result)
    result = check_records(
        [{"objective": 1, "label": "both"}],
        name="x",
        fields=FIELDS,
        field_kinds={"objective": "str"},
        allowed_values={"label": ["shared", "disputed"]},
    )
    assert "x[0]['objective'] should be text" in str(result)
    assert "x[0]['label'] is 'both'" in str(result)
    swapped = [dict(RIGHT[0], label="disputed"), dict(RIGHT[1], label="shared")]
    result = check_records(
        swapped, name="x", fields=FIELDS, expected={"label": ["shared", "disputed"]}
    )
    assert _layer(result) == "values"
    assert "2 part(s) are not right yet: x[0]['label'], x[1]['label']" in str(result)


def test_check_true() -> None:
    assert check_true(sorted([1, 2]) == [1, 2], name="x", message="x should be sorted").passed
    result = check_true(False, name="x", message="x should be sorted")
    assert [layer.layer for layer in result.layers] == ["values"]
    assert "x should be sorted" in str(result)
