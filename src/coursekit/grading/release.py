"""``coursekit release``: student versions of assignments, into an nbgrader exchange if asked."""

from __future__ import annotations

import shutil
import warnings
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

__all__ = ["ReleaseResult", "Released", "release", "release_feedback"]


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
        """The text the command line prints for it."""
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


def release_feedback(*, course: Path, assignment: str) -> Path:
    """Put ``assignment``'s feedback pages into the course's exchange for students to fetch.

    The pages are those ``coursekit feedback`` wrote (never nbgrader's own, which show hidden
    tests). nbgrader files each under a hash of the student's submitted notebook and its
    time, in a folder students may pass through but not list: a student fetches only the
    feedback on their own submission. Returns the exchange's feedback folder.
    """
    ws = open_course(course)
    if ws.exchange_root is None:
        raise GradingError(
            f"{ws.root / 'nbgrader_config.py'}: the course has no exchange to release feedback "
            "into; students read their pages from feedback/<student>/ instead"
        )
    pages = list(ws.path("feedback", "*", assignment).parent.parent.glob(f"*/{assignment}/*.html"))
    if not pages:
        raise GradingError(
            f"{ws.path('feedback', '*', assignment)}: no feedback pages; run "
            f"`coursekit feedback {assignment}` first"
        )
    for page in pages:
        # nbgrader files each page under a hash of the submission's time and secret, read beside
        # the page (its own generate_feedback copies them there; coursekit's pages come alone).
        student = page.parent.parent.name
        for name in ("timestamp.txt", "submission_secret.txt"):
            found = ws.path("submitted", student, assignment) / name
            if found.is_file():  # a resubmission has a new time and secret: always the latest
                shutil.copyfile(found, page.parent / name)
    from nbgrader.utils import capture_log, temp_attrs

    api = nbgrader_api(ws)
    # NbGraderAPI.release_feedback misspells the authenticator keyword (nbgrader 0.9.6), which
    # traitlets warns about; make the same exchange app with the keyword spelled right.
    with quiet_nbgrader(), temp_attrs(api.coursedir, assignment_id=assignment, student_id="*"):
        app = api.exchange.ReleaseFeedback(
            coursedir=api.coursedir, authenticator=api.authenticator, parent=api
        )
        with warnings.catch_warnings():
            # nbgrader 0.9.6 reads timestamp.txt without closing it.
            warnings.simplefilter("ignore", ResourceWarning)
            check_result(capture_log(app), "release_feedback", ws.exchange_root)
    return ws.exchange_root / ws.course_id / "feedback"
