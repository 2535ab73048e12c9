"""Answers as data: the tagged-JSON format phase 1 records and phase 2 reads back.

Phase 1 (:mod:`coursekit.grading.capture`) turns each name a test needs into plain JSON with a
few tagged forms; phase 2 (:mod:`coursekit.grading.check`) rebuilds the values. The format
carries data only, never code: JSON scalars, lists and string-keyed dicts as themselves, and
``{"$": TAG, ...}`` objects for the rest:

======================  ===============================================================
tag                     what
======================  ===============================================================
``float``               NaN and the infinities (``"v"``: ``"nan"``, ``"inf"``, ``"-inf"``)
``tuple``, ``set``      ``"v"``: the items (``frozenset`` as ``set`` with ``"frozen"``)
``dict``                a dict with a key that is not a string: ``"v"``: ``[key, value]`` pairs
``np``                  a NumPy scalar: ``"dtype"`` and ``"v"``
``array``               a NumPy array: ``"dtype"``, ``"shape"``, ``"v"`` (flat items)
``ts``, ``td``          ``pd.Timestamp`` (ISO text, ``"tz"``) and ``pd.Timedelta`` (ns)
``dt``, ``date``        ``datetime.datetime`` and ``datetime.date``
``nat``, ``na``         ``pd.NaT`` and ``pd.NA``
``ellipsis``            ``...``: an answer the student has not given yet (``name = ...``)
``index``               a pandas ``Index``: ``"dtype"``, ``"names"``, ``"v"`` (or ``"range"``,
                        or ``"levels"`` for a MultiIndex)
``series``              a Series: ``"dtype"``, ``"name"``, ``"index"``, ``"v"``
``frame``               a DataFrame: ``"columns"`` (an index), ``"dtypes"``, ``"index"``,
                        ``"data"`` (one list per column)
``function``            a function the student wrote: ``"calls"``, the recorded results
``other``               a value of any other type: only its type name (``"type"``)
======================  ===============================================================

:func:`encode` never raises for a strange value (it records ``other``); :func:`decode` checks
every tag and dtype against a fixed list and raises :class:`BadCapture` for anything else.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "BadCapture",
    "NotCaptured",
    "RecordedFunction",
    "decode",
    "encode",
    "encode_call_result",
]

_DEPTH = 60
_DTYPE = re.compile(
    r"^(bool|boolean|u?int(8|16|32|64)|U?Int(8|16|32|64)|float(16|32|64)|Float(32|64)"
    r"|complex(64|128)|object|str|string|category|datetime64\[(s|ms|us|ns)(, [\w/+:-]+)?\]"
    r"|timedelta64\[(s|ms|us|ns)\]|string\[(python|pyarrow)\]|<U\d+)$"
)


class BadCapture(ValueError):
    """A record that is not in the capture format (damaged, or written by the student)."""


class NotCaptured:
    """Stands for an answer phase 1 could not record as data; any use of it fails clearly."""

    def __init__(self, name: str, type_name: str) -> None:
        """Stand for the answer ``name``, whose value was of type ``type_name``."""
        self._name, self._type = name, type_name

    def __repr__(self) -> str:
        """A short debugging form."""
        return f"<{self._name}: a {self._type} the grader cannot record>"

    def _fail(self, *_: Any, **__: Any) -> Any:
        raise TypeError(
            f"{self._name} is a {self._type}; the grader records only data (numbers, text, "
            "lists, dicts, sets, tuples, dates, pandas and NumPy objects)"
        )

    __call__ = __getattr__ = __getitem__ = __iter__ = __len__ = _fail


class RecordedFunction:
    """A student's function in phase 2: answers the calls phase 1 recorded, runs nothing."""

    def __init__(self, name: str, calls: list[tuple[Any, Any, str | None]]) -> None:
        """Answer the recorded ``calls``: encoded arguments, result and error text."""
        self.__name__ = name
        self._calls = calls  # (encoded arguments, result, error text)

    def __repr__(self) -> str:
        """A short debugging form."""
        return f"<function {self.__name__} (recorded)>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Return the result recorded for these arguments, or fail as the original call did."""
        key = encode([list(args), dict(sorted(kwargs.items()))])
        for known, result, error in self._calls:
            if known == key:
                if error is not None:
                    raise RuntimeError(f"{self.__name__}{_show(args, kwargs)} raised {error}")
                return decode(result)
        raise RuntimeError(
            f"{self.__name__}{_show(args, kwargs)} was not called while your notebook ran; "
            "the grader only knows the calls its tests declare"
        )


def _show(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"({', '.join(parts)})"


# -- encode (phase 1, in the sandbox) ----------------------------------------------------------
def encode(value: Any, depth: int = 0) -> Any:
    """``value`` as capture data (see the module docstring); never raises for odd values."""
    if depth > _DEPTH:
        return {"$": "other", "type": "nesting too deep"}
    kind = type(value)
    if value is None or kind is bool:
        return value
    if value is Ellipsis:
        return {"$": "ellipsis"}
    if kind is int:
        return int.__int__(value)
    if kind is float:
        return _float(value)
    if kind is str:
        return str.__str__(value)
    try:
        return _encode_rich(value, depth + 1)
    except Exception as exc:  # a value whose methods raise: record only what it was
        return {"$": "other", "type": f"{_type_name(value)} ({type(exc).__name__})"}


def _float(value: float) -> Any:
    if math.isfinite(value):
        return float.__float__(value)
    return {"$": "float", "v": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _encode_rich(value: Any, depth: int) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, np.generic):
        return {"$": "np", "dtype": str(value.dtype), "v": encode(value.item(), depth)}
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, str):
        return str.__str__(value)
    if value is pd.NaT:
        return {"$": "nat"}
    if value is pd.NA:
        return {"$": "na"}
    if isinstance(value, pd.Timestamp):
        return {"$": "ts", "v": value.isoformat(), "unit": value.unit}
    if isinstance(value, pd.Timedelta):
        return {"$": "td", "v": int(value.value)}
    if isinstance(value, _dt.datetime):
        return {"$": "dt", "v": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, pd.DataFrame):
        return _frame(value, depth)
    if isinstance(value, pd.Series):
        return {
            "$": "series",
            "dtype": _dtype(value.dtype),
            "name": encode(value.name, depth),
            "index": _index(value.index, depth),
            "v": [encode(v, depth) for v in value.tolist()],
        }
    if isinstance(value, pd.Index):
        return _index(value, depth)
    if isinstance(value, np.ndarray):
        return {
            "$": "array",
            "dtype": str(value.dtype),
            "shape": list(value.shape),
            "v": [encode(v, depth) for v in value.ravel().tolist()],
        }
    if isinstance(value, list):
        return [encode(v, depth) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode(v, depth) for v in tuple.__iter__(value)]}
    if isinstance(value, (set, frozenset)):
        items = [encode(v, depth) for v in value]
        return {"$": "set", "frozen": isinstance(value, frozenset), "v": items}
    if isinstance(value, dict):
        pairs = [(k, v) for k, v in dict.items(value)]
        if all(type(k) is str for k, _ in pairs):
            return {str.__str__(k): encode(v, depth) for k, v in pairs}
        return {"$": "dict", "v": [[encode(k, depth), encode(v, depth)] for k, v in pairs]}
    return {"$": "other", "type": _type_name(value)}


def _dtype(dtype: Any) -> Any:
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        return {
            "category": [encode(c) for c in dtype.categories.tolist()],
            "cat_dtype": _dtype(dtype.categories.dtype),
            "ordered": bool(dtype.ordered),
        }
    return str(dtype)


def _index(index: Any, depth: int) -> Any:
    import pandas as pd

    if isinstance(index, pd.RangeIndex):
        return {
            "$": "index",
            "range": [index.start, index.stop, index.step],
            "names": [encode(index.name)],
        }
    if isinstance(index, pd.MultiIndex):
        return {
            "$": "index",
            "levels": [_index(index.get_level_values(i), depth) for i in range(index.nlevels)],
            "names": [encode(n) for n in index.names],
        }
    return {
        "$": "index",
        "dtype": _dtype(index.dtype),
        "names": [encode(index.name)],
        "v": [encode(v, depth) for v in index.tolist()],
    }


def _frame(frame: Any, depth: int) -> Any:
    return {
        "$": "frame",
        "columns": _index(frame.columns, depth),
        "dtypes": [_dtype(t) for t in frame.dtypes.tolist()],
        "index": _index(frame.index, depth),
        "data": [
            [encode(v, depth) for v in frame.iloc[:, i].tolist()] for i in range(frame.shape[1])
        ],
    }


def encode_call_result(
    function: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]
) -> Any:
    """One recorded call: ``[encoded arguments, encoded result, error text or None]``."""
    key = encode([list(args), dict(sorted(kwargs.items()))])
    try:
        result = function(*args, **kwargs)
    except Exception as exc:
        return [key, None, f"{type(exc).__name__}: {str(exc)[:200]}"]
    return [key, encode(result), None]


# -- decode (phase 2, trusted) -----------------------------------------------------------------
def decode(data: Any, name: str = "value", depth: int = 0) -> Any:
    """Rebuild a value from capture data; raise :class:`BadCapture` if it is not in the format."""
    if depth > _DEPTH + 5:
        raise BadCapture(f"{name}: nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, name, depth + 1) for v in data]
    if not isinstance(data, dict):
        raise BadCapture(f"{name}: unexpected {type(data).__name__}")
    tag = data.get("$")
    if tag is None:
        return {k: decode(v, name, depth + 1) for k, v in data.items()}
    try:
        return _DECODERS[tag](data, name, depth + 1)
    except BadCapture:
        raise
    except KeyError as exc:
        raise BadCapture(f"{name}: unknown or incomplete tag {tag!r} ({exc})") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise BadCapture(f"{name}: cannot rebuild a {tag!r} ({exc})") from None


def _items(data: dict[str, Any], name: str, depth: int) -> list[Any]:
    items = data["v"]
    if not isinstance(items, list):
        raise BadCapture(f"{name}: items must be a list")
    return [decode(v, name, depth) for v in items]


def _pandas_dtype(spec: Any, name: str) -> Any:
    import pandas as pd

    if isinstance(spec, dict):
        cats = [decode(c, name) for c in spec["category"]]
        categories = pd.Index(cats, dtype=_pandas_dtype(spec["cat_dtype"], name))
        return pd.CategoricalDtype(categories, ordered=bool(spec["ordered"]))
    if not isinstance(spec, str) or not _DTYPE.match(spec):
        raise BadCapture(f"{name}: unsupported dtype {str(spec)[:40]!r}")
    return pd.api.types.pandas_dtype(spec)


def _array_like(values: list[Any], spec: Any, name: str) -> Any:
    import pandas as pd

    dtype = _pandas_dtype(spec, name)
    if str(dtype).startswith(("datetime64", "timedelta64")):
        return pd.array(values, dtype=dtype)
    if str(dtype) == "object":
        import numpy as np

        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return pd.array(values, dtype=dtype)


def _index_of(data: Any, name: str, depth: int) -> Any:
    import pandas as pd

    if not isinstance(data, dict) or data.get("$") != "index":
        raise BadCapture(f"{name}: an index was expected")
    names = [decode(n, name, depth) for n in data["names"]]
    if "range" in data:
        start, stop, step = (int(x) for x in data["range"])
        return pd.RangeIndex(start, stop, step, name=names[0])
    if "levels" in data:
        levels = [_index_of(level, name, depth + 1) for level in data["levels"]]
        return pd.MultiIndex.from_arrays(levels, names=names)
    values = _items(data, name, depth)
    return pd.Index(_array_like(values, data["dtype"], name), name=names[0], tupleize_cols=False)


def _decode_frame(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    columns = _index_of(data["columns"], name, depth)
    index = _index_of(data["index"], name, depth)
    dtypes, cols = data["dtypes"], data["data"]
    if not (isinstance(cols, list) and isinstance(dtypes, list)):
        raise BadCapture(f"{name}: a frame needs lists of columns and dtypes")
    if not len(cols) == len(dtypes) == len(columns):
        raise BadCapture(f"{name}: a frame's columns, dtypes and data disagree")
    arrays = []
    for values, spec in zip(cols, dtypes, strict=True):
        if not isinstance(values, list) or len(values) != len(index):
            raise BadCapture(f"{name}: a column's length is not the index's")
        arrays.append(_array_like([decode(v, name, depth) for v in values], spec, name))
    frame = pd.DataFrame(
        {i: pd.Series(a, index=index, copy=False) for i, a in enumerate(arrays)}, index=index
    )
    frame.columns = columns
    return frame


def _decode_series(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    index = _index_of(data["index"], name, depth)
    values = _items(data, name, depth)
    if len(values) != len(index):
        raise BadCapture(f"{name}: a Series' values and index disagree")
    array = _array_like(values, data["dtype"], name)
    return pd.Series(array, index=index, name=decode(data["name"], name, depth))


def _decode_np(data: dict[str, Any], name: str, depth: int) -> Any:
    import numpy as np

    spec = data["dtype"]
    if not isinstance(spec, str) or not _DTYPE.match(spec):
        raise BadCapture(f"{name}: unsupported NumPy dtype {str(spec)[:40]!r}")
    return np.array(decode(data["v"], name, depth), dtype=spec)[()]


def _decode_array(data: dict[str, Any], name: str, depth: int) -> Any:
    import numpy as np

    spec = data["dtype"]
    if not isinstance(spec, str) or not _DTYPE.match(spec):
        raise BadCapture(f"{name}: unsupported NumPy dtype {str(spec)[:40]!r}")
    shape = tuple(int(n) for n in data["shape"])
    values = _items(data, name, depth)
    out = np.empty(len(values), dtype=object) if spec == "object" else None
    if out is not None:
        out[:] = values
        return out.reshape(shape)
    return np.array(values, dtype=spec).reshape(shape)


def _decode_float(data: dict[str, Any], name: str, depth: int) -> float:
    text = data["v"]
    if text not in ("nan", "inf", "-inf"):
        raise BadCapture(f"{name}: bad float {str(text)[:20]!r}")
    return float(text)


def _decode_set(data: dict[str, Any], name: str, depth: int) -> Any:
    items = _items(data, name, depth)
    return frozenset(items) if data.get("frozen") else set(items)


def _decode_dict(data: dict[str, Any], name: str, depth: int) -> dict[Any, Any]:
    out = {}
    for pair in _items(data, name, depth):
        key, value = pair
        out[_hashable(key)] = value
    return out


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _decode_ts(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    stamp = pd.Timestamp(str(data["v"]))
    unit = data.get("unit")
    return stamp.as_unit(unit) if unit in ("s", "ms", "us", "ns") else stamp


def _decode_td(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    return pd.Timedelta(int(data["v"]), unit="ns")


def _decode_nat(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    return pd.NaT


def _decode_na(data: dict[str, Any], name: str, depth: int) -> Any:
    import pandas as pd

    return pd.NA


def _decode_other(data: dict[str, Any], name: str, depth: int) -> Any:
    return NotCaptured(name, str(data.get("type", "value"))[:80])


def _decode_function(data: dict[str, Any], name: str, depth: int) -> Any:
    calls = []
    for call in data["calls"]:
        key, result, error = call
        calls.append((key, result, None if error is None else str(error)[:300]))
    return RecordedFunction(name, calls)


_DECODERS: dict[str, Callable[[dict[str, Any], str, int], Any]] = {
    "float": _decode_float,
    "tuple": lambda d, n, k: tuple(_items(d, n, k)),
    "set": _decode_set,
    "dict": _decode_dict,
    "np": _decode_np,
    "array": _decode_array,
    "ts": _decode_ts,
    "td": _decode_td,
    "dt": lambda d, n, k: _dt.datetime.fromisoformat(str(d["v"])),
    "date": lambda d, n, k: _dt.date.fromisoformat(str(d["v"])),
    "nat": _decode_nat,
    "ellipsis": lambda d, n, k: Ellipsis,
    "na": _decode_na,
    "index": _index_of,
    "series": _decode_series,
    "frame": _decode_frame,
    "function": _decode_function,
    "other": _decode_other,
}
