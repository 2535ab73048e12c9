"""Originality flags: written answers that share long passages with another text.

Each text is cut into *shingles*, every run of ``n`` words in a row (lower-cased, punctuation
dropped). An answer is flagged against a source when at least ``threshold`` of its shingles
occur in that source; the flag shows the shared passages side by side. Shingles that occur
in the question itself are ignored (quoting the prompt is not copying). Everything is
computed in memory when the report is made and thrown away: no index of any text is kept.
Flags are for a person to read, never a penalty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Flag", "Passage", "Text", "flag_answers", "prose"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")


@dataclass(frozen=True)
class Text:
    """A text cut into words, each with where it is in the original."""

    label: str
    original: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @staticmethod
    def of(label: str, original: str) -> Text:
        """Cut ``original`` into lower-cased words."""
        found = list(_WORD.finditer(original))
        return Text(
            label,
            original,
            tuple(m.group(0).lower().replace("’", "'") for m in found),
            tuple(m.span() for m in found),
        )

    def shingles(self, n: int) -> dict[tuple[str, ...], int]:
        """Each run of ``n`` words -> where it first starts (word index)."""
        out: dict[tuple[str, ...], int] = {}
        for i in range(len(self.words) - n + 1):
            out.setdefault(self.words[i : i + n], i)
        return out

    def passage(self, start: int, end: int) -> str:
        """The original text of words ``start`` to ``end`` (exclusive)."""
        return self.original[self.spans[start][0] : self.spans[end - 1][1]]


@dataclass(frozen=True)
class Passage:
    """A shared passage: the answer's words and the source's, side by side."""

    answer: str
    source: str
    words: int


@dataclass(frozen=True)
class Flag:
    """An answer sharing long passages with one source."""

    answer: str
    """Whose answer (a student id in the instructor's report)."""
    source: str
    """``model answer``, ``book: <file>`` or ``answer of <student>``."""
    share: float
    """Share of the answer's shingles found in the source."""
    passages: tuple[Passage, ...]


def prose(markdown: str) -> str:
    """The prose of a MyST/Markdown page: no front matter, code blocks or roles."""
    text = _FRONT.sub("", markdown)
    text = _FENCE.sub(" ", text)
    return _ROLE.sub(" ", text)


def _passages(answer: Text, source: Text, shared: set[tuple[str, ...]], n: int) -> list[Passage]:
    """Maximal runs of shared shingles in ``answer``, each with its place in ``source``."""
    where = source.shingles(n)
    out: list[Passage] = []
    i = 0
    while i <= len(answer.words) - n:
        if answer.words[i : i + n] not in shared:
            i += 1
            continue
        start = i
        src_start = where[answer.words[i : i + n]]
        length = n
        while (
            start + length < len(answer.words)
            and src_start + length < len(source.words)
            and answer.words[start + length] == source.words[src_start + length]
        ):
            length += 1
        out.append(
            Passage(
                answer.passage(start, start + length),
                source.passage(src_start, src_start + length),
                length,
            )
        )
        i = start + length
    return out


def flag_answers(
    answers: Mapping[str, str],
    *,
    sources: Iterable[tuple[str, str]],
    prompt: str = "",
    n: int = 8,
    threshold: float = 0.3,
) -> list[Flag]:
    """Flags for ``answers`` (who -> text) against ``sources`` and each other.

    ``sources`` are (label, text) pairs such as the model answer and the book's pages.
    """
    ignored = set(Text.of("prompt", prompt).shingles(n))
    texts = {who: Text.of(who, text) for who, text in answers.items()}
    own = {who: set(t.shingles(n)) - ignored for who, t in texts.items()}
    others = [(f"answer of {who}", texts[who], own[who]) for who in sorted(texts)]
    fixed = []
    for label, text in sources:
        cut = Text.of(label, text)
        fixed.append((label, cut, set(cut.shingles(n))))
    flags: list[Flag] = []
    pairs: set[frozenset[str]] = set()
    for who in sorted(texts):
        mine = own[who]
        if not mine:
            continue
        for label, source, theirs in [*fixed, *others]:
            if source is texts[who] or frozenset((who, source.label)) in pairs:
                continue  # a pair of students is shown once, from the first of the two
            shared = mine & theirs
            share = len(shared) / len(mine)
            if share >= threshold:
                passages = _passages(texts[who], source, shared, n)
                flags.append(Flag(who, label, share, tuple(passages)))
                if source.label in texts:
                    pairs.add(frozenset((who, source.label)))
    return flags
