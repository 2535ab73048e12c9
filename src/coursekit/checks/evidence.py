"""Checkers for evidence given as event ids: the ids exist and are relevant to the question.

An id is relevant when the event in :func:`coursekit.data.events` carries one of the
``area`` tags, belongs to one of the ``trilateral`` groupings, has one of the ``tone``
values, involves every country in ``actors``, and falls inside the ``after``/``before``
dates, as far as the check asks. Messages name the student's own ids,
never ids they should have picked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from coursekit.checks.results import CheckResult, run_four_layers

__all__ = ["EVENT_ID", "check_evidence", "find_event_ids", "tags_of"]

EVENT_ID = re.compile(r"\b(?:[ABC]\d{2}|E\d{3})\b")
"""The shape of an event id: ``A01``-``A83``, ``B..``, ``C..`` or ``E001``..."""


def find_event_ids(text: str) -> list[str]:
    """The event ids written in ``text``, in order of first mention, without repeats."""
    return list(dict.fromkeys(EVENT_ID.findall(text)))


def tags_of(value: object) -> frozenset[str]:
    """The tags in one ``tags`` cell of the events table (``"a;b"`` -> ``{"a", "b"}``)."""
    if not isinstance(value, str):
        return frozenset()
    return frozenset(t.strip().casefold() for t in value.split(";") if t.strip())


def _actors(row: pd.Series) -> set[str]:
    """The actor codes of one event, as written (``"US;JP"`` -> ``{"US", "JP"}``)."""
    value = row.get("actors")
    return {a.strip() for a in value.split(";")} if isinstance(value, str) else set()


def _as_list(spec: str | Sequence[str] | None) -> list[str]:
    if spec is None:
        return []
    return [spec] if isinstance(spec, str) else list(spec)


def _load_events() -> pd.DataFrame:
    from coursekit import data  # imported late: the checks must import without the data

    frame: pd.DataFrame = data.events()
    return frame


def check_evidence(
    answer: Any,
    *,
    name: str = "evidence",
    area: str | Sequence[str] | None = None,
    trilateral: str | Sequence[str] | None = None,
    tone: str | Sequence[str] | None = None,
    actors: Sequence[str] = (),
    after: str | None = None,
    before: str | None = None,
    exclude: Sequence[str] = (),
    n_ids: int | None = None,
    min_ids: int | None = 1,
    max_ids: int | None = None,
    events: pd.DataFrame | None = None,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a list of event ids: type, how many, that each exists, that each is relevant.

    ``area`` is a tag or tags (an event needs one of them), ``trilateral`` a grouping or
    groupings, ``tone`` a tone or tones, ``actors`` country codes that must all take part,
    ``after``/``before`` ISO dates (inclusive); ids in ``exclude`` may not be used (e.g. the
    article itself as evidence about the article). ``events`` replaces
    ``coursekit.data.events()`` (for tests).
    """
    areas = [a.casefold() for a in _as_list(area)]
    groups = _as_list(trilateral)
    tones = _as_list(tone)
    barred = {e.strip().upper() for e in exclude}
    start = pd.Timestamp(after) if after else None
    end = pd.Timestamp(before) if before else None
    table: dict[str, pd.Series] = {}

    def type_layer() -> Iterator[str]:
        if isinstance(answer, str):
            yield f"{name} should be a list of event ids, e.g. ['A79'], not a single str"
            return
        if not isinstance(answer, list | tuple):
            yield f"{name} should be a list of event ids, but it is a {type(answer).__name__}"
            return
        for i, item in enumerate(answer):
            if not isinstance(item, str):
                kind = type(item).__name__
                yield f"{name}[{i}] should be an event id in quotes, but it is a {kind}"

    def shape_layer() -> Iterator[str]:
        n = len(answer)
        if n_ids is not None and n != n_ids:
            yield f"{name} should hold {n_ids} event id(s), but it holds {n}"
        if min_ids is not None and n < min_ids:
            yield f"{name} should hold at least {min_ids} event id(s), but it holds {n}"
        if max_ids is not None and n > max_ids:
            yield f"{name} should hold at most {max_ids} event id(s), but it holds {n}"

    def contents_layer() -> Iterator[str]:
        frame = _load_events() if events is None else events
        by_id = {str(row_id).upper(): row for row_id, row in frame.set_index("id").iterrows()}
        seen: set[str] = set()
        for i, item in enumerate(answer):
            eid = item.strip().upper()
            if eid in seen:
                yield f"{name}[{i}] {item!r} is listed twice; give each event once"
                continue
            seen.add(eid)
            if eid in barred:
                yield f"{name}[{i}] {item!r} cannot be used as evidence here; choose another event"
            elif not EVENT_ID.fullmatch(eid):
                yield f"{name}[{i}] {item!r} is not an event id (they look like 'A47' or 'E012')"
            elif eid not in by_id:
                yield f"{name}[{i}] {item!r} is not in coursekit.data.events()"
            else:
                table[eid] = by_id[eid]

    def values_layer() -> Iterator[str]:
        for item in answer:
            eid = item.strip().upper()
            row = table[eid]
            if areas and not tags_of(row.get("tags")) & set(areas):
                yield f"{item!r} is not tagged with {' or '.join(map(repr, areas))}"
            if groups and row.get("trilateral") not in groups:
                yield f"{item!r} is not about the grouping {' or '.join(map(repr, groups))}"
            if tones and row.get("tone") not in tones:
                yield f"{item!r} does not have the tone {' or '.join(map(repr, tones))}"
            absent = [a for a in actors if a not in _actors(row)]
            if absent:
                yield f"{item!r} does not involve {', '.join(absent)}"
            when = pd.Timestamp(row["date"])
            if start is not None and when < start:
                yield f"{item!r} is dated before {start.date().isoformat()}"
            if end is not None and when > end:
                yield f"{item!r} is dated after {end.date().isoformat()}"

    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if (areas or groups or tones or actors or start or end) else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=False,
        values_are_answer=False,
    )
