"""Pins the public API of coursekit.checks."""

from __future__ import annotations

import coursekit.checks as checks


def test_public_api_is_pinned() -> None:
    assert sorted(checks.__all__) == [
        "CheckFailed",
        "CheckResult",
        "Kind",
        "KnownWrongError",
        "LayerResult",
        "SECTIONS",
        "check_choice",
        "check_dict",
        "check_evidence",
        "check_frame",
        "check_list",
        "check_quote",
        "check_records",
        "check_series",
        "check_text",
        "check_true",
        "check_value",
        "column_fingerprints",
        "find_event_ids",
        "fingerprint",
        "has_term",
        "known_wrong",
        "normalize",
        "partial",
        "quote_sections",
        "see",
        "tags_of",
        "word_count",
    ]
    for name in checks.__all__:
        assert getattr(checks, name) is not None


def test_check_failed_is_an_assertion_error() -> None:
    assert issubclass(checks.CheckFailed, AssertionError)
