"""Time from a control change to new widget output, in process, for both explorers.

Run: ``.venv/bin/python benchmarks/widgets.py``. Prints (does not assert) the median and
95th-percentile milliseconds over 100 changes per widget; the target is a median <= 50 ms.
"""

from __future__ import annotations

import functools
import itertools
import statistics
import time
from collections.abc import Callable

from coursekit import analysis, data
from coursekit.widgets import TimelineExplorer, TrilateralComparison

CHANGES = 100
TARGET_MS = 50.0


def _measure(
    changes: list[Callable[[], None]], output: Callable[[], object]
) -> tuple[list[float], int]:
    """Milliseconds per change, and how many changes produced different output."""
    timings = []
    changed = 0
    previous = output()
    for change in changes:
        start = time.perf_counter()
        change()
        timings.append((time.perf_counter() - start) * 1000)
        current = output()
        changed += current != previous
        previous = current
    return timings, changed


def _report(name: str, result: tuple[list[float], int]) -> None:
    timings, changed = result
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    verdict = "within" if median <= TARGET_MS else "OVER"
    print(
        f"{name:22s} {len(timings)} changes ({changed} changed the table):"
        f" median {median:6.1f} ms, p95 {p95:6.1f} ms, max {max(timings):6.1f} ms"
        f" ({verdict} the {TARGET_MS:.0f} ms target)"
    )


def main() -> None:
    """Build each widget once, then change one control 100 times and time each update."""
    comparison = TrilateralComparison()
    keys = [*analysis.INDICATOR_LABELS, *analysis.OPINION_SERIES]
    picks = itertools.islice(itertools.cycle(keys[1:] + keys[:1]), CHANGES)
    changes: list[Callable[[], None]] = [
        functools.partial(setattr, comparison.indicator_picker, "value", key) for key in picks
    ]
    _report("TrilateralComparison", _measure(changes, lambda: comparison.table_view.value))

    timeline = TimelineExplorer()
    tags = [data.TAGS[i % len(data.TAGS)] for i in range(CHANGES)]
    tag_changes: list[Callable[[], None]] = [
        functools.partial(setattr, timeline.tag_picker, "value", tag) for tag in tags
    ]
    _report("TimelineExplorer", _measure(tag_changes, lambda: timeline.table_view.value))


if __name__ == "__main__":
    main()
