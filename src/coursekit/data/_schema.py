"""The course data schema: every file's columns, their kinds, vocabularies and allowed ranges.

This module is the single declaration the loaders, tests and docs read. It imports nothing
heavy, so ``coursekit.data`` stays cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "ACTORS",
    "CATEGORIES",
    "CONFIDENCE",
    "FORMATS",
    "INDICATORS",
    "LEVELS",
    "MEASURES",
    "MECHANISM_KINDS",
    "MINISTERIAL_LEVELS",
    "OPINION_RESPONDENTS",
    "PRECISIONS",
    "SCHEMAS",
    "STATUSES",
    "SURVEYS",
    "TAGS",
    "TONES",
    "TRILATERALS",
    "YEAR_MAX",
    "YEAR_MIN",
    "Column",
    "Kind",
    "TableSchema",
]

YEAR_MIN = 1945
"""The first year the course data covers."""
YEAR_MAX = date.today().year
"""The last year the course data can reach: the current year, read when the package is imported.

There is no fixed cap: the data run to the present. The validated upper bound is today's date
(see ``_validate.read_table``): a row dated after today is an error, because the data record only
what has already happened.
"""

TRILATERALS = (
    "US-JP-ROK",
    "CN-JP-ROK",
    "US-JP-AU",
    "QUAD",
    "US-JP-IN",
    "AUKUS",
    "US-JP-PH",
    "none",
)
"""Trilateral (or minilateral) groupings; ``none`` marks events outside any of them."""

CATEGORIES = (
    "treaty",
    "alliance",
    "summit",
    "ministerial",
    "crisis",
    "history-dispute",
    "history-settlement",
    "nuclear-test",
    "missile-test",
    "military-exercise",
    "institution",
    "intelligence-sharing",
    "economic",
    "diplomacy",
    "war",
    "occupation",
    "force-posture",
    "legal",
    "territorial",
    "commentary",
    "other",
)
TONES = ("cooperation", "friction", "neutral")
CONFIDENCE = ("high", "medium", "low")
PRECISIONS = ("day", "month", "year")
ACTORS = ("US", "JP", "KR", "CN", "KP", "AU", "IN", "PH", "UK", "RU", "UN")
"""Country codes used in ``events.actors`` (KP is North Korea, UN the United Nations)."""

TAGS = (
    # the article's nontraditional-security agenda
    "cyber",
    "pandemic",
    "climate",
    "critical-inputs",
    "ip-theft",
    "digital-economy",
    "ai",
    "health",
    "energy",
    "economic-security",
    # the traditional agenda and its frictions
    "north-korea",
    "china",
    "history",
    "territory",
    "intelligence",
    "deterrence",
    "democracy",
    "alliance",
    "trade",
    "nonproliferation",
    "maritime",
    "disaster-relief",
)
"""The controlled tag vocabulary: assignments match memo evidence to events by these tags."""

LEVELS = (
    "leaders",
    "foreign-ministers",
    "defense-ministers",
    "senior-officials",
    "other-ministers",
)
MINISTERIAL_LEVELS = ("foreign-ministers", "defense-ministers", "other-ministers")
"""Meeting levels that count toward the ``ministerial_meetings`` indicator."""
FORMATS = ("standalone", "sidelines", "virtual")
MECHANISM_KINDS = (
    "coordination-group",
    "organization",
    "secretariat",
    "intelligence-sharing",
    "dialogue",
    "summit-process",
    "security-partnership",
    "exercise-program",
)
STATUSES = ("active", "ended", "suspended", "lapsed")
SURVEYS = (
    "genron-eai",
    "pew",
    "jpri",
    "nikkei",
    "gallup-korea",
    "eai",
    "cabinet-office",
    "yomiuri-hankook",
)
"""Survey series; each asks its own question of its own sample, so never splice two together."""
OPINION_RESPONDENTS = ("KR", "JP", "CN")
MEASURES = (
    "good",
    "bad",
    "relations-bad",
    "relations-good",
    "favorable",
    "like",
    "friendly",
    "oppose-gsomia",
)

INDICATORS = (
    "leaders_meetings",
    "leaders_standalone",
    "leaders_sidelines",
    "leaders_virtual",
    "ministerial_meetings",
    "mechanisms_active",
    "exercises",
    "cooperation_events",
    "friction_events",
)
"""Indicator names in ``indicators()``, all derived by code from the other files."""

Kind = Literal[
    "id", "text", "date", "precision", "choice", "multi", "year", "percent", "url", "ref"
]


@dataclass(frozen=True)
class Column:
    """One CSV column: its kind, whether it may be empty, and its vocabulary or pattern."""

    name: str
    kind: Kind
    required: bool = True
    vocabulary: tuple[str, ...] = ()
    """Allowed values for ``choice`` and ``multi`` columns."""
    pattern: str = ""
    """Regular expression an ``id`` must match."""
    precision_column: str = ""
    """For ``date`` columns: the column holding that date's precision."""
    help: str = ""
    """What the column means, for error messages and the data appendix."""


@dataclass(frozen=True)
class TableSchema:
    """One data file: its name, columns and uniqueness key."""

    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names in file order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _source_columns() -> tuple[Column, ...]:
    return (
        Column("source", "text", help="who reports it: outlet, document, date"),
        Column("source_url", "url", required=False, help="a link to the source, if known"),
        Column("confidence", "choice", vocabulary=CONFIDENCE),
        Column("note", "text", required=False, help="caveats, disputed dates"),
    )


EVENTS = TableSchema(
    file="events.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=r"^(A\d{2}|B\d{2}|C\d{2}|E\d{3})$", help="A01, B07, C14, E001"),
        Column("date", "date", precision_column="date_precision"),
        Column("date_precision", "precision", vocabulary=PRECISIONS),
        Column("title", "text"),
        Column("actors", "multi", vocabulary=ACTORS),
        Column("trilateral", "choice", vocabulary=TRILATERALS),
        Column("category", "choice", vocabulary=CATEGORIES),
        Column("tone", "choice", vocabulary=TONES),
        Column("tags", "multi", vocabulary=TAGS),
        Column("description", "text"),
        *_source_columns(),
    ),
)

MEETINGS = TableSchema(
    file="meetings.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=r"^M\d{3}$", help="M001, M002, ..."),
        Column("trilateral", "choice", vocabulary=TRILATERALS[:-1]),
        Column("date", "date", precision_column="date_precision"),
        Column("date_precision", "precision", vocabulary=PRECISIONS),
        Column("level", "choice", vocabulary=LEVELS),
        Column("format", "choice", vocabulary=FORMATS),
        Column("place", "text"),
        Column("occasion", "text", required=False, help="the host event for sidelines meetings"),
        Column("event_id", "ref", required=False, help="an id in events.csv"),
        *_source_columns(),
    ),
)

MECHANISMS = TableSchema(
    file="mechanisms.csv",
    key=("id",),
    columns=(
        Column("id", "id", pattern=r"^K\d{2}$", help="K01, K02, ..."),
        Column("name", "text"),
        Column("trilateral", "choice", vocabulary=TRILATERALS),
        Column("kind", "choice", vocabulary=MECHANISM_KINDS),
        Column("start", "date", precision_column="start_precision"),
        Column("start_precision", "precision", vocabulary=PRECISIONS),
        Column("end", "date", required=False, precision_column="end_precision"),
        Column("end_precision", "precision", required=False, vocabulary=PRECISIONS),
        Column("status", "choice", vocabulary=STATUSES),
        Column("description", "text"),
        *_source_columns(),
    ),
)

OPINION = TableSchema(
    file="opinion.csv",
    key=("year", "survey", "respondents", "target", "measure"),
    columns=(
        Column("year", "year"),
        Column("survey", "choice", vocabulary=SURVEYS),
        Column("respondents", "choice", vocabulary=OPINION_RESPONDENTS),
        Column("target", "choice", vocabulary=OPINION_RESPONDENTS),
        Column("measure", "choice", vocabulary=MEASURES),
        Column("value", "percent", help="a percentage between 0 and 100"),
        Column("source", "text"),
        Column("confidence", "choice", vocabulary=CONFIDENCE),
        Column("note", "text", required=False),
    ),
)

SCHEMAS: dict[str, TableSchema] = {
    "events": EVENTS,
    "meetings": MEETINGS,
    "mechanisms": MECHANISMS,
    "opinion": OPINION,
}
"""Every data file's schema, by loader name."""
