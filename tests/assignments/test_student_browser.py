"""A student in JupyterLab: a common mistake gets its one-line hint, a right answer passes.

JupyterLab runs on 127.0.0.1 with a token, in a tmp folder holding the released a1 notebook
(the ``jupyter_lab`` fixture: Jupyter's and Lab's folders in tmp, no news or update checks).
Chromium is driven through Playwright.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import expect

from tests.assignments.nbcourse import make_course
from tests.servers import JupyterServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENT = "a1-timeline"
# a1's known mistake: each 2018-2019 event taken to answer the one just before it in time
WRONG = 'responds_to = {"A63": "A61", "A64": "A63", "A65": "A64", "A66": "A65", "A67": "A66"}'
RIGHT = 'responds_to = {"A64": "A61", "A65": "A61", "A66": "A65", "A67": "A66"}'
SECTION = "see 5.7 The 2018–2019 cascade: from courts to trade to security"
RUN_BUTTON = 'jp-button[data-command="notebook:run-cell-and-select-next"]'


@pytest.fixture(scope="module")
def lab(
    jupyter_lab: Callable[[Path], JupyterServer], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A private JupyterLab serving a student folder; yields the notebook's URL."""
    tmp = tmp_path_factory.mktemp("lab")
    release = make_course(tmp / "course", ASSIGNMENT).generate()
    student = tmp / "student"
    student.mkdir()
    nbformat.write(release, student / f"{ASSIGNMENT}.ipynb")
    return jupyter_lab(student).lab(f"{ASSIGNMENT}.ipynb")


def _dismiss_dialogs(page: Any, seen: list[str]) -> None:
    """Accept any dialog JupyterLab shows (e.g. kernel selection), noting its text."""
    dialogs = page.locator(".jp-Dialog")
    while dialogs.count():
        seen.append(dialogs.first.inner_text())
        dialogs.first.locator(".jp-mod-accept").first.click()
        page.wait_for_timeout(300)


def _wait_kernel_idle(page: Any) -> None:
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)


def _run(page: Any, cell: Any, seen: list[str]) -> None:
    """Select ``cell`` by its prompt, press the toolbar's run button, wait until it ran."""
    prompt = cell.locator(".jp-InputPrompt").first
    before = prompt.inner_text()
    _dismiss_dialogs(page, seen)
    prompt.click()
    page.locator(RUN_BUTTON).first.click()
    expect(prompt).not_to_have_text(before, timeout=60_000)
    expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=60_000)
    _wait_kernel_idle(page)


def _code_cell(page: Any, text: str) -> Any:
    return page.locator(".jp-Notebook .jp-CodeCell").filter(has_text=text).first


def _answer(page: Any, code: str, seen: list[str]) -> Any:
    """Type ``code`` into the Q2 answer cell, run it and its test; return the test cell."""
    answer = _code_cell(page, "responds_to = ")
    _dismiss_dialogs(page, seen)
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
    _run(page, answer, seen)
    tests = _code_cell(page, "_options = [")
    _run(page, tests, seen)
    return tests


def test_student_sees_the_hint_of_a_common_mistake_then_a_pass(lab: str, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    blocked: list[str] = []

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    seen: list[str] = []
    try:
        page.goto(lab)
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
        _dismiss_dialogs(page, seen)
        _wait_kernel_idle(page)
        _run(page, page.locator(".jp-Notebook .jp-CodeCell").first, seen)  # the folded setup

        tests = _answer(page, WRONG, seen)
        text = tests.locator(".jp-OutputArea").inner_text()
        # the form passes and the known mistake's hint shows without failing the cell, so the
        # hidden part can still give partial credit
        assert "[ok] responds_to:" in text, f"{text}\ndialogs: {seen}"
        assert "[not yet] responds_to" in text, f"{text}\ndialogs: {seen}"
        hint = next(line for line in text.splitlines() if "Hint:" in line)
        assert "the one just before it in time" in hint, text
        assert hint.rstrip().endswith(SECTION), text
        # the report alone, not a traceback through coursekit's source
        assert "Traceback" not in text, text
        assert "results.py" not in text, text
        assert "CheckFailed" not in text, text
        assert "coursekit/checks" not in text, text
        assert "A61" not in text, text

        tests = _answer(page, RIGHT, seen)
        text = tests.locator(".jp-OutputArea").inner_text()
        assert "[ok] responds_to:" in text, f"{text}\ndialogs: {seen}"
        assert "[ok] the keys of responds_to:" in text, f"{text}\ndialogs: {seen}"
        assert "graded" in text, text
        assert "all checks passed" not in text, text
        assert "[not yet]" not in text
    finally:
        context.close()
    assert blocked == [], f"requests outside 127.0.0.1: {blocked}"
