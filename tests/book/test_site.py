"""The built book in a browser with the network blocked: every page, search, widgets, a11y."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coursekit.data import events
from tests.book.conftest import toc_pages
from tests.tools import axe_core
from tests.widgets.layout import OPINION_OPTION, control_problems

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

    def failed(response: Any) -> None:
        if response.status >= 400:
            visit.failed.append(f"{response.status} {response.url}")

    page.on("response", failed)
    response = page.goto(base + path)
    assert response is not None, f"{path} did not load"
    assert response.ok, f"{path} did not load"
    page.wait_for_load_state("networkidle")
    return context, page, visit


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors_and_passes_axe(
    chromium: Any, book_url: str, path: str
) -> None:
    context, page, visit = open_page(chromium, book_url, path)
    try:
        page.add_script_tag(content=axe_core())
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
        assert visit.errors == []
        assert visit.blocked == []
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
        assert visit.blocked == []
        assert visit.errors == []
    finally:
        context.close()


# The visual timeline (timeline appendix): filters, zoom, hover and keyboard, axe.

TIMELINE = "app_timeline.html"
SHOWN = ".ck-vtl-item:not([hidden]) .ck-vtl-event"


def open_timeline(chromium: Any, base: str) -> tuple[Any, Any, Visit]:
    """The timeline page, its script run (the interactive part is hidden until it has)."""
    context, page, visit = open_page(chromium, base, TIMELINE)
    page.locator(".ck-vtl-app").wait_for(state="visible", timeout=20_000)
    return context, page, visit


def shown(page: Any, attribute: str = "data-id") -> list[str]:
    """An attribute of every event marker now shown, in date order."""
    values: list[str] = page.locator(SHOWN).evaluate_all(
        f"ms => ms.map(m => m.getAttribute('{attribute}'))"
    )
    return values


def test_timeline_title_and_axis_run_from_1945_to_the_latest_year_in_the_data(
    chromium: Any, book_url: str
) -> None:
    last = int(events()["date"].dt.year.max())
    context, page, visit = open_timeline(chromium, book_url)
    try:
        assert page.locator("h1").first.inner_text().startswith(f"Timeline, 1945–{last}")
        years = page.locator(".ck-vtl-year").evaluate_all(
            "ts => ts.filter(t => t.getBoundingClientRect().width > 0).map(t => +t.textContent)"
        )
        assert years == list(range(1945, last + 1))
        assert len(shown(page)) == len(events())
        assert visit.blocked == []
        assert visit.errors == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("control", "value", "expected"),
    [
        ("relationship", "t:QUAD", lambda ev: ev["trilateral"] == "QUAD"),
        (
            "relationship",
            "p:JP-KR",
            lambda ev: ev["actors"].map(lambda a: {"JP", "KR"} <= set(a.split(";"))),
        ),
        ("category", "summit", lambda ev: ev["category"] == "summit"),
        ("tone", "friction", lambda ev: ev["tone"] == "friction"),
    ],
)
def test_timeline_filters_show_exactly_the_matching_events(
    chromium: Any, book_url: str, control: str, value: str, expected: Any
) -> None:
    ev = events().sort_values(["date", "id"])
    want = ev[expected(ev).astype(bool)]["id"].tolist()
    assert 0 < len(want) < len(ev)
    context, page, visit = open_timeline(chromium, book_url)
    try:
        page.select_option(f"#ck-vtl-{control}", value)
        assert shown(page) == want
        status = page.locator(".ck-vtl-status").inner_text()
        assert status.startswith(f"Showing {len(want)} of {len(ev)} events")
        page.locator(".ck-vtl-reset button").click()
        page.wait_for_function(f"document.querySelectorAll('{SHOWN}').length === {len(ev)}")
        assert visit.errors == []
    finally:
        context.close()


def test_timeline_filters_combine(chromium: Any, book_url: str) -> None:
    ev = events().sort_values(["date", "id"])
    both = ev["actors"].map(lambda a: {"JP", "KR"} <= set(a.split(";")))
    want = ev[both & (ev["tone"] == "friction")]["id"].tolist()
    context, page, visit = open_timeline(chromium, book_url)
    try:
        page.select_option("#ck-vtl-relationship", "p:JP-KR")
        page.select_option("#ck-vtl-tone", "friction")
        assert shown(page) == want
        assert len(want) > 0
        assert set(shown(page, "data-tone")) == {"friction"}
        assert visit.errors == []
    finally:
        context.close()


def test_timeline_zooms_to_one_decade_year_by_year(chromium: Any, book_url: str) -> None:
    ev = events()
    in_2000s = ev[(ev["date"].dt.year // 10 == 200) & (ev["date_precision"] == "day")]
    pair = next(
        (a, b)
        for (_, a), (_, b) in zip(in_2000s.iterrows(), in_2000s.iloc[1:].iterrows(), strict=False)
        if a["date"].year == b["date"].year and (b["date"] - a["date"]).days >= 90
    )
    ids = [str(e["id"]) for e in pair]

    def gap(page: Any) -> float:
        xs = [page.locator(f'.ck-vtl-event[data-id="{i}"]').bounding_box()["x"] for i in ids]
        return float(xs[1] - xs[0])

    context, page, visit = open_timeline(chromium, book_url)
    try:
        before = gap(page)
        page.select_option("#ck-vtl-decade", "2000")
        assert page.locator(".ck-vtl-band:not([hidden])").evaluate_all(
            "bs => bs.map(b => b.dataset.decade)"
        ) == ["2000"]
        after = gap(page)
        assert after > 5 * before > 0, f"zooming to the 2000s spread {ids} from {before} to {after}"
        assert set(shown(page, "data-year")) == {
            str(y) for y in ev[ev["date"].dt.year // 10 == 200]["date"].dt.year
        }
        assert "the 2000s" in page.locator(".ck-vtl-status").inner_text()
        page.locator('.ck-vtl-zoom[data-decade="2000"]').click()  # the band's label zooms out
        assert page.locator(".ck-vtl-band:not([hidden])").count() == len(
            range(1940, int(ev["date"].dt.year.max()) + 1, 10)
        )
        assert visit.errors == []
    finally:
        context.close()


def test_timeline_keyboard_reaches_each_event_its_details_and_its_source(
    chromium: Any, book_url: str
) -> None:
    ev = events().sort_values(["date", "id"])
    has_url = ev["source_url"].fillna("").str.startswith("http").tolist()
    k = has_url.index(True)
    target = ev.iloc[k]
    context, page, visit = open_timeline(chromium, book_url)
    try:
        page.locator(".ck-vtl-reset button").focus()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.dataset.id")
        assert focused == ev["id"].iloc[0], "Tab from the filters goes to the first event"
        outline = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
        assert outline >= 2, "the focused event has a visible outline"
        popover = page.locator(".ck-vtl-popover")
        assert popover.is_visible()
        assert ev["title"].iloc[0] in popover.inner_text()
        for _ in range(k):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.dataset.id") == target["id"]
        text = popover.inner_text()
        assert target["title"] in text
        assert str(target["source"]) in text
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == target["source_url"]
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.dataset.id") == target["id"]
        assert not popover.is_visible()
        page.keyboard.press("End")
        assert page.evaluate("document.activeElement.dataset.id") == ev["id"].iloc[-1]
        page.keyboard.press("Home")
        assert page.evaluate("document.activeElement.dataset.id") == ev["id"].iloc[0]
        tab_stops = page.locator(".ck-vtl-event[tabindex='0']").count()
        assert tab_stops == 1, "the events are one Tab stop; the arrow keys move between them"
        assert visit.errors == []
    finally:
        context.close()


def test_timeline_hover_shows_the_event_and_a_source_link_that_stays_under_the_pointer(
    chromium: Any, book_url: str
) -> None:
    ev = events().sort_values(["date", "id"]).reset_index(drop=True)
    row = ev[ev["source_url"].fillna("").str.startswith("http")].iloc[-1]
    context, page, visit = open_timeline(chromium, book_url)
    try:
        page.locator(f'.ck-vtl-event[data-id="{row["id"]}"]').hover()
        popover = page.locator(".ck-vtl-popover")
        popover.wait_for(state="visible")
        assert row["title"] in popover.inner_text()
        link = popover.locator(f'a[href="{row["source_url"]}"]')
        link.hover()
        page.wait_for_timeout(600)
        assert link.is_visible(), "moving onto the popover keeps it open"
        assert visit.errors == []
    finally:
        context.close()


def test_timeline_is_axe_clean_zoomed_filtered_and_with_its_popover_open(
    chromium: Any, book_url: str
) -> None:
    context, page, visit = open_timeline(chromium, book_url)
    try:
        page.select_option("#ck-vtl-decade", "2020")
        page.select_option("#ck-vtl-relationship", "t:US-JP-ROK")
        page.locator(SHOWN).first.focus()
        page.locator(".ck-vtl-popover").wait_for(state="visible")
        page.add_script_tag(content=axe_core())
        violations = page.evaluate(
            "async () => (await axe.run({resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert violations == []
        assert visit.blocked == []
        assert visit.errors == []
    finally:
        context.close()


def test_the_comparison_widgets_controls_are_not_cut_or_overlapping(
    chromium: Any, book_url: str
) -> None:
    context, page, visit = open_page(chromium, book_url, "ch06_comparing_trilaterals.html")
    try:
        comparison = page.locator(".widget-vbox:has(.widget-select-multiple)").first
        comparison.wait_for(timeout=20_000)
        assert control_problems(comparison) == []
        comparison.locator(".widget-dropdown select").first.select_option(label=OPINION_OPTION)
        assert control_problems(comparison) == []
        for widget in page.locator(".widget-vbox:has(.widget-hslider)").all():
            assert control_problems(widget) == []
        assert visit.errors == []
    finally:
        context.close()


# How the book was made must never reach a reader: the wording of research notes and of the
# reference sheets the writers worked from. An official document's own title ("Joint Fact
# Sheet", a White House "Fact Sheet: ...") is a source and may be named.
PRODUCTION_WORDING = re.compile(
    r"facts\.md|facts-2024|not retrieved|sources consulted|standard reference|"
    r"(?<!joint )(?<!: )\bfact sheet\b(?!:)|course'?s fact sheet|not confirmed verbatim",
    re.IGNORECASE,
)


def test_no_built_page_shows_how_the_book_was_made(built_book: Path) -> None:
    hits = []
    for page in sorted(built_book.rglob("*.html")):
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        for match in PRODUCTION_WORDING.finditer(text):
            start = max(match.start() - 60, 0)
            hits.append(f"{page.relative_to(built_book)}: …{text[start : match.end() + 40]}…")
    assert not hits, "\n".join(hits[:20])
