"""Rubric sheets at class scale: sheet size and build time, originality flags, CSV checking.

For one written question of a real assignment, makes N synthetic answers (the demo's, stitched
when the pool runs out), then measures building one sheet of all N answers, comparing every
answer with the model answer, the book's pages and every other answer, and checking a filled
CSV of N rows. Prints totals and per-answer ratios. Run from the repository root::

    .venv/bin/python benchmarks/rubric.py              # 212 answers to a2's critique
    .venv/bin/python benchmarks/rubric.py -n 500 --question argument
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from coursekit.config import load_config
from coursekit.grading.synthetic_written import TIERS, written_answer
from coursekit.rubric.codes import answer_code
from coursekit.rubric.originality import flag_answers, prose
from coursekit.rubric.questions import read_questions
from coursekit.rubric.schema import write_rows
from coursekit.rubric.sheet import SheetAnswer, SheetInfo, sheet_html
from coursekit.rubric.store import QuestionRecord, SheetRecord
from coursekit.rubric.validate import check_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=212, help="answers (default 212)")
    parser.add_argument(
        "--question", default="critique-written", help="a written question's grade id"
    )
    args = parser.parse_args()
    config = load_config()
    question = next(
        q
        for path in sorted(config.assignments_path.glob("*/*.ipynb"))
        for q in read_questions(path, assignment=path.parent.name)
        if q.grade_id == args.question
    )
    rng = random.Random(1)  # noqa: S311 (a reproducible sample)
    used: set[str] = set()
    texts = [written_answer(question.grade_id, rng.choice(TIERS), used, rng) for _ in range(args.n)]
    codes = [answer_code(b"bench", "c", f"s{i}") for i in range(args.n)]

    started = time.perf_counter()
    page = sheet_html(
        question,
        [SheetAnswer(c, t, False, ()) for c, t in zip(codes, texts, strict=True)],
        SheetInfo("bench", 1, 1, 1, "now"),
    )
    sheet_s = time.perf_counter() - started

    book = [(p.name, prose(p.read_text(encoding="utf-8"))) for p in config.book_path.glob("*.md")]
    started = time.perf_counter()
    flags = flag_answers(
        {c: t for c, t in zip(codes, texts, strict=True)},
        sources=[("model answer", question.model_answer), *book],
        prompt=question.prompt,
        n=config.originality_ngram,
        threshold=config.originality_threshold,
    )
    flag_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "filled.csv"
        first = question.criteria[0]
        write_rows(
            path,
            (
                {
                    "assignment": question.assignment,
                    "notebook": question.notebook,
                    "question": question.grade_id,
                    "sheet": "bench",
                    "code": c,
                    "graded": "yes",
                    "criteria": first.id,
                    "score": f"{first.points:g}",
                    "grader": "AB",
                }
                for c in codes
            ),
        )
        record = QuestionRecord(sheets={"bench": SheetRecord("bench", 1, 1, 1, tuple(codes))})
        started = time.perf_counter()
        checked = check_files(
            [path],
            questions={question.assignment: {question.grade_id: question}},
            records={(question.assignment, question.grade_id): record},
            students={question.assignment: {c: f"s{i}" for i, c in enumerate(codes)}},
        )
        check_s = time.perf_counter() - started
    assert not checked.problems, checked.problems[:3]

    words = sum(len(t.split()) for _, t in book)
    print(f"{args.n} answers to {question.assignment}/{question.grade_id}")
    print(
        f"sheet:       {len(page) / 1024:.0f} KiB, built in {sheet_s * 1000:.0f} ms "
        f"({sheet_s / args.n * 1000:.2f} ms per answer)"
    )
    print(
        f"originality: {flag_s:.2f} s against the model answer, {len(book)} book pages "
        f"({words} words) and each other: {flag_s / args.n * 1000:.1f} ms per answer; "
        f"{len(flags)} flags"
    )
    print(
        f"checking:    {args.n} CSV rows in {check_s * 1000:.0f} ms "
        f"({check_s / args.n * 1000:.2f} ms per row)"
    )


if __name__ == "__main__":
    main()
