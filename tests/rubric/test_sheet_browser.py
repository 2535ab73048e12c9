"""A grading sheet in Chromium from file://, network blocked: keyboard, reload, save, import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursekit.grading.scores import gradebook_scores
from coursekit.grading.workspace import open_course
from coursekit.rubric.codes import code_map
from coursekit.rubric.export import export_sheets
from coursekit.rubric.importer import import_grades
from coursekit.rubric.store import load_record
from tests.rubric.conftest import WrittenCourse
from tests.rubric.rubric_factories import ASSIGNMENT
from tests.tools import axe_core

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sheet_for_q2(wc: WrittenCourse, out: Path) -> Path:
    result = export_sheets(course=wc.course, assignment=ASSIGNMENT, out=out, seed=5)
    return next(s.html for s in result.sheets if s.question == "q2-written")


def offline_page(chromium: Any, **context_options: Any) -> tuple[Any, Any, list[str], list[str]]:
    """A page in a fresh context that aborts every request not for a file:// URL."""
    context = chromium.new_context(accept_downloads=True, **context_options)
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))

    # every request the page makes at all, routed or not: only its own file (and the blob
    # URL of a saved CSV) may appear
    def request(r: Any) -> None:
        if not r.url.startswith(("file://", "blob:")):
            blocked.append(f"request {r.url}")

    def console(m: Any) -> None:
        if m.type == "error":
            errors.append(m.text)

    page.on("request", request)
    page.on("console", console)
    return context, page, blocked, errors


def test_grade_three_answers_by_keyboard_reload_save_and_import(
    chromium: Any, written_copy: WrittenCourse, tmp_path: Path
) -> None:
    sheet = sheet_for_q2(written_copy, tmp_path / "sheets")
    context, page, blocked, errors = offline_page(chromium)
    try:
        page.goto(sheet.as_uri())
        assert page.locator("#progress").inner_text() == "0 of 4 graded"
        page.locator("#initials").fill("TA")
        page.keyboard.press("Escape")
        graded: dict[str, tuple[str, ...]] = {}
        # answer 1: criteria 1 and 2, a comment typed; Enter marks it graded and moves on
        code = page.locator("#code").inner_text()
        page.keyboard.press("1")
        page.keyboard.press("2")
        page.keyboard.press("c")
        page.keyboard.type("Cite the treaty's terms.")
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        graded[code] = ("C1", "C2")
        # answer 2: criterion 1, the comment of answer 1 picked from the reusable comments
        code = page.locator("#code").inner_text()
        page.keyboard.press("1")
        page.keyboard.press("r")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        graded[code] = ("C1",)
        # answer 3: no criterion met, marked for a second look
        code = page.locator("#code").inner_text()
        page.keyboard.press("s")
        page.keyboard.press("Enter")
        graded[code] = ()
        assert page.locator("#progress").inner_text() == "3 of 4 graded"

        page.reload()
        assert page.locator("#progress").inner_text() == "3 of 4 graded"
        assert page.locator("#initials").input_value() == "TA"
        page.keyboard.press("u")  # only ungraded: the one left
        page.keyboard.press("ArrowLeft")
        assert page.locator("#code").inner_text() not in graded
        page.keyboard.press("u")
        for _ in range(4):
            page.keyboard.press("ArrowLeft")
        first = page.locator("#code").inner_text()
        assert first in graded
        ticked = page.locator("input[data-criterion]:checked").evaluate_all(
            "boxes => boxes.map(b => b.dataset.criterion)"
        )
        assert tuple(ticked) == graded[first]
        assert (
            page.locator("#score").inner_text()
            == {(): "0", ("C1",): "2", ("C1", "C2"): "3"}[graded[first]]
        )

        with page.expect_download() as download:
            page.keyboard.press("Control+s")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name == f"{sheet.stem.removeprefix(ASSIGNMENT + '-')}-TA.csv"
        assert blocked == []
        assert errors == []
    finally:
        context.close()

    result = import_grades(course=written_copy.course, files=[saved])
    assert (result.written, result.ungraded) == (3, 1)
    students = code_map(written_copy.course, "fx-rubric", ["ana", "ben", "chen", "dara"])
    record = load_record(written_copy.course, ASSIGNMENT, "q2-written")
    assert {students[g.code]: g.criteria for g in record.grades.values()} == {
        students[c]: criteria for c, criteria in graded.items()
    }
    assert next(g for g in record.grades.values() if not g.criteria).second_look is True
    comments = {
        s.student: s.by_id()["q2-written"].comment
        for s in gradebook_scores(open_course(written_copy.course), ASSIGNMENT)
    }
    assert (
        sorted(c for c in comments.values() if c == "Cite the treaty's terms.")
        == ["Cite the treaty's terms."] * 2
    )


def test_the_sheet_passes_axe_and_asks_for_nothing_outside(
    chromium: Any, written: WrittenCourse, tmp_path: Path
) -> None:
    sheet = sheet_for_q2(written, tmp_path / "sheets")
    assert sheet.stat().st_mode & 0o077 == 0
    text = sheet.read_text()
    assert "<script src" not in text
    assert "<link" not in text
    context, page, blocked, errors = offline_page(chromium, bypass_csp=True)
    try:
        page.goto(sheet.as_uri())
        page.keyboard.press("1")
        page.locator("details.instructor summary").click()
        page.add_script_tag(content=axe_core())
        violations = page.evaluate(
            "async () => (await axe.run({resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert violations == []
        assert blocked == []
        assert errors == []
    finally:
        context.close()


def test_student_html_in_an_answer_is_shown_as_text(
    chromium: Any, written: WrittenCourse, tmp_path: Path
) -> None:
    sheet = sheet_for_q2(written, tmp_path / "sheets")
    context, page, blocked, errors = offline_page(chromium)
    try:
        page.goto(sheet.as_uri())
        seen = []
        for _ in range(4):
            seen.append(page.locator("#answer").inner_text())
            page.keyboard.press("ArrowRight")
        assert any("<script>alert('x')</script>" in text for text in seen)
        assert page.evaluate("document.scripts.length") == 2  # the data and the sheet's own
        assert errors == []
        assert blocked == []
    finally:
        context.close()
