"""Tests of the text checkers."""

from __future__ import annotations

import pytest

from coursekit.checks import check_choice, check_text, fingerprint, has_term, word_count


@pytest.mark.parametrize(
    ("text", "n"),
    [("", 0), ("one", 1), ("US–Japan–ROK ties aren't new.", 4), ("A79, A81; 2023", 3)],
)
def test_word_count(text: str, n: int) -> None:
    assert word_count(text) == n


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("Deterrence matters", "deter", True),
        ("undeterred", "deter", False),
        ("North  Korea's tests", "north korea", True),
        ("the U.S.–Japan alliance", "u.s.-japan", True),
        ("China", "chin", True),
        ("Machina", "chin", False),
    ],
)
def test_has_term(text: str, term: str, found: bool) -> None:
    assert has_term(text, term) is found


def test_text_passes() -> None:
    text = "Deterring North Korea is shared; balancing China is disputed."
    result = check_text(
        text, min_words=5, max_words=20, required_terms=["deter", ("North Korea", "DPRK"), "China"]
    )
    assert result.passed
    assert [layer.layer for layer in result.layers] == ["type", "shape", "contents"]


@pytest.mark.parametrize(
    ("answer", "layer", "text"),
    [
        (None, "type", "write your answer between quotes"),
        (42, "type", "should be text (str)"),
        ("", "shape", "still empty"),
        ("  YOUR ANSWER HERE ", "shape", "still empty"),
        ("too short", "shape", "has 2 word(s); write at least 3"),
        ("one two three four five six", "shape", "has 6 words; cut it to at most 5"),
        ("one two three four", "contents", "should mention 'deter'; 'North Korea' or 'DPRK'"),
        ("deter the DPRK, obviously", "contents", "should not use 'obviously'"),
    ],
)
def test_text_failures(answer: object, layer: str, text: str) -> None:
    result = check_text(
        answer,
        name="thesis",
        min_words=3,
        max_words=5,
        required_terms=["deter", ("North Korea", "DPRK")],
        forbidden_terms=["obviously"],
    )
    assert result.failed_layer is not None
    assert result.failed_layer.layer == layer
    assert text in str(result)


def test_text_limits_checked() -> None:
    with pytest.raises(ValueError, match="min_words"):
        check_text("x", min_words=5, max_words=2)


def test_choice() -> None:
    options = ["shared", "disputed"]
    assert check_choice(" Disputed", options=options, expected="disputed").passed
    assert check_choice("disputed", options=options, expected_hash=fingerprint("disputed")).passed
    result = check_choice(
        "shared", name="label", options=options, expected_hash=fingerprint("disputed")
    )
    assert "label is not right yet" in str(result)
    assert "not one of the allowed values" in str(check_choice("x", options=options))
