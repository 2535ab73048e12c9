"""nbgrader's own steps run in-process through its ``NbGraderAPI``, with clear errors."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursekit.grading.errors import GradingError

if TYPE_CHECKING:
    from coursekit.grading.workspace import Course

__all__ = ["check_result", "course_of", "nbgrader_api"]

_EXCEPTION = re.compile(r"^[\w.]*(Error|Exception|Exit)\b.*:")


def nbgrader_api(course: Course, *, extra: Mapping[str, Mapping[str, Any]] | None = None) -> Any:
    """An ``NbGraderAPI`` on ``course``'s config, with ``extra`` settings (section -> traits).

    An ``Exchange.root`` in ``extra`` gives a course without an exchange nbgrader's own one.
    """
    from nbgrader.apps.api import NbGraderAPI
    from traitlets.config import Config

    from coursekit.grading.nbgrader_api.exchange import NO_EXCHANGE_PLUGINS

    cfg = Config()
    cfg.merge(course.config)
    if "root" in (extra or {}).get("Exchange", {}) and "ExchangeFactory" in cfg:
        # An exchange given for this call replaces a course's "no exchange" plug-ins.
        factory = cfg.ExchangeFactory
        for trait, plugin in NO_EXCHANGE_PLUGINS.items():
            if factory.get(trait) is plugin:
                del factory[trait]
    for section, traits in (extra or {}).items():
        for name, value in traits.items():
            cfg[section][name] = value
    # Without an exchange, NbGraderAPI logs a CRITICAL "Unwritable directory" while it probes
    # the default one; that probe is not an error for a course that does not use an exchange.
    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        api = NbGraderAPI(config=cfg, coursedir=course.coursedir())
    finally:
        logger.setLevel(level)
    api.log_level = logging.ERROR
    return api


def check_result(result: Mapping[str, Any], what: str, path: Path) -> None:
    """Raise :class:`GradingError` if an ``NbGraderAPI`` call did not succeed.

    The message carries the exception nbgrader logged (its last ``...Error: ...`` line), which
    names the real cause, rather than its closing "see the above traceback".
    """
    if result.get("success"):
        return
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if _EXCEPTION.match(line)]
    logged = [line.removeprefix("[ERROR]").strip() for line in lines if line.startswith("[ERROR]")]
    reason = (errors or logged or lines or ["no details"])[-1]
    if errors and errors[-1].startswith("nbgrader.converters.base.NbGraderException"):
        reason = next((e for e in reversed(errors[:-1])), logged[0] if logged else reason)
    raise GradingError(f"{path}: nbgrader {what} failed: {reason}")


def course_of(configurable: Any) -> Course:
    """The course a converter step works in: its configured root, else the working folder.

    nbgrader's converters change into ``CourseDirectory.root`` before converting.
    """
    from coursekit.grading.workspace import open_course

    root = configurable.config.CourseDirectory.get("root") or os.getcwd()
    return open_course(Path(str(root)))
