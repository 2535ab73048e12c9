"""The timeline appendix, generated from the event data: a visual timeline and the decade tables.

:func:`visual_timeline` draws every event on decade bands (one band per decade, a tick for every
year from 1945 to the last year in the data) with filters for relationship, category and tone,
a decade zoom, and a details panel that hover and keyboard focus fill with the event and its
source. The markup is complete HTML; ``_static/coursekit.js`` (served by the book itself, no
third-party script) makes it interactive. :func:`timeline_sections` is the accessible
alternative below it: every event in date order, one table per decade.

Only reader-facing fields reach the page (``READER_FIELDS``): the data's ``note`` column holds
caveats for the people who maintain the data and is never rendered here.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from itertools import combinations

import pandas as pd
from IPython.display import HTML

from coursekit.analysis import format_date
from coursekit.data import YEAR_MIN

__all__ = [
    "ACTOR_NAMES",
    "READER_FIELDS",
    "TRILATERAL_NAMES",
    "decades",
    "timeline_sections",
    "timeline_years",
    "visual_timeline",
]

READER_FIELDS = (
    "id",
    "date",
    "date_precision",
    "title",
    "actors",
    "trilateral",
    "category",
    "tone",
    "description",
    "source",
    "source_url",
)
"""The event columns written for readers; ``note`` and ``confidence`` are for maintainers."""

ACTOR_NAMES: dict[str, str] = {
    "US": "United States",
    "JP": "Japan",
    "KR": "South Korea",
    "CN": "China",
    "KP": "North Korea",
    "AU": "Australia",
    "IN": "India",
    "PH": "Philippines",
    "RU": "Russia",
    "UK": "United Kingdom",
    "UN": "United Nations",
}
"""Readable names of the codes in ``events.actors``, in the order pairs are written."""

TRILATERAL_NAMES: dict[str, str] = {
    "US-JP-ROK": "US-JP-ROK: United States, Japan, South Korea",
    "CN-JP-ROK": "CN-JP-ROK: China, Japan, South Korea",
    "US-JP-AU": "US-JP-AU: United States, Japan, Australia",
    "QUAD": "Quad: United States, Japan, Australia, India",
    "US-JP-IN": "US-JP-IN: United States, Japan, India",
    "AUKUS": "AUKUS: Australia, United Kingdom, United States",
    "US-JP-PH": "US-JP-PH: United States, Japan, Philippines",
    "none": "Outside these groupings",
}
"""Readable names of the groupings in ``events.trilateral``."""

_CORE = ("US", "JP", "KR")
_MIN_PAIR_EVENTS = 3
_TABLE_COLUMNS = ("Id", "Date", "Event", "Grouping", "Category", "Tone", "Source")


def _text(value: object) -> str:
    return html.escape("" if value is None or pd.isna(value) else str(value))  # type: ignore[call-overload]


def _label(code: str) -> str:
    """A vocabulary code as words: ``history-dispute`` -> ``History dispute``."""
    return code.replace("-", " ").capitalize()


def _date(event: pd.Series) -> str:
    return format_date(event["date"], str(event["date_precision"]))


def _source(event: pd.Series) -> str:
    """The event's source, linked when the data give an address."""
    text = _text(event["source"])
    url = event["source_url"]
    if isinstance(url, str) and url.strip():
        return f'<a href="{html.escape(url.strip())}">{text}</a>'
    return text


def timeline_years(events: pd.DataFrame) -> tuple[int, int]:
    """The span the timeline covers: 1945 to the latest year in the data."""
    last = int(events["date"].dt.year.max()) if len(events) else YEAR_MIN
    return YEAR_MIN, max(YEAR_MIN, last)


def decades(first: int, last: int) -> list[tuple[int, list[int]]]:
    """Each decade from ``first`` to ``last`` with the years of it the timeline covers."""
    return [
        (start, [y for y in range(start, start + 10) if first <= y <= last])
        for start in range(first // 10 * 10, last + 1, 10)
    ]


def _pairs(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """Country pairs (``JP-KR``) that appear together in enough events, the course's three first."""
    order = list(ACTOR_NAMES)
    counts: Counter[tuple[str, str]] = Counter()
    for _, event in frame.iterrows():
        counts.update(combinations(_actors(event), 2))
    chosen = [
        (pair, n)
        for pair, n in counts.items()
        if n >= _MIN_PAIR_EVENTS and set(pair) & set(_CORE) and "UN" not in pair
    ]
    chosen.sort(
        key=lambda item: (
            not set(item[0]) <= set(_CORE),
            order.index(item[0][0]),
            order.index(item[0][1]),
        )
    )
    return [(f"{a}-{b}", n) for (a, b), n in chosen]


def _actors(event: pd.Series) -> list[str]:
    order = list(ACTOR_NAMES)
    return sorted(set(str(event["actors"]).split(";")) & set(order), key=order.index)


def _relationships(event: pd.Series) -> str:
    """The relationship filter values an event matches: its grouping and every pair in it."""
    values = [f"t:{event['trilateral']}"]
    values += [f"p:{a}-{b}" for a, b in combinations(_actors(event), 2)]
    return " ".join(values)


def _options(options: list[tuple[str, str]]) -> str:
    return "".join(
        f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options
    )


def _select(name: str, label: str, options: str) -> str:
    ident = f"ck-vtl-{name}"
    return (
        f'<div class="ck-vtl-field"><label for="{ident}">{label}</label>'
        f'<select id="{ident}" name="{name}">{options}</select></div>'
    )


def _filters(frame: pd.DataFrame, first: int, last: int) -> str:
    groups = Counter(str(t) for t in frame["trilateral"])
    trilaterals = [
        (f"t:{code}", f"{name} ({groups[code]})")
        for code, name in TRILATERAL_NAMES.items()
        if groups[code]
    ]
    pairs = [
        (f"p:{pair}", f"{ACTOR_NAMES[pair[:2]]} and {ACTOR_NAMES[pair[3:]]} ({n})")
        for pair, n in _pairs(frame)
    ]
    relationship = _select(
        "relationship",
        "Relationship",
        _options([("", "All relationships")])
        + "".join(
            f'<optgroup label="{label}">{_options(opts)}</optgroup>'
            for label, opts in (("Groupings", trilaterals), ("Both countries involved", pairs))
        ),
    )
    categories = Counter(str(c) for c in frame["category"])
    category = _select(
        "category",
        "Category",
        _options(
            [("", "All categories")]
            + [(c, f"{_label(c)} ({n})") for c, n in sorted(categories.items())]
        ),
    )
    tones = Counter(str(t) for t in frame["tone"])
    tone = _select(
        "tone",
        "Tone",
        _options(
            [("", "All tones")] + [(t, f"{_label(t)} ({n})") for t, n in sorted(tones.items())]
        ),
    )
    zoom = _select(
        "decade",
        "Zoom",
        _options(
            [("", f"All decades, {first}–{last}")]
            + [(str(d), f"The {d}s, year by year") for d, years in decades(first, last) if years]
        ),
    )
    return (
        '<form class="ck-vtl-filters" aria-label="Filter and zoom the timeline">'
        f"{relationship}{category}{tone}{zoom}"
        '<div class="ck-vtl-field ck-vtl-reset"><button type="reset">Show everything</button>'
        "</div></form>"
    )


def _legend() -> str:
    items = "".join(
        f'<li><span class="ck-vtl-mark ck-tone-{t}" aria-hidden="true"></span>{_label(t)}</li>'
        for t in ("cooperation", "friction", "neutral")
    )
    return f'<ul class="ck-vtl-legend" aria-label="Marker shapes and colours by tone">{items}</ul>'


def _fraction(date: pd.Timestamp, start: int, years: int) -> float:
    begin = pd.Timestamp(year=start, month=1, day=1)
    end = pd.Timestamp(year=start + years, month=1, day=1)
    return float((date - begin) / (end - begin))


def _marker(event: pd.Series, decade: int) -> str:
    date = _date(event)
    words = f"{date}: {event['title']} ({event['trilateral']}, {_label(str(event['category']))}"
    words += f", {event['tone']})"
    pos = _fraction(event["date"], decade, 10)
    ypos = _fraction(event["date"], int(event["date"].year), 1)
    return (
        f'<li class="ck-vtl-item"><button type="button"'
        f' class="ck-vtl-event ck-tone-{event["tone"]}" tabindex="-1"'
        f' data-id="{_text(event["id"])}" data-rel="{_text(_relationships(event))}"'
        f' data-category="{_text(event["category"])}" data-tone="{_text(event["tone"])}"'
        f' data-year="{int(event["date"].year)}" data-pos="{pos:.4f}" data-ypos="{ypos:.4f}"'
        f' style="left: {100 * pos:.2f}%" aria-label="{_text(words)}"></button></li>'
    )


def _band(decade: int, years: list[int], group: pd.DataFrame) -> str:
    ticks = "".join(
        f'<li class="ck-vtl-year" data-year="{y}" style="left: {10 * (y - decade)}%">{y}</li>'
        for y in years
    )
    rows = "".join(
        f'<li class="ck-vtl-yearrow" data-year="{y}"><span class="ck-vtl-yearlabel">{y}</span></li>'
        for y in years
    )
    markers = "".join(_marker(event, decade) for _, event in group.iterrows())
    label = f"{decade}s"
    return (
        f'<div class="ck-vtl-band" data-decade="{decade}">'
        f'<div class="ck-vtl-decade"><button type="button" class="ck-vtl-zoom"'
        f' data-decade="{decade}" tabindex="-1" aria-label="{label}: zoom to this decade">'
        f"{label}</button></div>"
        f'<div class="ck-vtl-track"><ol class="ck-vtl-axis" aria-hidden="true">{ticks}</ol>'
        f'<ol class="ck-vtl-yearrows" aria-hidden="true">{rows}</ol>'
        f'<ul class="ck-vtl-events" aria-label="Events of the {decade}s">{markers}</ul>'
        "</div></div>"
    )


def _details(frame: pd.DataFrame) -> str:
    """The reader-facing fields of every event, as JSON for the details panel."""
    out = {}
    for _, event in frame.iterrows():
        url = event["source_url"]
        out[str(event["id"])] = {
            "date": _date(event),
            "title": str(event["title"]),
            "group": TRILATERAL_NAMES.get(str(event["trilateral"]), str(event["trilateral"])),
            "category": _label(str(event["category"])),
            "tone": _label(str(event["tone"])),
            "description": str(event["description"]),
            "source": str(event["source"]),
            "url": url.strip() if isinstance(url, str) and url.strip() else "",
        }
    payload = json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return payload.replace("</", "<\\/")


def visual_timeline(events: pd.DataFrame) -> HTML:
    """Every event on decade bands, with filters, a decade zoom and a details panel.

    Works in the static book with no kernel and no request outside the site; the table from
    :func:`timeline_sections` below it is the accessible alternative.
    """
    frame = events.loc[:, list(READER_FIELDS)].sort_values(["date", "id"])
    first, last = timeline_years(frame)
    by_decade = dict(iter(frame.groupby((frame["date"].dt.year // 10) * 10, sort=True)))
    bands = "".join(
        _band(decade, years, by_decade.get(decade, frame.iloc[0:0]))
        for decade, years in decades(first, last)
    )
    count = len(frame)
    return HTML(
        f'<div class="ck-vtl" data-first="{first}" data-last="{last}" data-total="{count}">'
        '<p class="ck-vtl-nojs">The interactive timeline needs JavaScript; the tables below'
        " list every event.</p>"
        '<div class="ck-vtl-app" hidden>'
        f"{_filters(frame, first, last)}"
        f'<p class="ck-vtl-status" role="status">Showing all {count} events, {first}–{last}.</p>'
        f"{_legend()}"
        '<p class="ck-vtl-help" id="ck-vtl-keys">Tab to the events, then use the arrow keys'
        " (Home and End for the first and last); each event opens with its source, and Tab"
        " goes on to the source's link. Escape closes it.</p>"
        f'<div class="ck-vtl-chart" role="group" aria-label="Events by decade, {first}–{last}"'
        f' aria-describedby="ck-vtl-keys">{bands}</div>'
        f'<script type="application/json" class="ck-vtl-data">{_details(frame)}</script>'
        "</div></div>"
    )


def _row(event: pd.Series) -> str:
    cells = (
        _text(event["id"]),
        _text(_date(event)),
        f'<span class="ck-tl-title">{_text(event["title"])}</span>'
        f'<span class="ck-tl-desc">{_text(event["description"])}</span>',
        "" if event["trilateral"] == "none" else _text(event["trilateral"]),
        _text(_label(str(event["category"]))),
        _text(_label(str(event["tone"]))),
        _source(event),
    )
    return (
        f'<tr id="ck-event-{_text(event["id"])}">'
        + "".join(f"<td>{c}</td>" for c in cells)
        + "</tr>"
    )


def timeline_sections(events: pd.DataFrame) -> HTML:
    """Every event in date order, grouped by decade, as accessible HTML tables."""
    ordered = events.loc[:, list(READER_FIELDS)].sort_values(["date", "id"])
    head = "".join(f'<th scope="col">{c}</th>' for c in _TABLE_COLUMNS)
    parts = []
    for decade, group in ordered.groupby((ordered["date"].dt.year // 10) * 10, sort=True):
        rows = "".join(_row(event) for _, event in group.iterrows())
        parts.append(
            f'<table class="ck-table ck-timeline"><caption>The {decade}s '
            f"({len(group)} events)</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return HTML("".join(parts))
