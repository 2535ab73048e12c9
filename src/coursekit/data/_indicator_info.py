"""What each derived indicator counts, in what unit, and which total of it a reader may quote.

A *flow* counts things that happen in a year (meetings held, exercises run): adding the years
of a range gives a real total ("10 meetings, 1995-2024"). A *stock* counts things that exist
in a year (mechanisms active): adding years counts each mechanism once per year it ran
(mechanism-years), which nobody means by "how many mechanisms". A stock is summed up by its
value in the last year of the range and its peak instead. The book, the static chart and the
widget all read these rules from here, so the three cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._schema import INDICATORS

__all__ = ["INDICATOR_INFO", "IndicatorInfo"]


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator's label, unit and kind (which decides how a range of years is totalled)."""

    name: str
    label: str
    """Readable name, e.g. "Leaders' meetings (any format)"."""
    unit: str
    """What one unit of the value is, plural: "meetings", "mechanisms", "events"."""
    kind: Literal["flow", "stock"]
    """``flow``: happens in a year, sums over years; ``stock``: exists in a year, never summed."""
    verb: str
    """How a unit belongs to a year: meetings are "held", mechanisms "active"."""

    @property
    def per_year(self) -> str:
        """The value's meaning in one year, for axis titles: "Meetings held in the year"."""
        return f"{self.unit.capitalize()} {self.verb} in the year"

    @property
    def summable(self) -> bool:
        """Whether adding the years of a range gives a count a reader may quote."""
        return self.kind == "flow"


_INFO = (
    IndicatorInfo("leaders_meetings", "Leaders' meetings (any format)", "meetings", "flow", "held"),
    IndicatorInfo("leaders_standalone", "Standalone leaders' summits", "summits", "flow", "held"),
    IndicatorInfo(
        "leaders_sidelines", "Leaders' meetings on the sidelines", "meetings", "flow", "held"
    ),
    IndicatorInfo("leaders_virtual", "Virtual leaders' meetings", "meetings", "flow", "held"),
    IndicatorInfo("ministerial_meetings", "Ministerial meetings", "meetings", "flow", "held"),
    IndicatorInfo("mechanisms_active", "Active mechanisms", "mechanisms", "stock", "active"),
    IndicatorInfo("exercises", "Trilateral military exercises", "exercises", "flow", "held"),
    IndicatorInfo("cooperation_events", "Cooperation events", "events", "flow", "recorded"),
    IndicatorInfo("friction_events", "Friction events", "events", "flow", "recorded"),
)

INDICATOR_INFO: dict[str, IndicatorInfo] = {info.name: info for info in _INFO}
"""Every indicator in ``coursekit.data.indicators()``, in the order of ``INDICATORS``."""

if tuple(INDICATOR_INFO) != INDICATORS:  # pragma: no cover - a schema edit without an entry here
    raise RuntimeError("INDICATOR_INFO must describe every name in INDICATORS, in order")
