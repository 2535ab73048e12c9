"""Two small hand-made SVG charts for the item report: a histogram and horizontal bars.

Static markup, no script and no network: the report opens anywhere, offline.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["bars", "histogram"]

_FONT = "font-family='system-ui,sans-serif' font-size='12'"


def histogram(values: Sequence[float], *, maximum: float, title: str, bins: int = 10) -> str:
    """A histogram of ``values`` in ``bins`` equal bins from 0 to ``maximum``."""
    bins = max(1, bins)
    top = maximum if maximum > 0 else 1.0
    counts = [0] * bins
    for value in values:
        index = min(bins - 1, max(0, int(value / top * bins)))
        counts[index] += 1
    width, height, left, bottom = 520, 240, 40, 40
    plot_w, plot_h = width - left - 10, height - bottom - 30
    peak = max(counts) or 1
    bar_w = plot_w / bins
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' aria-label='{html.escape(title)}'>",
        f"<text x='{left}' y='16' {_FONT} font-weight='bold'>{html.escape(title)}</text>",
    ]
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + i * bar_w
        y = 30 + plot_h - h
        low, high = top * i / bins, top * (i + 1) / bins
        parts.append(
            f"<rect x='{x + 1:.1f}' y='{y:.1f}' width='{bar_w - 2:.1f}' height='{h:.1f}' "
            f"fill='#4c78a8'><title>{low:g}-{high:g}: {count}</title></rect>"
        )
        if count:
            parts.append(
                f"<text x='{x + bar_w / 2:.1f}' y='{y - 3:.1f}' text-anchor='middle' "
                f"{_FONT}>{count}</text>"
            )
    for i in range(bins + 1):
        x = left + i * bar_w
        parts.append(
            f"<text x='{x:.1f}' y='{30 + plot_h + 16}' text-anchor='middle' {_FONT}>"
            f"{top * i / bins:.3g}</text>"
        )
    parts.append(
        f"<line x1='{left}' y1='{30 + plot_h}' x2='{left + plot_w}' y2='{30 + plot_h}' "
        "stroke='#333'/>"
    )
    parts.append(
        f"<text x='{left + plot_w / 2}' y='{height - 4}' text-anchor='middle' {_FONT}>"
        "score</text></svg>"
    )
    return "".join(parts)


def bars(
    labels: Sequence[str], values: Sequence[float], *, title: str, notes: Sequence[str]
) -> str:
    """Horizontal bars of ``values`` (each 0 to 1) labelled by ``labels``, a note after each."""
    row, left, width = 26, 170, 560
    plot_w = width - left - 150
    height = 30 + row * len(labels) + 10
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' aria-label='{html.escape(title)}'>",
        f"<text x='4' y='16' {_FONT} font-weight='bold'>{html.escape(title)}</text>",
    ]
    for i, (label, value, note) in enumerate(zip(labels, values, notes, strict=True)):
        y = 28 + i * row
        w = plot_w * max(0.0, min(1.0, value))
        parts.append(
            f"<text x='{left - 6}' y='{y + 15}' text-anchor='end' {_FONT}>"
            f"{html.escape(label[:26])}</text>"
        )
        parts.append(f"<rect x='{left}' y='{y + 3}' width='{plot_w}' height='16' fill='#eee'/>")
        parts.append(
            f"<rect x='{left}' y='{y + 3}' width='{w:.1f}' height='16' fill='#4c78a8'>"
            f"<title>{html.escape(label)}: {value:.0%}</title></rect>"
        )
        parts.append(
            f"<text x='{left + plot_w + 6}' y='{y + 15}' {_FONT}>{html.escape(note)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
