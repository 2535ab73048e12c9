"""Anonymous answer codes: a keyed hash of course and student id, stable across exports.

The key is a random secret kept in the course folder (``.coursekit/rubric-secret``, mode
0600), so a code cannot be turned back into a student id by anyone who lacks the folder,
and the same student keeps the same code on every sheet of the course (a TA who sees
``K7Q2-M9XD`` twice cannot tell who it is, and an instructor can re-export without
invalidating a half-filled sheet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from pathlib import Path

from coursekit.grading.intake import write_private

__all__ = ["SECRET_NAME", "answer_code", "code_map", "course_secret"]

SECRET_NAME = ".coursekit/rubric-secret"  # noqa: S105 (a file name, not a secret)


def course_secret(course_root: Path) -> bytes:
    """The course's secret key, made (mode 0600) the first time it is asked for."""
    path = course_root / SECRET_NAME
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, secrets.token_hex(32) + "\n")
    return path.read_bytes().strip()


def answer_code(secret: bytes, course_id: str, student: str) -> str:
    """The anonymous code of ``student`` in ``course_id``: 8 letters/digits, e.g. K7Q2-M9XD."""
    digest = hmac.new(secret, f"{course_id}\0{student}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:8]
    return f"{text[:4]}-{text[4:]}"


def code_map(course_root: Path, course_id: str, students: Iterable[str]) -> dict[str, str]:
    """Code -> student id for ``students`` (the key is made if the course has none yet)."""
    secret = course_secret(course_root)
    return {answer_code(secret, course_id, s): s for s in students}
