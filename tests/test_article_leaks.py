"""No tracked file and no built wheel carries an n-gram index of any text, or the article.

The released notebooks and the built book pages are scanned the same way in
``tests/assignments`` and ``tests/book``. The article itself is read from the instructor's
copy when this machine has one (:data:`REFERENCE`); the index checks need no copy.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.article_scan import ArticleIndex, findings, load_article, words
from tests.checks.test_check_quotes import ARTICLE
from tests.conftest import REPO

# The instructor's copy, where the project's maintainers keep it: the shared folder beside the
# repository (as CI lays it out), else this workplace's.
REFERENCE = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[2] / "shared" / "reference" / "article.txt",
            Path("/work/shared/reference/article.txt"),
        )
        if p.is_file()
    ),
    Path("/work/shared/reference/article.txt"),
)


def reference() -> ArticleIndex | None:
    """The instructor's copy of the article, indexed, when this machine has one."""
    return load_article(REFERENCE) if REFERENCE.is_file() else None


def old_style_index(text: str) -> str:
    """What ``checks/_article_index.py`` held: hashed overlapping five-word runs of ``text``."""
    found = words(text)
    keys = {
        hashlib.sha256(" ".join(found[i : i + 5]).encode()).hexdigest()[:12]: 1
        for i in range(len(found) - 4)
    }
    return (
        "INDEX: dict[str, int] = {\n"
        + "".join(f'    "{k}": {v},\n' for k, v in keys.items())
        + "}\n"
    )


def plain_index(text: str) -> str:
    found = words(text)
    runs = sorted({" ".join(found[i : i + 5]) for i in range(len(found) - 4)})
    return "RUNS = [\n" + "".join(f'    "{r}",\n' for r in runs) + "]\n"


def tracked_texts() -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    texts = {}
    for name in filter(None, names):
        path = REPO / name
        if path.is_file():
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def test_the_scan_finds_an_old_style_index_of_any_text() -> None:
    long_text = ARTICLE * 3 + " ".join(f"word{i}" for i in range(600))
    assert any("hex digests" in f for f in findings(old_style_index(long_text)))
    assert any("n-gram list" in f for f in findings(plain_index(long_text)))
    assert findings("a few words of prose, and sha256:0123456789abcdef01") == []


def test_the_scan_finds_the_old_index_and_copies_of_the_real_article() -> None:
    article = reference()
    if article is None:  # the copy is the instructor's; a synthetic one stands in
        path = Path(__file__).parent / "_synthetic_article.txt"
        path.write_text(ARTICLE * 2, encoding="utf-8")
        try:
            article, text = load_article(path), ARTICLE * 2
        finally:
            path.unlink()
    else:
        text = REFERENCE.read_text(encoding="utf-8").split("-" * 20)[-1]
    hashed = findings(old_style_index(text), article)
    assert any("hashes of runs of the article" in f for f in hashed), hashed
    copied = findings(f"notes\n{text}\n", article)
    assert any("the article's text" in f for f in copied), copied
    one_sentence = " ".join(words(text)[40:70])
    assert findings(f'As the authors put it, "{one_sentence}" (p. 2).', article) == []


def lock_pins(text: str) -> list[tuple[str, str]]:
    """(URL, sha256) of every file uv.lock pins, each checked to be a file on PyPI.

    Those hashes are what ``uv sync`` checks downloads against, not an index of a text.
    """
    pins = []
    for package in tomllib.loads(text)["package"]:
        for artefact in [*filter(None, [package.get("sdist")]), *package.get("wheels", [])]:
            url, digest = artefact["url"], artefact["hash"]
            assert urlparse(url).hostname == "files.pythonhosted.org", url
            assert digest.startswith("sha256:"), digest
            assert len(digest) == 7 + 64, digest
            pins.append((url, digest.removeprefix("sha256:")))
    return pins


def test_no_tracked_file_carries_an_index_or_the_article() -> None:
    article = reference()
    texts = tracked_texts()
    assert "src/coursekit/checks/quotes.py" in texts, "the scan reads the repository"
    # uv.lock's pins are scanned like any hash for runs of the article, then left out of the
    # count of hex digests; everything else in it is scanned as usual.
    pins = lock_pins(texts["uv.lock"])
    if article is not None:
        assert not [d for _, d in pins if d[:8] in article.hash_prefixes]
    for url, digest in pins:
        texts["uv.lock"] = texts["uv.lock"].replace(url, "").replace(digest, "")
    problems = {name: found for name, text in texts.items() if (found := findings(text, article))}
    assert problems == {}


@pytest.mark.slow
def test_the_built_wheel_carries_no_index_or_the_article(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for name in tracked_texts() | {"LICENSE": ""}:
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = tmp_path.glob("coursekit-*.whl")
    article = reference()
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "coursekit/checks/quotes.py" in names
        assert not [n for n in names if "article_index" in n]
        problems = {}
        for name in names:
            text = zf.read(name).decode("utf-8", "replace")
            if found := findings(text, article):
                problems[name] = found
    assert problems == {}
