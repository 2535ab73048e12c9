"""coursekit's nbgrader exchange plug-ins: collecting safely, and a course without an exchange.

* :class:`CoursekitCollect`: nbgrader's ``collect`` (its command and formgrader's "Collect"
  button) done by ``coursekit collect``, which follows no link, checks each submission's
  owner, the roster and its time, and keeps that time for nbgrader's late penalties;
* for a course without an exchange (the students hand in through a learning-management
  system, and ``coursekit collect --from`` takes the export), formgrader would warn that "the
  exchange directory does not exist": with :data:`NO_EXCHANGE_PLUGINS` the course has an
  exchange that lists nothing, so formgrader shows no warning, and a release, collect or
  feedback transfer says what to do instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbgrader.exchange.abc import (
    ExchangeCollect,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from traitlets import Dict

__all__ = ["NO_EXCHANGE_PLUGINS", "CoursekitCollect", "NoExchangeList"]

_INSTEAD = (
    "this course has no nbgrader exchange: the student versions are in the course's release/ "
    "folder (`coursekit release`), submissions come in with `coursekit collect ASSIGNMENT "
    "--from FOLDER_OR_ZIP`, and feedback pages are in feedback/<student>/; to use an exchange, "
    "run `coursekit course init --exchange FOLDER`"
)


class CoursekitCollect(ExchangeCollect):  # type: ignore[misc]
    """nbgrader's ``collect``, done by :func:`coursekit.grading.collect.collect`.

    nbgrader's own collect follows links and takes a folder's name at its word; this one takes
    each student's newest acceptable submission (see :mod:`coursekit.grading.collect`) and
    logs what it collected and every entry it refused, with what to do. ``check_owner`` is
    nbgrader's setting (off only for an exchange that one user writes); ``update`` and
    ``before_duedate`` do not apply: a changed submission always replaces the one collected.
    """

    limits = Dict(
        {}, help="coursekit GradingLimits fields (submission_mb, clock_skew_minutes, ...)."
    ).tag(config=True)

    def start(self) -> None:
        """Collect the assignment named by ``coursedir.assignment_id``; log the outcome."""
        from coursekit.config import GradingLimits
        from coursekit.grading.collect import collect

        result = collect(
            course=Path(self.coursedir.root),
            assignment=self.coursedir.assignment_id,
            limits=GradingLimits(**self.limits),
            check_owner=self.check_owner,
        )
        for line in str(result).splitlines():
            if line.lstrip().startswith("problem:"):
                self.log.warning(line.strip())
            else:
                self.log.info(line.strip())


class NoExchangeList(ExchangeList):  # type: ignore[misc]
    """Lists nothing: no assignment is released to, or submitted through, an exchange."""

    def start(self) -> list[Any]:
        """Nothing to list (and no exchange folder to look for or make)."""
        return []

    def list_files(self) -> list[Any]:
        """No files."""
        return []

    def remove_files(self) -> list[Any]:
        """Nothing to remove."""
        return []


class _Refused:
    """A transfer that cannot happen without an exchange: it fails, saying what to do."""

    def start(self) -> None:
        """Refuse with the ways this course hands work out and in."""
        self.fail(_INSTEAD)  # type: ignore[attr-defined]


class NoExchangeReleaseAssignment(_Refused, ExchangeReleaseAssignment):  # type: ignore[misc]
    """``release_assignment`` without an exchange: refused."""


class NoExchangeReleaseFeedback(_Refused, ExchangeReleaseFeedback):  # type: ignore[misc]
    """``release_feedback`` without an exchange: refused."""


class NoExchangeCollect(_Refused, ExchangeCollect):  # type: ignore[misc]
    """``collect`` without an exchange: refused."""


class NoExchangeFetchAssignment(_Refused, ExchangeFetchAssignment):  # type: ignore[misc]
    """``fetch_assignment`` without an exchange: refused."""


class NoExchangeFetchFeedback(_Refused, ExchangeFetchFeedback):  # type: ignore[misc]
    """``fetch_feedback`` without an exchange: refused."""


class NoExchangeSubmit(_Refused, ExchangeSubmit):  # type: ignore[misc]
    """``submit`` without an exchange: refused."""


NO_EXCHANGE_PLUGINS: dict[str, type] = {
    "list": NoExchangeList,
    "release_assignment": NoExchangeReleaseAssignment,
    "release_feedback": NoExchangeReleaseFeedback,
    "collect": NoExchangeCollect,
    "fetch_assignment": NoExchangeFetchAssignment,
    "fetch_feedback": NoExchangeFetchFeedback,
    "submit": NoExchangeSubmit,
}
"""``ExchangeFactory`` trait -> the plug-in a course without an exchange uses."""
