"""Checkers for plain Python answers: single values, dicts, lists and lists of records.

Every checker runs the layers type -> shape -> contents -> values and returns a
:class:`~coursekit.checks.results.CheckResult`. Expected values are given either in clear
(``expected=...``, for hidden tests) or as fingerprints (``expected_hash=...`` or per part,
for visible tests); both are compared in the normal form of :mod:`coursekit.checks.normalize`.
Messages name the place that is wrong (``treaty_years['Kono Statement']``, ``eras[3]``) and
never the expected value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from coursekit.checks.kinds import Kind, kind_mismatch, show
from coursekit.checks.normalize import (
    NotComparable,
    is_fingerprint,
    matches,
    normalize,
)
from coursekit.checks.results import CheckResult, Layer, run_four_layers, run_layers

__all__ = ["check_dict", "check_list", "check_records", "check_true", "check_value"]


def _validate_hashes(*hashes: object) -> None:
    """Fail loudly (for the instructor) when a fingerprint is malformed."""
    for h in hashes:
        if h is not None and not is_fingerprint(h):
            raise ValueError(f"not a fingerprint: {h!r}; make one with checks.fingerprint(value)")


def _allowed_problem(value: Any, allowed: Sequence[Any], where: str, ndigits: int) -> str | None:
    try:
        mine = normalize(value, ndigits=ndigits)
    except NotComparable:
        mine = object()
    options = [repr(normalize(a, ndigits=ndigits)) for a in allowed]
    if repr(mine) in options:
        return None
    shown = ", ".join(repr(a) for a in allowed)
    return f"{where} is {show(value)}, which is not one of the allowed values: {shown}"


def _same(
    answer: Any, expected: Any, expected_hash: str | None, *, ordered: bool, ndigits: int
) -> bool:
    if expected_hash is not None:
        return matches(answer, expected_hash, hashed=True, ordered=ordered, ndigits=ndigits)
    return matches(answer, expected, hashed=False, ordered=ordered, ndigits=ndigits)


def check_value(
    answer: Any,
    *,
    name: str = "answer",
    kind: Kind = "any",
    allowed: Sequence[Any] | None = None,
    expected: Any = None,
    expected_hash: str | None = None,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check one value: its kind, that it is one of ``allowed``, and that it is right.

    ``expected`` (in clear) or ``expected_hash`` (a fingerprint) gives the right value;
    give neither to check only kind and allowed values. Floats are compared after rounding
    to ``ndigits`` decimals. ``known_wrong`` maps fingerprints of common mistakes to their
    hints (:func:`coursekit.checks.known_wrong`).
    """
    _validate_hashes(expected_hash)

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, kind, name)
        if problem:
            yield problem

    def contents_layer() -> Iterator[str]:
        if allowed is not None:
            problem = _allowed_problem(answer, allowed, name, ndigits)
            if problem:
                yield problem

    def values_layer() -> Iterator[str]:
        if not _same(answer, expected, expected_hash, ordered=True, ndigits=ndigits):
            yield f"{name} is not right yet"

    steps: list[tuple[Layer, Callable[[], Iterable[str]]]] = [
        ("type", type_layer),
        ("contents", contents_layer),
    ]
    if expected is not None or expected_hash is not None:
        steps.append(("values", values_layer))
    return run_layers(
        name,
        steps,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ndigits=ndigits,
    )


def _match_keys(answer: Mapping[Any, Any], keys: Sequence[Hashable]) -> dict[Hashable, Any]:
    """Map each wanted key to the student's key with the same normal form."""
    by_norm: dict[str, Any] = {}
    for k in answer:
        try:
            by_norm.setdefault(repr(normalize(k)), k)
        except NotComparable:
            continue
    found: dict[Hashable, Any] = {}
    for key in keys:
        norm = repr(normalize(key))
        if norm in by_norm:
            found[key] = by_norm[norm]
    return found


def _per_key(spec: Any, key: Hashable, default: Any) -> Any:
    if isinstance(spec, Mapping):
        return spec.get(key, default)
    return spec if spec is not None else default


def check_dict(
    answer: Any,
    *,
    name: str = "answer",
    keys: Sequence[Hashable] | None = None,
    allow_extra: bool = False,
    value_kind: Kind | Mapping[Any, Kind] = "any",
    allowed_values: Sequence[Any] | Mapping[Any, Sequence[Any]] | None = None,
    expected: Mapping[Any, Any] | None = None,
    expected_hashes: Mapping[Any, str] | None = None,
    expected_hash: str | None = None,
    ordered: bool = True,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a dict: its type, its keys, the kind of each value, then the values.

    Keys are matched ignoring case, spacing and dash style. ``keys`` defaults to the keys
    of ``expected`` or ``expected_hashes``. Values are checked per key against ``expected``
    (in clear) or ``expected_hashes`` (fingerprints), so a message can say which key is
    wrong; ``expected_hash`` checks the whole dict at once.
    """
    _validate_hashes(expected_hash, *(expected_hashes or {}).values())
    wanted: list[Hashable] = list(keys or expected or expected_hashes or [])
    matched: dict[Hashable, Any] = {}

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, "dict", name)
        if problem:
            yield problem

    def shape_layer() -> Iterator[str]:
        matched.update(_match_keys(answer, wanted))
        missing = [k for k in wanted if k not in matched]
        if missing:
            yield f"{name} is missing the key(s) {', '.join(repr(k) for k in missing)}"
        if wanted and not allow_extra:
            used = set(matched.values())
            extra = [k for k in answer if k not in used]
            if extra:
                yield (
                    f"{name} has key(s) that should not be there: "
                    f"{', '.join(show(k) for k in extra)}"
                )

    def contents_layer() -> Iterator[str]:
        for key in wanted:
            value = answer[matched[key]]
            where = f"{name}[{key!r}]"
            problem = kind_mismatch(value, _per_key(value_kind, key, "any"), where)
            if problem:
                yield problem
                continue
            options = _per_key(allowed_values, key, None)
            if options is not None:
                problem = _allowed_problem(value, options, where, ndigits)
                if problem:
                    yield problem

    def values_layer() -> Iterator[str]:
        wrong = []
        for key in wanted:
            value = answer[matched[key]]
            if expected_hashes is not None and key in expected_hashes:
                ok = _same(value, None, expected_hashes[key], ordered=ordered, ndigits=ndigits)
            elif expected is not None and key in expected:
                ok = _same(value, expected[key], None, ordered=ordered, ndigits=ndigits)
            else:
                continue
            if not ok:
                wrong.append(key)
        if wrong:
            yield (
                f"{len(wrong)} of {len(wanted)} value(s) are not right yet, for the key(s) "
                f"{', '.join(repr(k) for k in wrong)}"
            )
        elif expected_hash is not None:
            picked = {k: answer[matched[k]] for k in wanted} if wanted else answer
            if not _same(picked, None, expected_hash, ordered=ordered, ndigits=ndigits):
                yield f"{name} is not right yet"

    compares = expected is not None or expected_hashes is not None or expected_hash is not None
    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if compares else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=ordered,
        ndigits=ndigits,
    )


def _length_problems(
    seq: Sequence[Any],
    name: str,
    length: int | None,
    min_length: int | None,
    max_length: int | None,
) -> Iterator[str]:
    n = len(seq)
    if length is not None and n != length:
        yield f"{name} should have {length} item(s), but it has {n}"
    if min_length is not None and n < min_length:
        yield f"{name} should have at least {min_length} item(s), but it has {n}"
    if max_length is not None and n > max_length:
        yield f"{name} should have at most {max_length} item(s), but it has {n}"


def _unordered_diff(
    answer: Sequence[Any], expected: Sequence[Any], ndigits: int
) -> tuple[list[Any], int]:
    """Items of ``answer`` not expected, and how many expected items are missing."""
    pool = [repr(normalize(e, ndigits=ndigits)) for e in expected]
    extra = []
    for item in answer:
        try:
            norm = repr(normalize(item, ndigits=ndigits))
        except NotComparable:
            extra.append(item)
            continue
        if norm in pool:
            pool.remove(norm)
        else:
            extra.append(item)
    return extra, len(pool)


def check_list(
    answer: Any,
    *,
    name: str = "answer",
    length: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    item_kind: Kind = "any",
    allowed: Sequence[Any] | None = None,
    unique: bool = False,
    expected: Sequence[Any] | None = None,
    item_hashes: Sequence[str] | None = None,
    expected_hash: str | None = None,
    ordered: bool = True,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a list: its type, its length, the kind of each item, then the items.

    ``ordered=False`` treats the list as a collection whose order does not matter.
    ``item_hashes`` gives one fingerprint per position (ordered lists), so a message can
    say which item is wrong; ``expected_hash`` checks the whole list.
    """
    _validate_hashes(expected_hash, *(item_hashes or []))
    if length is None and expected is not None:
        length = len(expected)
    if length is None and item_hashes is not None:
        length = len(item_hashes)

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, "list", name)
        if problem:
            yield problem

    def shape_layer() -> Iterator[str]:
        yield from _length_problems(answer, name, length, min_length, max_length)

    def contents_layer() -> Iterator[str]:
        seen: dict[str, int] = {}
        for i, item in enumerate(answer):
            where = f"{name}[{i}]"
            problem = kind_mismatch(item, item_kind, where)
            if problem:
                yield problem
                continue
            if allowed is not None:
                problem = _allowed_problem(item, allowed, where, ndigits)
                if problem:
                    yield problem
            if unique:
                try:
                    norm = repr(normalize(item, ndigits=ndigits))
                except NotComparable:
                    continue
                if norm in seen:
                    yield f"{where} repeats {name}[{seen[norm]}]; each item should appear once"
                seen.setdefault(norm, i)

    def values_layer() -> Iterator[str]:
        if item_hashes is not None:
            wrong = [
                i
                for i, (item, h) in enumerate(zip(answer, item_hashes, strict=False))
                if not _same(item, None, h, ordered=ordered, ndigits=ndigits)
            ]
            if wrong:
                where = ", ".join(f"{name}[{i}]" for i in wrong)
                yield f"{len(wrong)} of {len(item_hashes)} item(s) are not right yet: {where}"
            return
        if expected is not None:
            if ordered:
                wrong = [
                    i
                    for i, (item, e) in enumerate(zip(answer, expected, strict=False))
                    if not _same(item, e, None, ordered=True, ndigits=ndigits)
                ]
                if wrong:
                    where = ", ".join(f"{name}[{i}]" for i in wrong)
                    yield f"{len(wrong)} of {len(expected)} item(s) are not right yet: {where}"
                return
            extra, missing = _unordered_diff(answer, expected, ndigits)
            if extra:
                yield (
                    f"{name} has item(s) that should not be there: "
                    f"{', '.join(show(e) for e in extra)}"
                )
            if missing:
                yield f"{name} is missing {missing} item(s)"
            return
        if expected_hash is not None and not _same(
            answer, None, expected_hash, ordered=ordered, ndigits=ndigits
        ):
            yield f"{name} is not right yet"

    compares = item_hashes is not None or expected is not None or expected_hash is not None
    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if compares else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=ordered,
        ndigits=ndigits,
    )


def check_records(
    answer: Any,
    *,
    name: str = "answer",
    fields: Sequence[str],
    field_kinds: Mapping[str, Kind] | None = None,
    allowed_values: Mapping[str, Sequence[Any]] | None = None,
    length: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    expected: Mapping[str, Sequence[Any]] | None = None,
    expected_hashes: Mapping[str, Sequence[str]] | None = None,
    ndigits: int = 6,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a list of dicts that all have the same ``fields`` (a small table in Python).

    ``expected`` maps a field to its right value for each record in order (in clear);
    ``expected_hashes`` maps a field to one fingerprint per record. Fields left out of both
    are not compared (free text, for example). Field names must match exactly.
    """
    for hashes in (expected_hashes or {}).values():
        _validate_hashes(*hashes)
    kinds: Mapping[str, Kind] = field_kinds or {}

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, "list", name)
        if problem:
            yield problem
            return
        for i, record in enumerate(answer):
            problem = kind_mismatch(record, "dict", f"{name}[{i}]")
            if problem:
                yield problem

    def shape_layer() -> Iterator[str]:
        yield from _length_problems(answer, name, length, min_length, max_length)
        for i, record in enumerate(answer):
            missing = [f for f in fields if f not in record]
            extra = [k for k in record if k not in fields]
            if missing:
                yield f"{name}[{i}] is missing the key(s) {', '.join(map(repr, missing))}"
            if extra:
                yield (
                    f"{name}[{i}] has key(s) that should not be there: "
                    f"{', '.join(show(k) for k in extra)}"
                )

    def contents_layer() -> Iterator[str]:
        for i, record in enumerate(answer):
            for f in fields:
                where = f"{name}[{i}][{f!r}]"
                problem = kind_mismatch(record[f], kinds.get(f, "any"), where)
                if problem:
                    yield problem
                    continue
                if allowed_values is not None and f in allowed_values:
                    problem = _allowed_problem(record[f], allowed_values[f], where, ndigits)
                    if problem:
                        yield problem

    def values_layer() -> Iterator[str]:
        wrong: list[str] = []
        for f in fields:
            for i, record in enumerate(answer):
                if expected_hashes is not None and f in expected_hashes:
                    if i >= len(expected_hashes[f]):
                        continue
                    ok = _same(
                        record[f], None, expected_hashes[f][i], ordered=True, ndigits=ndigits
                    )
                elif expected is not None and f in expected:
                    if i >= len(expected[f]):
                        continue
                    ok = _same(record[f], expected[f][i], None, ordered=True, ndigits=ndigits)
                else:
                    continue
                if not ok:
                    wrong.append(f"{name}[{i}][{f!r}]")
        if wrong:
            yield f"{len(wrong)} part(s) are not right yet: {', '.join(wrong)}"

    compares = expected is not None or expected_hashes is not None
    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if compares else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=True,
        ndigits=ndigits,
    )


def check_true(
    condition: object,
    *,
    name: str = "answer",
    message: str,
    points: float = 1.0,
    hint: str | None = None,
) -> CheckResult:
    """Check one condition about an answer that the other checkers do not cover.

    ``message`` says what should hold, e.g. ``"peak_years should be in increasing order"``;
    it is shown when ``condition`` is false. A ``condition`` that is still ``...`` counts as
    not answered.
    """

    def values_layer() -> Iterator[str]:
        if not bool(condition):
            yield message

    return run_layers(name, [("values", values_layer)], points=points, hint=hint, answer=condition)
