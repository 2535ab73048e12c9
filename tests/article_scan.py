"""Find n-gram indexes and copies of the article in a file: what the artefact tests look for.

The package once shipped hashed overlapping five-word runs of the anchor article, from which
most of the article could be rebuilt. :func:`findings` reports, for one text:

* a list of hex digests (many distinct hex tokens), whatever text they hash;
* a list of overlapping word runs in clear (quoted strings or lines of 3-8 words where one
  run continues another by one word);
* with the instructor's copy of the article (:func:`load_article`): hex tokens that are
  hashes (SHA-256, SHA-1 or MD5, any prefix of 8 or more digits) of its 3- to 8-word runs,
  and the article's text itself beyond a short quotation.

A short quotation in quotation marks is allowed (the book quotes a sentence or two at a
time, and the article's 12-word title is its citation), so the clear-text rule bounds the
longest run of article words and the article words a file reproduces in runs of 12 or more.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_ARTICLE_WORDS",
    "MAX_CHAINED_RUNS",
    "MAX_HEX_TOKENS",
    "MAX_RUN",
    "ArticleIndex",
    "findings",
    "load_article",
    "words",
]

MAX_HEX_TOKENS = 50
"""More distinct hex digests than this in one file is a hashed list (the old index had 978)."""
MAX_CHAINED_RUNS = 25
"""More word runs that continue one another than this is a clear-text n-gram list."""
MAX_RUN = 40
"""The longest run of article words a file may hold: a long sentence, quoted."""
MAX_ARTICLE_WORDS = 80
"""Distinct article words a file may reproduce in runs of 12 or more (a few short quotations;
the article has about 1,100 words)."""
RUN = 12

_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8,128}(?![0-9A-Za-z])")
_WORD_RUN = r"([a-z0-9]+(?: [a-z0-9]+){2,7})"
_RUN_ITEM = re.compile(rf"""^\s*["']?{_WORD_RUN}["']?,?\s*$|["']{_WORD_RUN}["']""", re.M)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped (as the quotation checker compares them)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _NON_WORD.sub(" ", text).split() if w]


@dataclass(frozen=True)
class ArticleIndex:
    """What is needed to recognise the article: its 12-word runs and its run hashes."""

    runs: dict[str, int]
    """Each run of 12 article words -> where it starts in the article."""
    hash_prefixes: frozenset[str]


def load_article(path: Path) -> ArticleIndex:
    """Index the article text at ``path`` (the part after its last rule line, if any)."""
    text = path.read_text(encoding="utf-8")
    rules = list(re.finditer(r"^\s*-{10,}\s*$", text, re.M))
    if rules:
        text = text[rules[-1].end() :]
    found = words(text)
    runs = {" ".join(found[i : i + RUN]): i for i in range(len(found) - RUN + 1)}
    prefixes: set[str] = set()
    for n in range(3, 9):
        for i in range(len(found) - n + 1):
            run = " ".join(found[i : i + n]).encode()
            for algorithm in (hashlib.sha256, hashlib.sha1, hashlib.md5):
                prefixes.add(algorithm(run).hexdigest()[:8])
    return ArticleIndex(runs, frozenset(prefixes))


def _hex_tokens(text: str) -> set[str]:
    return {
        t.lower()
        for t in _HEX.findall(text)
        if re.search(r"[a-fA-F]", t) and re.search(r"[0-9]", t)
    }


def _chained_runs(text: str) -> int:
    items = {tuple((a or b).split()) for a, b in _RUN_ITEM.findall(text)}
    heads = {item[:-1] for item in items}
    return sum(1 for item in items if item[1:] in heads)


def _article_runs(text: str, article: ArticleIndex) -> tuple[int, int]:
    """(longest run of article words, distinct article words it holds in runs of 12 or more)."""
    found = words(text)
    longest = 0
    covered: set[int] = set()
    i = 0
    while i <= len(found) - RUN:
        if " ".join(found[i : i + RUN]) not in article.runs:
            i += 1
            continue
        j = i + RUN
        while j < len(found) and " ".join(found[j - RUN + 1 : j + 1]) in article.runs:
            j += 1
        longest = max(longest, j - i)
        for k in range(i, j - RUN + 1):
            start = article.runs[" ".join(found[k : k + RUN])]
            covered.update(range(start, start + RUN))
        i = j
    return longest, len(covered)


def findings(text: str, article: ArticleIndex | None = None) -> list[str]:
    """What in ``text`` looks like an n-gram index or a copy of the article (empty if none)."""
    found: list[str] = []
    tokens = _hex_tokens(text)
    if len(tokens) > MAX_HEX_TOKENS:
        found.append(f"{len(tokens)} distinct hex digests (a hashed list?)")
    chained = _chained_runs(text)
    if chained > MAX_CHAINED_RUNS:
        found.append(f"{chained} overlapping word runs in clear (an n-gram list?)")
    if article is not None:
        hashed = sum(1 for t in tokens if t[:8] in article.hash_prefixes)
        if hashed >= 3:
            found.append(f"{hashed} hashes of runs of the article's words")
        longest, covered = _article_runs(text, article)
        if longest > MAX_RUN or covered > MAX_ARTICLE_WORDS:
            found.append(
                f"the article's text: a run of {longest} words, {covered} words in runs of "
                f"{RUN} or more"
            )
    return found
