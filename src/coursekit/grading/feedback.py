"""``coursekit feedback``: one HTML page per student, with no hidden test in it.

nbgrader's own feedback shows the graded notebook as it ran, which gives hidden tests away:
their source (nbgrader#917) and the tracebacks and outputs that quote it (nbgrader#1363). Here
each page is rendered from a notebook whose hidden tests were removed *structurally*, before
any text is looked at:

* the score per part and the total, from the gradebook;
* each locked or test cell as it was released to students (or, with no released copy, the
  source with every hidden region cut out, using the course's own delimiters from
  :func:`coursekit.grading.nbgrader_api.nbgrader_settings`); a test cell that holds hidden
  tests shows only *passed* or *did not pass*, never its outputs;
* the student's own cells and their outputs, as text (HTML outputs are shown as plain text,
  images as images); markdown rendered with HTML escaped;
* for each test cell that lost points, why: the checkers' own reports from its visible part,
  and from its hidden parts only when the course sets ``feedback.show_hidden_details``
  (otherwise that hidden checks did not pass, and the book sections their messages name;
  :mod:`coursekit.grading.reasons`);
* as a last guard, any output that quotes a hidden test (one of its lines or strings, as
  written or base64- or hex-encoded) is replaced by a note.

Pages go where nbgrader puts feedback: ``feedback/<student>/<id>/<notebook>.html``. nbgrader's
own ``generate_feedback`` (and formgrader's button) write the same page, through
:class:`coursekit.grading.nbgrader_api.FeedbackExporter`.
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

from coursekit.grading.nbgrader_api import (
    NbgraderSettings,
    has_hidden,
    nbgrader_settings,
    split_hidden,
)
from coursekit.grading.nbio import read_notebook
from coursekit.grading.reasons import Reasons, reasons
from coursekit.grading.results import StudentResult
from coursekit.grading.scores import PartScore, StudentScores, gradebook_scores
from coursekit.grading.workspace import Course, open_course
from coursekit.grading.written import STATUS_NOTES, student_message, written_feedback

__all__ = [
    "FeedbackResult",
    "feedback",
    "feedback_page",
    "hidden_regions",
    "hidden_secrets",
    "show_hidden_details",
    "visible_source",
]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STRING = re.compile(r"""(?:'([^'\\\n]{12,})'|"([^"\\\n]{12,})")""")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
_MIN_LINE = 8
_REMOVED = "[output removed: it would show a hidden test]"
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
.why{background:#fdf0ef;padding:.3rem .8rem;margin:.5rem 0}.why pre{background:#fff}
"""


@dataclass(frozen=True)
class FeedbackResult:
    """The feedback pages written, per student."""

    assignment: str
    pages: dict[str, tuple[Path, ...]]

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [f"{self.assignment}: feedback for {len(self.pages)} students"]
        lines += [f"  {s}: {', '.join(str(p) for p in ps)}" for s, ps in sorted(self.pages.items())]
        return "\n".join(lines)


def hidden_regions(text: str, settings: NbgraderSettings | None = None) -> tuple[str, list[str]]:
    """Split ``text`` into its visible text (hidden regions marked) and the hidden lines."""
    return split_hidden(text, settings or NbgraderSettings())


def visible_source(text: str, settings: NbgraderSettings | None = None) -> str:
    """``text`` with every hidden-test and mark-scheme region replaced by a one-line note."""
    return hidden_regions(text, settings)[0]


def hidden_secrets(
    texts: Iterable[str], *, public: str = "", settings: NbgraderSettings | None = None
) -> set[str]:
    """The fragments of hidden regions that must not appear in feedback.

    Each hidden line of at least 8 characters (stripped) and every string literal of at least
    12 characters in a hidden line, except those found in ``public`` (the released notebook's
    text, which students have anyway: a question naming a value is no leak).
    """
    secrets: set[str] = set()
    for text in texts:
        for line in hidden_regions(text, settings)[1]:
            stripped = line.strip()
            if len(stripped) >= _MIN_LINE:
                secrets.add(stripped)
            for match in _STRING.finditer(line):
                secrets.add(match.group(1) or match.group(2))
    return {s for s in secrets if s not in public}


def _decoded(text: str) -> Iterable[str]:
    """``text``, then every base64 or hex run in it decoded (as far as it decodes)."""
    yield text
    for match in _BASE64.finditer(text):
        token = match.group(0)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                yield decode(token + "=" * (-len(token) % 4)).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                continue
    for match in _HEX.finditer(text):
        yield bytes.fromhex(match.group(0)).decode("utf-8", "replace")


def _leaks(text: str, secrets: set[str]) -> bool:
    return any(secret in variant for variant in _decoded(text) for secret in secrets)


def _nbgrader(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


@dataclass(frozen=True)
class _Notebook:
    """What every page of one notebook of an assignment needs, read once."""

    name: str
    settings: NbgraderSettings
    fixed: dict[str, str]
    """grade id -> the text students were given, for every locked or test cell."""
    hidden_ids: frozenset[str]
    secrets: set[str]


def _notebook(ws: Course, assignment: str, name: str, settings: NbgraderSettings) -> _Notebook:
    source_nb = read_notebook(ws.path("source", ".", assignment) / f"{name}.ipynb")
    release_path = ws.path("release", ".", assignment) / f"{name}.ipynb"
    released = read_notebook(release_path).cells if release_path.is_file() else []
    released_text = {gid: str(c.source) for c in released if (gid := _nbgrader(c).get("grade_id"))}
    fixed: dict[str, str] = {}
    for cell in source_nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if gid and not meta.get("solution") and (meta.get("locked") or meta.get("grade")):
            fixed[gid] = released_text.get(gid, visible_source(cell.source, settings))
    hidden_ids = frozenset(
        str(_nbgrader(c)["grade_id"])
        for c in source_nb.cells
        if _nbgrader(c).get("grade_id") and has_hidden(c.source, settings)
    )
    secrets = hidden_secrets(
        (c.source for c in source_nb.cells),
        public="\n".join(str(c.source) for c in released),
        settings=settings,
    )
    return _Notebook(name, settings, fixed, hidden_ids, secrets)


def show_hidden_details(course: Course) -> bool:
    """The course's ``feedback.show_hidden_details``, as ``coursekit course init`` wrote it."""
    section = course.config.get("FeedbackExporter", {})
    return bool(section.get("show_hidden_details", False))


def feedback(
    *,
    course: Path,
    assignment: str,
    students: Sequence[str] = (),
    show_hidden: bool | None = None,
) -> FeedbackResult:
    """Write a feedback page for each graded student of ``assignment`` (or only ``students``).

    ``show_hidden`` overrides the course's ``feedback.show_hidden_details``.
    """
    ws = open_course(course)
    hidden_details = show_hidden_details(ws) if show_hidden is None else show_hidden
    scores = {s.student: s for s in gradebook_scores(ws, assignment)}
    stored = _stored_results(ws, assignment)
    settings = nbgrader_settings(ws)
    wanted = list(students) or sorted(scores)
    pages: dict[str, tuple[Path, ...]] = {}
    for notebook_path in sorted(ws.path("source", ".", assignment).glob("*.ipynb")):
        info = _notebook(ws, assignment, notebook_path.stem, settings)
        for student in wanted:
            if student not in scores:
                continue
            graded = ws.path("autograded", student, assignment) / f"{info.name}.ipynb"
            page = _page(
                assignment=assignment,
                info=info,
                student=scores[student],
                result=stored.get(student),
                nb=read_notebook(graded) if graded.is_file() else None,
                root=ws.root,
                written=written_feedback(ws, assignment, scores[student], notebook=info.name),
                show_hidden=hidden_details,
            )
            out = ws.path("feedback", student, assignment) / f"{info.name}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page, encoding="utf-8")
            pages[student] = (*pages.get(student, ()), out)
    return FeedbackResult(assignment, pages)


def feedback_page(
    course: Course,
    *,
    assignment: str,
    student: str,
    notebook: str,
    graded: Any = None,
    show_hidden: bool | None = None,
) -> str:
    """The feedback page of one student's ``notebook`` (the graded copy, or ``graded``).

    The page that :func:`feedback` writes; nbgrader's ``generate_feedback`` calls this too.
    ``show_hidden`` overrides the course's ``feedback.show_hidden_details``.
    """
    scores = {s.student: s for s in gradebook_scores(course, assignment, students=[student])}
    if student not in scores:
        raise KeyError(f"{student!r} has no grades for {assignment!r} in {course.db_url}")
    if graded is None:
        path = course.path("autograded", student, assignment) / f"{notebook}.ipynb"
        graded = read_notebook(path) if path.is_file() else None
    return _page(
        assignment=assignment,
        info=_notebook(course, assignment, notebook, nbgrader_settings(course)),
        student=scores[student],
        result=_stored_results(course, assignment).get(student),
        nb=graded,
        root=course.root,
        written=written_feedback(course, assignment, scores[student], notebook=notebook),
        show_hidden=show_hidden_details(course) if show_hidden is None else show_hidden,
    )


def _stored_results(ws: Course, assignment: str) -> dict[str, StudentResult]:
    """The last grading run's results (status and messages), whatever its source hash."""
    import json

    path = ws.root / ".coursekit" / "grades" / f"{assignment}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: StudentResult.from_dict(v) for k, v in data.get("results", {}).items()}


@dataclass(frozen=True)
class _Shown:
    """One cell as the page shows it, with nothing hidden left in it."""

    cell_type: str
    text: str
    outputs: tuple[Any, ...]
    grade_id: str
    verdict: bool | None
    """For a test cell, whether it passed; ``None`` for other cells."""
    reasons: Reasons | None = None
    """For a test cell, the checkers' reports, sorted by the part that made them."""


def _passed(cell: Any) -> bool:
    return not any(
        o.output_type == "error" or (o.output_type == "stream" and o.get("name") == "stderr")
        for o in cell.get("outputs", [])
    )


def _shown_cells(nb: Any, info: _Notebook) -> list[_Shown]:
    """The graded notebook with hidden tests removed structurally, cell by cell.

    A locked or test cell shows the text students were given (never the graded copy's, which
    holds the hidden tests again); a test cell with hidden tests keeps only its verdict; any
    other cell shows the student's text with hidden regions cut (a student may paste one).
    """
    shown: list[_Shown] = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = str(meta.get("grade_id") or "")
        is_test = bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"
        if gid in info.fixed and not meta.get("solution"):
            text = info.fixed[gid]
        else:
            text = visible_source(cell.source, info.settings)
        outputs = tuple(cell.get("outputs", []))
        why = None
        if is_test:
            parts = cell.get("metadata", {}).get("coursekit", {}).get("output_parts")
            why = reasons(outputs, parts, has_hidden=gid in info.hidden_ids)
        if is_test and gid in info.hidden_ids:
            outputs = ()
        verdict = _passed(cell) if is_test else None
        shown.append(_Shown(cell.cell_type, text, outputs, gid, verdict, why))
    return shown


def _page(
    *,
    assignment: str,
    info: _Notebook,
    student: StudentScores,
    result: StudentResult | None,
    nb: Any,
    root: Path,
    written: str = "",
    show_hidden: bool = False,
) -> str:
    esc = html.escape
    title = f"{assignment}: feedback for {student.student}"
    parts = [p for p in student.parts if p.part.notebook == info.name]
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
            _scrub(student_message(m.replace(f"{root}/", "")), info.secrets)
            for m in result.messages
        ]
        body.append("<ul class='note'>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    body.append(_parts_table(parts))
    body.append(written)
    if nb is None:
        body.append("<p class='note'>There is no graded notebook to show.</p>")
    else:
        scores = {p.part.grade_id: p for p in parts}
        body.extend(_cells(_shown_cells(nb, info), info, scores, show_hidden=show_hidden))
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


def _why(why: Reasons, secrets: set[str], *, show_hidden: bool) -> str:
    """The box that says why a test cell lost points, in the checkers' own words."""
    esc = html.escape
    items = [f"<pre>{esc(_scrub(text, secrets))}</pre>" for text in why.visible]
    if why.hidden_failed and show_hidden:
        items += [f"<pre>{esc(_scrub(text, secrets))}</pre>" for text in why.hidden]
        if not why.hidden:
            items.append("<p>A hidden check did not pass.</p>")
    elif why.hidden_failed:
        sections = "; ".join(esc(s) for s in why.sections)
        items.append(
            "<p>Hidden checks did not pass" + (f": {sections}.</p>" if sections else ".</p>")
        )
    if not items:
        items.append("<p>The checks that cost points left no message.</p>")
    return (
        "<div class='why'><p><strong>Why points were lost</strong></p>" + "".join(items) + "</div>"
    )


def _cells(
    shown: list[_Shown],
    info: _Notebook,
    scores: dict[str, PartScore],
    *,
    show_hidden: bool = False,
) -> list[str]:
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    esc = html.escape
    out: list[str] = []
    for cell in shown:
        if cell.cell_type == "markdown":
            out.append(f"<div class='cell'>{render(cell.text)}</div>")
            continue
        if cell.cell_type != "code":
            continue
        if cell.verdict is not None:
            score = scores.get(cell.grade_id)
            points = f" ({score.score:g} / {score.part.max_score:g})" if score else ""
            lost = score.score < score.part.max_score if score else not cell.verdict
            if not cell.verdict:
                verdict = f"<p class='fail'>Did not pass{points}</p>"
            elif lost and score is not None and score.score > 0:
                verdict = f"<p class='fail'>Partly passed{points}</p>"
            else:
                verdict = f"<p class='pass'>Passed{points}</p>"
            parts = [f"<div class='cell test'><pre>{esc(cell.text)}</pre>", verdict]
            if lost and cell.reasons is not None:
                parts.append(_why(cell.reasons, info.secrets, show_hidden=show_hidden))
            if cell.grade_id in info.hidden_ids:
                parts.append("<p>This cell also runs hidden tests: only the result is shown.</p>")
            parts.extend(_outputs(cell.outputs, info.secrets))
            out.append("".join(parts) + "</div>")
            continue
        parts = [f"<div class='cell'><pre>{esc(cell.text)}</pre>"]
        parts.extend(_outputs(cell.outputs, info.secrets))
        out.append("".join(parts) + "</div>")
    return out


def _outputs(outputs: Iterable[Any], secrets: set[str]) -> list[str]:
    esc = html.escape
    shown: list[str] = []
    for output in outputs:
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
