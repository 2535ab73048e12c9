"""The checkers' contract with the notebooks: unanswered stubs, honest passes, one-line failures."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from coursekit import checks
from coursekit.checks import CheckFailed

EVENTS = pd.DataFrame(
    {"id": ["A01", "A02"], "date": ["1951-09-08", "1965-06-22"], "tags": ["treaty", "treaty"]}
)

# Every checker, called on ``...`` with arguments that would otherwise make sense.
UNANSWERED = {
    "check_value": lambda a: checks.check_value(a, name="q1", kind="int", expected=1965),
    "check_choice": lambda a: checks.check_choice(a, name="q1", options=["x", "y"]),
    "check_text": lambda a: checks.check_text(a, name="q1", min_words=2),
    "check_list": lambda a: checks.check_list(a, name="q1", length=2),
    "check_dict": lambda a: checks.check_dict(a, name="q1", keys=["a"]),
    "check_records": lambda a: checks.check_records(a, name="q1", fields=["a"]),
    "check_frame": lambda a: checks.check_frame(a, name="q1", columns=["a"]),
    "check_series": lambda a: checks.check_series(a, name="q1", length=2),
    "check_evidence": lambda a: checks.check_evidence(a, name="q1", events=EVENTS),
    "check_quote": lambda a: checks.check_quote(a, name="q1"),
    "check_true": lambda a: checks.check_true(a, name="q1", message="q1 should hold"),
}


@pytest.mark.parametrize("checker", sorted(UNANSWERED))
def test_every_checker_reports_an_unanswered_stub(checker: str) -> None:
    result = UNANSWERED[checker](...)
    assert not result.passed
    assert result.unanswered
    assert result.points == 0
    assert result.failed_layer is result.layers[0]
    assert all(layer.passed is None for layer in result.layers[1:])
    assert str(result).startswith("[not yet] q1: you have not answered q1 yet")
    assert len(str(result).splitlines()) == 1


def test_a_real_answer_is_not_reported_as_unanswered() -> None:
    result = checks.check_value(1964, name="q1", kind="int", expected=1965)
    assert not result.unanswered
    assert "not answered" not in str(result)


def test_a_pass_without_values_says_what_was_checked_and_what_is_left() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["1965-06-22"]), "title": ["Treaty"]})
    result = checks.check_frame(frame, name="nuclear_tests", columns=["date", "title"])
    assert result.passed
    assert not result.checked_values
    assert str(result) == (
        "[ok] nuclear_tests: type, shape and contents are right; "
        "the values are checked when your work is graded."
    )
    assert "all checks passed" not in str(result)
    assert "all checks passed" not in result._repr_html_()
    assert "the values are checked when your work is graded" in result._repr_html_()


def test_only_a_check_that_compared_values_says_all_checks_passed() -> None:
    assert str(checks.check_value(1965, name="y", kind="int", expected=1965)) == (
        "[ok] y: all checks passed (type, contents, values)."
    )
    assert str(checks.check_value(1965, name="y", kind="int")) == (
        "[ok] y: type and contents are right; the values are checked when your work is graded."
    )


def test_a_text_pass_says_a_person_reads_the_argument() -> None:
    result = checks.check_text("Alliances bend but rarely break.", name="essay", min_words=3)
    assert str(result) == (
        "[ok] essay: type, shape and contents are right; "
        "what it argues is read when your work is graded."
    )


def test_check_failed_renders_as_its_report_without_a_traceback() -> None:
    result = checks.check_list([1], name="years", length=2)
    with pytest.raises(CheckFailed) as info:
        result.assert_ok()
    lines = info.value._render_traceback_()
    assert lines == str(result).splitlines()
    assert lines[0] == "[not yet] years: problem with the shape / size"
    assert not any("File " in line or "coursekit" in line for line in lines)


def test_ipython_shows_the_report_not_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    shell = InteractiveShell.instance()
    try:
        shell.run_cell(
            "from coursekit import checks\n"
            "checks.check_list([1], name='years', length=2).assert_ok()"
        )
    finally:
        InteractiveShell.clear_instance()
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "[not yet] years: problem with the shape / size" in text
    assert "years should have 2 item(s), but it has 1" in text
    assert "Traceback" not in text
    assert "results.py" not in text
