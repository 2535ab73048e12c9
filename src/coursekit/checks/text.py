"""Checkers for short text answers: word limits, required terms, and choices from a list.

Terms match at the start of a word, ignoring case, spacing and dash style, so the term
``"deter"`` is found in "Deterrence". A required entry may be a group of alternatives:
``("North Korea", "DPRK")`` is satisfied by either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from coursekit.checks.kinds import kind_mismatch
from coursekit.checks.normalize import normalize_text
from coursekit.checks.results import CheckResult, run_layers
from coursekit.checks.structures import check_value

__all__ = ["Term", "check_choice", "check_text", "has_term", "word_count"]

Term = str | Sequence[str]
"""A required term, or a group of alternative terms of which one must appear."""

_WORD = re.compile(r"[^\W_]+(?:['’\-\u2010-\u2015][^\W_]+)*")
_PLACEHOLDERS = ("your answer here", "write your answer", "todo", "...")


def word_count(text: str) -> int:
    """The number of words in ``text`` (hyphenated words and contractions count once)."""
    return len(_WORD.findall(text))


def has_term(text: str, term: str) -> bool:
    """Whether ``term`` starts a word (or run of words) somewhere in ``text``."""
    pattern = r"(?<![^\W_])" + re.escape(normalize_text(term))
    return re.search(pattern, normalize_text(text)) is not None


def _alternatives(term: Term) -> tuple[str, ...]:
    return (term,) if isinstance(term, str) else tuple(term)


def check_text(
    answer: Any,
    *,
    name: str = "answer",
    min_words: int | None = None,
    max_words: int | None = None,
    required_terms: Sequence[Term] = (),
    forbidden_terms: Sequence[str] = (),
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a short text: it is a ``str``, within the word limits, with the required terms.

    The values layer is not used: what the text argues is for a person to grade.
    """
    if min_words is not None and max_words is not None and min_words > max_words:
        raise ValueError(f"min_words={min_words} is more than max_words={max_words}")

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, "str", name)
        if problem:
            yield problem

    def shape_layer() -> Iterator[str]:
        n = word_count(answer)
        if normalize_text(answer) in _PLACEHOLDERS or n == 0:
            yield f"{name} is still empty: write your own answer between the quotes"
            return
        if min_words is not None and n < min_words:
            yield f"{name} has {n} word(s); write at least {min_words}"
        if max_words is not None and n > max_words:
            yield f"{name} has {n} words; cut it to at most {max_words}"

    def contents_layer() -> Iterator[str]:
        absent = [
            " or ".join(repr(t) for t in _alternatives(term))
            for term in required_terms
            if not any(has_term(answer, t) for t in _alternatives(term))
        ]
        if absent:
            yield f"{name} should mention {'; '.join(absent)}"
        present = [t for t in forbidden_terms if has_term(answer, t)]
        if present:
            yield f"{name} should not use {', '.join(map(repr, present))}"

    return run_layers(
        name,
        [("type", type_layer), ("shape", shape_layer), ("contents", contents_layer)],
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        pending="what it argues is read when your work is graded",
    )


def check_choice(
    answer: Any,
    *,
    name: str = "answer",
    options: Sequence[str],
    expected: str | None = None,
    expected_hash: str | None = None,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a label picked from ``options`` (ignoring case and spacing), then that it is right."""
    return check_value(
        answer,
        name=name,
        kind="str",
        allowed=options,
        expected=expected,
        expected_hash=expected_hash,
        points=points,
        hint=hint,
        known_wrong=known_wrong,
    )
