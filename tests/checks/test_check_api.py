"""Pins the public API of coursekit.checks."""

from __future__ import annotations

import inspect

import coursekit.checks as checks


def test_public_api_is_pinned() -> None:
    assert sorted(checks.__all__) == [
        "CheckFailed",
        "CheckResult",
        "Kind",
        "LayerResult",
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
        "normalize",
        "quote_sections",
        "tags_of",
        "word_count",
    ]
    public = [getattr(checks, name) for name in checks.__all__]
    documented = [obj for obj in public if inspect.isfunction(obj) or inspect.isclass(obj)]
    undocumented = [obj.__name__ for obj in documented if not inspect.getdoc(obj)]
    assert len(documented) >= len(public) - 1  # all but the `Kind` alias
    assert undocumented == [], "students read these with help(): each needs a docstring"


def test_check_failed_is_an_assertion_error() -> None:
    assert issubclass(checks.CheckFailed, AssertionError)
