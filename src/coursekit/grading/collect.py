"""``coursekit collect``: bring submissions into ``submitted/<student>/<id>/``.

From the nbgrader exchange (``nbgrader collect``), or from a folder or ``.zip`` laid out by
student, as learning-management systems export them::

    <root>/<student>/<id>.ipynb            or   <root>/<student>/<id>/<id>.ipynb

(a zip may wrap all of it in one top folder). A lone notebook with another name is taken and
reported as renamed. A bad entry (a loose file, a bad student id, no notebook, several
notebooks) is reported with what to do, and the rest are collected.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api import check_result, nbgrader_api, quiet_nbgrader
from coursekit.grading.state import folder_hash
from coursekit.grading.submissions import find_notebook
from coursekit.grading.workspace import Course, open_course

__all__ = ["MAX_ZIP_MB", "CollectResult", "collect"]

MAX_ZIP_MB = 2048
"""Largest total uncompressed size of a zip of submissions, in MiB."""

_STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
_JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", ".ipynb_checkpoints", "desktop.ini"}
_IGNORE = shutil.ignore_patterns(*_JUNK, "__pycache__", "*.pyc")


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
        lines = [
            f"{self.assignment}: {len(self.collected)} new or changed, "
            f"{len(self.unchanged)} unchanged, {len(self.problems)} not collected"
        ]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


def collect(*, course: Path, assignment: str, source: Path | None = None) -> CollectResult:
    """Collect ``assignment``'s submissions into the course's ``submitted/`` folder.

    With no ``source``, from the course's nbgrader exchange (newest submission per student);
    otherwise from a folder or ``.zip`` laid out by student (see the module docstring).
    """
    ws = open_course(course)
    if assignment not in ws.assignments():
        raise GradingError(
            f"{ws.path('source', '.', assignment)}: no such assignment in the course; "
            f"known: {ws.assignments()}"
        )
    before = {s: folder_hash(ws.path("submitted", s, assignment)) for s in ws.students(assignment)}
    if source is None:
        notes = _from_exchange(ws, assignment)
        after = {
            s: folder_hash(ws.path("submitted", s, assignment)) for s in ws.students(assignment)
        }
        changed = [s for s, h in after.items() if before.get(s) != h]
        unchanged = [s for s, h in after.items() if before.get(s) == h]
        return CollectResult(assignment, tuple(changed), tuple(unchanged), tuple(notes), ())
    if not source.exists():
        raise GradingError(f"{source}: no such folder or zip file")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise GradingError(f"{source}: not a zip file; pass a folder or a .zip of folders")
        with tempfile.TemporaryDirectory(prefix="coursekit-collect-") as tmp:
            root = _unzip(source, Path(tmp))
            changed, unchanged, notes, problems = _from_folder(ws, assignment, root, before)
    else:
        changed, unchanged, notes, problems = _from_folder(ws, assignment, source, before)
    return CollectResult(
        assignment, tuple(changed), tuple(unchanged), tuple(notes), tuple(problems)
    )


def _from_exchange(ws: Course, assignment: str) -> list[str]:
    if ws.exchange_root is None:
        raise GradingError(
            f"{ws.root / 'nbgrader_config.py'}: no exchange root; re-run `coursekit course init` "
            "with --exchange, or pass --from FOLDER_OR_ZIP"
        )
    inbound = ws.exchange_root / ws.course_id / "inbound"
    if not inbound.is_dir():
        raise GradingError(f"{inbound}: no inbound folder; release the assignment first")
    api = nbgrader_api(ws, extra={"ExchangeCollect": {"check_owner": False}})
    with quiet_nbgrader():
        check_result(api.collect(assignment, update=True), "collect", inbound)
    return []


def _unzip(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` safely into ``dest``; return the folder holding student folders."""
    with zipfile.ZipFile(archive) as zf:
        total = 0
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise GradingError(
                    f"{archive}: entry {info.filename!r} points outside the archive; "
                    "refusing to unpack it"
                )
            total += info.file_size
        if total > MAX_ZIP_MB * 1024 * 1024:
            raise GradingError(
                f"{archive}: unpacks to {total // (1024 * 1024)} MiB, over {MAX_ZIP_MB} MiB; "
                "unpack it yourself and pass the folder"
            )
        zf.extractall(dest)
    entries = [p for p in dest.iterdir() if p.name not in _JUNK]
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        if not any(inner.glob("*.ipynb")) and any(p.is_dir() for p in inner.iterdir()):
            return inner
    return dest


def _content_folder(student_dir: Path, assignment: str) -> Path:
    nested = student_dir / assignment
    return nested if nested.is_dir() else student_dir


def _from_folder(
    ws: Course, assignment: str, root: Path, before: dict[str, str]
) -> tuple[list[str], list[str], list[str], list[str]]:
    notebooks = sorted(p.name for p in ws.path("source", ".", assignment).glob("*.ipynb"))
    changed: list[str] = []
    unchanged: list[str] = []
    notes: list[str] = []
    problems: list[str] = []
    layout = f"{root}/<student>/{notebooks[0]}"
    for entry in sorted(root.iterdir()):
        if entry.name in _JUNK or entry.name.startswith("."):
            continue
        if not entry.is_dir():
            problems.append(
                f"{entry}: a loose file; put each student's work in a folder named by "
                f"student id ({layout})"
            )
            continue
        student = entry.name
        if not _STUDENT_ID.fullmatch(student):
            problems.append(
                f"{entry}: {student!r} is not a usable student id (letters, digits, . _ @ -); "
                "rename the folder to the student's id"
            )
            continue
        folder = _content_folder(entry, assignment)
        found = {}
        missing = []
        for name in notebooks:
            hit = find_notebook(folder, name)
            if hit.path is None:
                missing.append(hit.message)
                continue
            if hit.renamed:
                notes.append(f"{student}: {hit.message}")
            found[name] = hit.path
        if missing:
            problems.extend(f"{student}: {m}" for m in missing)
            continue
        _place(ws, assignment, student, folder, found)
        digest = folder_hash(ws.path("submitted", student, assignment))
        (unchanged if before.get(student) == digest else changed).append(student)
    return changed, unchanged, notes, problems


def _place(ws: Course, assignment: str, student: str, folder: Path, found: dict[str, Path]) -> None:
    """Copy one student's folder into ``submitted/``, notebooks under their expected names."""
    dest = ws.path("submitted", student, assignment)
    staging = dest.with_name(f".{dest.name}.incoming")
    if staging.exists():
        shutil.rmtree(staging)
    renamed = {path.resolve() for path in found.values()}
    shutil.copytree(
        folder,
        staging,
        ignore=lambda d, names: {
            *_IGNORE(d, names),
            *(n for n in names if (Path(d) / n).resolve() in renamed),
        },
    )
    for name, path in found.items():
        shutil.copyfile(path, staging / name)
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging.replace(dest)
