"""Results of a grading run: one :class:`StudentResult` per submission, a :class:`GradeRun` table.

They print as a plain table in a terminal and as HTML in a notebook, and turn into the JSON
records of ``coursekit grade --json``.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["STATUSES", "GradeRun", "StudentResult"]

STATUSES = ("graded", "tampered", "timeout", "error", "suspicious", "invalid")
"""Every status a submission can end with, from best to worst.

graded: ran and scored; tampered: scored, but the submission changed what it may not (locked
cells, metadata) and was put back, so look at it; timeout: the notebook ran out of time, cells
that did not run score zero; error: the grader could not run it (the kernel died or never
started), cells that did not run score zero; suspicious: scored, but the submission tried to
change the grader (an input transformer, a trace hook, a patched checker, a rebound given, a
package shadowing the course's): it gains nothing by it, and the messages say what and in which
cell, so look at it; invalid: not a readable notebook, scored zero.
"""


@dataclass(frozen=True)
class StudentResult:
    """One student's result for one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    status: str
    messages: tuple[str, ...] = ()
    regraded: bool = True
    """False when the submission had not changed since the last run and was not run again."""
    sandboxed: bool = True
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON record: student, assignment, score, max_score, status, messages, ..."""
        record = asdict(self)
        record["messages"] = list(self.messages)
        record["seconds"] = round(self.seconds, 2)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> StudentResult:
        """Rebuild a result from :meth:`to_dict`'s record."""
        fields = dict(record)
        fields["messages"] = tuple(fields.get("messages", ()))
        return cls(**fields)


@dataclass(frozen=True)
class GradeRun:
    """Every submission's result for one assignment, in student order."""

    assignment: str
    results: tuple[StudentResult, ...]
    sandboxed: bool
    seconds: float = 0.0
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> Counter[str]:
        """How many submissions ended with each status."""
        return Counter(r.status for r in self.results)

    def to_json(self) -> list[dict[str, Any]]:
        """The records of ``--json``: one per student."""
        return [r.to_dict() for r in self.results]

    def _rows(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for r in self.results:
            status = r.status if r.regraded else f"{r.status} (unchanged)"
            rows.append((r.student, f"{r.score:g}", f"{r.max_score:g}", status))
        return rows

    def summary(self) -> str:
        """One line: how many were run, skipped, and the statuses."""
        ran = sum(r.regraded for r in self.results)
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.counts().items()))
        return (
            f"{self.assignment}: {len(self.results)} submissions ({ran} graded now, "
            f"{len(self.results) - ran} unchanged) in {self.seconds:.1f} s: {statuses or 'none'}"
        )

    def __str__(self) -> str:
        """The text the command line prints for it."""
        return "\n".join([*self.warnings, self.table()])

    def table(self) -> str:
        """The table (student, score, max, status) and the summary line, without warnings.

        Each suspicious submission gets a last line saying what it tried, and where.
        """
        header = ("student", "score", "max", "status")
        rows = self._rows()
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
        lines = []
        for row in [header, *rows]:
            cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2])]
            lines.append("  ".join([*cells, row[3]]).rstrip())
        lines.append(self.summary())
        for r in self.results:
            if r.status == "suspicious":
                reasons = [m for m in r.messages if "suspicious: " in m]
                lines.append(f"look at {r.student}: " + "; ".join(reasons or r.messages))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._rows()
        )
        warn = "".join(f"<p><strong>{html.escape(w)}</strong></p>" for w in self.warnings)
        return (
            f"{warn}<table><thead><tr><th>student</th><th>score</th><th>max</th>"
            f"<th>status</th></tr></thead><tbody>{body}</tbody></table>"
            f"<p>{html.escape(self.summary())}</p>"
        )
