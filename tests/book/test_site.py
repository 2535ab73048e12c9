"""The built book in a browser with the network blocked: every page, search, widgets, a11y."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.book.conftest import toc_pages
from tests.conftest import REPO

AXE = (REPO / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = toc_pages()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Visit:
    """What one page load did."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(chromium: Any, base: str, path: str) -> tuple[Any, Any, Visit]:
    """Open ``path`` in a fresh context that aborts every request not to ``base``."""
    context = chromium.new_context()
    visit = Visit()

    def route(r: Any) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and visit.failed.append(f"{r.status} {r.url}"))
    response = page.goto(base + path)
    assert response is not None and response.ok, f"{path} did not load"
    page.wait_for_load_state("networkidle")
    return context, page, visit


def test_the_toc_lists_every_chapter_and_appendix() -> None:
    assert len(PAGES) == 1 + 11 + 5


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors_and_passes_axe(
    chromium: Any, book_url: str, path: str
) -> None:
    context, page, visit = open_page(chromium, book_url, path)
    try:
        page.add_script_tag(content=AXE)
        violations = page.evaluate(
            "async () => (await axe.run({resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert visit.blocked == [], f"{path} asked for outside resources"
        assert visit.failed == [], f"{path} had failed requests"
        assert visit.errors == [], f"{path} threw page errors"
        assert violations == [], f"{path}: axe-core found serious/critical violations"
    finally:
        context.close()


def test_search_finds_a_word_from_the_book(chromium: Any, book_url: str) -> None:
    context, page, visit = open_page(chromium, book_url, "search.html?q=Takeshima")
    try:
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=20_000)
        assert results.count() >= 1
        assert visit.errors == [] and visit.blocked == []
    finally:
        context.close()


def test_the_comparison_chapter_renders_its_widgets(chromium: Any, book_url: str) -> None:
    context, page, visit = open_page(chromium, book_url, "ch06_comparing_trilaterals.html")
    try:
        widgets = page.locator(".jupyter-widgets.widget-container, .widget-vbox")
        widgets.first.wait_for(timeout=20_000)
        assert widgets.count() >= 2
        assert page.locator(".jupyter-widgets select, .widget-dropdown select").count() >= 1
        assert visit.errors == []
    finally:
        context.close()


def test_the_static_comparison_chart_reacts_to_its_controls_without_a_kernel(
    chromium: Any, book_url: str
) -> None:
    context, page, visit = open_page(chromium, book_url, "ch06_comparing_trilaterals.html")
    try:
        chart = page.locator(".coursekit-chart:has(.vega-bindings select)").first
        chart.wait_for(timeout=20_000)
        select = chart.locator(".vega-bindings select").first
        before = chart.locator("svg, canvas").first.evaluate(
            "n => n.tagName === 'CANVAS' ? n.toDataURL() : n.outerHTML"
        )
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.input_value()
        select.select_option(value=next(v for v in values if v != current))
        page.wait_for_timeout(500)
        after = chart.locator("svg, canvas").first.evaluate(
            "n => n.tagName === 'CANVAS' ? n.toDataURL() : n.outerHTML"
        )
        assert after != before, "changing the dropdown did not redraw the chart"
        assert visit.blocked == [] and visit.errors == []
    finally:
        context.close()
