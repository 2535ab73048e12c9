"""Why an autograded cell lost points, from the checkers' own reports in its outputs.

The checkers (:mod:`coursekit.checks`) report a failure as a block of lines that starts with
``[not yet]`` and says what is wrong and where, never the answer. Phase 2 records which
outputs of a test cell its hidden part made (``metadata.coursekit.output_parts``, see
:func:`coursekit.grading.twophase.assemble`), so the feedback page can show the visible
part's reports always and the hidden part's only when the course allows it
(``feedback.show_hidden_details``); otherwise it says that hidden checks did not pass and
names the book sections their messages point to. Anything in a hidden part that is not a
checker's report (an ``assert``'s message, a traceback) is never shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from coursekit.checks.sections import SECTIONS, references

__all__ = ["Reasons", "reasons", "report_blocks"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_START = "[not yet] "


@dataclass(frozen=True)
class Reasons:
    """What a feedback page may say about one test cell."""

    visible: tuple[str, ...] = ()
    """Reports and errors of the visible part (students can run it themselves)."""
    hidden: tuple[str, ...] = ()
    """The checkers' own reports from hidden parts (shown only when the course allows)."""
    hidden_failed: bool = False
    """Whether a hidden part failed (a report, or any error)."""
    sections: tuple[str, ...] = ()
    """``see N.M Heading`` for each section a hidden report points to, as the book has it."""


def report_blocks(text: str) -> list[str]:
    """The ``[not yet]`` reports in ``text``, each with its indented lines."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in _ANSI.sub("", text).splitlines():
        if line.startswith(_START):
            current = [line]
            blocks.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line)
        else:
            current = None
    return ["\n".join(block) for block in blocks]


def _texts(output: Any) -> tuple[str, str | None]:
    """``(text a checker may have printed, error line)`` of one output."""
    kind = output.get("output_type")
    if kind == "stream" and output.get("name") == "stdout":
        return str(output.get("text", "")), None
    if kind == "error":
        ename, evalue = str(output.get("ename", "")), str(output.get("evalue", ""))
        if ename == "CheckFailed":
            return evalue, None
        return "", f"{ename}: {evalue}".strip(": ")
    return "", None


def _sections(blocks: Iterable[str]) -> tuple[str, ...]:
    found = []
    for block in blocks:
        for ref in references(block):
            if ref.heading_ok():
                found.append(f"see {ref.number} {SECTIONS[ref.number]}")
    return tuple(dict.fromkeys(found))


def reasons(outputs: Sequence[Any], parts: Sequence[str] | None, *, has_hidden: bool) -> Reasons:
    """Sort a test cell's failure reports into the visible and the hidden part's.

    ``parts`` names the part of each output (``metadata.coursekit.output_parts``); without
    it, every output of a cell that has hidden tests counts as hidden.
    """
    if (
        not isinstance(parts, list | tuple)
        or len(parts) != len(outputs)
        or any(part not in ("visible", "hidden") for part in parts)
    ):
        parts = ["hidden" if has_hidden else "visible"] * len(outputs)
    visible: list[str] = []
    hidden: list[str] = []
    hidden_error = False
    for output, part in zip(outputs, parts, strict=True):
        text, error = _texts(output)
        blocks = report_blocks(text)
        if part == "visible":
            visible += blocks
            if error:
                visible.append(error)
        else:
            hidden += blocks
            hidden_error = hidden_error or error is not None or output.get("ename") is not None
    return Reasons(
        visible=tuple(visible),
        hidden=tuple(hidden),
        hidden_failed=bool(hidden) or hidden_error,
        sections=_sections(hidden),
    )
