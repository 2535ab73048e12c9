"""Check a short quotation from the anchor article: its form anywhere, its wording when graded.

The article (Aum & Silverberg, *The National Interest*, 21 March 2021) is copyrighted, so
nothing of it ships with coursekit, not even hashes of its phrases. A student's checker
therefore looks only at the *form* of a quotation: a string of ``min_words`` to ``max_words``
words, one passage (no ellipsis), quotation marks balanced. The *wording* is checked when
the work is graded, in the process that runs the instructor's tests, against the copy of the
article that the instructor put in the course (``coursekit course init DIR --article FILE``):
the grader calls :func:`use_article` once before it runs any test.

Three modes, chosen by :func:`use_article`:

* never called (a student's notebook, ``nbgrader validate``): the form only;
* called with a file: the form, then the words must appear in a row in the article and,
  when the test asks, in the right part of it (:data:`SECTIONS`);
* called with ``None`` (or, as a safety net, never called while nbgrader autogrades):
  the check fails with :data:`ARTICLE_MISSING`, so a quotation scores nothing rather than
  being guessed at.

Words are compared in lower case with all punctuation dropped, so quotation marks, curly
apostrophes and dashes do not matter. :func:`read_article` explains how a file is split
into the article's parts.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.checks.kinds import kind_mismatch
from coursekit.checks.results import CheckResult, run_four_layers
from coursekit.errors import CoursekitError

__all__ = [
    "ARTICLE_MISSING",
    "ARTICLE_MISSING_NOTE",
    "MIN_WORDS",
    "SECTIONS",
    "Article",
    "ArticleError",
    "article_in_use",
    "check_quote",
    "parse_article",
    "quote_sections",
    "quote_words",
    "read_article",
    "use_article",
    "uses_quotes",
]

MIN_WORDS = 5
"""The fewest words a quotation may have."""

SECTIONS: tuple[str, ...] = (
    "opening",
    "recommendation 1",
    "recommendation 2",
    "recommendation 3",
    "conclusion",
)
"""The article's parts, in order; a test may ask that a quotation come from one of them."""

ARTICLE_MISSING = (
    "cannot be checked: the course has no copy of the article to compare quotations with, "
    "so this quotation scores nothing (the instructor adds the copy with "
    "`coursekit course init COURSE --article FILE` and grades again)"
)
"""Why a quotation fails when grading runs without the instructor's copy of the article."""

ARTICLE_MISSING_NOTE = (
    "quotations not checked: the course has no copy of the article, so the parts that check "
    "a quotation score nothing; add it with `coursekit course init COURSE --article FILE` "
    "and grade again"
)
"""The note a grading result carries when its assignment checks quotations and the course
has no copy of the article (in ``coursekit grade --json``, the report and the feedback)."""

_NON_WORD = re.compile(r"[^0-9a-z]+")
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]")
_MARKER = re.compile(r"^\s*\[\s*([a-z0-9 ]+?)\s*\]\s*$", re.IGNORECASE)
_RULE = re.compile(r"^\s*(-{10,}|={10,})\s*$")
_NUMBERED = re.compile(r"^\s*([1-9])\s*[).]\s")
_HEADING_WORDS = 8


def quote_words(text: str) -> list[str]:
    """The words of ``text`` as quotations are compared: lower case, punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _NON_WORD.sub(" ", text).split() if w]


class ArticleError(CoursekitError, ValueError):
    """The article file cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Article:
    """The article's words, each with the number of the part (:data:`SECTIONS`) it is in."""

    words: tuple[str, ...]
    parts: tuple[int, ...]

    def find(self, text: str) -> frozenset[str] | None:
        """The parts holding every word of ``text`` in a row; ``None`` when not found.

        An empty set means the words are in the article in a row but run across two parts.
        """
        wanted = quote_words(text)
        if not wanted:
            return None
        found: set[str] = set()
        hit = False
        n = len(wanted)
        first = wanted[0]
        for i, word in enumerate(self.words[: len(self.words) - n + 1]):
            if word == first and list(self.words[i : i + n]) == wanted:
                hit = True
                spanned = set(self.parts[i : i + n])
                if len(spanned) == 1:
                    found.add(SECTIONS[spanned.pop()])
        return frozenset(found) if hit else None


def _paragraphs(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    return out


def _is_heading(paragraph: str) -> bool:
    text = paragraph.strip()
    return 0 < len(text.split()) <= _HEADING_WORDS and text[-1] not in ".?!:;,\"”'’)"


def _split_marked(lines: Sequence[str], where: str) -> list[tuple[int, str]] | None:
    """(part, text) pieces when the file marks its parts with ``[name]`` lines, else None."""
    pieces: list[tuple[int, str]] = []
    part: int | None = None
    marked = False
    for number, line in enumerate(lines, start=1):
        match = _MARKER.match(line)
        if match is None:
            if part is not None and part >= 0:
                pieces.append((part, line))
            continue
        name = " ".join(match.group(1).lower().split())
        if name == "skip":
            part = -1
        elif name in SECTIONS:
            part = SECTIONS.index(name)
        else:
            raise ArticleError(
                f"{where}, line {number}: unknown part [{name}]; use one of "
                + ", ".join(f"[{s}]" for s in (*SECTIONS, "skip"))
            )
        marked = True
    return pieces if marked else None


def _split_auto(lines: Sequence[str], where: str) -> list[tuple[int, str]]:
    rules = [i for i, line in enumerate(lines) if _RULE.match(line)]
    if rules:
        lines = lines[rules[-1] + 1 :]
    paragraphs = _paragraphs(lines)
    starts: list[int] = []
    for number in (1, 2, 3):
        after = starts[-1] + 1 if starts else 0
        at = next(
            (
                i
                for i, p in enumerate(paragraphs[after:], start=after)
                if (m := _NUMBERED.match(p)) and m.group(1) == str(number)
            ),
            None,
        )
        if at is None:
            raise ArticleError(
                f"{where}: cannot find the article's recommendation {number} (a paragraph "
                f'starting "{number})"); mark the parts yourself with lines '
                + ", ".join(f"[{s}]" for s in SECTIONS)
                + " before each part"
            )
        starts.append(at)
    conclusion = next(
        (i for i in range(starts[2] + 1, len(paragraphs)) if _is_heading(paragraphs[i])),
        len(paragraphs),
    )
    bounds = [0, *starts, conclusion, len(paragraphs)]
    return [
        (part, paragraph)
        for part in range(len(SECTIONS))
        for paragraph in paragraphs[bounds[part] : bounds[part + 1]]
    ]


def parse_article(text: str, *, where: str = "the article") -> Article:
    """Split the article's ``text`` into its parts (see :func:`read_article`)."""
    lines = text.splitlines()
    pieces = _split_marked(lines, where)
    if pieces is None:
        pieces = _split_auto(lines, where)
    words: list[str] = []
    parts: list[int] = []
    for part, piece in pieces:
        found = quote_words(piece)
        words += found
        parts += [part] * len(found)
    if len(words) < 100:
        raise ArticleError(
            f"{where}: only {len(words)} words of article text; is this the article?"
        )
    return Article(tuple(words), tuple(parts))


def read_article(path: Path | str) -> Article:
    """Read the instructor's copy of the article (plain UTF-8 text) from ``path``.

    The parts (:data:`SECTIONS`) are found in one of two ways:

    * marked: a line ``[opening]``, ``[recommendation 1]``, ``[recommendation 2]``,
      ``[recommendation 3]`` or ``[conclusion]`` starts each part, and ``[skip]`` starts
      text to leave out (an author note, a caption); text before the first marker is left out;
    * found: with no marker, the text after the last rule line (ten or more ``-`` or ``=``)
      is read as paragraphs; the paragraphs starting ``1)``, ``2)`` and ``3)`` start the
      recommendations, everything before the first is the opening, and the first short
      heading after the third starts the conclusion.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read the article ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text; save the article as plain text") from exc
    return parse_article(text, where=str(path))


@dataclass(frozen=True)
class _Use:
    article: Article | None


_IN_USE: _Use | None = None


def use_article(path: Path | str | None) -> Article | None:
    """Check quotations against the article at ``path`` from now on in this process.

    The grader's test-running process calls this once before any test runs: with the
    course's copy of the article, or with ``None`` when the course has none (quotations
    then fail with :data:`ARTICLE_MISSING`). Raises :class:`ArticleError` for a file that
    cannot be used. Returns the article read.
    """
    global _IN_USE
    article = read_article(path) if path is not None else None
    _IN_USE = _Use(article)
    return article


def article_in_use() -> Article | None:
    """The article that :func:`use_article` loaded, or ``None``."""
    return _IN_USE.article if _IN_USE is not None else None


def _grading_without_article() -> bool:
    if _IN_USE is not None:
        return _IN_USE.article is None
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def quote_sections(text: str, article: Article | None = None) -> frozenset[str] | None:
    """The article parts holding every word of ``text`` in a row; ``None`` if not found.

    Uses ``article`` or the one :func:`use_article` loaded; raises :class:`ArticleError`
    when there is neither.
    """
    table = article if article is not None else article_in_use()
    if table is None:
        raise ArticleError(f"no article loaded: quotations {ARTICLE_MISSING}")
    return table.find(text)


def uses_quotes(notebook: Any) -> bool:
    """Whether any code cell of ``notebook`` (an nbformat notebook) calls ``check_quote``."""
    return any(
        cell.get("cell_type") == "code" and "check_quote" in str(cell.get("source", ""))
        for cell in notebook.get("cells", [])
    )


def _balanced(text: str) -> bool:
    straight = text.count('"') % 2 == 0
    return straight and text.count("“") == text.count("”")


def check_quote(
    answer: Any,
    *,
    name: str = "quote",
    section: str | None = None,
    min_words: int = MIN_WORDS,
    max_words: int = 30,
    article: Article | None = None,
    points: float = 1.0,
    hint: str | None = None,
    known_wrong: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a quotation from the article: text, length, one passage, then its wording.

    The quotation must be a ``str`` of ``min_words`` to ``max_words`` words in a row, with
    no ellipsis and balanced quotation marks. Its wording is checked only against
    ``article`` or the one loaded by :func:`use_article` (see the module docstring): it must
    appear word for word and, if ``section`` is given, in that part.
    """
    if section is not None and section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; choose from {SECTIONS}")
    if min_words < MIN_WORDS:
        raise ValueError(f"min_words must be at least {MIN_WORDS}")
    against = article if article is not None else article_in_use()
    missing = article is None and _grading_without_article()

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
        if _ELLIPSIS.search(answer):
            yield f"{name} leaves words out (an ellipsis); quote one passage, word for word"
        if not _balanced(answer):
            yield f"{name} has an unmatched quotation mark; quote one passage, word for word"

    def values_layer() -> Iterator[str]:
        if missing:
            yield f"{name} {ARTICLE_MISSING}"
            return
        if against is None:
            return
        where = against.find(answer)
        if where is None:
            yield (
                f"{name} is not found word for word in the article; copy the words exactly "
                "(capitals and punctuation do not matter) and do not join separate passages"
            )
        elif section is not None and section not in where:
            yield f"{name} is from the article, but not from the part this answer is about"

    return run_four_layers(
        name,
        type_layer,
        shape_layer,
        contents_layer,
        values_layer if missing or against is not None else None,
        points=points,
        hint=hint,
        answer=answer,
        known_wrong=known_wrong,
        ordered=True,
        values_are_answer=False,
    )
