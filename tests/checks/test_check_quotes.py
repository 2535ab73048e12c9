"""Tests of the quotation checker against the shipped index of the anchor article.

The short quotations below are from Aum & Silverberg, "Here's How America Can Strengthen
Relations with Japan and South Korea", The National Interest, 21 March 2021.
"""

from __future__ import annotations

import pytest

from coursekit.checks import check_quote, quote_sections
from coursekit.checks.quotes import SECTIONS, build_index, quote_words

SHARED = "“Deterring a North Korean attack remains a principal shared objective”"
REC3 = "Globalization has ushered, along with all its benefits, the threat of cyberwarfare"


def test_quote_words_drop_punctuation_and_case() -> None:
    assert quote_words("U.S.-Japan-ROK’s “success”") == ["u", "s", "japan", "rok", "s", "success"]


def test_shipped_index_finds_sections() -> None:
    assert quote_sections(SHARED) == {"opening"}
    assert quote_sections(REC3.upper()) == {"recommendation 3"}
    assert quote_sections("Deterring a North Korean attack remains a principal disputed") is None
    assert quote_sections("too short") is None


def test_build_index_marks_shared_runs() -> None:
    index = build_index(["one two three four five six", "zero one two three four five"])
    assert quote_sections("one two three four five", index) == {"opening", "recommendation 1"}
    assert quote_sections("two three four five six", index) == {"opening"}
    assert quote_sections("zero one two three four five six", index) == frozenset()


def test_check_quote_passes_and_fails_by_layer() -> None:
    assert check_quote(REC3, section="recommendation 3").passed
    cases = [
        (None, "type", "should be text"),
        ("A North Korean attack", "shape", "has 4 word(s)"),
        (REC3, "values", "not from the part this answer is about"),
        ("Deterring a North Korean attack is the only objective", "contents", "not found"),
    ]
    for answer, layer, text in cases:
        result = check_quote(answer, name="q", section="recommendation 2", max_words=12)
        assert result.failed_layer is not None and result.failed_layer.layer == layer
        assert text in str(result)
    result = check_quote(REC3, max_words=5)
    assert "has 12 words; quote at most 5" in str(result)


def test_instructor_errors() -> None:
    with pytest.raises(ValueError, match="unknown section"):
        check_quote(REC3, section="middle")
    with pytest.raises(ValueError, match="min_words"):
        check_quote(REC3, min_words=2)
    assert len(SECTIONS) == 5
