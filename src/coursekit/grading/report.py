"""``coursekit report``: how each question worked, as an HTML page with a CSV beside it.

Per graded part: its maximum, the mean score, the *facility* (mean / max: 1 means everyone got
it, 0 no one) and the *discrimination* (the correlation of the part's score with the rest of
the score: near 0 or negative means the part does not separate stronger from weaker work).
Then a histogram of total scores and bars of the facility per part, as static SVG; the
submissions to look at: every one whose last grading run ended other than ``graded``
(``suspicious``, ``tampered``, ``timeout``, ``error``, ``invalid``), with the reasons; and for
the written questions graded by people (:mod:`coursekit.rubric.summary`): the score
distribution, each grader against the others, agreement on overlap answers, and originality
flags (``written.csv`` beside it).
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coursekit.config import CourseConfig, load_config
from coursekit.grading.intake import csv_row
from coursekit.grading.results import STATUSES, StudentResult
from coursekit.grading.scores import StudentScores, assignment_parts, gradebook_scores
from coursekit.grading.state import stored_results
from coursekit.grading.svg import bars, histogram
from coursekit.grading.workspace import Course, open_course

__all__ = ["ItemStats", "ReportResult", "correlation", "item_stats", "report"]


@dataclass(frozen=True)
class ItemStats:
    """How one graded part worked across the class."""

    grade_id: str
    title: str
    kind: str
    max_score: float
    mean: float
    facility: float
    """Mean score over maximum (0 to 1)."""
    discrimination: float | None
    """Correlation of the part's score with the rest score; ``None`` if it does not vary."""
    students: int


@dataclass(frozen=True)
class ReportResult:
    """Where the report went and what it found."""

    html: Path
    csv: Path
    scores_csv: Path
    items: tuple[ItemStats, ...]
    to_look_at: tuple[StudentResult, ...] = ()
    """Submissions whose last grading run did not end ``graded``, worst first."""
    written_csv: Path | None = None

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [f"report: {self.html}", f"per part: {self.csv}", f"per student: {self.scores_csv}"]
        if self.written_csv:
            lines.append(f"written questions: {self.written_csv}")
        if self.to_look_at:
            counts: dict[str, int] = {}
            for r in self.to_look_at:
                counts[r.status] = counts.get(r.status, 0) + 1
            summary = ", ".join(f"{n} {s}" for s, n in counts.items())
            lines.append(f"submissions to look at: {len(self.to_look_at)} ({summary})")
            for r in self.to_look_at:
                lines.append(f"  {r.student}: {r.status}: {'; '.join(r.messages) or '-'}")
        return "\n".join(lines)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of ``xs`` and ``ys``; ``None`` when either does not vary."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_stats(scores: Sequence[StudentScores]) -> list[ItemStats]:
    """Facility and discrimination of every part, from each student's part scores."""
    if not scores:
        return []
    stats = []
    totals = [sum(p.score for p in s.parts) for s in scores]
    for index, first in enumerate(scores[0].parts):
        item = [s.parts[index].score for s in scores]
        rest = [t - i for t, i in zip(totals, item, strict=True)]
        mean = sum(item) / len(item)
        top = first.part.max_score
        stats.append(
            ItemStats(
                grade_id=first.part.grade_id,
                title=first.part.title,
                kind=first.part.kind,
                max_score=top,
                mean=mean,
                facility=mean / top if top else 0.0,
                discrimination=correlation(item, rest),
                students=len(item),
            )
        )
    return stats


def report(
    *, course: Path, assignment: str, out: Path, config: CourseConfig | None = None
) -> ReportResult:
    """Write ``report.html``, ``questions.csv`` and ``scores.csv`` of ``assignment`` in ``out``.

    With written questions, also ``written.csv``; ``config`` gives the book to compare written
    answers with and the originality settings (default: the project's configuration).
    """
    ws = open_course(course)
    scores = gradebook_scores(ws, assignment)
    parts = assignment_parts(ws, assignment)
    items = item_stats(scores)
    results = stored_results(ws.root, assignment)
    to_look_at = tuple(
        sorted(
            (r for r in results.values() if r.status != "graded"),
            key=lambda r: (-STATUSES.index(r.status) if r.status in STATUSES else 0, r.student),
        )
    )
    out.mkdir(parents=True, exist_ok=True)
    questions_csv = out / "questions.csv"
    with questions_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            csv_row(
                [
                    "grade_id",
                    "title",
                    "kind",
                    "max_score",
                    "mean",
                    "facility",
                    "discrimination",
                    "n",
                ]
            )
        )
        for it in items:
            writer.writerow(
                csv_row(
                    [
                        it.grade_id,
                        it.title,
                        it.kind,
                        f"{it.max_score:g}",
                        f"{it.mean:.3f}",
                        f"{it.facility:.3f}",
                        "" if it.discrimination is None else f"{it.discrimination:.3f}",
                        it.students,
                    ]
                )
            )
    completeness = _completeness(ws, assignment)
    scores_csv = out / "scores.csv"
    with scores_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        # status: how the last grading run ended; grading: whether every part has a score yet.
        writer.writerow(
            csv_row(
                ["student", "score", "max_score", "status", "grading", *(p.grade_id for p in parts)]
            )
        )
        for s in scores:
            writer.writerow(
                csv_row(
                    [
                        s.student,
                        f"{s.score:g}",
                        f"{s.max_score:g}",
                        results[s.student].status if s.student in results else "",
                        completeness.get(s.student) or "complete",
                        *(f"{p.score:g}" for p in s.parts),
                    ]
                )
            )
    written, written_csv = _written(ws, assignment, scores, out, config or load_config())
    written = _status_note(completeness) + written
    page = out / "report.html"
    page.write_text(_html(assignment, scores, items, to_look_at, written), encoding="utf-8")
    return ReportResult(page, questions_csv, scores_csv, tuple(items), to_look_at, written_csv)


def _completeness(ws: Course, assignment: str) -> dict[str, str]:
    """Student -> '' when fully graded, else why not (see :mod:`coursekit.grading.status`)."""
    from nbgrader.api import Gradebook

    from coursekit.grading.nbgrader_api import quiet_nbgrader
    from coursekit.grading.status import completeness

    with quiet_nbgrader(), Gradebook(ws.db_url, ws.course_id) as gb:
        return completeness(gb, ws, assignment)


def _status_note(status: dict[str, str]) -> str:
    """A line on submissions not fully graded: the figures above count them as they stand."""
    invalid = sorted(s for s, why in status.items() if why.startswith("invalid"))
    pending = sorted(s for s, why in status.items() if why.startswith("pending"))
    if not invalid and not pending:
        return ""
    parts = []
    if pending:
        parts.append(f"{len(pending)} with parts still to grade ({', '.join(pending)})")
    if invalid:
        parts.append(f"{len(invalid)} that could not be read ({', '.join(invalid)})")
    return (
        f"<p><strong>Not fully graded: {'; '.join(parts)}.</strong> Their missing parts count "
        "as 0 in the figures above; scores.csv has a status column.</p>"
    )


def _written(
    ws: Course, assignment: str, scores: Sequence[StudentScores], out: Path, config: CourseConfig
) -> tuple[str, Path | None]:
    """The written questions' section of the page and their CSV (none without any)."""
    from coursekit.rubric.summary import written_csv, written_html, written_questions

    questions = written_questions(ws, assignment, scores, config=config)
    if not questions:
        return "", None
    path = out / "written.csv"
    written_csv(path, questions)
    return written_html(questions), path


def _html(
    assignment: str,
    scores: Sequence[StudentScores],
    items: Sequence[ItemStats],
    to_look_at: Sequence[StudentResult] = (),
    written: str = "",
) -> str:
    esc = html.escape
    look = "".join(
        f"<tr><td>{esc(r.student)}</td><td>{esc(r.status)}</td><td>"
        + "<br>".join(esc(m) for m in r.messages)
        + "</td></tr>"
        for r in to_look_at
    )
    look_section = (
        "<h2>Submissions to look at</h2><table><thead><tr><th>student</th><th>status</th>"
        f"<th>why</th></tr></thead><tbody>{look}</tbody></table>"
        if look
        else "<p>Every submission ended graded: none to look at.</p>"
    )
    maximum = scores[0].max_score if scores else 0.0
    totals = [s.score for s in scores]
    mean = sum(totals) / len(totals) if totals else 0.0
    rows = "".join(
        f"<tr><td>{esc(it.grade_id)}</td><td>{esc(it.title)}</td><td>{esc(it.kind)}</td>"
        f"<td class='num'>{it.max_score:g}</td><td class='num'>{it.mean:.2f}</td>"
        f"<td class='num'>{it.facility:.0%}</td><td class='num'>"
        f"{'n/a' if it.discrimination is None else f'{it.discrimination:.2f}'}</td></tr>"
        for it in items
    )
    bins = int(maximum) if 0 < maximum <= 20 and float(maximum).is_integer() else 10
    hist = histogram(totals, maximum=maximum, bins=bins, title="Total scores")
    facility = bars(
        [it.grade_id for it in items],
        [it.facility for it in items],
        title="Facility per part (mean / max)",
        notes=[
            "disc. n/a" if it.discrimination is None else f"disc. {it.discrimination:.2f}"
            for it in items
        ],
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(assignment)}: item report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem}}
td.num{{text-align:right}}</style></head><body>
<h1>{esc(assignment)}: item report</h1>
<p>{len(scores)} submissions; mean total {mean:.2f} of {maximum:g}.
Facility is the mean score over the maximum; discrimination is the correlation of a part's
score with the rest of the score (n/a when either does not vary).</p>
<table><thead><tr><th>cell</th><th>part</th><th>kind</th><th>max</th><th>mean</th>
<th>facility</th><th>discrimination</th></tr></thead><tbody>{rows}</tbody></table>
{look_section}
<figure>{hist}</figure>
<figure>{facility}</figure>
{written}
</body></html>
"""
