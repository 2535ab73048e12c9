"""No built book page carries an n-gram index of any text, or more than short quotations."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.article_scan import findings
from tests.test_article_leaks import reference

pytestmark = pytest.mark.slow


# The saved state of the page's live widgets: model ids are random hex strings, not a hashed
# index of any text (a page with several widgets holds dozens of them).
WIDGET_STATE = re.compile(
    r"<script type=\"application/vnd\.jupyter\.widget-(?:state|view)\+json\">.*?</script>", re.S
)


def as_text(page: Path) -> str:
    """The page's text with tags dropped and entities decoded (and its raw HTML after it)."""
    raw = WIDGET_STATE.sub(" ", page.read_text(encoding="utf-8"))
    return html.unescape(re.sub(r"<[^>]+>", " ", raw)) + "\n" + raw


def test_built_pages_carry_no_index_or_the_article(built_book: Path) -> None:
    article = reference()
    pages = sorted(built_book.rglob("*.html"))
    assert len(pages) > 10, "the book was built"
    problems = {
        str(page.relative_to(built_book)): found
        for page in pages
        if (found := findings(as_text(page), article))
    }
    assert problems == {}
