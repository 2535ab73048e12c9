"""One way to run nbgrader's own steps in-process: its ``NbGraderAPI``, quietly, with clear errors."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.workspace import Course

__all__ = ["check_result", "nbgrader_api"]


def nbgrader_api(course: Course, *, extra: Mapping[str, Mapping[str, Any]] | None = None) -> Any:
    """An ``NbGraderAPI`` on ``course``'s config, with ``extra`` settings (section -> traits)."""
    from nbgrader.apps.api import NbGraderAPI
    from traitlets.config import Config

    cfg = Config()
    cfg.merge(course.config)
    for section, traits in (extra or {}).items():
        for name, value in traits.items():
            cfg[section][name] = value
    api = NbGraderAPI(config=cfg, coursedir=course.coursedir())
    api.log_level = logging.ERROR
    return api


def check_result(result: Mapping[str, Any], what: str, path: Path) -> None:
    """Raise :class:`GradingError` if an ``NbGraderAPI`` call did not succeed."""
    if result.get("success"):
        return
    text = str(result.get("error") or result.get("log") or "no details").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    reason = lines[-1] if lines else "no details"
    raise GradingError(f"{path}: nbgrader {what} failed: {reason}")
