"""In real JupyterLab, changing a TrilateralComparison control runs the Python callback.

Starts a private JupyterLab (the ``jupyter_lab`` fixture: own Jupyter folders in a temp dir;
no news or update checks; 127.0.0.1 only), opens a notebook in Chromium, runs the cell
from the toolbar, picks another indicator, and waits for the text only Python writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.servers import JupyterServer
from tests.widgets.layout import OPINION_OPTION, control_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UI_TIMEOUT_MS = 120_000

CELL = """\
from coursekit.widgets import TrilateralComparison
comparison = TrilateralComparison()
comparison
"""


NOTEBOOKS = ("compare.ipynb", "layout.ipynb")
"""One notebook (so one kernel) per test, served by the module's one JupyterLab."""


@pytest.fixture(scope="module")
def lab(
    jupyter_lab: Callable[[Path], JupyterServer], tmp_path_factory: pytest.TempPathFactory
) -> JupyterServer:
    """A private JupyterLab serving a notebook per test that shows a TrilateralComparison."""
    root = tmp_path_factory.mktemp("lab-root")
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(CELL))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    for name in NOTEBOOKS:
        nbformat.write(notebook, root / name)
    return jupyter_lab(root)


def _wait_for_idle_kernel(page: Page) -> None:
    """Wait until the status bar reports a connected, idle kernel."""
    kernel = page.locator(".jp-StatusBar-Widget, .jp-StatusBar-TextItem").filter(has_text="| Idle")
    expect(kernel.first).to_be_visible(timeout=UI_TIMEOUT_MS)


def _run_first_cell(page: Page, status: Locator) -> None:
    """Run the first cell with the toolbar's run button; retry if the kernel missed it."""
    run = page.locator(
        "jp-button[data-command='notebook:run-cell-and-select-next'],"
        " button[data-command='notebook:run-cell-and-select-next']"
    ).first
    expect(run).to_be_visible(timeout=UI_TIMEOUT_MS)
    for attempt in range(3):
        _wait_for_idle_kernel(page)
        page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputArea-editor").click()
        run.click()
        try:
            expect(status).to_be_visible(timeout=UI_TIMEOUT_MS // 2)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_indicator_change_runs_python_callback(lab: JupyterServer, chromium: Browser) -> None:
    from coursekit.widgets import TrilateralComparison

    # What the kernel's widget must show, computed here from the same data.
    here = TrilateralComparison()
    meetings = int(here.frame["US-JP-ROK"].sum())
    here.indicator_picker.value = "leaders_standalone"
    summits = [int(here.frame[t].sum()) for t in ("US-JP-ROK", "CN-JP-ROK")]
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(lab.lab(NOTEBOOKS[0]), timeout=UI_TIMEOUT_MS)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=UI_TIMEOUT_MS)
        status = page.locator(".coursekit-status")
        _run_first_cell(page, status)
        expect(status).to_contain_text("Leaders' meetings (any format)", timeout=UI_TIMEOUT_MS)
        expect(status).to_contain_text(f"US-JP-ROK {meetings}")
        table = page.locator(".coursekit-table")
        expect(table).to_contain_text("Most in one year")

        dropdown = page.locator(".widget-dropdown select").first
        dropdown.select_option(label="Standalone leaders' summits")

        # Only the Python callback writes this status text and these totals.
        expect(status).to_contain_text("Standalone leaders' summits", timeout=UI_TIMEOUT_MS)
        expect(status).to_contain_text(f"US-JP-ROK {summits[0]}; CN-JP-ROK {summits[1]}")
        expect(table.locator("td").filter(has_text=str(summits[1])).first).to_be_visible()
    finally:
        context.close()


def test_comparison_controls_are_not_cut_or_overlapping(
    lab: JupyterServer, chromium: Browser
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(lab.lab(NOTEBOOKS[0]), timeout=UI_TIMEOUT_MS)
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=UI_TIMEOUT_MS)
        status = page.locator(".coursekit-status")
        _run_first_cell(page, status)
        expect(status).to_contain_text("Total meetings held", timeout=UI_TIMEOUT_MS)
        widget = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-select-multiple)")
        assert control_problems(widget.first) == []

        widget.first.locator(".widget-dropdown select").first.select_option(label=OPINION_OPTION)
        expect(status).to_contain_text("% of respondents", timeout=UI_TIMEOUT_MS)
        assert control_problems(widget.first) == []
    finally:
        context.close()
