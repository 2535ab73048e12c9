"""Tests of the result objects: layers, points, text and HTML reports, assert_ok."""

from __future__ import annotations

import pytest

from coursekit.checks import CheckFailed, CheckResult, LayerResult
from coursekit.checks.results import Layer, run_layers


def _result(*states: bool | None) -> CheckResult:
    layers: tuple[Layer, ...] = ("type", "shape", "contents", "values")
    return CheckResult(
        name="answer",
        layers=tuple(
            LayerResult(layer, state, () if state is not False else ("bad thing at x",))
            for layer, state in zip(layers, states, strict=False)
        ),
        max_points=2.0,
        hint="look at x",
    )


def test_passed_result_has_full_points_and_ok_text() -> None:
    result = _result(True, True, True, True)
    assert result.passed
    assert result.points == 2.0
    assert result.failed_layer is None
    assert str(result) == "[ok] answer: all checks passed (type, shape, contents, values)."
    assert "all checks passed" in result._repr_html_()
    assert "Hint" not in result._repr_html_()


def test_failed_result_names_layer_message_and_hint() -> None:
    result = _result(True, False, None, None)
    assert not result.passed
    assert result.points == 0.0
    assert result.failed_layer is not None
    assert result.failed_layer.layer == "shape"
    assert result.messages == ("bad thing at x",)
    text = str(result)
    assert "problem with the shape / size" in text
    assert "  - bad thing at x" in text
    assert "(passed: type)" in text
    assert "Hint: look at x" in text
    html = result._repr_html_()
    assert "not checked yet" in html
    assert "bad thing at x" in html


def test_html_escapes_student_text() -> None:
    result = CheckResult("x<y>", (LayerResult("type", False, ("<script>",)),))
    html = result._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_result_does_not_pass() -> None:
    assert not CheckResult("x", ()).passed


def test_assert_ok_raises_assertion_error_with_report(capsys: pytest.CaptureFixture[str]) -> None:
    result = _result(False, None, None, None)
    with pytest.raises(AssertionError, match="bad thing at x") as info:
        result.assert_ok()
    assert isinstance(info.value, CheckFailed)
    assert info.value.result is result
    assert capsys.readouterr().out == ""


def test_assert_ok_prints_and_returns_none(capsys: pytest.CaptureFixture[str]) -> None:
    result = _result(True, True, True, True)
    assert result.assert_ok() is None  # type: ignore[func-returns-value]
    assert capsys.readouterr().out.startswith("[ok] answer")


def test_run_layers_stops_at_first_failure() -> None:
    calls: list[str] = []

    def ok() -> list[str]:
        calls.append("ok")
        return []

    def bad() -> list[str]:
        calls.append("bad")
        return ["one", "two"]

    def never() -> list[str]:
        calls.append("never")
        return []

    result = run_layers("n", [("type", ok), ("shape", bad), ("values", never)], points=3)
    assert calls == ["ok", "bad"]
    assert [layer.passed for layer in result.layers] == [True, False, None]
    assert result.messages == ("one", "two")
    assert result.max_points == 3
