"""Intake of students' files: one id check, link-free capped copies, terminal- and CSV-safe text.

Every path that brings a student's files into the course (a folder, a zip, the exchange) goes
through these functions, so a rule is enforced once:

* :func:`check_student_id` is the one test of a student id;
* :func:`copy_tree` never follows a symbolic link and refuse links and
  special files (a link in a student's folder could point at ``/etc/shadow`` or the gradebook);
  sizes are capped before anything is read, and copies are made ``0600``/``0700``;
* :func:`printable` makes a student-controlled string safe to print to a terminal (no escape
  sequences), and :func:`csv_cell` safe to put in a CSV a spreadsheet will open (no formulas).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from coursekit.grading.errors import GradingError

__all__ = [
    "IntakeError",
    "check_student_id",
    "copy_tree",
    "csv_cell",
    "csv_row",
    "notebook_problem",
    "printable",
    "write_private",
]

_STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional-override characters
# (which reorder what a terminal or a spreadsheet shows).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1 << 20


class IntakeError(GradingError):
    """A student's files cannot be taken in; the message names the entry and what to do."""


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape, safe to print to a terminal.

    Tabs and newlines are kept; ``ESC`` is shown as the four characters of its Python escape,
    so an OSC or CSI sequence in a file name or a student id is shown, never obeyed.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def csv_cell(value: object) -> object:
    """``value`` made safe for a spreadsheet: text that would start a formula is quoted.

    Strings beginning with ``= + - @``, a tab or a carriage return get a leading apostrophe
    (OWASP's advice for CSV injection); numbers and other values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    """:func:`csv_cell` applied to every value of a row."""
    return [csv_cell(v) for v in values]


def check_student_id(raw: str, *, where: str) -> str:
    """``raw`` if it is a usable student id; otherwise :class:`IntakeError` naming ``where``.

    A student id is 1 to 100 letters, digits, ``.``, ``_``, ``@`` or ``-``, starting with a
    letter or digit: safe as a folder name, in a terminal and in a CSV.
    """
    if not _STUDENT_ID.fullmatch(raw):
        raise IntakeError(
            f"{printable(where)}: {printable(repr(raw))} is not a usable student id "
            "(letters, digits, . _ @ -, starting with a letter or digit); rename it to the "
            "student's id"
        )
    return raw


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "a special file"


def copy_tree(
    src: Path,
    dest: Path,
    *,
    max_bytes: int,
    ignore: Callable[[str], bool] = lambda name: False,
) -> list[Path]:
    """Copy the regular files under ``src`` into a new folder ``dest``, following no link.

    The tree is walked once, by file descriptors: every folder and file is opened relative to
    its already-open parent with ``O_NOFOLLOW``, and its type and size come from that open
    descriptor, so swapping a path for a link while the copy runs gains nothing. A link or
    special file anywhere (``src`` included), or more than ``max_bytes`` in all, raises
    :class:`IntakeError`, and ``dest`` is removed again. Copies are ``0600`` in ``0700``
    folders. Names for which ``ignore`` is true are skipped with everything under them.
    Returns the relative paths written.
    """
    try:
        top = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        kind = _kind(os.lstat(src).st_mode) if os.path.lexists(src) else "missing"
        raise IntakeError(f"{printable(str(src))}: {kind}, not a folder; refused") from exc
    try:
        dest.mkdir(mode=0o700, parents=False, exist_ok=False)
        copier = _Copier(src, max_bytes, ignore)
        try:
            copier.folder(top, Path(), dest)
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
    finally:
        os.close(top)
    return sorted(copier.written)


class _Copier:
    """One walk of a student's tree: the byte budget left and what was written."""

    def __init__(self, src: Path, max_bytes: int, ignore: Callable[[str], bool]) -> None:
        self.src = src
        self.left = max_bytes
        self.max_bytes = max_bytes
        self.ignore = ignore
        self.written: list[Path] = []

    def _refuse(self, rel: Path, mode: int) -> IntakeError:
        return IntakeError(
            f"{printable(str(self.src / rel))}: {_kind(mode)}; links and special files are "
            "never collected: submit the file itself"
        )

    def _too_big(self) -> IntakeError:
        return IntakeError(
            f"{printable(str(self.src))}: more than {self.max_bytes // (1 << 20)} MiB of "
            "files; remove what is not part of the submission"
        )

    def folder(self, fd: int, rel: Path, out: Path) -> None:
        """Copy the folder open as ``fd`` (``rel`` below ``src``) into ``out``."""
        for name in sorted(os.listdir(fd)):
            if self.ignore(name):
                continue
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                try:
                    child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                except OSError as exc:  # replaced by a link since the stat
                    raise self._refuse(rel / name, stat.S_IFLNK) from exc
                try:
                    (out / name).mkdir(mode=0o700)
                    self.folder(child, rel / name, out / name)
                finally:
                    os.close(child)
            elif stat.S_ISREG(info.st_mode):
                self.file(fd, name, rel / name, out / name)
            else:
                raise self._refuse(rel / name, info.st_mode)

    def file(self, dir_fd: int, name: str, rel: Path, target: Path) -> None:
        """Copy one file, opened in its parent ``dir_fd``, to ``target``."""
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        except OSError as exc:  # a link (ELOOP) put in its place since the stat
            raise self._refuse(rel, stat.S_IFLNK) from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise self._refuse(rel, info.st_mode)
            if info.st_size > self.left:
                raise self._too_big()
            out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                while chunk := os.read(fd, _CHUNK):
                    self.left -= len(chunk)
                    if self.left < 0:
                        raise self._too_big()
                    os.write(out, chunk)
            finally:
                os.close(out)
        finally:
            os.close(fd)
        self.written.append(rel)


def notebook_problem(path: Path) -> str | None:
    """Why the file at ``path`` is not a readable Jupyter notebook, or ``None`` if it is one.

    Call it on a file already copied and size-checked: it reads the whole file. JSON nested
    too deeply to parse is a problem like any other, never an uncaught ``RecursionError``.
    """
    try:
        nb = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return "it is not text (UTF-8)"
    except RecursionError:
        return "its JSON is nested too deeply to read"
    except ValueError as exc:
        return f"it is not valid JSON ({exc})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return "it is JSON but not a Jupyter notebook (no list of cells)"
    if nb.get("nbformat") not in (4,):
        return f"it is nbformat {nb.get('nbformat')!r}; save it from JupyterLab as nbformat 4"
    return None


def write_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` readable by its owner only (``0600``), replacing it whole.

    The text goes to a new file beside it first (never through a link) and is then renamed
    over ``path``, so a reader sees the old file or the new one, never half of one.
    """
    tmp = path.with_name(f".{path.name}.incoming")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    tmp.replace(path)
