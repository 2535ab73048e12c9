"""The nbgrader exchange of a course that has none: nothing released, every transfer refused.

nbgrader's formgrader probes the exchange folder when it starts; in a course without one (the
students hand in through a learning-management system, and ``coursekit collect --from`` takes
the export) it shows a warning that "the exchange directory does not exist". With these
plug-ins the course has an exchange that lists nothing, so formgrader shows no warning, and a
release, collect or feedback transfer says what to do instead.
"""

from __future__ import annotations

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

__all__ = ["NO_EXCHANGE_PLUGINS", "NoExchangeList"]

_INSTEAD = (
    "this course has no nbgrader exchange: the student versions are in the course's release/ "
    "folder (`coursekit release`), submissions come in with `coursekit collect ASSIGNMENT "
    "--from FOLDER_OR_ZIP`, and feedback pages are in feedback/<student>/; to use an exchange, "
    "run `coursekit course init --exchange FOLDER`"
)


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
