"""Every data row names a source a student can follow, and no field shows how the book was made.

The course cites official records (government releases, treaty texts, FRUS, UN documents),
established news organisations (by outlet and date) and scholarly works. ``BANNED`` lists the
kinds of site that are none of these, each with the reason; a source or link that matches any
pattern fails, naming the file, line and kind. The list is ours to maintain: add a site when a
review finds one, with a comment saying why.
"""

from __future__ import annotations

import csv
import re

import pytest

from coursekit.data._loaders import data_dir

FILES = ("events.csv", "meetings.csv", "mechanisms.csv", "opinion.csv")

# (kind, pattern). Patterns are matched case-insensitively against the source and source_url.
BANNED: tuple[tuple[str, str], ...] = (
    # Placeholders: not a source at all.
    ("placeholder", r"standard reference|general knowledge|not retrieved"),
    # Wikipedia and its mirrors: a tertiary, editable summary; cite what it cites instead.
    ("encyclopedia", r"wikipedia|wikiwand|\bwiki\b"),
    (
        "encyclopedia mirror",
        r"enacademic|en-academic|cryer\.org|owiki|wiki\.riteme|wikisum|piglix|dbpedia"
        r"|uncensored-wiki|osmarks|alchetron|everybodywiki|graphsearch\.epfl|encyclopedia mirror",
    ),
    # Message boards and forums: anonymous reposts, often altered.
    ("message board", r"frajer\.net|siliconinvestor|reddit\.com|quora\.com|5ch\.net|2ch\.net"),
    # Pirated-document and upload sites: copies of others' work without provenance.
    (
        "pirated-document site",
        r"docslib|123dok|123docz|issuhub|ebin\.pub|dokumen\.pub|pdfcoffee|pdfslide|doczz"
        r"|studyres|studylib|vdocuments|paperzz|taisachpdf|scribd\.com|bookreadfree|vampirenovels",
    ),
    # Exam-preparation sites: unsourced summaries written for cramming.
    (
        "exam-prep site",
        r"rajiasacademy|drishtiias|iasbaba|insightsonindia|byjus|testbook|jagranjosh|vajiram"
        r"|studyiq|helloscholar",
    ),
    # Aggregators, press-release wires and repost sites: cite the original outlet or release.
    (
        "aggregator or repost site",
        r"einpresswire|miragenews|menafn|newsbreak|devdiscourse|yahoo\.|msn\.com"
        r"|muscatinejournal|redorbit|fluoridealert|exbulletin|newsworld24|government-world"
        r"|nationaltribune\.com\.au|lapost\.us|fifthestate|stl\.news|caymanmama|c86news"
        r"|licht-journal|thefederalnewswire|world-today-news|bookbotanical|livedoor"
        r"|keyt\.com|giornaledibrescia|timesofislamabad|aboutcroatia|historysnacks|offbeaty"
        r"|centennial asia|geoindopacific|tag24|oneindia|newsx|republic ?world|byteseu"
        r"|japaneselovedolls|cryptontrade|shtepsell|dyhmedia|wowkorea|c114pro|efinder"
        r"|expertnews|arincen|indialive|uniteddaily|corruptionreporter|thebrazileye"
        r"|blueroofpolitics|jaunenglish|thequickflash|overviewpress|clashreport|korean-vibe"
        r"|newsmediafocus|test\.daily8|eir\.news",
    ),
    # AI-generated news pages: no reporter, no editor, names garbled.
    ("AI news page", r"hanna-ai|deepnewz|particle\.news|quickdigest|allthe\.news"),
    # State propaganda outlets and fringe media: wionews republishes wire copy with its own
    # framing; Sputnik, RT and Global Times are state propaganda; TASS appears in our reference
    # only as a relay of Korean and Japanese news, for which the original outlet is cited; the
    # Epoch Times is a partisan fringe outlet.
    (
        "propaganda or fringe outlet",
        r"sputnik|\brt\.com|globaltimes|global times|tass\.com|\btass\b|epoch ?times|wionews",
    ),
)

PRODUCTION = re.compile(
    r"facts\.md|facts-2024|not retrieved|(?<!joint )fact sheet|standard reference|sources consulted"
    r"|section [A-I]\b|\(facts|reference sheet",
    re.IGNORECASE,
)
"""Wording about how the book was made, which must never reach a reader.

A government's "joint fact sheet" is an official document and may be named.
"""

_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in BANNED)


def banned_kind(text: str) -> str | None:
    """The kind of banned site ``text`` cites, or None if it cites none."""
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return None


def _rows(file: str) -> list[tuple[int, dict[str, str]]]:
    with (data_dir() / file).open(newline="", encoding="utf-8") as f:
        return list(enumerate(csv.DictReader(f), start=2))


def _where(file: str, line: int, row: dict[str, str]) -> str:
    key = row.get("id") or ",".join(list(row.values())[:5])
    return f"{file}, line {line} ({key})"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Standard reference (not retrieved)", "placeholder"),
        ("Wikipedia 'Kono Statement'", "encyclopedia"),
        ("enacademic table", "encyclopedia mirror"),
        ("https://si.frajer.net/readmsg.aspx?msgid=5630004", "message board"),
        ("Thesis excerpt (123dok)", "pirated-document site"),
        ("rajiasacademy; owiki", "encyclopedia mirror"),
        ("US DoD statement via miragenews", "aggregator or repost site"),
        ("https://news.hanna-ai.com/en/article/x", "AI news page"),
        ("AFP; Donga; Sputnik", "propaganda or fringe outlet"),
        ("Reuters, 10 Aug 2012; MOFA Japan joint statement", None),
        ("Oberdorfer & Carlin, The Two Koreas (3rd ed., 2014), ch. 1", None),
        ("https://www.state.gov/second-united-states-japan", None),
    ],
)
def test_banned_kind_recognises_each_kind(text: str, kind: str | None) -> None:
    assert banned_kind(text) == kind


@pytest.mark.parametrize("file", FILES)
def test_every_row_names_a_source(file: str) -> None:
    empty = [_where(file, n, r) for n, r in _rows(file) if len((r["source"] or "").strip()) < 5]
    assert not empty, f"rows without a source: {empty}"


@pytest.mark.parametrize("file", FILES)
def test_no_source_is_a_banned_kind_of_site(file: str) -> None:
    bad = []
    for line, row in _rows(file):
        for field in ("source", "source_url"):
            kind = banned_kind(row.get(field) or "")
            if kind:
                bad.append(f"{_where(file, line, row)}: {field} cites a {kind}")
    assert not bad, "cite an official record, a named news outlet or a scholarly work:\n" + (
        "\n".join(bad)
    )


@pytest.mark.parametrize("file", FILES)
def test_no_field_shows_production_wording(file: str) -> None:
    bad = [
        f"{_where(file, line, row)}, column {column!r}: {match.group(0)!r}"
        for line, row in _rows(file)
        for column, value in row.items()
        if value and (match := PRODUCTION.search(value))
    ]
    assert not bad, "rewrite these for readers or drop them:\n" + "\n".join(bad)


def test_links_are_followable() -> None:
    bad = [
        f"{_where(file, line, row)}: {row['source_url']!r}"
        for file in FILES
        for line, row in _rows(file)
        if row.get("source_url") and not re.match(r"https?://[^\s/]+\.[^\s]+$", row["source_url"])
    ]
    assert not bad, "source_url must be a full http(s) link:\n" + "\n".join(bad)
