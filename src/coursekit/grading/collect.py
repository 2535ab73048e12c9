"""``coursekit collect``: bring submissions into ``submitted/<student>/<id>/``.

From the nbgrader exchange, or from a folder or ``.zip`` laid out by student, as
learning-management systems export them::

    <root>/<student>/<id>.ipynb            or   <root>/<student>/<id>/<id>.ipynb

(a zip may wrap all of it in one top folder). A lone notebook with another name is taken and
reported as renamed. A bad entry (a loose file, a bad student id, no notebook, several
notebooks, a link or special file, a submission over the size limit, a damaged zip member) is
reported with what to do, and the rest are collected.

Nothing a student controls is trusted (:mod:`coursekit.grading.intake`): links are never
followed, sizes are capped before reading, ids are checked by one function, copies are
``0600``. From the exchange, a submission is taken only when its folder is owned by the
student it names (unless the course turns that check off, for a single-user exchange), the
student is on the course's roster when the course has one, and its time is not in the future;
the newest acceptable submission per student wins and its time is kept in ``timestamp.txt``,
so nbgrader's late penalties apply. nbgrader's own ``ExchangeCollect`` is not used: it follows
links and takes any folder name at its word.
"""

from __future__ import annotations

import datetime
import pwd
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coursekit.config import GradingLimits, load_config
from coursekit.grading.errors import GradingError
from coursekit.grading.intake import (
    IntakeError,
    check_student_id,
    copy_tree,
    notebook_problem,
    printable,
    write_private,
)
from coursekit.grading.nbgrader_api import ensure_gradebook, quiet_nbgrader
from coursekit.grading.state import folder_hash
from coursekit.grading.submissions import find_notebook
from coursekit.grading.workspace import Course, open_course

__all__ = ["CollectResult", "collect"]

_JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", ".ipynb_checkpoints", "desktop.ini"}
_SKIP = {*_JUNK, "__pycache__"}
_MIB = 1 << 20


def _ignored(name: str) -> bool:
    return name in _SKIP or name.endswith(".pyc")


@dataclass(frozen=True)
class CollectResult:
    """What ``coursekit collect`` did."""

    assignment: str
    collected: tuple[str, ...]
    """Students whose submission is new or changed."""
    unchanged: tuple[str, ...]
    """Students whose submission was already there, identical."""
    notes: tuple[str, ...]
    """Things done that an instructor should know about (such as renamed notebooks)."""
    problems: tuple[str, ...]
    """Entries not collected, each naming the file and what to do."""

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [
            f"{self.assignment}: {len(self.collected)} new or changed, "
            f"{len(self.unchanged)} unchanged, {len(self.problems)} not collected"
        ]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  problem: {p}" for p in self.problems]
        return printable("\n".join(lines))


def collect(
    *,
    course: Path,
    assignment: str,
    source: Path | None = None,
    limits: GradingLimits | None = None,
    check_owner: bool = True,
) -> CollectResult:
    """Collect ``assignment``'s submissions into the course's ``submitted/`` folder.

    With no ``source``, from the course's nbgrader exchange (newest acceptable submission per
    student; ``check_owner=False`` drops the file-owner check, for an exchange that one user
    writes); otherwise from a folder or ``.zip`` laid out by student (see the module
    docstring). ``limits`` (default: the course configuration's) caps each submission's size,
    a zip's unpacked size and how far an exchange submission's time may be off.
    """
    ws = open_course(course)
    limits = limits or load_config().limits
    if assignment not in ws.assignments():
        raise GradingError(
            f"{ws.path('source', '.', assignment)}: no such assignment in the course; "
            f"known: {ws.assignments()}"
        )
    before = {s: folder_hash(ws.path("submitted", s, assignment)) for s in ws.students(assignment)}
    intake = _Intake(ws, assignment, limits, before)
    if source is None:
        intake.from_exchange(check_owner=check_owner)
    elif not source.exists():
        raise GradingError(f"{source}: no such folder or zip file")
    elif source.is_file():
        if not zipfile.is_zipfile(source):
            raise GradingError(f"{source}: not a zip file; pass a folder or a .zip of folders")
        with tempfile.TemporaryDirectory(prefix="coursekit-collect-") as tmp:
            root, damaged = _unzip(source, Path(tmp), limits)
            intake.problems.extend(damaged.values())
            intake.from_folder(root, skip=set(damaged))
    else:
        intake.from_folder(source)
    return CollectResult(
        assignment,
        tuple(intake.changed),
        tuple(intake.unchanged),
        tuple(intake.notes),
        tuple(intake.problems),
    )


class _Intake:
    """One collect run: the course, the assignment and what happened to each entry."""

    def __init__(
        self, ws: Course, assignment: str, limits: GradingLimits, before: dict[str, str]
    ) -> None:
        self.ws = ws
        self.assignment = assignment
        self.max_bytes = limits.submission_mb * _MIB
        self.skew = datetime.timedelta(minutes=limits.clock_skew_minutes)
        self.before = before
        self.notebooks = sorted(p.name for p in ws.path("source", ".", assignment).glob("*.ipynb"))
        self.changed: list[str] = []
        self.unchanged: list[str] = []
        self.notes: list[str] = []
        self.problems: list[str] = []

    def from_folder(self, root: Path, *, skip: set[str] | None = None) -> None:
        """Take every student folder of ``root`` (an LMS export laid out by student)."""
        layout = f"{root}/<student>/{self.notebooks[0]}"
        for entry in sorted(root.iterdir()):
            if entry.name in _JUNK or entry.name.startswith(".") or entry.name in (skip or ()):
                continue
            mode = entry.lstat().st_mode
            if not stat.S_ISDIR(mode):
                what = "a loose file" if stat.S_ISREG(mode) else "not a folder (a link?)"
                self.problems.append(
                    printable(
                        f"{entry}: {what}; put each student's work in a folder named by "
                        f"student id ({layout})"
                    )
                )
                continue
            try:
                student = check_student_id(entry.name, where=str(entry))
                folder = entry / self.assignment
                if not (folder.is_dir() and not folder.is_symlink()):
                    folder = entry
                self._take(student, folder)
            except (IntakeError, OSError) as exc:
                self.problems.append(printable(str(exc)))

    def from_exchange(self, *, check_owner: bool) -> None:
        """Take the newest acceptable submission of each student from the exchange's inbound."""
        ws = self.ws
        if ws.exchange_root is None:
            raise GradingError(
                f"{ws.root / 'nbgrader_config.py'}: no exchange root; re-run `coursekit course "
                "init` with --exchange, or pass --from FOLDER_OR_ZIP"
            )
        inbound = ws.exchange_root / ws.course_id / "inbound"
        if not inbound.is_dir():
            raise GradingError(f"{inbound}: no inbound folder; release the assignment first")
        roster = _roster(ws)
        if roster is None:
            self.notes.append(
                "the course has no roster, so student ids were not checked against one "
                "(add students with `nbgrader db student import`)"
            )
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)  # nbgrader's naive UTC
        newest: dict[str, tuple[datetime.datetime, str, Path]] = {}
        for entry in sorted(inbound.iterdir()):
            try:
                student, when, stamp = self._check_inbound(
                    entry, roster, now, check_owner=check_owner
                )
            except IntakeError as exc:
                self.problems.append(printable(str(exc)))
                continue
            if student is not None and (student not in newest or when > newest[student][0]):
                newest[student] = (when, stamp, entry)
        for student, (_, stamp, entry) in sorted(newest.items()):
            try:
                # The time exactly as `nbgrader submit` wrote it: nbgrader's feedback release
                # hashes it with the notebook, and the student's copy must give the same hash.
                self._take(student, entry, timestamp=stamp)
            except (IntakeError, OSError) as exc:
                self.problems.append(printable(str(exc)))

    def _check_inbound(
        self,
        entry: Path,
        roster: set[str] | None,
        now: datetime.datetime,
        *,
        check_owner: bool,
    ) -> tuple[str | None, datetime.datetime, str]:
        """The student and time of one inbound folder, or ``(None, ...)`` for another assignment."""
        parts = entry.name.split("+")
        if len(parts) < 3 or parts[1] != self.assignment:
            return None, now, ""
        info = entry.lstat()
        if not stat.S_ISDIR(info.st_mode):
            raise IntakeError(f"{entry}: not a folder (a link?); refused")
        student = check_student_id(parts[0], where=str(entry))
        if roster is not None and student not in roster:
            raise IntakeError(
                f"{entry}: {student!r} is not on the course's roster; add the student to the "
                "gradebook if this is a real student, then collect again"
            )
        if check_owner:
            try:
                owner = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                owner = f"uid {info.st_uid}"
            if owner != student:
                raise IntakeError(
                    f"{entry}: submitted in the name of {student!r} but owned by {owner!r}; "
                    "not collected (another user may be impersonating the student)"
                )
        try:
            from nbgrader.utils import parse_utc

            when = parse_utc(parts[2])
        except (ValueError, OverflowError) as exc:
            raise IntakeError(f"{entry}: {parts[2]!r} is not a submission time; refused") from exc
        if when > now + self.skew:
            raise IntakeError(
                f"{entry}: its submission time {when:%Y-%m-%d %H:%M} UTC is in the future; "
                "refused (ask the student to submit again)"
            )
        # The time in the name is the student's word; the folder's change time is the kernel's.
        written = datetime.datetime.fromtimestamp(info.st_ctime, datetime.UTC)
        written = written.replace(tzinfo=None)
        if when < written - self.skew:
            self.notes.append(
                f"{entry.name.split('+')[0]}: {entry}: its name says it was submitted at "
                f"{when:%Y-%m-%d %H:%M} UTC but it was written at {written:%Y-%m-%d %H:%M} UTC; "
                "the later time is recorded (lateness counts from it)"
            )
            return student, written, f"{written:%Y-%m-%d %H:%M:%S.%f} UTC"
        return student, when, parts[2]

    def _take(self, student: str, folder: Path, *, timestamp: str | None = None) -> None:
        """Copy one student's folder into ``submitted/`` (notebooks under their expected names).

        The copy is made first, without following any link, into a private staging folder; the
        notebooks are then looked for in that copy, never in the student's tree. A student's
        own ``timestamp.txt`` never counts: ``timestamp`` (the exchange's time) is written
        instead, and from an LMS export the submission has none.
        """
        dest = self.ws.path("submitted", student, self.assignment)
        dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = dest.with_name(f".{dest.name}.incoming")
        if staging.exists():
            shutil.rmtree(staging)
        keep_secret = timestamp is not None  # nbgrader's feedback hash needs the exchange's
        copy_tree(
            folder,
            staging,
            max_bytes=self.max_bytes,
            ignore=lambda name: (
                _ignored(name)
                or name == "timestamp.txt"
                or (name == "submission_secret.txt" and not keep_secret)
            ),
        )
        try:
            for name in self.notebooks:
                hit = find_notebook(staging, name)
                if hit.path is None:
                    raise IntakeError(
                        f"{student}: {hit.message.replace(str(staging), str(folder))}"
                    )
                if hit.renamed:
                    self.notes.append(
                        f"{student}: {hit.message.replace(str(staging), str(folder))}"
                    )
                    hit.path.replace(staging / name)
            if timestamp is not None:
                write_private(staging / "timestamp.txt", timestamp)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        for name in self.notebooks:
            problem = notebook_problem(staging / name)
            if problem:
                self.notes.append(
                    f"{student}: {name} cannot be read: {problem}; collected, it will be graded "
                    "as invalid (ask the student to submit again)"
                )
        if dest.exists():
            shutil.rmtree(dest)
        staging.replace(dest)
        digest = folder_hash(dest)
        (self.unchanged if self.before.get(student) == digest else self.changed).append(student)


def _roster(ws: Course) -> set[str] | None:
    """The student ids in the course's gradebook, or ``None`` when it has none."""
    from nbgrader.api import Gradebook

    ensure_gradebook(ws.db_url)
    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        ids = {s.id for s in gb.students}
    return ids or None


def _unzip(archive: Path, dest: Path, limits: GradingLimits) -> tuple[Path, dict[str, str]]:
    """Extract ``archive`` member by member into ``dest``.

    Returns the folder that holds the student folders, and the student folders (first path
    component below it) that could not be extracted whole, each with its problem: a link or
    special file, a member over the size limit or lying about its size, a damaged member. A
    member that would land outside ``dest`` refuses the whole archive.
    """
    damaged: dict[str, str] = {}
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GradingError(f"{archive}: cannot read this zip ({exc}); export it again") from exc
    with zf:
        members = zf.infolist()
        total = 0
        for info in members:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise GradingError(
                    f"{archive}: entry {printable(repr(info.filename))} points outside the "
                    "archive; refusing to unpack it"
                )
            total += info.file_size
        if total > limits.zip_mb * _MIB:
            raise GradingError(
                f"{archive}: unpacks to {total // _MIB} MiB, over {limits.zip_mb} MiB; "
                "unpack it yourself and pass the folder (or raise limits.zip_mb)"
            )
        tops = {PurePosixPath(i.filename).parts[0] for i in members if i.filename.strip("/")}
        wrapped = len(tops - _JUNK) == 1
        cap = limits.submission_mb * _MIB
        for info in members:
            parts = PurePosixPath(info.filename).parts
            if not parts:
                continue
            owner = parts[1] if wrapped and len(parts) > 1 else parts[0]
            problem = _extract(zf, info, dest, cap)
            if problem:
                damaged.setdefault(owner, printable(f"{archive}: {owner}: {problem}"))
    entries = [p for p in dest.iterdir() if p.name not in _JUNK]
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        if not any(inner.glob("*.ipynb")) and any(p.is_dir() for p in inner.iterdir()):
            return inner, damaged
    return dest, damaged


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, cap: int) -> str | None:
    """Extract one member as a plain file or folder; the problem, if it cannot be."""
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return f"{info.filename!r} is a link or special file; links are never collected"
    target = dest.joinpath(*PurePosixPath(info.filename).parts)
    if info.file_size > cap:
        return f"{info.filename!r} is over {cap // _MIB} MiB; refused"
    read = 0
    try:
        if info.is_dir():
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            return None
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with zf.open(info) as src, target.open("xb") as out:
            while chunk := src.read(_MIB):
                read += len(chunk)
                if read > cap:
                    return f"{info.filename!r} unpacks past {cap // _MIB} MiB; refused"
                out.write(chunk)
    except FileExistsError:
        return f"{info.filename!r} appears twice in the zip (or as a file and a folder)"
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        target.unlink(missing_ok=True)
        return f"{info.filename!r} is damaged in the zip ({exc}); export it again"
    except OSError as exc:
        return f"{info.filename!r} cannot be unpacked ({exc.strerror}); export it again"
    return None
