"""Tests of the quotation checker: the form on the student's side, the wording when graded.

The article used here is made up for the tests (:data:`ARTICLE`): the real one is copyrighted
and never part of the repository. One test reads the instructor's copy of the real article
when this machine has it, to show that the automatic split finds the parts the a2 hidden
tests ask for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursekit.checks import check_quote, quote_sections, quotes
from coursekit.checks.quotes import (
    ARTICLE_MISSING,
    SECTIONS,
    ArticleError,
    parse_article,
    quote_words,
    read_article,
    use_article,
)
from tests.conftest import REPO

# The instructor's copy, where the project's maintainers keep it: the shared folder beside the
# repository (as CI lays it out), else this workplace's.
REFERENCE = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[3] / "shared" / "reference" / "article.txt",
            Path("/work/shared/reference/article.txt"),
        )
        if p.is_file()
    ),
    Path("/work/shared/reference/article.txt"),
)

_FILLER = (
    "Allies that share a long record of cooperation still find it hard to agree on "
    "how to remember the past and how to plan for the future. "
)
ARTICLE = f"""Notes of the instructor, not part of the article.
----------------------------------------------------------------

A made-up essay about three partners

Three partners that share an ocean have built a working habit of meeting every season.
{_FILLER * 3}

Where the Work Begins

1) Take stock of what could go wrong. Elections, slow growth and a new illness could
all change the outlook for common plans between the capitals.

2) Build on the years of common work. The partners could agree on what they have done
together since the war and teach it in their schools. {_FILLER * 2}

3) Work together on problems beyond the armed forces. Storms, illness and attacks on
computer networks respect no border at all.

{_FILLER * 2}

Closing Thoughts

Steady meetings at every level will keep the habit alive when leaders change.
"""


@pytest.fixture(autouse=True)
def no_article_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts on the student's side: no article loaded, not autograding."""
    monkeypatch.setattr(quotes, "_IN_USE", None)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_quote_words_drop_punctuation_and_case() -> None:
    assert quote_words("U.S.-Japan-ROK’s “success”") == ["u", "s", "japan", "rok", "s", "success"]


def test_automatic_split_finds_the_five_parts(article_file: Path) -> None:
    article = read_article(article_file)
    assert "instructor" not in article.words, "text above the rule line is left out"
    assert quote_sections("Three partners that share an ocean", article) == {"opening"}
    assert quote_sections("Where the Work Begins", article) == {"opening"}
    assert quote_sections("Take stock of what could go wrong", article) == {"recommendation 1"}
    assert quote_sections("teach it in their schools", article) == {"recommendation 2"}
    assert quote_sections("computer networks respect no border", article) == {"recommendation 3"}
    assert quote_sections("Steady meetings at every level", article) == {"conclusion"}
    assert quote_sections("no border at all allies that share", article) == {"recommendation 3"}
    spread = quote_sections("alive when leaders change", article)
    assert spread == {"conclusion"}
    across = quote_sections("the outlook for common plans between the capitals 2 build", article)
    assert across == frozenset(), "in the article, but across two parts"
    assert quote_sections("a sentence the essay never says", article) is None
    filler = quote_sections("how to remember the past and how to plan", article)
    assert filler == {"opening", "recommendation 2", "recommendation 3"}


def test_marked_parts_and_skipped_text() -> None:
    body = " ".join(["word"] * 100)
    text = (
        "a title line that is left out\n[opening]\nalpha beta gamma delta epsilon\n"
        f"[recommendation 1]\n{body}\n[skip]\nan author note we leave out\n"
        "[conclusion]\nzeta eta theta iota kappa\n"
    )
    article = parse_article(text)
    assert quote_sections("alpha beta gamma delta epsilon", article) == {"opening"}
    assert quote_sections("zeta eta theta iota kappa", article) == {"conclusion"}
    assert quote_sections("an author note we leave out", article) is None
    assert quote_sections("a title line that is", article) is None
    with pytest.raises(ArticleError, match=r"x.txt, line 1: unknown part \[summary\]"):
        parse_article("[summary]\n" + body, where="x.txt")


def test_unusable_article_files_say_what_to_do(tmp_path: Path) -> None:
    no_numbers = tmp_path / "plain.txt"
    no_numbers.write_text(_FILLER * 20, encoding="utf-8")
    with pytest.raises(ArticleError, match=r"plain.txt: cannot find .* recommendation 1"):
        read_article(no_numbers)
    short = tmp_path / "short.txt"
    short.write_text("[opening]\njust a few words\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="only 4 words"):
        read_article(short)
    binary = tmp_path / "article.pdf"
    binary.write_bytes(b"%PDF-1.7\xff\xfe\x00")
    with pytest.raises(ArticleError, match="not UTF-8 text"):
        read_article(binary)
    with pytest.raises(ArticleError, match="cannot read the article"):
        read_article(tmp_path / "absent.txt")


def test_student_side_checks_only_the_form() -> None:
    invented = "“a passage that the article never contains at all”"
    assert check_quote(invented).passed, "the wording is not checked on the student's side"
    assert check_quote(invented, section="conclusion").passed
    layers = {
        "too short": (check_quote("four words only here"), "shape"),
        "too long": (check_quote("word " * 31), "shape"),
        "ellipsis": (check_quote("the first five words … and more words"), "contents"),
        "dots": (check_quote("the first five words ... and more words"), "contents"),
        "unmatched": (check_quote('"the first five words and more words'), "contents"),
        "not text": (check_quote(12345), "type"),
    }
    for label, (result, layer) in layers.items():
        assert not result.passed, label
        assert result.failed_layer is not None, label
        assert result.failed_layer.layer == layer, label
    with pytest.raises(ArticleError, match="no article loaded"):
        quote_sections("any five words at all")


def test_grading_without_the_article_scores_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_article(None)
    result = check_quote("Take stock of what could go wrong")
    assert not result.passed
    assert result.points == 0
    assert ARTICLE_MISSING in result.messages[0]
    assert "coursekit course init COURSE --article FILE" in str(result)
    monkeypatch.setattr(quotes, "_IN_USE", None)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert not check_quote("Take stock of what could go wrong").passed, "never guesses"
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert check_quote("Take stock of what could go wrong").passed, "validate is the form only"


def test_grading_with_the_article_checks_the_wording(article_file: Path) -> None:
    assert use_article(article_file) is not None
    assert check_quote("“Take stock of what could go wrong.”", section="recommendation 1").passed
    wrong_part = check_quote("Take stock of what could go wrong", section="recommendation 2")
    assert "not from the part this answer is about" in wrong_part.messages[0]
    invented = check_quote("a passage that the article never contains")
    assert "not found word for word" in invented.messages[0]
    joined = check_quote("Take stock of what could go wrong storms illness and attacks")
    assert not joined.passed, "two passages joined are not one quotation"


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown section"):
        check_quote("Take stock of what could go wrong", section="middle")
    with pytest.raises(ValueError, match="min_words"):
        check_quote("Take stock of what could go wrong", min_words=2)
    assert SECTIONS[0] == "opening"
    assert SECTIONS[-1] == "conclusion"


def _a2_solution_quotes() -> dict[str, str]:
    """The quotations of the a2 model answer (its solution cell, run here)."""
    path = REPO / "assignments" / "a2-argument-map" / "a2-argument-map.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["metadata"]["nbgrader"]["grade_id"] == "q5-answer")
    namespace: dict[str, object] = {}
    exec("".join(cell["source"]), namespace)  # noqa: S102 (our own model answer)
    quotes = namespace["quotes"]
    assert isinstance(quotes, dict)
    return quotes


# The part of the article each a2 quotation must come from (a2's q5 hidden test).
A2_PARTS = {
    "no-direct-stake": "opening",
    "disputed-objective": "opening",
    "china-gets-a-vote": "conclusion",
}


@pytest.mark.skipif(
    not REFERENCE.is_file(),
    reason="needs an instructor's copy of the article; the repository never holds one",
)
def test_real_article_is_split_as_the_a2_hidden_tests_expect() -> None:
    use_article(REFERENCE)
    quotes = _a2_solution_quotes()
    assert set(quotes) == set(A2_PARTS)
    for premise, quote in quotes.items():
        assert check_quote(quote, section=A2_PARTS[premise]).passed, quote


def test_uses_quotes_finds_quotation_checks() -> None:
    import nbformat

    path = REPO / "assignments" / "a2-argument-map" / "a2-argument-map.ipynb"
    assert quotes.uses_quotes(nbformat.read(path, as_version=4))
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert not quotes.uses_quotes(plain)
    assert "coursekit course init COURSE --article FILE" in quotes.ARTICLE_MISSING_NOTE
