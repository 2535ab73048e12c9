"""One grading sheet as a single self-contained HTML file: the page's own script, nothing else.

The sheet carries the question, its rubric and the folded model answer, and every answer of
its share (anonymous code, rendered answer, referenced code cells) as JSON read by the inline
script (``static/sheet.js``). A Content-Security-Policy allows only that script (by hash) and
that style, and no connection of any kind: the sheet cannot fetch or send anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass
from importlib import resources

from coursekit.rubric.markdown import render_inline, render_markdown
from coursekit.rubric.questions import Question

__all__ = ["SheetAnswer", "SheetInfo", "sheet_html"]


@dataclass(frozen=True)
class SheetAnswer:
    """One anonymous answer on a sheet."""

    code: str
    text: str
    """The answer as the student wrote it (markdown, or code for a code answer)."""
    is_code: bool
    code_cells: tuple[tuple[str, str], ...]
    """(grade id, source) of the student's code cells the question refers to."""


@dataclass(frozen=True)
class SheetInfo:
    """Which sheet this is."""

    sheet: str
    seed: int
    grader: int
    graders: int
    created: str


def _static(name: str) -> str:
    return resources.files("coursekit.rubric").joinpath("static", name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _json_for_script(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _answer_html(answer: SheetAnswer) -> str:
    if answer.is_code:
        return f"<pre>{html.escape(answer.text)}</pre>"
    return render_markdown(answer.text)


def sheet_html(
    question: Question,
    answers: list[SheetAnswer],
    info: SheetInfo,
    *,
    comments: list[str] | None = None,
) -> str:
    """The sheet's HTML: ``answers`` in the order given, ``comments`` offered for reuse."""
    esc = html.escape
    data = {
        "assignment": question.assignment,
        "notebook": question.notebook,
        "question": question.grade_id,
        "sheet": info.sheet,
        "seed": info.seed,
        "points": question.points,
        "criteria": [{"id": c.id, "points": c.points, "text": c.text} for c in question.criteria],
        "comments": sorted(set(comments or [])),
        "answers": [
            {
                "code": a.code,
                "words": len(a.text.split()),
                "html": _answer_html(a),
                "code_cells": [{"grade_id": g, "source": s} for g, s in a.code_cells],
            }
            for a in answers
        ],
    }
    script = _static("sheet.js")
    style = _static("sheet.css")
    csp = (
        f"default-src 'none'; script-src '{_csp_hash(script)}'; style-src '{_csp_hash(style)}'; "
        "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    criteria = "".join(
        f"<label><input type='checkbox' data-criterion='{esc(c.id)}'> "
        f"<kbd>{i}</kbd> <strong>{c.points:g} pt{'s' if c.points != 1 else ''}</strong> "
        f"({esc(c.id)}): {render_inline(c.text)}"
        "</label>"
        for i, c in enumerate(question.criteria, start=1)
    )
    rubric_rows = "".join(
        f"<tr><td>{esc(c.id)}</td><td>{c.points:g}</td><td>{render_inline(c.text)}</td></tr>"
        for c in question.criteria
    )
    share = f"grader {info.grader} of {info.graders}" if info.graders > 1 else "the whole class"
    title = f"{question.assignment} · {question.grade_id}: grading sheet ({info.sheet})"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{esc(title)}</title>
<style>{style}</style></head>
<body>
<header>
<h1>{esc(question.title)}</h1>
<p>Assignment {esc(question.assignment)}, cell {esc(question.grade_id)},
{question.points:g} points. Sheet {esc(info.sheet)} ({esc(share)}), {len(answers)} answers
in shuffled order (seed {info.seed}), made {esc(info.created)}.
<strong>Instructor material: the rubric and model answer must not reach students.</strong></p>
<div class="bar">
<label for="initials">Your initials</label>
<input type="text" id="initials" autocomplete="off" maxlength="12">
<p id="progress">0 of {len(answers)} graded</p>
<label><input type="checkbox" id="only-ungraded"> Only ungraded (<kbd>u</kbd>)</label>
<button type="button" id="save">Save CSV (<kbd>Ctrl</kbd>+<kbd>S</kbd>)</button>
</div>
<p id="warning" role="alert"></p>
</header>
<div class="layout">
<aside aria-label="Question, rubric and model answer">
<section aria-labelledby="q-head"><h2 id="q-head">The question</h2>
{render_markdown(question.prompt)}</section>
<section aria-labelledby="r-head"><h2 id="r-head">Rubric ({question.points:g} points)</h2>
<table><thead><tr><th scope="col">id</th><th scope="col">points</th>
<th scope="col">criterion</th></tr></thead><tbody>{rubric_rows}</tbody></table></section>
<details class="instructor"><summary>Model answer (instructor only)</summary>
{render_markdown(question.model_answer or "(none given)")}</details>
<section aria-labelledby="k-head"><h2 id="k-head">Keys</h2><dl class="keys">
<dt><kbd>→</kbd> <kbd>n</kbd></dt><dd>next answer</dd>
<dt><kbd>←</kbd> <kbd>p</kbd></dt><dd>previous answer</dd>
<dt><kbd>1</kbd>–<kbd>9</kbd></dt><dd>tick or untick that criterion</dd>
<dt><kbd>Enter</kbd></dt><dd>mark graded (also with no criterion met) and go on</dd>
<dt><kbd>a</kbd></dt><dd>deduction or bonus (partial credit: tick the criterion, deduct the
difference and give the reason); <kbd>c</kbd> comment; <kbd>r</kbd> reuse a comment</dd>
<dt><kbd>s</kbd></dt><dd>mark for a second look</dd>
<dt><kbd>u</kbd></dt><dd>show only ungraded answers</dd>
<dt><kbd>Esc</kbd></dt><dd>leave a text field</dd>
<dt><kbd>Ctrl</kbd>+<kbd>S</kbd></dt><dd>save the CSV</dd></dl>
<p>Your work stays in this browser until you save; closing the tab loses nothing.</p></section>
</aside>
<main>
<h2 id="answer-heading">Answer <span id="pos">1</span> of {len(answers)}: <span id="code"></span>
(<span id="status">not graded yet</span>)</h2>
<p>Length: <span id="words">0</span> words.</p>
<div><button type="button" id="prev" class="secondary">Previous (<kbd>←</kbd>)</button>
<button type="button" id="next" class="secondary">Next (<kbd>→</kbd>)</button></div>
<article id="answer" tabindex="-1" aria-labelledby="answer-heading"></article>
<div id="code-cells"></div>
<form id="grading" aria-label="Grading of this answer">
<fieldset><legend>Rubric criteria met (number keys)</legend>{criteria}</fieldset>
<div class="field"><label for="adjustment">Deduction or bonus, in points (e.g. -1 or 0.5)</label>
<input type="number" id="adjustment" step="0.5"></div>
<div class="field"><label for="reason">Reason for the deduction or bonus</label>
<input type="text" id="reason"></div>
<div class="field"><label for="comment">Comment for the student</label>
<textarea id="comment"></textarea></div>
<div class="field"><label for="reuse">Reuse a comment written on this question</label>
<select id="reuse"><option value="">(choose a comment)</option></select></div>
<p><label><input type="checkbox" id="second-look"> Mark for a second look (<kbd>s</kbd>)</label></p>
<p>Score: <output id="score">0</output> / {question.points:g}</p>
<button type="button" id="done">Graded, next (<kbd>Enter</kbd>)</button>
<button type="button" id="clear" class="secondary">Clear this answer</button>
</form>
<p id="announce" class="visually-hidden" role="status"></p>
</main>
</div>
<script type="application/json" id="sheet-data">{_json_for_script(data)}</script>
<script>{script}</script>
</body></html>
"""
