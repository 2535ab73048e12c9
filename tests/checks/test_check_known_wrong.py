"""Known-wrong answers: the table loader, and every checker giving a known mistake its hint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from coursekit import checks
from coursekit.checks import hints

HINT = "You counted the summits, not the tests: see 4.3 The first nuclear crisis"


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of known-wrong tables standing in for the package's own."""
    monkeypatch.setattr(hints, "_folder", lambda: tmp_path)
    hints.known_wrong_table.cache_clear()
    yield tmp_path
    hints.known_wrong_table.cache_clear()


def _entry(value: object, hint: str = HINT, **kw: bool) -> dict[str, str]:
    return {"fingerprint": checks.fingerprint(value, **kw), "hint": hint}


def test_known_wrong_maps_fingerprints_to_hints(tables: Path) -> None:
    (tables / "a9-test.json").write_text(json.dumps({"q2": [_entry(1964)], "q3": []}))
    assert checks.known_wrong("a9-test", "q2") == {checks.fingerprint(1964): HINT}
    assert checks.known_wrong("a9-test", "q3") == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"a9-test\.json does not exist"),
        ("{", r"a9-test\.json is not valid JSON"),
        ("[]", "top level must be an object"),
        ('{"q1": {}}', "'q1' must hold a list"),
        ('{"q1": [{"hint": "h"}]}', r"q1\[0\] must have exactly the keys"),
        (
            '{"q1": [{"fingerprint": "x", "hint": "h", "mistake": "m"}]}',
            r"q1\[0\]: move 'mistake' .* to assignments/_known_wrong_notes/",
        ),
        ('{"q1": [{"fingerprint": "abc", "hint": "h"}]}', "checks.fingerprint"),
    ],
)
def test_a_bad_table_is_an_error_naming_the_file_and_entry(
    tables: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tables / "a9-test.json").write_text(content)
    with pytest.raises(checks.KnownWrongError, match=message):
        checks.known_wrong("a9-test", "q1")


def test_an_empty_hint_or_a_repeated_fingerprint_is_refused(tables: Path) -> None:
    (tables / "a9-test.json").write_text(json.dumps({"q1": [_entry(1, hint=" ")]}))
    with pytest.raises(checks.KnownWrongError, match="'hint' must be a non-empty text"):
        checks.known_wrong("a9-test", "q1")
    hints.known_wrong_table.cache_clear()
    (tables / "a9-test.json").write_text(json.dumps({"q1": [_entry(1), _entry(1)]}))
    with pytest.raises(checks.KnownWrongError, match="one fingerprint twice"):
        checks.known_wrong("a9-test", "q1")


def test_an_unknown_question_or_id_is_an_error(tables: Path) -> None:
    (tables / "a9-test.json").write_text(json.dumps({"q2": []}))
    with pytest.raises(checks.KnownWrongError, match=r"no question 'q7' \(it has: q2\)"):
        checks.known_wrong("a9-test", "q7")
    with pytest.raises(checks.KnownWrongError, match="not an assignment id"):
        checks.known_wrong("../etc", "q1")


FRAME = pd.DataFrame({"id": ["A01", "A02"], "year": [1951, 1965]})
# checker, the known wrong answer, a different answer of the same shape, the fingerprint options
CASES = {
    "value": (lambda a, kw: checks.check_value(a, name="q", kind="int", **kw), 1964, 1966, {}),
    "choice": (
        lambda a, kw: checks.check_choice(a, name="q", options=["x", "y", "z"], **kw),
        "y",
        "z",
        {},
    ),
    "list": (lambda a, kw: checks.check_list(a, name="q", length=2, **kw), [2, 1], [1, 3], {}),
    "unordered list": (
        lambda a, kw: checks.check_list(a, name="q", length=2, ordered=False, **kw),
        [2, 1],
        [1, 3],
        {"ordered": False},
    ),
    "dict": (
        lambda a, kw: checks.check_dict(a, name="q", keys=["a"], **kw),
        {"a": 1},
        {"a": 2},
        {},
    ),
    "records": (
        lambda a, kw: checks.check_records(a, name="q", fields=["a"], **kw),
        [{"a": 1}],
        [{"a": 2}],
        {},
    ),
    "frame": (
        lambda a, kw: checks.check_frame(a, name="q", columns=["id", "year"], **kw),
        FRAME,
        FRAME.assign(year=[1951, 1966]),
        {},
    ),
    "series": (
        lambda a, kw: checks.check_series(a, name="q", length=2, **kw),
        pd.Series([1, 2]),
        pd.Series([1, 3]),
        {},
    ),
    "text": (
        lambda a, kw: checks.check_text(a, name="q", min_words=1, **kw),
        "the United States",
        "Japan",
        {},
    ),
    "evidence": (
        lambda a, kw: checks.check_evidence(
            a, name="q", events=pd.DataFrame({"id": ["A01", "A02"], "date": ["1951", "1965"]}), **kw
        ),
        ["A02", "A01"],
        ["A01"],
        {"ordered": False},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_checker_gives_a_known_mistake_its_hint(case: str) -> None:
    check, wrong, other, options = CASES[case]
    table = {checks.fingerprint(wrong, **options): HINT}
    result = check(wrong, {"known_wrong": table})
    assert not result.passed
    assert result.failed_layer is not None
    assert result.failed_layer.layer == "values"
    assert result.hint == HINT
    assert "common mistake" in str(result)
    assert f"Hint: {HINT}" in str(result)
    assert check(other, {"known_wrong": table}).passed
    assert check(wrong, {}).passed


def test_an_unordered_checker_matches_the_mistake_in_any_order() -> None:
    table = {checks.fingerprint(["A02", "A01"], ordered=False): HINT}
    events = pd.DataFrame({"id": ["A01", "A02"], "date": ["1951", "1965"]})
    result = checks.check_evidence(["A01", "A02"], name="q", events=events, known_wrong=table)
    assert result.hint == HINT


def test_a_known_mistake_adds_its_hint_to_a_failed_comparison() -> None:
    table = {checks.fingerprint(1964): HINT}
    result = checks.check_value(1964, name="q", kind="int", expected=1965, known_wrong=table)
    assert result.hint == HINT
    assert result.failed_layer is not None
    assert result.failed_layer.messages == (
        "q is not right yet: it is a common mistake (read the hint)",
        "q is not right yet",
    )


def test_an_earlier_layer_fails_first_and_a_right_answer_is_never_a_mistake() -> None:
    table = {checks.fingerprint([1]): HINT}
    result = checks.check_list([1], name="q", length=2, known_wrong=table)
    assert result.failed_layer is not None
    assert result.failed_layer.layer == "shape"
    assert result.hint is None
    # an entry that is (wrongly) the right answer cannot fail the right answer
    table = {checks.fingerprint(1965): HINT}
    assert checks.check_value(1965, name="q", expected=1965, known_wrong=table).passed
