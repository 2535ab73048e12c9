"""``coursekit release``: student versions of assignments, into an nbgrader exchange if asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import (
    check_result,
    ensure_gradebook,
    nbgrader_api,
    quiet_nbgrader,
)
from coursekit.grading.workspace import Course, open_course

__all__ = ["ReleaseResult", "Released", "release"]


@dataclass(frozen=True)
class Released:
    """One released assignment."""

    assignment: str
    release_dir: Path
    """The student version (``release/<id>/``)."""
    exchange_dir: Path | None
    """Where students fetch it from, when released into an exchange."""


@dataclass(frozen=True)
class ReleaseResult:
    """What ``coursekit release`` did."""

    released: tuple[Released, ...]

    def __str__(self) -> str:
        lines = []
        for item in self.released:
            where = f" and {item.exchange_dir}" if item.exchange_dir else ""
            lines.append(f"released {item.assignment}: {item.release_dir}{where}")
        return "\n".join(lines)


def release(
    *, course: Path, assignments: Sequence[str] = (), exchange: Path | None = None
) -> ReleaseResult:
    """Generate the student version of each assignment with ``nbgrader generate_assignment``.

    Every assignment in ``source/`` is released when ``assignments`` is empty. The assignment
    and its notebooks, cells and points go into the gradebook. With ``exchange`` (or an exchange
    root in the course config) the student versions also go into that nbgrader exchange.
    """
    ws = open_course(course)
    ids = list(assignments) or ws.assignments()
    if not ids:
        raise GradingError(
            f"{ws.path('source', '.', '*').parent}: no assignments to release; "
            "run `coursekit course init` in the repository"
        )
    known = set(ws.assignments())
    unknown = [a for a in ids if a not in known]
    if unknown:
        raise GradingError(
            f"{ws.path('source', '.', '*').parent}: no source folder for {unknown}; "
            f"known: {sorted(known)}"
        )
    exchange_root = exchange.resolve() if exchange is not None else ws.exchange_root
    extra: dict[str, dict[str, Any]] = {"ExchangeReleaseAssignment": {"force": True}}
    if exchange_root is not None:
        extra["Exchange"] = {"root": str(exchange_root)}
    ensure_gradebook(ws.db_url)
    api = nbgrader_api(ws, extra=extra)
    done = []
    with quiet_nbgrader():
        for aid in ids:
            done.append(_release_one(api, ws, aid, exchange_root))
    return ReleaseResult(tuple(done))


def _release_one(api: Any, ws: Course, aid: str, exchange_root: Path | None) -> Released:
    source = ws.path("source", ".", aid)
    generated = api.generate_assignment(aid, force=True, create=True)
    check_result(generated, "generate_assignment", source)
    exchange_dir = None
    if exchange_root is not None:
        check_result(api.release_assignment(aid), "release_assignment", exchange_root)
        exchange_dir = exchange_root / ws.course_id / "outbound" / aid
    return Released(aid, ws.path("release", ".", aid), exchange_dir)
