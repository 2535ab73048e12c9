"""Answer checkers for the course notebooks: layered, with messages that never give the answer.

Each checker looks at an answer in four layers (type, then shape, then contents, then
values), stops at the first problem and returns a :class:`CheckResult`. In an nbgrader test
cell, end with ``.assert_ok()``: a failure raises ``AssertionError`` with the message and
the cell earns no points; or end with :func:`partial` for partial credit. Visible tests
compare with :func:`fingerprint` hashes, so they help without showing the answer; hidden
tests may compare in clear. An answer still bound to ``...`` is reported as not answered;
``known_wrong=`` (from :func:`known_wrong`) turns a common mistake into its hint; messages
point into the book with :func:`see` (``"see 5.7 The 2018–2019 cascade: ..."``).

>>> from coursekit import checks
>>> checks.check_value(1965, name="year", kind="int").passed
True
"""

from __future__ import annotations

from coursekit.checks.evidence import check_evidence, find_event_ids, tags_of
from coursekit.checks.frames import check_frame, check_series, column_fingerprints
from coursekit.checks.hints import KnownWrongError, known_wrong
from coursekit.checks.kinds import Kind
from coursekit.checks.normalize import fingerprint, normalize
from coursekit.checks.quotes import check_quote, quote_sections
from coursekit.checks.results import CheckFailed, CheckResult, LayerResult, partial
from coursekit.checks.sections import SECTIONS, see
from coursekit.checks.structures import (
    check_dict,
    check_list,
    check_records,
    check_true,
    check_value,
)
from coursekit.checks.text import check_choice, check_text, has_term, word_count

__all__ = [
    "SECTIONS",
    "CheckFailed",
    "CheckResult",
    "Kind",
    "KnownWrongError",
    "LayerResult",
    "check_choice",
    "check_dict",
    "check_evidence",
    "check_frame",
    "check_list",
    "check_quote",
    "check_records",
    "check_series",
    "check_text",
    "check_true",
    "check_value",
    "column_fingerprints",
    "find_event_ids",
    "fingerprint",
    "has_term",
    "known_wrong",
    "normalize",
    "partial",
    "quote_sections",
    "see",
    "tags_of",
    "word_count",
]
