"""How the human grading of a written question went: graders side by side, and agreement.

From the rubric record of a question: each grader's mean score against the mean of the other
graders' (on a random split a grader far from the others is drifting or reading the rubric
differently), and, on the overlap answers two graders both graded, how often they gave the
same score, the mean absolute difference, and how often they agreed on each criterion.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from coursekit.rubric.store import Grading, QuestionRecord

__all__ = ["Agreement", "GraderStats", "agreement", "grader_stats"]


@dataclass(frozen=True)
class GraderStats:
    """One grader's answers on one question, against everyone else's."""

    grader: str
    answers: int
    mean: float
    others_mean: float | None
    """The mean of the other graders' scores (``None`` when nobody else graded)."""

    @property
    def difference(self) -> float | None:
        """This grader's mean minus the others' (positive: more generous)."""
        return None if self.others_mean is None else self.mean - self.others_mean


@dataclass(frozen=True)
class Agreement:
    """Agreement of two graders on the answers both graded."""

    pairs: int
    exact: float
    """Share of pairs with the same score."""
    mean_difference: float
    """Mean absolute difference of the two scores."""
    criteria: dict[str, float]
    """Criterion id -> share of pairs that agreed on whether it was met."""


def grader_stats(record: QuestionRecord) -> list[GraderStats]:
    """Every grader's mean on the answers whose score they gave, against the others'."""
    by_grader: dict[str, list[float]] = defaultdict(list)
    for grading in record.grades.values():
        by_grader[grading.grader].append(grading.score)
    out = []
    for grader, scores in sorted(by_grader.items()):
        rest = [s for g, ss in by_grader.items() if g != grader for s in ss]
        out.append(
            GraderStats(
                grader=grader,
                answers=len(scores),
                mean=sum(scores) / len(scores),
                others_mean=sum(rest) / len(rest) if rest else None,
            )
        )
    return out


def _pairs(record: QuestionRecord) -> list[tuple[Grading, Grading]]:
    pairs = []
    for key, check in sorted(record.checks.items()):
        student = key.split("/", 1)[1]
        primary = record.grades.get(student)
        if primary is not None and primary.grader != check.grader:
            pairs.append((primary, check))
    return pairs


def agreement(record: QuestionRecord, criteria: list[str]) -> Agreement | None:
    """Agreement on the overlap answers (``None`` when no answer was graded twice)."""
    pairs = _pairs(record)
    if not pairs:
        return None
    n = len(pairs)
    exact = sum(a.score == b.score for a, b in pairs) / n
    mad = sum(abs(a.score - b.score) for a, b in pairs) / n
    per = {c: sum((c in a.criteria) == (c in b.criteria) for a, b in pairs) / n for c in criteria}
    return Agreement(n, exact, mad, per)
