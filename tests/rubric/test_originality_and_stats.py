"""Originality flags (shingled overlap) and the graders' figures, on small made-up inputs."""

from __future__ import annotations

import pytest

from coursekit.rubric.originality import flag_answers, prose
from coursekit.rubric.stats import agreement, grader_stats
from coursekit.rubric.store import Grading, QuestionRecord

MODEL = (
    "Cha calls Japan and South Korea quasi-allies: they are not allied to each other but "
    "share a US ally, so their relationship tracks their fears of abandonment."
)


def test_an_answer_copying_the_model_answer_is_flagged_with_the_passage() -> None:
    answers = {
        "ana": "In my words: " + MODEL.replace("Cha", "cha") + " I think that is right.",
        "ben": "The two countries cooperate when both fear that Washington will leave them.",
    }
    flags = flag_answers(answers, sources=[("model answer", MODEL)], n=6, threshold=0.3)
    assert [(f.answer, f.source) for f in flags] == [("ana", "model answer")]
    (passage,) = flags[0].passages
    assert passage.words == 28  # every word of the model answer ("quasi-allies" is two)
    assert passage.source == MODEL.rstrip(".")
    assert passage.answer.startswith("cha calls Japan")
    assert flags[0].share > 0.6


def test_threshold_ngram_prompt_and_pairs_of_students() -> None:
    shared = "the treaty let american forces stay in japan after the occupation ended"
    answers = {"ana": f"First, {shared}. Then more.", "ben": f"{shared}, which mattered."}
    pair = flag_answers(answers, sources=[], n=5, threshold=0.5)
    assert [(f.answer, f.source) for f in pair] == [("ana", "answer of ben")]  # shown once
    assert flag_answers(answers, sources=[], n=5, threshold=1.0) == []
    # quoting the question is not copying
    assert flag_answers(answers, sources=[], prompt=f"Explain why {shared}.", n=5) == []


def test_book_prose_drops_code_front_matter_and_roles() -> None:
    page = (
        "---\ntitle: x\n---\n# Ch\n\nText {cite}`cha1999` here.\n\n```{code-cell}\nimport x\n```\n"
    )
    text = prose(page)
    assert "import x" not in text
    assert "title: x" not in text
    assert "cha1999" not in text
    assert "Text" in text
    assert "here." in text


def g(code: str, grader: str, score: float, criteria: tuple[str, ...], sheet: str) -> Grading:
    return Grading(code, sheet, grader, criteria, 0.0, "", "", score, False, "", "f.csv", 2)


def test_grader_means_against_the_others_and_agreement() -> None:
    record = QuestionRecord()
    record.grades = {
        "s1": g("A", "AB", 4, ("C1", "C2"), "q-g1"),
        "s2": g("B", "AB", 2, ("C1",), "q-g1"),
        "s3": g("C", "CD", 1, ("C2",), "q-g2"),
        "s4": g("D", "CD", 3, ("C1", "C2"), "q-g2"),
    }
    record.checks = {
        "q-g2/s1": g("A", "CD", 2, ("C1",), "q-g2"),
        "q-g1/s4": g("D", "AB", 3, ("C1", "C2"), "q-g1"),
    }
    stats = {s.grader: s for s in grader_stats(record)}
    assert (stats["AB"].mean, stats["AB"].others_mean) == (3.0, 2.0)
    assert stats["CD"].difference == pytest.approx(-1.0)
    agree = agreement(record, ["C1", "C2"])
    assert agree is not None
    assert (agree.pairs, agree.exact, agree.mean_difference) == (2, 0.5, 1.0)
    assert agree.criteria == {"C1": 1.0, "C2": 0.5}
    assert agreement(QuestionRecord(), ["C1"]) is None
