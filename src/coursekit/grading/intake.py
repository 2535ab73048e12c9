"""Intake of students' files: one id check, link-free capped copies, terminal- and CSV-safe text.

Every path that brings a student's files into the course (a folder, a zip, the exchange) goes
through these functions, so a rule is enforced once:

* :func:`check_student_id` is the one test of a student id;
* :func:`scan_tree` and :func:`copy_tree` never follow a symbolic link and refuse links and
  special files (a link in a student's folder could point at ``/etc/shadow`` or the gradebook);
  sizes are capped before anything is read, and copies are made ``0600``/``0700``;
* :func:`printable` makes a student-controlled string safe to print to a terminal (no escape
  sequences), and :func:`csv_cell` safe to put in a CSV a spreadsheet will open (no formulas).
"""

from __future__ import annotations

import json
import os
import re
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
    "scan_tree",
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


def scan_tree(
    root: Path,
    *,
    max_bytes: int,
    ignore: Callable[[str], bool] = lambda name: False,
) -> list[Path]:
    """The regular files under ``root`` (relative paths), checked without following any link.

    Raises :class:`IntakeError` for a link or special file anywhere in the tree (``root``
    included), or when the files add up to more than ``max_bytes``. Names for which ``ignore``
    is true are skipped with everything under them.
    """
    files: list[Path] = []
    total = 0
    top = os.lstat(root)
    if not stat.S_ISDIR(top.st_mode):
        raise IntakeError(f"{printable(str(root))}: {_kind(top.st_mode)}, not a folder; refused")
    stack = [Path()]
    while stack:
        rel = stack.pop()
        with os.scandir(root / rel) as entries:
            for entry in entries:
                if ignore(entry.name):
                    continue
                info = entry.stat(follow_symlinks=False)
                path = rel / entry.name
                if stat.S_ISDIR(info.st_mode):
                    stack.append(path)
                elif stat.S_ISREG(info.st_mode):
                    total += info.st_size
                    if total > max_bytes:
                        raise IntakeError(
                            f"{printable(str(root))}: more than {max_bytes // (1 << 20)} MiB of "
                            "files; remove what is not part of the submission"
                        )
                    files.append(path)
                else:
                    raise IntakeError(
                        f"{printable(str(root / path))}: {_kind(info.st_mode)}; links and "
                        "special files are never collected: submit the file itself"
                    )
    return sorted(files)


def _copy_file(src: Path, dest: Path, *, max_bytes: int) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(src, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IntakeError(f"{printable(str(src))}: not a regular file; refused")
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        written = 0
        try:
            while chunk := os.read(fd, _CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise IntakeError(
                        f"{printable(str(src))}: grew past {max_bytes // (1 << 20)} MiB while "
                        "being copied; refused"
                    )
                os.write(out, chunk)
        finally:
            os.close(out)
        return written
    finally:
        os.close(fd)


def copy_tree(
    src: Path,
    dest: Path,
    *,
    max_bytes: int,
    ignore: Callable[[str], bool] = lambda name: False,
    rename: dict[Path, str] | None = None,
) -> list[Path]:
    """Copy the regular files of ``src`` into a new folder ``dest``, following no link.

    The tree is checked first with :func:`scan_tree` (nothing is written if it fails); files
    are then opened with ``O_NOFOLLOW`` and copied ``0600`` into folders made ``0700``, with
    ``max_bytes`` enforced again on the bytes actually read. ``rename`` maps a relative path
    to the name its copy gets at the top of ``dest``. Returns the relative paths written.
    """
    files = scan_tree(src, max_bytes=max_bytes, ignore=ignore)
    rename = rename or {}
    dest.mkdir(mode=0o700, parents=False, exist_ok=False)
    budget = max_bytes
    written: list[Path] = []
    for rel in files:
        target = Path(rename[rel]) if rel in rename else rel
        (dest / target).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        budget -= _copy_file(src / rel, dest / target, max_bytes=budget)
        written.append(target)
    return written


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
