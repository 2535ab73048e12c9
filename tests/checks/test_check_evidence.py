"""Tests of the evidence checker, on a small events table made here."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit.checks import check_evidence, find_event_ids, tags_of


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A05", "A79", "A81", "B24", "E001"],
            "date": pd.to_datetime(
                ["1950-06-25", "2023-08-18", "2024-06-27", "2024-05-27", "2022-03-01"]
            ),
            "trilateral": ["none", "US-JP-ROK", "US-JP-ROK", "CN-JP-ROK", "US-JP-ROK"],
            "tone": ["friction", "cooperation", "cooperation", "cooperation", "neutral"],
            "actors": ["KP;KR;US", "US;JP;KR", "US;JP;KR", "CN;JP;KR", "US"],
            "tags": ["war;north-korea", "north-korea;china", "north-korea;cyber", "china", None],
        }
    )


def _layer(result: object) -> str | None:
    failed = result.failed_layer  # type: ignore[attr-defined]
    return None if failed is None else str(failed.layer)


def test_relevant_ids_pass(events: pd.DataFrame) -> None:
    result = check_evidence(
        ["A79", " a81 "],
        area=["cyber", "north-korea"],
        after="2021-03-21",
        trilateral="US-JP-ROK",
        n_ids=2,
        events=events,
    )
    assert result.passed, str(result)


@pytest.mark.parametrize(
    ("answer", "layer", "text"),
    [
        ("A79", "type", "not a single str"),
        ({"A79"}, "type", "but it is a set"),
        (["A79", 81], "type", "evidence[1] should be an event id in quotes"),
        ([], "shape", "at least 1"),
        (["A79", "A81", "B24"], "shape", "at most 2"),
        (["A79", "A79"], "contents", "evidence[1] 'A79' is listed twice"),
        (["A79", "X1"], "contents", "'X1' is not an event id"),
        (["A79", "A99"], "contents", "'A99' is not in coursekit.data.events()"),
        (["A05"], "values", "'A05' is dated before 2021-03-21"),
        (["B24"], "values", "'B24' is not tagged with 'north-korea'"),
        (["E001"], "values", "'E001' is not tagged"),
    ],
)
def test_failures(events: pd.DataFrame, answer: object, layer: str, text: str) -> None:
    result = check_evidence(
        answer, area="north-korea", after="2021-03-21", max_ids=2, events=events
    )
    assert _layer(result) == layer
    assert text in str(result)


def test_trilateral_and_before(events: pd.DataFrame) -> None:
    result = check_evidence(
        ["B24", "A05"], trilateral=["US-JP-ROK"], before="2000-01-01", events=events
    )
    text = str(result)
    assert "'B24' is not about the grouping 'US-JP-ROK'" in text
    assert "'B24' is dated after 2000-01-01" in text
    assert "'A05'" not in text.replace("'A05' is not about", "")


def test_find_event_ids_and_tags() -> None:
    text = "Compare A79 with B24 (and A79 again), E012, A7 and A790."
    assert find_event_ids(text) == ["A79", "B24", "E012"]
    assert tags_of(" China; north-korea ;;") == {"china", "north-korea"}
    assert tags_of(None) == frozenset()


def test_tone_and_actors(events: pd.DataFrame) -> None:
    assert check_evidence(
        ["A79", "A81"], tone="cooperation", actors=["JP", "KR"], events=events
    ).passed
    text = str(
        check_evidence(["A05", "E001"], tone=["cooperation"], actors=["JP", "KR"], events=events)
    )
    assert "'A05' does not have the tone 'cooperation'" in text
    assert "'A05' does not involve JP" in text
    assert "'E001' does not involve JP, KR" in text


def test_excluded_ids(events: pd.DataFrame) -> None:
    result = check_evidence(["A79", "a81"], exclude=["A81"], events=events)
    assert result.failed_layer is not None
    assert result.failed_layer.layer == "contents"
    assert "evidence[1] 'a81' cannot be used as evidence here" in str(result)
