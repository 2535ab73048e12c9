"""The public API of coursekit.checks: every name defined and documented."""

from __future__ import annotations

import inspect

import coursekit.checks as checks


def test_every_public_function_and_class_is_documented() -> None:
    missing = [name for name in checks.__all__ if not hasattr(checks, name)]
    assert missing == [], f"in __all__ but not defined: {missing}"
    public = [getattr(checks, name) for name in checks.__all__]
    documented = [obj for obj in public if inspect.isfunction(obj) or inspect.isclass(obj)]
    assert {obj.__name__ for obj in documented} >= {"check_value", "CheckResult", "see"}
    undocumented = [obj.__name__ for obj in documented if not inspect.getdoc(obj)]
    assert undocumented == [], "students read these with help(): each needs a docstring"


def test_check_failed_is_an_assertion_error() -> None:
    assert issubclass(checks.CheckFailed, AssertionError)
