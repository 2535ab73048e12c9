"""Kinds of value a checker can ask for, with student-friendly names and conversion tips.

A kind is a short name (``"int"``, ``"number"``, ``"str"``, ...) rather than a Python type,
so that NumPy and pandas scalars count as the numbers they are (``df["year"].max()`` is an
``int``), and ``True`` never counts as a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["KINDS", "Kind", "describe_kind", "is_kind", "kind_mismatch", "show"]

Kind = Literal["int", "number", "str", "bool", "date", "list", "dict", "any"]
"""The kinds a checker can require."""

KINDS: tuple[Kind, ...] = ("int", "number", "str", "bool", "date", "list", "dict", "any")

_DESCRIPTIONS: dict[Kind, str] = {
    "int": "a whole number (int)",
    "number": "a number (int or float)",
    "str": "text (str)",
    "bool": "True or False (bool)",
    "date": "a date (datetime.date or pandas Timestamp)",
    "list": "a list",
    "dict": "a dict",
    "any": "any value",
}


def is_kind(value: object, kind: Kind) -> bool:
    """Whether ``value`` is of ``kind``."""
    if kind == "any":
        return True
    if kind == "bool":
        return isinstance(value, bool | np.bool_)
    if isinstance(value, bool | np.bool_):
        return False
    if kind == "int":
        if isinstance(value, float | np.floating):
            return False
        return isinstance(value, int | np.integer)
    if kind == "number":
        return isinstance(value, int | float | np.integer | np.floating)
    if kind == "str":
        return isinstance(value, str)
    if kind == "date":
        if value is pd.NaT:
            return False
        return isinstance(value, dt.date | pd.Timestamp | np.datetime64)
    if kind == "list":
        return isinstance(value, list | tuple)
    return isinstance(value, Mapping)


def describe_kind(kind: Kind) -> str:
    """How to name ``kind`` to a student."""
    return _DESCRIPTIONS[kind]


def _tip(value: object, kind: Kind) -> str:
    if kind == "list" and isinstance(value, pd.Series | pd.Index | np.ndarray):
        return "; convert it with .tolist()"
    if kind == "list" and isinstance(value, set):
        return "; a set has no order: use sorted(...) to make a list"
    if kind == "int" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return "; write the number without quotes"
    if kind == "int" and isinstance(value, float | np.floating) and float(value).is_integer():
        return "; use int(...) to turn it into a whole number"
    if kind == "number" and isinstance(value, str):
        return "; write the number without quotes"
    if kind in ("date", "int", "number", "str") and isinstance(value, pd.Series | pd.DataFrame):
        return "; take a single value out of it, e.g. with .iloc[0]"
    if kind == "date" and isinstance(value, str):
        return "; turn the text into a date with pd.Timestamp(...)"
    if kind == "dict" and isinstance(value, pd.Series):
        return "; convert it with .to_dict()"
    if kind == "str" and value is None:
        return "; write your answer between quotes"
    return ""


def kind_mismatch(value: object, kind: Kind, where: str) -> str | None:
    """A message when ``value`` (found at ``where``) is not of ``kind``, else ``None``."""
    if is_kind(value, kind):
        return None
    shown = "None" if value is None else f"a {type(value).__name__}"
    return f"{where} should be {describe_kind(kind)}, but it is {shown}{_tip(value, kind)}"


def show(value: object) -> str:
    """``repr`` of a student's value as they would type it (NumPy scalars as plain numbers)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return repr(value.date().isoformat() if value == value.normalize() else value.isoformat())
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
