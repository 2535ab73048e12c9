"""A fixture assignment with two written questions graded by rubric, and a class answering it."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from tests.grading.grading_factories import code, graded_tests, markdown, source_notebook

ASSIGNMENT = "fx-written"
MODEL_MARKER = "MODEL-ANSWER-5c1e"
"""Text only in the model answer: it must reach sheets, never feedback or released notebooks."""

Q2_RUBRIC = """### BEGIN SOLUTION
**Rubric (4 points), for graders.**

| points | criterion |
|---|---|
| 2 | Names the 1951 treaty and what it bound the United States to do. |
| 1 | Cites at least one event by its id, e.g. (A06). |
| 1 | Clear and within 40–80 words. |

**Model answer.** The 1951 Security Treaty let US forces stay in Japan and tied Japan's
defence to the United States; the events cited (A06, A07) show the settlement. MODEL-ANSWER-5c1e
### END SOLUTION"""

Q3_RUBRIC = """### BEGIN SOLUTION
| points | criterion |
|---|---|
| 1 | Names the Camp David summit. |
| 1 | Says what it set up. |

**Model answer.** In August 2023 the Camp David summit set up yearly trilateral summits.
### END SOLUTION"""


def written_assignment() -> nbformat.NotebookNode:
    """One autograded question and two written ones (4 and 2 points); q2 refers to q1's list."""
    return source_notebook(
        markdown("# Fixture written assignment"),
        markdown("## Question 1 — events (1 point)\n\nPut two event ids in `cited_ids`."),
        code(
            '### BEGIN SOLUTION\ncited_ids = ["A06", "A07"]\n### END SOLUTION',
            "q1-answer",
            solution=True,
        ),
        graded_tests("q1-tests", 'assert isinstance(cited_ids, list), "a list"', points=1),
        markdown(
            "## Question 2 — the alliance (4 points)\n\nExplain in 40–80 words why the 1951 "
            "treaty mattered, citing the events in `cited_ids`.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        ),
        markdown(Q2_RUBRIC, "q2-written", grade=True, solution=True, points=4),
        markdown("## Question 3 — since 2023 (2 points)\n\nWhat did the 2023 summit set up?"),
        markdown(Q3_RUBRIC, "q3-written", grade=True, solution=True, points=2),
    )


# Answers per student (grade id -> source); students not answering q2/q3 leave them as released.
ANSWERS: dict[str, dict[str, str]] = {
    "ana": {
        "q1-answer": 'cited_ids = ["A06", "A07"]',
        "q2-written": "The 1951 treaty let the US keep bases in Japan and committed it to "
        "Japan's security (A06). That bargain anchored the postwar order in the region.",
        "q3-written": "Camp David set up yearly leaders' summits.",
    },
    "ben": {
        "q1-answer": 'cited_ids = ["A06"]',
        "q2-written": "It was important because of the Cold War. | not | a table |",
        "q3-written": "A hotline I think.",
    },
    "chen": {
        "q1-answer": 'cited_ids = ["A07", "A06"]',
        "q2-written": "The 1951 Security Treaty let US forces stay in Japan and tied Japan's "
        "defence to the United States; the events cited (A06, A07) show the settlement.",
    },
    "dara": {
        "q1-answer": "cited_ids = []",
        "q2-written": "Japan and the US signed a treaty. <script>alert('x')</script>",
        "q3-written": "Summits every year.",
    },
    "eli": {},
}


def answer_notebook(release_nb: Path, answers: dict[str, str]) -> str:
    """The text of a submission of ``release_nb`` with ``answers`` filled in."""
    nb = nbformat.read(release_nb, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return json.dumps(nb, indent=1)


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a grading CSV."""
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` (with the header of the first) to ``path``."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def fill(
    blank: Path,
    out: Path,
    marks: dict[str, tuple[str, float, str]],
    *,
    grader: str = "AB",
    saved_at: str = "2026-11-30T10:00:00Z",
    adjustment: float = 0.0,
) -> Path:
    """Fill the blank CSV of a sheet: code -> (criteria, score, comment); others left ungraded."""
    rows = read_csv(blank)
    for row in rows:
        if row["code"] not in marks:
            continue
        criteria, score, comment = marks[row["code"]]
        row.update(
            graded="yes",
            criteria=criteria,
            adjustment=f"{adjustment:g}" if adjustment else "",
            reason="late by a day" if adjustment else "",
            score=f"{score:g}",
            comment=comment,
            grader=grader,
            saved_at=saved_at,
        )
    return write_csv(out, rows)
