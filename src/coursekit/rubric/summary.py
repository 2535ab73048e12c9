"""The written questions in the item report: scores, graders, agreement, originality flags.

Per written question: the distribution of the scores given so far and how many answers are
still to grade; each grader's mean against the others'; agreement on the overlap answers;
and answers that share long passages with the model answer, the book or another student's
answer (:mod:`coursekit.rubric.originality`). The report is for instructors only.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coursekit.config import CourseConfig
from coursekit.grading.intake import csv_row
from coursekit.grading.scores import StudentScores
from coursekit.grading.svg import histogram
from coursekit.grading.workspace import Course
from coursekit.rubric.answers import written_answers
from coursekit.rubric.export import assignment_questions
from coursekit.rubric.originality import Flag, flag_answers, prose
from coursekit.rubric.questions import Question
from coursekit.rubric.stats import Agreement, GraderStats, agreement, grader_stats
from coursekit.rubric.store import load_record

__all__ = ["WrittenQuestion", "written_csv", "written_html", "written_questions"]


@dataclass(frozen=True)
class WrittenQuestion:
    """How one written question was graded."""

    question: Question
    scores: tuple[float, ...]
    """The scores given by a person so far."""
    pending: int
    """Answers still to grade (and unreadable submissions waiting for a person)."""
    blank: int
    """Answers left as released (scored 0 automatically)."""
    graders: tuple[GraderStats, ...]
    agreement: Agreement | None
    flags: tuple[Flag, ...]
    second_look: tuple[tuple[str, str], ...] = ()
    """(student, grader) of answers a grader marked for a second look."""


def _book_sources(config: CourseConfig) -> list[tuple[str, str]]:
    folder = config.book_path
    if not folder.is_dir():
        return []
    return [
        (f"book: {page.name}", prose(page.read_text(encoding="utf-8")))
        for page in sorted(folder.glob("*.md"))
    ]


def written_questions(
    ws: Course, assignment: str, scores: Sequence[StudentScores], *, config: CourseConfig
) -> list[WrittenQuestion]:
    """The written questions of ``assignment`` with their grading figures and flags."""
    book = _book_sources(config)
    out = []
    for question in assignment_questions(ws, assignment):
        found = written_answers(ws, question)
        parts = {s.student: s.by_id().get(question.grade_id) for s in scores}
        given = tuple(
            p.score
            for who, p in parts.items()
            if p is not None and who in found and not p.needs_manual_grade
        )
        pending = sum(1 for p in parts.values() if p is not None and p.needs_manual_grade)
        blank = sum(
            1
            for who, p in parts.items()
            if p is not None and who not in found and not p.needs_manual_grade
        )
        record = load_record(ws.root, assignment, question.grade_id)
        answers = {s: a.text for s, a in found.items() if not a.is_code}
        sources = (
            [("model answer", question.model_answer), *book] if question.model_answer else book
        )
        flags = flag_answers(
            answers,
            sources=sources,
            prompt=question.prompt,
            n=config.originality_ngram,
            threshold=config.originality_threshold,
        )
        out.append(
            WrittenQuestion(
                question=question,
                scores=given,
                pending=pending,
                blank=blank,
                graders=tuple(grader_stats(record)),
                agreement=agreement(record, [c.id for c in question.criteria]),
                flags=tuple(flags),
                second_look=tuple(
                    sorted(
                        {(s, g.grader) for s, g in record.grades.items() if g.second_look}
                        | {
                            (k.split("/", 1)[1], g.grader)
                            for k, g in record.checks.items()
                            if g.second_look
                        }
                    )
                ),
            )
        )
    return out


def written_csv(path: Path, questions: Sequence[WrittenQuestion]) -> None:
    """One row per question and grader: answers, mean, the others' mean, agreement."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            csv_row(
                [
                    "grade_id",
                    "grader",
                    "answers",
                    "mean",
                    "others_mean",
                    "pending",
                    "agreement_pairs",
                    "exact_agreement",
                    "mean_abs_difference",
                    "originality_flags",
                ]
            )
        )
        for wq in questions:
            agree = wq.agreement
            tail = (
                [agree.pairs, f"{agree.exact:.3f}", f"{agree.mean_difference:.3f}"]
                if agree
                else [0, "", ""]
            )
            rows = [(g.grader, g.answers, f"{g.mean:.3f}", _opt(g.others_mean)) for g in wq.graders]
            for grader, n, mean, others in rows or [("", len(wq.scores), _mean(wq.scores), "")]:
                writer.writerow(
                    csv_row(
                        [
                            wq.question.grade_id,
                            grader,
                            n,
                            mean,
                            others,
                            wq.pending,
                            *tail,
                            len(wq.flags),
                        ]
                    )
                )


def _opt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _mean(values: Sequence[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else ""


def written_html(questions: Sequence[WrittenQuestion]) -> str:
    """The report's section on written questions ('' when the assignment has none)."""
    if not questions:
        return ""
    esc = html.escape
    out = [
        "<h2>Written questions (graded by people)</h2>",
        "<p>Scores given so far, each grader against the others (a grader far from the others "
        "on a random split may be reading the rubric differently), agreement on answers two "
        "graders both graded, and answers sharing long passages with another text. "
        "<strong>Originality flags are for a person to read, never a penalty.</strong></p>",
    ]
    for wq in questions:
        q = wq.question
        out.append(f"<h3>{esc(q.grade_id)}: {esc(q.title)}, out of {q.points:g}</h3>")
        todo = f"<strong>{wq.pending} still to grade</strong>; " if wq.pending else ""
        out.append(
            f"<p>{todo}{len(wq.scores)} answers graded, mean {_mean(wq.scores) or 'n/a'}; "
            f"{wq.blank} left blank (scored 0 automatically).</p>"
        )
        if wq.scores:
            bins = int(q.points) if 0 < q.points <= 20 and q.points.is_integer() else 10
            out.append(
                "<figure>"
                + histogram(
                    list(wq.scores), maximum=q.points, bins=bins, title=f"{q.grade_id} scores"
                )
                + "</figure>"
            )
        if wq.second_look:
            marked = ", ".join(f"{esc(s)} ({esc(g)})" for s, g in wq.second_look)
            out.append(f"<p><strong>Marked for a second look:</strong> {marked}.</p>")
        out.append(_graders_table(wq.graders))
        out.append(_agreement_text(wq.agreement))
        out.append(_flags_html(wq.flags))
    return "\n".join(out)


def _graders_table(graders: Sequence[GraderStats]) -> str:
    if not graders:
        return "<p>No answer graded with a rubric sheet yet.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(g.grader)}</td><td class='num'>{g.answers}</td>"
        f"<td class='num'>{g.mean:.2f}</td><td class='num'>"
        f"{'n/a' if g.others_mean is None else f'{g.others_mean:.2f}'}</td><td class='num'>"
        f"{'n/a' if g.difference is None else f'{g.difference:+.2f}'}</td></tr>"
        for g in graders
    )
    return (
        "<table><thead><tr><th>grader</th><th>answers</th><th>mean</th><th>others' mean</th>"
        f"<th>difference</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _agreement_text(agree: Agreement | None) -> str:
    if agree is None:
        return "<p>Agreement: no answer was graded by two graders (export with --overlap).</p>"
    per = ", ".join(f"{c} {share:.0%}" for c, share in agree.criteria.items())
    return (
        f"<p>Agreement on {agree.pairs} answer(s) graded twice: same score {agree.exact:.0%}, "
        f"mean difference {agree.mean_difference:.2f} points; per criterion: {per}.</p>"
    )


def _flags_html(flags: Sequence[Flag]) -> str:
    if not flags:
        return "<p>Originality: no answer shares long passages with another text.</p>"
    esc = html.escape
    rows = []
    for f in flags:
        shown = "".join(
            f"<tr><td>{esc(p.answer)}</td><td>{esc(p.source)}</td></tr>" for p in f.passages[:5]
        )
        rows.append(
            f"<h4>{esc(f.answer)}: {f.share:.0%} of the answer's word sequences are in the "
            f"{esc(f.source)}</h4><table class='passages'><thead><tr><th>in the answer</th>"
            f"<th>in the {esc(f.source)}</th></tr></thead><tbody>{shown}</tbody></table>"
        )
    return "<h4>Originality flags</h4>" + "".join(rows)
