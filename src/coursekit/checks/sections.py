"""The book's numbered sections, so a check message can send a student to the right one.

Every message or hint that points into the book says ``see <chapter>.<section> <Heading>``,
with the number and heading exactly as the built book shows them (parts are numbered
continuously; quotation marks curly, as Sphinx prints them). :data:`SECTIONS` is a small
checked-in copy of that numbering: the package never reads the book (students' installs do
not have it), and ``tests/book`` compares this mapping with the built book, so a renamed or
moved section fails a test, not a student.

>>> see("5.7")
'see 5.7 The 2018–2019 cascade: from courts to trade to security'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

__all__ = ["SECTIONS", "SEE", "SectionRef", "references", "see"]

_SECTIONS: dict[str, str] = {
    # 1: ch01_introduction.md
    "1.1": "Overview",
    "1.2": "Learning objectives",
    "1.3": "The trilateral question",
    "1.4": "The anchor article",
    "1.5": "Reading the article critically",
    "1.6": "How this book is organized",
    "1.7": "Notebooks, data and assignments",
    "1.8": "Check your understanding",
    "1.9": "Exercises",
    "1.10": "Further reading",
    # 2: ch02_occupation.md
    "2.1": "Overview",
    "2.2": "Learning objectives",
    "2.3": "Liberation and occupation, 1945–1948",
    "2.4": "The Korean War and Japan as a rear base, 1950–1953",
    "2.5": "The San Francisco settlement, 1951–1952",
    "2.6": "The US–ROK Mutual Defense Treaty, 1953–1954",
    "2.7": "Revising the US–Japan treaty: the Anpo crisis of 1960",
    "2.8": "Why hub-and-spokes?",
    "2.9": "Events in this chapter",
    "2.10": "Check your understanding",
    "2.11": "Exercises",
    "2.12": "Further reading",
    # 3: ch03_normalization.md
    "3.1": "Overview",
    "3.2": "Learning objectives",
    "3.3": "The long road to normalization, 1951–1965",
    "3.4": "The Nixon Doctrine and the Korea clause, 1969–1972",
    "3.5": "Détente and crisis, 1972–1974",
    "3.6": "Carter’s withdrawal plan, 1977–1979",
    "3.7": "The 1980s: aid, textbooks and summitry",
    "3.8": "Democratization, the Olympics and the end of the Cold War, 1985–1989",
    "3.9": "Explaining the pattern: the quasi-alliance model",
    "3.10": "Events in this chapter",
    "3.11": "Check your understanding",
    "3.12": "Exercises",
    "3.13": "Further reading",
    # 4: ch04_nuclear_crises.md
    "4.1": "Overview",
    "4.2": "Learning objectives",
    "4.3": "The first nuclear crisis and the Agreed Framework, 1993–1994",
    "4.4": "KEDO: the first trilateral institution, 1995",
    "4.5": "Redefining the US–Japan alliance: the 1997 Guidelines",
    "4.6": "1998: shock and partnership",
    "4.7": "2002: abductions and uranium",
    "4.8": "The Six-Party Talks, 2003–2008",
    "4.9": "What the period built, and what it did not",
    "4.10": "Events in this chapter",
    "4.11": "Check your understanding",
    "4.12": "Exercises",
    "4.13": "Further reading",
    # 5: ch05_history_identity.md
    "5.1": "Overview",
    "5.2": "Learning objectives",
    "5.3": "The baseline: a settlement that was not a reconciliation",
    "5.4": "From textbooks to apologies, 1982–1998",
    "5.5": "The 2000s: co-hosts and rivals, 1998–2012",
    "5.6": "2013–2016: a deal made and shelved",
    "5.7": "The 2018–2019 cascade: from courts to trade to security",
    "5.8": "What the public thinks: reading the opinion data",
    "5.9": "Four lenses on a recurring dispute",
    "5.10": "Is the United States outside the history debate?",
    "5.11": "Check your understanding",
    "5.12": "Exercises",
    "5.13": "Further reading",
    # 6: ch06_comparing_trilaterals.md
    "6.1": "Overview",
    "6.2": "Learning objectives",
    "6.3": "What does it mean to compare trilaterals?",
    "6.4": "The US–Japan–ROK triangle: deep but episodic",
    "6.5": "China–Japan–ROK: institutionalised but fragile",
    "6.6": "Other minilaterals in the comparison",
    "6.7": "Exploring the comparison yourself",
    "6.8": "Counting summits: a lesson in definitions",
    "6.9": "Explaining the differences",
    "6.10": "Check your understanding",
    "6.11": "Exercises",
    "6.12": "Further reading",
    # 7: ch07_objectives.md
    "7.1": "Overview",
    "7.2": "Learning objectives",
    "7.3": "The North Korean threat as common ground",
    "7.4": "From shared threat to shared machinery",
    "7.5": "Agreeing on a threat is not agreeing on a strategy",
    "7.6": "Summitry and the fear of being left out, 2018–2019",
    "7.7": "Japan’s security debate: two voices",
    "7.8": "China: the disputed objective",
    "7.9": "Is “anti-China” the right frame?",
    "7.10": "The triangle seen from Seoul’s two camps and from Beijing",
    "7.11": "Weighing the two objectives",
    "7.12": "Check your understanding",
    "7.13": "Exercises",
    "7.14": "Further reading",
    # 8: ch08_uncertainties.md
    "8.1": "Overview",
    "8.2": "Learning objectives",
    "8.3": "The recommendation and the baseline",
    "8.4": "Uncertainty 1: will allies welcome America back?",
    "8.5": "Uncertainty 2: domestic politics in Seoul and Tokyo",
    "8.6": "Uncertainty 3: a pandemic recession and a leadership contest",
    "8.7": "Reasoning about uncertainty in policy analysis",
    "8.8": "Is “recognise uncertainties” a recommendation?",
    "8.9": "Check your understanding",
    "8.10": "Exercises",
    "8.11": "Further reading",
    # 9: ch09_liberal_internationalism.md
    "9.1": "Overview",
    "9.2": "Learning objectives",
    "9.3": "What the article recommends",
    "9.4": "The liberal order as it was built in Northeast Asia",
    "9.5": "Postwar successes as a shared story",
    "9.6": "Testing the proposal: the G7 in 2021 and the democracy summits",
    "9.7": "Critiques of the recommendation",
    "9.8": "Check your understanding",
    "9.9": "Exercises",
    "9.10": "Further reading",
    # 10: ch10_nontraditional_security.md
    "10.1": "Overview",
    "10.2": "Learning objectives",
    "10.3": "What the article proposes",
    "10.4": "Why nontraditional issues look like easier ground",
    "10.5": "Cyber",
    "10.6": "Pandemics and health",
    "10.7": "Climate and energy",
    "10.8": "Critical inputs and economic coercion",
    "10.9": "Intellectual property, AI and the rules of the digital economy",
    "10.10": "Assessing the recommendation",
    "10.11": "From analysis to a policy memo",
    "10.12": "Check your understanding",
    "10.13": "Exercises",
    "10.14": "Further reading",
    # 11: ch11_after_the_article.md
    "11.1": "Overview",
    "11.2": "Learning objectives",
    "11.3": "The 2022 election and a new government in Seoul",
    "11.4": "The compensation plan and the end of the 2019 crisis",
    "11.5": "From Hiroshima to Camp David",
    "11.6": "Making it operational: data, exercises and a secretariat",
    "11.7": "Seoul’s crisis: martial law, impeachment and a new president",
    "11.8": "Lee Jae-myung’s Japan policy: shuttle diplomacy and unfinished history",
    "11.9": "Tokyo’s turn: Ishiba, Takaichi and China’s pressure",
    "11.10": "Trump’s second term: tariffs, investment and burden-sharing",
    "11.11": "The trilateral track, 2025 to early 2026",
    "11.12": "Public opinion, 2020–2025",
    "11.13": "How the article held up: a re-scored scorecard",
    "11.14": "Check your understanding",
    "11.15": "Exercises",
    "11.16": "Further reading",
}

SECTIONS: Mapping[str, str] = MappingProxyType(_SECTIONS)
"""Section number (``"5.7"``) -> its heading, as the built book numbers and titles it."""

SEE = re.compile(r"\bsee (\d+\.\d+) ")
"""The start of a reference in a message: ``see`` and a section number, then the heading."""


def see(number: str) -> str:
    """``"see N.M Heading"`` for section ``number`` (e.g. ``"5.7"``), to end a message with.

    Raises ``KeyError`` naming the nearest numbers when the book has no such section.
    """
    try:
        return f"see {number} {_SECTIONS[number]}"
    except KeyError:
        chapter = number.split(".")[0]
        known = [n for n in _SECTIONS if n.split(".")[0] == chapter]
        raise KeyError(
            f"the book has no section {number!r}; "
            + (f"chapter {chapter} has {known[0]} to {known[-1]}" if known else "no such chapter")
            + " (coursekit.checks.sections.SECTIONS lists them)"
        ) from None


class SectionRef(tuple[str, str]):
    """One ``see N.M ...`` found in a text: the number and the text that follows it."""

    __slots__ = ()

    @property
    def number(self) -> str:
        """The section number as written (``"5.7"``)."""
        return self[0]

    @property
    def rest(self) -> str:
        """The text after the number (the heading should start it)."""
        return self[1]

    def heading_ok(self, sections: Mapping[str, str] = SECTIONS) -> bool:
        """Whether the text after the number starts with that section's heading.

        Exactly, except that straight and curly quotation marks count as the same (the
        book prints ``Carter's`` as ``Carter’s``; a message may be typed either way).
        """
        heading = sections.get(self.number)
        return heading is not None and _plain(self.rest).startswith(_plain(heading))


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _plain(text: str) -> str:
    return text.translate(_QUOTES)


def references(text: str) -> Iterator[SectionRef]:
    """Every ``see N.M Heading`` reference in ``text``, in order."""
    for match in SEE.finditer(text):
        yield SectionRef((match.group(1), text[match.end() :]))
