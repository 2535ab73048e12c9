"""Known-wrong answers with hints: small per-assignment tables of fingerprinted mistakes.

``known_wrong/<assignment-id>.json`` (package data) maps a question to the common mistakes
seen in it, each as ``{"fingerprint", "hint"}``: the fingerprint of the wrong answer
(:func:`coursekit.checks.fingerprint`) and the hint a student sees (it names a section, never
the answer). The tables ship in every student's install, so they hold nothing else: what each
mistake is, for instructors, lives beside the sources in ``assignments/_known_wrong_notes/``.
:func:`known_wrong` gives a checker's ``known_wrong=`` argument::

    checks.check_list(order, name="order", length=5,
                      known_wrong=checks.known_wrong("a1-timeline", "q2")).assert_ok()
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from coursekit.checks.normalize import is_fingerprint
from coursekit.errors import CoursekitError

__all__ = ["KnownMistake", "KnownWrongError", "known_wrong", "known_wrong_table", "read_table"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIELDS = {"fingerprint", "hint"}


class KnownWrongError(CoursekitError, ValueError):
    """A known-wrong table is missing or malformed; the message names the file and entry."""


@dataclass(frozen=True)
class KnownMistake:
    """One known mistake of one question."""

    fingerprint: str
    """``checks.fingerprint(wrong_answer)``."""
    hint: str
    """What the student sees (a section to reread, never the answer)."""


def _where(assignment: str) -> str:
    return f"coursekit/checks/known_wrong/{assignment}.json"


def _folder() -> Traversable:
    return resources.files("coursekit.checks") / "known_wrong"


@functools.cache
def known_wrong_table(assignment: str) -> dict[str, tuple[KnownMistake, ...]]:
    """Every question's known mistakes for ``assignment``, read and checked once."""
    if not _ID.match(assignment):
        raise KnownWrongError(f"{assignment!r} is not an assignment id (e.g. 'a1-timeline')")
    return read_table(_folder() / f"{assignment}.json", where=_where(assignment))


def read_table(path: Traversable, *, where: str) -> dict[str, tuple[KnownMistake, ...]]:
    """Read and check one known-wrong table; errors name ``where`` and the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnownWrongError(
            f"{where} does not exist: add it (a JSON object from question id to mistakes)"
        ) from None
    except ValueError as exc:
        raise KnownWrongError(f"{where} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise KnownWrongError(f"{where}: the top level must be an object of question ids")
    table: dict[str, tuple[KnownMistake, ...]] = {}
    for question, entries in data.items():
        if not isinstance(entries, list):
            raise KnownWrongError(f"{where}: {question!r} must hold a list of mistakes")
        found = []
        for i, entry in enumerate(entries):
            at = f"{where}: {question}[{i}]"
            if isinstance(entry, dict) and "mistake" in entry:
                raise KnownWrongError(
                    f"{at}: move 'mistake' (a note for instructors) to "
                    "assignments/_known_wrong_notes/: this table ships to students"
                )
            if not isinstance(entry, dict) or set(entry) != _FIELDS:
                raise KnownWrongError(f"{at} must have exactly the keys {sorted(_FIELDS)}")
            if not is_fingerprint(entry["fingerprint"]):
                raise KnownWrongError(f"{at}: make 'fingerprint' with checks.fingerprint(...)")
            if not isinstance(entry["hint"], str) or not entry["hint"].strip():
                raise KnownWrongError(f"{at}: 'hint' must be a non-empty text")
            found.append(KnownMistake(entry["fingerprint"], entry["hint"]))
        marks = [m.fingerprint for m in found]
        if len(set(marks)) != len(marks):
            raise KnownWrongError(f"{where}: {question!r} lists one fingerprint twice")
        table[str(question)] = tuple(found)
    return table


def known_wrong(assignment: str, question: str) -> dict[str, str]:
    """``{fingerprint: hint}`` for ``question`` of ``assignment``, for a checker's ``known_wrong=``.

    Raises :class:`KnownWrongError` naming the file when the table or the question is missing.
    """
    table = known_wrong_table(assignment)
    if question not in table:
        known = ", ".join(sorted(table)) or "none yet"
        raise KnownWrongError(
            f"{_where(assignment)} has no question {question!r} (it has: {known})"
        )
    return {m.fingerprint: m.hint for m in table[question]}
