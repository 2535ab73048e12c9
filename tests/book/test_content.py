"""The content suite: the house outline, citations, dates against the data, quotations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coursekit.analysis import format_date
from coursekit.data import events
from tests.book.conftest import toc_pages
from tests.conftest import REPO

BOOK = REPO / "book"
CHAPTERS = sorted(BOOK.glob("ch[0-9][0-9]_*.md"))
OUTLINE = (
    "Overview",
    "Learning objectives",
    "Check your understanding",
    "Exercises",
    "Further reading",
)
MONTHS = (
    "January February March April May June July August September October November December".split()
)
MONTH = "|".join(MONTHS)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})\b")
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})\b")
CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")
QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
OBJECTIVE_VERBS = set(
    "analyse analyze apply appraise argue assemble assess build calculate characterise "
    "characterize classify compare compute connect construct contrast critique debate define "
    "describe design differentiate discuss distinguish draft evaluate examine explain explore "
    "express formulate identify interpret investigate judge link list load locate map measure "
    "name navigate outline place predict propose question read recall recognize reconstruct "
    "relate situate sketch state summarise summarize test trace use weigh".split()
)


def prose(text: str) -> str:
    """The chapter's Markdown without front matter, code cells or directive options."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


def sections(text: str) -> list[str]:
    return re.findall(r"^## (.+?)\s*$", prose(text), flags=re.M)


def bib_files() -> list[Path]:
    """The bibliography files that book/_config.yml lists, in order."""
    config = (BOOK / "_config.yml").read_text()
    block = re.search(r"^bibtex_bibfiles:\n((?:  - .+\n)+)", config, flags=re.M)
    assert block, "book/_config.yml lists no bibtex_bibfiles"
    return [BOOK / line.strip()[2:] for line in block.group(1).splitlines()]


def bib_keys() -> set[str]:
    return {
        key for path in bib_files() for key in re.findall(r"@\w+\{([^,\s]+),", path.read_text())
    }


def test_no_citation_key_is_defined_twice() -> None:
    keys = [
        key for path in bib_files() for key in re.findall(r"@\w+\{([^,\s]+),", path.read_text())
    ]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    assert not twice, f"citation keys defined more than once across the .bib files: {twice}"


def test_the_toc_lists_every_page_once_and_numbers_the_chapters_without_a_gap() -> None:
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    excluded = {Path(pattern).stem for pattern in config["exclude_patterns"]}
    pages = sorted(p.stem for p in BOOK.glob("*.md") if p.stem not in excluded)
    listed = [name.removesuffix(".html") for name in toc_pages(BOOK)]
    assert sorted(listed) == pages, "every page in book/ is in _toc.yml once, and no other"
    chapters = [name[:4] for name in listed if re.match(r"ch\d\d_", name)]
    assert chapters == [f"ch{n:02d}" for n in range(1, len(chapters) + 1)], chapters


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_house_outline(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"({path.stem[:4]})=" in text, f"{path.name}: missing the chapter label"
    found = sections(text)
    positions = []
    for title in OUTLINE:
        assert title in found, f"{path.name}: no '## {title}' section"
        positions.append(found.index(title))
    assert positions[:2] == [0, 1], f"{path.name}: Overview and objectives come first"
    assert positions[2:] == sorted(positions[2:]), (
        f"{path.name}: the closing sections are out of order: {found}"
    )
    assert positions[-1] == len(found) - 1, (
        f"{path.name}: the closing sections are out of order: {found}"
    )
    assert len(found) > len(OUTLINE), f"{path.name}: the chapter has no body sections"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_learning_objectives_start_with_a_verb(path: Path) -> None:
    body = prose(path.read_text(encoding="utf-8"))
    block = body.split("## Learning objectives", 1)[1].split("\n## ", 1)[0]
    bullets = re.findall(r"^[-*] (\S+)", block, flags=re.M)
    assert len(bullets) >= 3, f"{path.name}: fewer than three learning objectives"
    for word in bullets:
        assert word.lower().strip(",:") in OBJECTIVE_VERBS, (
            f"{path.name}: objective starts with {word!r}, not a verb from the list"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_check_your_understanding_has_answers_in_dropdowns(path: Path) -> None:
    body = prose(path.read_text(encoding="utf-8"))
    block = body.split("## Check your understanding", 1)[1].split("\n## ", 1)[0]
    assert block.count("{dropdown}") >= 3, f"{path.name}: fewer than three answered questions"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_point_to_an_existing_assignment(path: Path) -> None:
    body = prose(path.read_text(encoding="utf-8"))
    block = body.split("## Exercises", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\b(a\d-[a-z][\w-]*[a-z])\b", block))
    assert named, f"{path.name}: the exercises do not name an assignment"
    for name in named:
        assert (REPO / "assignments" / name / f"{name}.ipynb").is_file(), (
            f"{path.name}: the exercises name {name!r}, which is not an assignment"
        )


# Pages written for students (the audit is not built; the instructor guide names the sources an
# instructor releases).
STUDENT_PAGES = [
    p for p in sorted(BOOK.glob("*.md")) if p.name not in {"AUDIT.md", "app_instructor_guide.md"}
]


@pytest.mark.parametrize("path", STUDENT_PAGES, ids=lambda p: p.stem)
def test_the_book_never_sends_students_to_a_source_notebook(path: Path) -> None:
    """The source notebooks hold the solutions; students get the released versions."""
    found = re.findall(r"assignments/[\w<>-]+/[\w<>-]+\.ipynb", path.read_text(encoding="utf-8"))
    assert found == [], f"{path.name}: names source notebooks {found}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_cites_enough_sources_and_every_key_exists(path: Path) -> None:
    keys = [k.strip() for group in CITE.findall(path.read_text()) for k in group.split(",")]
    assert len(keys) >= 8, f"{path.name}: {len(keys)} citations, at least 8 required"
    missing = sorted(set(keys) - bib_keys())
    assert not missing, f"{path.name}: citation keys in no .bib file: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_a_computed_figure_or_table(path: Path) -> None:
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", path.read_text(), flags=re.S)
    computed = [c for c in cells if "remove-input" in c]
    assert computed, f"{path.name}: no figure or table computed from the data (remove-input)"


# ch11 carries the record from 2021 to 2026 and the re-scored scorecard of the article; its
# evidence tables and the Documents box need a little more room than the other core chapters.
WORD_CAPS = {"ch11_after_the_article": 5500}


@pytest.mark.parametrize("path", CHAPTERS[1:], ids=lambda p: p.stem)
def test_core_chapter_length(path: Path) -> None:
    words = len(re.sub(r"\{[a-z:-]+\}`[^`]*`", "x", prose(path.read_text())).split())
    cap = WORD_CAPS.get(path.stem, 5000)
    assert 2500 <= words <= cap, f"{path.name}: {words} words (2,500–{cap:,} required)"


def test_ch11_covers_2025_and_2026_events_by_id() -> None:
    """The last chapter cites, by event role, events of every year from 2025 to the latest."""
    text = prose((BOOK / "ch11_after_the_article.md").read_text(encoding="utf-8"))
    cited = set(re.findall(r"\{event(?:-date)?\}`([^`\s]+)`", text))
    year_of = events().set_index("id")["year"]
    cited_years = {int(year_of[eid]) for eid in cited if eid in year_of.index}
    wanted = set(range(2025, int(year_of.max()) + 1)) | {2025, 2026}
    missing = sorted(wanted - cited_years)
    assert not missing, f"ch11 cites no event of {missing} by id ({{event-date}}`ID`)"


def test_ch11_scorecard_keeps_the_article_s_order() -> None:
    """The first recommendation is to recognise uncertainties; deterrence is an objective."""
    text = prose((BOOK / "ch11_after_the_article.md").read_text(encoding="utf-8"))
    card = text.split("(ch11-scorecard)=", 1)[1].split("(ch11-check)=", 1)[0]
    first = [line for line in card.splitlines() if re.search(r"Recommendation 1\b", line)]
    assert first, "the scorecard does not score the first recommendation"
    for line in first:
        assert re.search(r"uncertaint", line, flags=re.I), f"mislabelled: {line[:80]}"
        assert not re.search(r"deterr", line, flags=re.I), f"not a recommendation: {line[:60]}"
    objective = [line for line in card.splitlines() if "Objective 1" in line]
    assert objective, "Objective 1 is deterring North Korea"
    assert "North Korea" in objective[0], "Objective 1 is deterring North Korea"


RANGE_END = re.compile(r"\{event-date\}`[^`]+`\s*(?:to|until|–|-)\s*$")


def _hand_dates(text: str) -> list[tuple[str, tuple[int, int, int]]]:
    """Hand-written full dates with their sentences.

    The end of a range whose start is written with the role ("from {event-date}`A81`
    to 29 June 2024") is not an event date and is left out.
    """
    found = []
    for sentence in re.split(r"(?<=[.;!?])\s+", prose(text)):
        for m in DAY_MONTH_YEAR.finditer(sentence):
            if RANGE_END.search(sentence[: m.start()]):
                continue
            day, month, year = int(m[1]), MONTHS.index(m[2]) + 1, int(m[3])
            found.append((sentence, (year, month, day)))
        for m in MONTH_DAY_YEAR.finditer(sentence):
            day, month, year = int(m[2]), MONTHS.index(m[1]) + 1, int(m[3])
            found.append((sentence, (year, month, day)))
    return found


def _title_words(title: str) -> set[str]:
    words = set(re.findall(r"[A-Z][A-Za-z]{3,}", title)) - set(MONTHS)
    return words - {"First", "Second", "Third", "Japan", "Korea", "Korean", "Japanese", "With"}


def test_hand_written_dates_agree_with_the_data() -> None:
    """Hand-written days of events in the data must use the role, and must not disagree.

    A date that names an event of the same month but another day disagrees with the data.
    """
    data = events()
    day_events = data[data["date_precision"] == "day"]
    problems = []
    for path in [*CHAPTERS, *BOOK.glob("app_*.md")]:
        for sentence, (year, month, day) in _hand_dates(path.read_text(encoding="utf-8")):
            same_month = day_events[
                (day_events["date"].dt.year == year) & (day_events["date"].dt.month == month)
            ]
            for _, event in same_month.iterrows():
                words = _title_words(event["title"])
                shared = words & set(re.findall(r"[A-Za-z]+", sentence))
                if not words or len(shared) < min(2, len(words)):
                    continue
                written = f"{day} {MONTHS[month - 1]} {year}"
                if event["date"].day == day:
                    problems.append(
                        f"{path.name}: write {written} as {{event-date}}`{event['id']}`"
                    )
                else:
                    shown = format_date(event["date"], "day")
                    problems.append(
                        f"{path.name}: '{written}' but the data date {event['id']} "
                        f"({event['title']}) {shown}: {sentence.strip()[:120]}"
                    )
    assert not problems, "\n".join(problems)


def test_every_event_role_names_an_event_in_the_data() -> None:
    ids = set(events()["id"])
    unknown = []
    for path in BOOK.glob("*.md"):
        for eid in re.findall(r"\{event(?:-date)?\}`([^`\s]+)`", path.read_text()):
            if eid not in ids:
                unknown.append(f"{path.name}: {eid}")
    assert not unknown, unknown


def test_the_timeline_appendix_is_generated_from_the_data() -> None:
    text = (BOOK / "app_timeline.md").read_text(encoding="utf-8")
    assert "timeline_sections(events())" in text
    assert text.index("visual_timeline(events())") < text.index("timeline_sections(events())")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    assert title == "# Timeline, {data-years}`events`", "the title's end year comes from the data"
    assert not _hand_dates(text), "the timeline appendix must not type dates by hand"
    assert not re.search(r"\b(19[4-9]\d|20[0-2]\d)-\d\d", prose(text)), "no typed ISO dates"


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.md")), ids=lambda p: p.stem)
def test_quotations_are_short(path: Path) -> None:
    text = prose(path.read_text(encoding="utf-8"))
    quotes = [q for q in QUOTE.findall(text)]
    quotes += ["\n".join(block) for block in re.findall(r"((?:^> .*\n)+)", text, flags=re.M)]
    long = [q[:80] for q in quotes if len(q.split()) > 40]
    assert not long, f"{path.name}: quotations over 40 words: {long}"
