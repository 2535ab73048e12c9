"""The section registry: ``checks.see`` and finding ``see N.M Heading`` in a message."""

from __future__ import annotations

import pytest

from coursekit import checks
from coursekit.checks.sections import SECTIONS, references


def test_see_gives_number_and_heading() -> None:
    assert checks.see("5.7") == "see 5.7 The 2018–2019 cascade: from courts to trade to security"
    assert checks.see("3.9") == "see 3.9 Explaining the pattern: the quasi-alliance model"


def test_see_refuses_a_section_the_book_does_not_have() -> None:
    with pytest.raises(KeyError, match=r"no section '5\.99'; chapter 5 has 5\.1 to 5\.13"):
        checks.see("5.99")
    with pytest.raises(KeyError, match="no such chapter"):
        checks.see("42.1")


def test_registry_numbers_sections_in_order_without_gaps() -> None:
    by_chapter: dict[int, list[int]] = {}
    for number in SECTIONS:
        chapter, section = (int(n) for n in number.split("."))
        by_chapter.setdefault(chapter, []).append(section)
    assert sorted(by_chapter) == list(range(1, 12))
    for sections in by_chapter.values():
        assert sections == list(range(1, len(sections) + 1))


def test_references_are_found_and_their_headings_compared() -> None:
    text = (
        "not yet: see 5.7 The 2018–2019 cascade: from courts to trade to security. "
        "Also see 4.3 The first nuclear crisis. And see 9.99 Nothing."
    )
    found = list(references(text))
    assert [ref.number for ref in found] == ["5.7", "4.3", "9.99"]
    assert [ref.heading_ok() for ref in found] == [True, False, False]


def test_straight_and_curly_quotes_count_as_the_same_heading() -> None:
    assert SECTIONS["3.6"] == "Carter’s withdrawal plan, 1977–1979"
    [ref] = references("see 3.6 Carter's withdrawal plan, 1977–1979")
    assert ref.heading_ok()
    [ref] = references("see 3.6 Carters withdrawal plan, 1977–1979")
    assert not ref.heading_ok()
