"""Partial credit: ``checks.partial`` prints each report and returns the points earned."""

from __future__ import annotations

import pytest

from coursekit import checks


def _results() -> tuple[checks.CheckResult, ...]:
    return (
        checks.check_value(1965, name="a", expected=1965),
        checks.check_value(1964, name="b", expected=1965),
        checks.check_value(..., name="c", expected=1965),
    )


def test_partial_is_the_share_passed_and_prints_every_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert checks.partial(*_results(), points=3) == 1.0
    out = capsys.readouterr().out
    assert "[ok] a: all checks passed" in out
    assert "[not yet] b: problem with the values" in out
    assert "[not yet] c: you have not answered c yet" in out


def test_partial_weights_the_results() -> None:
    assert checks.partial(*_results(), points=3, weights=[1, 2, 3]) == 0.5
    assert checks.partial(*_results(), points=2, weights=[0, 1, 1]) == 0.0
    assert checks.partial(_results()[0], points=1.5) == 1.5


def test_partial_is_a_plain_float_nbgrader_can_read() -> None:
    value = checks.partial(*_results()[:2], points=3)
    assert type(value) is float
    assert value == 1.5
    assert float(repr(value)) == 1.5


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"points": 0}, "above 0"),
        ({"points": True}, "above 0"),
        ({"points": 3, "weights": [1]}, r"1 weight\(s\) for 3"),
        ({"points": 3, "weights": [0, 0, 0]}, "not all 0"),
        ({"points": 3, "weights": [1, -1, 1]}, "0 or more"),
    ],
)
def test_partial_refuses_bad_arguments(kwargs: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        checks.partial(*_results(), **kwargs)  # type: ignore[arg-type]


def test_partial_refuses_what_is_not_a_result() -> None:
    with pytest.raises(ValueError, match="at least one"):
        checks.partial(points=1)
    with pytest.raises(TypeError, match="not a bool"):
        checks.partial(True, points=1)  # type: ignore[arg-type]
