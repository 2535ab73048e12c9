"""Check that a short quotation comes from the anchor article, without shipping its text.

The article (Aum & Silverberg, *The National Interest*, 21 March 2021) is copyrighted, so the
package holds only an index: for every run of five words in the article, the first 12 hex
digits of its SHA-256, with the sections it occurs in (see :data:`SECTIONS`). A quotation
is found when every run of five of its words is in the index. Words are compared in
lower case with all punctuation dropped, so quotation marks, curly apostrophes and dashes
do not matter. The index is built by :func:`build_index` from the article text, which an
instructor with a copy of the article can rerun.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from coursekit.checks.kinds import kind_mismatch
from coursekit.checks.results import CheckResult, run_four_layers

__all__ = [
    "SECTIONS",
    "SHINGLE",
    "build_index",
    "check_quote",
    "quote_sections",
    "quote_words",
]

SHINGLE = 5
"""Words per indexed run."""

SECTIONS: tuple[str, ...] = (
    "opening",
    "recommendation 1",
    "recommendation 2",
    "recommendation 3",
    "conclusion",
)
"""The article's parts, in order: the index records which part each run comes from."""

_NON_WORD = re.compile(r"[^0-9a-z]+")


def quote_words(text: str) -> list[str]:
    """The words of ``text`` as the index sees them: lower case, punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _NON_WORD.sub(" ", text).split() if w]


def _keys(words: Sequence[str]) -> Iterator[str]:
    for i in range(len(words) - SHINGLE + 1):
        run = " ".join(words[i : i + SHINGLE])
        yield hashlib.sha256(run.encode("utf-8")).hexdigest()[:12]


def build_index(sections: Sequence[str]) -> dict[str, int]:
    """Map each five-word run of the given section texts to a bit mask of its sections.

    To rebuild :mod:`coursekit.checks._article_index` from a copy of the article, split
    its body into the parts named in :data:`SECTIONS` and write the result of this
    function there.
    """
    index: dict[str, int] = {}
    for number, text in enumerate(sections):
        for key in _keys(quote_words(text)):
            index[key] = index.get(key, 0) | (1 << number)
    return index


def _default_index() -> Mapping[str, int]:
    from coursekit.checks._article_index import INDEX

    return INDEX


def quote_sections(text: str, index: Mapping[str, int] | None = None) -> frozenset[str] | None:
    """The article sections holding every five-word run of ``text``; ``None`` if not found.

    An empty set means the words are in the article but spread over different sections.
    """
    table = _default_index() if index is None else index
    keys = list(_keys(quote_words(text)))
    if not keys or any(k not in table for k in keys):
        return None
    mask = (1 << len(SECTIONS)) - 1
    for k in keys:
        mask &= table[k]
    return frozenset(name for i, name in enumerate(SECTIONS) if mask & (1 << i))


def check_quote(
    answer: Any,
    *,
    name: str = "quote",
    section: str | None = None,
    min_words: int = SHINGLE,
    max_words: int = 30,
    index: Mapping[str, int] | None = None,
    points: float = 1.0,
    hint: str | None = None,
) -> CheckResult:
    """Check a quotation from the article: text, length, found in the article, right part.

    The quotation must be a ``str`` of ``min_words`` to ``max_words`` words found word for
    word in the article and, if ``section`` is given, taken from that section.
    """
    if section is not None and section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; choose from {SECTIONS}")
    if min_words < SHINGLE:
        raise ValueError(f"min_words must be at least {SHINGLE}")
    found: list[frozenset[str]] = []

    def type_layer() -> Iterator[str]:
        problem = kind_mismatch(answer, "str", name)
        if problem:
            yield problem

    def shape_layer() -> Iterator[str]:
        n = len(quote_words(answer))
        if n < min_words:
            yield f"{name} has {n} word(s); quote at least {min_words} words in a row"
        if n > max_words:
            yield f"{name} has {n} words; quote at most {max_words}"

    def contents_layer() -> Iterator[str]:
        where = quote_sections(answer, index)
        if where is None:
            yield (
                f"{name} is not found word for word in the article; copy the words exactly "
                "(capitals and punctuation do not matter) and do not join separate passages"
            )
        else:
            found.append(where)

    def values_layer() -> Iterator[str]:
        if section is not None and section not in found[0]:
            yield f"{name} is from the article, but not from the part this answer is about"

    return run_four_layers(
        name, type_layer, shape_layer, contents_layer, values_layer, points=points, hint=hint
    )
