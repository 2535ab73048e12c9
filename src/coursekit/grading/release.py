"""``coursekit release``: student versions of assignments, into an nbgrader exchange or a zip."""

from __future__ import annotations

import dataclasses
import datetime
import fnmatch
import os
import re
import shutil
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import (
    NbgraderSettings,
    check_result,
    ensure_gradebook,
    nbgrader_api,
    nbgrader_settings,
    quiet_nbgrader,
)
from coursekit.grading.workspace import Course, open_course

__all__ = ["ReleaseResult", "Released", "release", "release_feedback", "release_zip"]


@dataclass(frozen=True)
class Released:
    """One released assignment."""

    assignment: str
    release_dir: Path
    """The student version (``release/<id>/``)."""
    exchange_dir: Path | None
    """Where students fetch it from, when released into an exchange."""
    zip_path: Path | None = None
    """The zip of the student version for an LMS, when one was asked for."""
    due: datetime.datetime | None = None
    """When it is due (UTC, as nbgrader keeps it), when a due date was given."""


@dataclass(frozen=True)
class ReleaseResult:
    """What ``coursekit release`` did."""

    released: tuple[Released, ...]

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = []
        for item in self.released:
            where = f" and {item.exchange_dir}" if item.exchange_dir else ""
            due = f" (due {item.due:%Y-%m-%d %H:%M} UTC)" if item.due else ""
            lines.append(f"released {item.assignment}: {item.release_dir}{where}{due}")
            if item.zip_path is not None:
                lines.append(f"  for your LMS: {item.zip_path}")
        return "\n".join(lines)


def release(
    *,
    course: Path,
    assignments: Sequence[str] = (),
    exchange: Path | None = None,
    zip_dir: Path | None = None,
    due: str | datetime.datetime | None = None,
) -> ReleaseResult:
    """Generate the student version of each assignment with ``nbgrader generate_assignment``.

    Every assignment in ``source/`` is released when ``assignments`` is empty. The assignment
    and its notebooks, cells and points go into the gradebook. With ``exchange`` (or an exchange
    root in the course config) the student versions also go into that nbgrader exchange. With
    ``zip_dir`` each student version is also zipped there (:func:`release_zip`).


    ``due`` (a date and time with its UTC offset, such as ``"2026-12-04 17:00 -0500"``; UTC
    without one) becomes each assignment's due date in the gradebook: nbgrader counts each
    submission's lateness from it, and the course's late-submission policy
    (``LateSubmissionPlugin`` in ``nbgrader_config.py``) sets the penalty.
    """
    due_utc = _due_date(due)
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
            done.append(_release_one(api, ws, aid, exchange_root, due_utc))
    if zip_dir is not None:
        done = [
            dataclasses.replace(
                item, zip_path=release_zip(course=course, assignment=item.assignment, out=zip_dir)
            )
            for item in done
        ]
    return ReleaseResult(tuple(done))


def release_zip(*, course: Path, assignment: str, out: Path) -> Path:
    """Zip the student version of ``assignment`` for upload to an LMS; returns ``out/<id>.zip``.

    Only the released folder (``release/<id>/``) goes in, under one folder ``<id>/``, so a
    student unzips the notebooks with the files they read, and nothing else of the course:
    no source, solution, hidden test, rubric or gradebook. Files nbgrader never releases
    (``CourseDirectory.ignore``: checkpoints, caches) are left out. As a last guard, a file
    that still holds a solution, hidden-test or mark-scheme delimiter, a link, or a special
    file stops the zip with an error naming it, and nothing is written. Release first.
    """
    ws = open_course(course)
    folder = ws.path("release", ".", assignment)
    if not folder.is_dir():
        raise GradingError(
            f"{folder}: no student version of {assignment!r} to zip; "
            f"run `coursekit release {assignment}` first"
        )
    settings = nbgrader_settings(ws)
    files = _released_files(folder, settings)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{assignment}.zip"
    handle, temporary = tempfile.mkstemp(prefix=f".{assignment}-", suffix=".zip", dir=out)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                name = f"{assignment}/{path.relative_to(folder).as_posix()}"
                archive.write(path, name)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _released_files(folder: Path, settings: NbgraderSettings) -> list[Path]:
    """The files of a released folder, in order, each checked (see :func:`release_zip`)."""
    delimiters = [begin for begin, _ in (settings.solution, *settings.hidden_regions)]
    files = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in settings.ignore):
            continue
        mode = path.lstat().st_mode
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            raise GradingError(
                f"{path}: a link or special file in the released folder; remove it and "
                "release again (a zip for students holds plain files only)"
            )
        text = path.read_bytes().decode("utf-8", errors="replace")
        found = next((d for d in delimiters if d in text), None)
        if found is not None:
            raise GradingError(
                f"{path}: still holds '{found}' after release, so it may give an answer away; "
                "fix the source notebook's delimiters and release again (no zip was written)"
            )
        files.append(path)
    return files


def _due_date(due: str | datetime.datetime | None) -> datetime.datetime | None:
    """``due`` in UTC without a time zone, as nbgrader's gradebook keeps due dates.

    A text is an ISO date and time that may end in a UTC offset (``-0500``, ``-05:00``) or a
    time-zone name (``America/New_York``, ``UTC``); without either it is taken as UTC.
    """
    if due is None:
        return None
    value = due if isinstance(due, datetime.datetime) else _parse_due(due)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def _parse_due(text: str) -> datetime.datetime:
    import zoneinfo

    head, _, last = text.strip().rpartition(" ")
    try:
        if head and ("/" in last or last.upper() == "UTC"):
            zone = zoneinfo.ZoneInfo("UTC" if last.upper() == "UTC" else last)
            return datetime.datetime.fromisoformat(head).replace(tzinfo=zone)
        if head and re.fullmatch(r"[+-]\d\d:?\d\d", last):
            return datetime.datetime.fromisoformat(head + last)
        return datetime.datetime.fromisoformat(text.strip())
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise GradingError(
            f"due date {text!r}: not a date and time; write it like 2026-12-04 17:00 -0500 "
            "or 2026-12-04 17:00 America/New_York (UTC when no zone is given)"
        ) from exc


def _release_one(
    api: Any, ws: Course, aid: str, exchange_root: Path | None, due: datetime.datetime | None
) -> Released:
    source = ws.path("source", ".", aid)
    generated = api.generate_assignment(aid, force=True, create=True)
    check_result(generated, "generate_assignment", source)
    if due is not None:
        with api.gradebook as gb:
            gb.update_or_create_assignment(aid, duedate=due)
    exchange_dir = None
    if exchange_root is not None:
        check_result(api.release_assignment(aid), "release_assignment", exchange_root)
        exchange_dir = exchange_root / ws.course_id / "outbound" / aid
    return Released(aid, ws.path("release", ".", aid), exchange_dir, due=due)


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
