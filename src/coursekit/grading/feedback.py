"""``coursekit feedback``: one HTML page per student, with no hidden test in it.

nbgrader's own feedback shows the graded notebook as it ran, which gives hidden tests away:
their source (nbgrader#917) and the tracebacks and outputs that quote it (nbgrader#1363). Here
each page is built from parts that are safe by construction:

* the score per part and the total, from the gradebook;
* the student's own cells and their outputs, as text (HTML outputs are shown as plain text,
  images as images); markdown rendered with HTML escaped;
* each test cell as the student saw it (its released version), with only *passed* or *did not
  pass* when it holds hidden tests, and its output when it does not;
* any output that quotes a hidden test (a line of it, or one of its strings) replaced by a note.

Pages go where nbgrader puts feedback: ``feedback/<student>/<id>/<notebook>.html``.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.nbio import read_notebook
from coursekit.grading.results import StudentResult
from coursekit.grading.scores import PartScore, StudentScores, gradebook_scores
from coursekit.grading.workspace import Course, open_course
from coursekit.grading.written import STATUS_NOTES, student_message, written_feedback

__all__ = ["FeedbackResult", "feedback", "hidden_regions", "hidden_secrets", "visible_source"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STRING = re.compile(r"""(?:'([^'\\\n]{12,})'|"([^"\\\n]{12,})")""")
_MIN_LINE = 8
_REMOVED = "[output removed: it would show a hidden test]"
_REGIONS = (("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"), ("BEGIN MARK SCHEME", "END MARK SCHEME"))
_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:left}td.num{text-align:right}
.cell{border-left:4px solid #ddd;margin:1rem 0;padding:.2rem 1rem}
.test{border-color:#7a9cc6}.pass{color:#1a6b2a}.fail{color:#a01b1b}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
.note{background:#fff6d6;padding:.5rem}
.criteria{list-style:none;padding-left:0}.criteria li::before{content:"✗ ";font-weight:bold}
.criteria li.pass::before{content:"✓ "}.comment{border-left:4px solid #7a9cc6;padding:0 1rem}
"""


@dataclass(frozen=True)
class FeedbackResult:
    """The feedback pages written, per student."""

    assignment: str
    pages: dict[str, tuple[Path, ...]]

    def __str__(self) -> str:
        lines = [f"{self.assignment}: feedback for {len(self.pages)} students"]
        lines += [f"  {s}: {', '.join(str(p) for p in ps)}" for s, ps in sorted(self.pages.items())]
        return "\n".join(lines)


def hidden_regions(text: str) -> tuple[str, list[str]]:
    """Split ``text`` into its visible text (hidden regions marked) and the hidden lines."""
    visible: list[str] = []
    hidden: list[str] = []
    inside: str | None = None
    for line in text.splitlines():
        if inside is None:
            start = next((end for begin, end in _REGIONS if begin in line), None)
            if start is not None:
                inside = start
                visible.append(_hidden_note(line))
                continue
            visible.append(line)
        elif inside in line:
            inside = None
        else:
            hidden.append(line)
    return "\n".join(visible), hidden


def _hidden_note(marker_line: str) -> str:
    indent = marker_line[: len(marker_line) - len(marker_line.lstrip())]
    return f"{indent}# (hidden tests are not shown)"


def visible_source(text: str) -> str:
    """``text`` with every hidden-test and mark-scheme region replaced by a one-line note."""
    return hidden_regions(text)[0]


def hidden_secrets(texts: Iterable[str], *, public: str = "") -> set[str]:
    """The fragments of hidden regions that must not appear in feedback.

    Each hidden line of at least 8 characters (stripped) and every string literal of at least
    12 characters in a hidden line, except those found in ``public`` (the released notebook's
    text, which students have anyway: a question naming a value is no leak).
    """
    secrets: set[str] = set()
    for text in texts:
        for line in hidden_regions(text)[1]:
            stripped = line.strip()
            if len(stripped) >= _MIN_LINE:
                secrets.add(stripped)
            for match in _STRING.finditer(line):
                secrets.add(match.group(1) or match.group(2))
    return {s for s in secrets if s not in public}


def _leaks(text: str, secrets: set[str]) -> bool:
    return any(secret in text for secret in secrets)


def _nbgrader(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def feedback(*, course: Path, assignment: str, students: Sequence[str] = ()) -> FeedbackResult:
    """Write a feedback page for each graded student of ``assignment`` (or only ``students``)."""
    ws = open_course(course)
    scores = {s.student: s for s in gradebook_scores(ws, assignment)}
    stored = _stored_results(ws, assignment)
    wanted = list(students) or sorted(scores)
    source_dir = ws.path("source", ".", assignment)
    release_dir = ws.path("release", ".", assignment)
    pages: dict[str, tuple[Path, ...]] = {}
    for notebook_path in sorted(source_dir.glob("*.ipynb")):
        name = notebook_path.stem
        source_nb = read_notebook(notebook_path)
        release_nb = release_dir / f"{name}.ipynb"
        released_cells = read_notebook(release_nb).cells if release_nb.is_file() else []
        released = _by_grade_id(released_cells)
        secrets = hidden_secrets(
            (c.source for c in source_nb.cells),
            public="\n".join(c.source for c in released_cells),
        )
        hidden_ids = {
            _nbgrader(c).get("grade_id")
            for c in source_nb.cells
            if hidden_regions(c.source)[1] and _nbgrader(c).get("grade_id")
        }
        for student in wanted:
            if student not in scores:
                continue
            graded = ws.path("autograded", student, assignment) / f"{name}.ipynb"
            nb = read_notebook(graded) if graded.is_file() else None
            page = _page(
                assignment=assignment,
                notebook=name,
                student=scores[student],
                result=stored.get(student),
                nb=nb,
                released=released,
                hidden_ids=hidden_ids,
                secrets=secrets,
                root=ws.root,
                written=written_feedback(ws, assignment, scores[student], notebook=name),
            )
            out = ws.path("feedback", student, assignment) / f"{name}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page, encoding="utf-8")
            pages[student] = (*pages.get(student, ()), out)
    return FeedbackResult(assignment, pages)


def _stored_results(ws: Course, assignment: str) -> dict[str, StudentResult]:
    """The last grading run's results (status and messages), whatever its source hash."""
    import json

    path = ws.root / ".coursekit" / "grades" / f"{assignment}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: StudentResult.from_dict(v) for k, v in data.get("results", {}).items()}


def _by_grade_id(cells: list[Any]) -> dict[str, Any]:
    return {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("grade_id")}


def _shown_source(cell: Any, released: dict[str, Any]) -> str:
    """The source to show: a fixed cell as released, an answer as the student wrote it.

    Either way no hidden region is left: answers never hold one, and the released version of
    a test cell has them removed. Only outputs can quote a hidden test (see :func:`_outputs`).
    """
    meta = _nbgrader(cell)
    fixed = released.get(str(meta.get("grade_id") or ""))
    if fixed is not None and not meta.get("solution"):
        return str(fixed.source)
    return visible_source(cell.source)


def _page(
    *,
    assignment: str,
    notebook: str,
    student: StudentScores,
    result: StudentResult | None,
    nb: Any,
    released: dict[str, Any],
    hidden_ids: set[Any],
    secrets: set[str],
    root: Path,
    written: str = "",
) -> str:
    esc = html.escape
    title = f"{assignment}: feedback for {student.student}"
    parts = [p for p in student.parts if p.part.notebook == notebook]
    body = [f"<h1>{esc(title)}</h1>"]
    body.append(
        f"<p><strong>Score: {student.score:g} / {student.max_score:g}</strong>"
        + (f" (late penalty {student.late_penalty:g})" if student.late_penalty else "")
        + "</p>"
    )
    if result is not None and result.status != "graded":
        body.append(
            f"<p class='note'>Grading status: <strong>{esc(result.status)}</strong>. "
            f"{esc(STATUS_NOTES.get(result.status, ''))}</p>"
        )
    if result is not None and result.messages:
        notes = [
            _scrub(student_message(m.replace(f"{root}/", "")), secrets) for m in result.messages
        ]
        body.append("<ul class='note'>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    body.append(_parts_table(parts))
    body.append(written)
    if nb is None:
        body.append("<p class='note'>There is no graded notebook to show.</p>")
    else:
        scores = {p.part.grade_id: p for p in parts}
        body.extend(_cells(nb, released, hidden_ids, secrets, scores))
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _parts_table(parts: list[PartScore]) -> str:
    esc = html.escape
    rows = []
    for p in parts:
        state = "to be graded by hand" if p.needs_manual_grade else _kind(p)
        rows.append(
            f"<tr><td>{esc(p.part.title)}</td><td>{esc(p.part.grade_id)}</td>"
            f"<td class='num'>{p.score:g}</td><td class='num'>{p.part.max_score:g}</td>"
            f"<td>{esc(state)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>part</th><th>cell</th><th>score</th><th>max</th><th>graded</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _kind(part: PartScore) -> str:
    return "graded by hand" if part.part.kind == "manual" else part.part.kind


def _scrub(text: str, secrets: set[str]) -> str:
    return _REMOVED if _leaks(text, secrets) else text


def _cells(
    nb: Any,
    released: dict[str, Any],
    hidden_ids: set[Any],
    secrets: set[str],
    scores: dict[str, PartScore],
) -> list[str]:
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    esc = html.escape
    out: list[str] = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        grade_id = str(meta.get("grade_id") or "")
        is_test = bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"
        text = _shown_source(cell, released)
        if cell.cell_type == "markdown":
            out.append(f"<div class='cell'>{render(text)}</div>")
            continue
        if cell.cell_type != "code":
            continue
        if is_test:
            passed = not any(
                o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")
                for o in cell.get("outputs", [])
            )
            score = scores.get(grade_id)
            points = f" ({score.score:g} / {score.part.max_score:g})" if score else ""
            verdict = (
                f"<p class='pass'>Passed{points}</p>"
                if passed
                else f"<p class='fail'>Did not pass{points}</p>"
            )
            parts = [f"<div class='cell test'><pre>{esc(text)}</pre>", verdict]
            if grade_id in hidden_ids:
                parts.append("<p>This cell also runs hidden tests: only the result is shown.</p>")
            else:
                parts.extend(_outputs(cell, secrets))
            out.append("".join(parts) + "</div>")
            continue
        parts = [f"<div class='cell'><pre>{esc(text)}</pre>"]
        parts.extend(_outputs(cell, secrets))
        out.append("".join(parts) + "</div>")
    return out


def _outputs(cell: Any, secrets: set[str]) -> list[str]:
    esc = html.escape
    shown: list[str] = []
    for output in cell.get("outputs", []):
        kind = output.output_type
        if kind == "stream":
            text = _ANSI.sub("", str(output.get("text", "")))
        elif kind == "error":
            text = _ANSI.sub("", "\n".join(output.get("traceback", [])))
            text = text or f"{output.get('ename')}: {output.get('evalue')}"
        else:
            data = output.get("data", {})
            png = data.get("image/png")
            if isinstance(png, str) and _is_base64(png):
                shown.append(f"<img alt='output image' src='data:image/png;base64,{png.strip()}'>")
                continue
            plain = data.get("text/plain", "")
            text = "".join(plain) if isinstance(plain, list) else str(plain)
        if not text:
            continue
        shown.append(f"<pre>{esc(_scrub(text, secrets))}</pre>")
    return shown


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text.strip().encode("ascii"), validate=False)
    except (binascii.Error, UnicodeEncodeError):
        return False
    return bool(re.fullmatch(r"[A-Za-z0-9+/=\s]+", text))
