"""``coursekit course init``: the nbgrader workspace made from the repository's assignments."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading.errors import GradingError
from coursekit.grading.workspace import init_course, open_course
from tests.grading.conftest import FixtureCourse, make_repo
from tests.grading.grading_factories import ASSIGNMENT


def test_init_writes_config_copies_sources_and_makes_the_gradebook(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    result = init_course(directory=tmp_path / "course", config=config)
    course = result.course
    text = (tmp_path / "course" / "nbgrader_config.py").read_text()
    assert "c.CourseDirectory.course_id = 'fx-course'" in text
    assert "c.CourseDirectory.root = here" in text
    assert str(tmp_path) not in text
    assert course.root == tmp_path / "course"
    assert course.db_url == f"sqlite:///{tmp_path / 'course' / 'gradebook.db'}"
    assert (tmp_path / "course" / "gradebook.db").is_file()
    assert (tmp_path / "course" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    assert (tmp_path / "course" / "source" / ASSIGNMENT / "notes.txt").is_file()
    assert result.copied == (ASSIGNMENT,)
    assert course.assignments() == [ASSIGNMENT]
    assert "Exchange.root" not in text
    assert "c.ExchangeFactory.collect = coursekit_nbgrader.NO_EXCHANGE_PLUGINS" in text


def test_rerun_keeps_unchanged_sources_and_updates_edited_ones(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    init_course(directory=tmp_path / "course", config=config)
    assert init_course(directory=tmp_path / "course", config=config).unchanged == (ASSIGNMENT,)
    (tmp_path / "repo" / "assignments" / ASSIGNMENT / "notes.txt").write_text("changed\n")
    assert init_course(directory=tmp_path / "course", config=config).updated == (ASSIGNMENT,)
    copied = tmp_path / "course" / "source" / ASSIGNMENT / "notes.txt"
    assert copied.read_text() == "changed\n"


def test_db_url_exchange_and_link_options(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = init_course(
        directory=tmp_path / "course", config=config, db_url=url, exchange=tmp_path / "x", link=True
    )
    text = (tmp_path / "course" / "nbgrader_config.py").read_text()
    assert f"c.CourseDirectory.db_url = '{url}'" in text
    assert f"c.Exchange.root = '{tmp_path / 'x'}'" in text
    assert result.course.exchange_root == tmp_path / "x"
    assert "NO_EXCHANGE_PLUGINS" not in text, "a course with an exchange uses one"
    assert "c.ExchangeFactory.collect = coursekit_nbgrader.CoursekitCollect" in text
    assert (tmp_path / "course" / "source" / ASSIGNMENT).is_symlink()
    assert (tmp_path / "elsewhere.db").is_file()


def test_missing_assignments_folder_names_it(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    (tmp_path / "repo" / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").unlink()
    (tmp_path / "repo" / "assignments" / ASSIGNMENT / "notes.txt").unlink()
    (tmp_path / "repo" / "assignments" / ASSIGNMENT).rmdir()
    (tmp_path / "repo" / "assignments").rmdir()
    with pytest.raises(GradingError, match=r"assignments: no assignments folder"):
        init_course(directory=tmp_path / "course", config=config)


def test_opening_a_folder_that_is_no_course_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(GradingError, match="run `coursekit course init"):
        open_course(tmp_path)


def test_unknown_assignment_is_refused(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    with pytest.raises(GradingError, match="no assignment folder"):
        init_course(directory=tmp_path / "course", config=config, assignments=["nope"])


def test_config_routes_nbgrader_commands_through_coursekit(tmp_path: Path) -> None:
    from nbgrader.converters import Autograde, GenerateFeedback

    from coursekit.grading import nbgrader_api

    config = make_repo(tmp_path / "repo")
    course = init_course(directory=tmp_path / "course", config=config).course
    autograde = Autograde(coursedir=course.coursedir(), config=course.config)
    assert autograde.exporter_class is nbgrader_api.SubmissionExporter
    assert nbgrader_api.SandboxedExecute in autograde.autograde_preprocessors
    assert not any(
        pp.__name__ == "Execute" and pp.__module__.startswith("nbgrader")
        for pp in autograde.autograde_preprocessors
    ), "nbgrader's own unsandboxed Execute must not run"
    assert nbgrader_api.OverwriteCells in autograde.sanitize_preprocessors
    assert course.config.OverwriteCells.add_missing_cells is True
    limits = course.config.SandboxedExecute.limits
    assert limits["cell_timeout"] == config.limits.cell_timeout
    assert course.config.SubmissionExporter.limits["json_depth"] == config.limits.json_depth
    assert course.config.SandboxedExecute.sandbox is True
    feedback = GenerateFeedback(coursedir=course.coursedir(), config=course.config)
    assert feedback.exporter_class is nbgrader_api.FeedbackExporter


def test_article_is_kept_private_and_checked(tmp_path: Path) -> None:
    from tests.checks.test_check_quotes import ARTICLE

    config = make_repo(tmp_path / "repo")
    without = init_course(directory=tmp_path / "course", config=config)
    assert without.course.article is None
    assert "quotation parts will score nothing" in str(without)
    mine = tmp_path / "my article.txt"
    mine.write_text(ARTICLE, encoding="utf-8")
    result = init_course(directory=tmp_path / "course", config=config, article=mine)
    kept = tmp_path / "course" / ".coursekit" / "article.txt"
    assert result.course.article == kept
    assert kept.read_text(encoding="utf-8") == ARTICLE
    assert kept.stat().st_mode & 0o777 == 0o600
    assert "quotations are checked against it" in str(result)
    again = init_course(directory=tmp_path / "course", config=config)
    assert again.course.article == kept, "a rerun without --article keeps the copy"
    bad = tmp_path / "notes.txt"
    bad.write_text("just my notes about the article\n" * 40, encoding="utf-8")
    with pytest.raises(GradingError, match=r"notes.txt: cannot find .* recommendation 1"):
        init_course(directory=tmp_path / "course", config=config, article=bad)
    assert kept.read_text(encoding="utf-8") == ARTICLE, "a bad file replaces nothing"


def test_the_article_is_never_released_or_exported(tmp_path: Path) -> None:
    from coursekit.grading.release import release
    from tests.article_scan import findings, load_article
    from tests.checks.test_check_quotes import ARTICLE

    config = make_repo(tmp_path / "repo")
    mine = tmp_path / "article.txt"
    mine.write_text(ARTICLE, encoding="utf-8")
    course = tmp_path / "course"
    init_course(directory=course, config=config, article=mine, exchange=tmp_path / "exchange")
    release(course=course)
    article = load_article(mine)
    holding = [
        path.relative_to(tmp_path)
        for folder in (course, tmp_path / "exchange")
        for path in folder.rglob("*")
        if path.is_file() and findings(path.read_text("utf-8", "replace"), article)
    ]
    assert holding == [Path("course/.coursekit/article.txt")]
    released = list((tmp_path / "exchange").rglob("*.ipynb"))
    assert released, "the assignment went into the exchange"


def test_rerun_keeps_the_instructors_own_settings(tmp_path: Path) -> None:
    from coursekit.grading.nbgrader_api import nbgrader_settings
    from coursekit.grading.workspace import KEEP_LINE

    config = make_repo(tmp_path / "repo")
    path = tmp_path / "course" / "nbgrader_config.py"
    init_course(directory=tmp_path / "course", config=config)
    assert path.read_text().count(KEEP_LINE) == 1
    with path.open("a", encoding="utf-8") as out:
        out.write("c.ClearHiddenTests.begin_test_delimeter = 'PRIVATE START'\n")
    course = init_course(directory=tmp_path / "course", config=config, link=True).course
    text = path.read_text()
    assert text.count(KEEP_LINE) == 1
    assert text.count("PRIVATE START") == 1
    assert nbgrader_settings(course).hidden_tests[0] == "PRIVATE START"


def _students(db_url: str) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "fx-course") as gb:
        return sorted(s.id for s in gb.students)


def test_a_copied_course_folder_grades_into_its_own_gradebook(
    released: FixtureCourse, tmp_path: Path
) -> None:
    import shutil
    import subprocess
    import sys

    from coursekit.grading.pool import grade

    original = tmp_path / "original"
    shutil.copytree(released.course, original, symlinks=True)
    copy = tmp_path / "moved" / "copy"
    shutil.copytree(original, copy, symlinks=True)  # copied as a folder, no `course init`
    before = _students(open_course(original).db_url)
    ws = open_course(copy)
    assert ws.root == copy
    assert ws.db_url == f"sqlite:///{copy / 'gradebook.db'}"
    FixtureCourse(released.config, copy).submit("alice", "correct")
    run = grade(course=copy, assignment=ASSIGNMENT, sandbox=False, config=released.config)
    assert [r.student for r in run.results] == ["alice"]
    # nbgrader's own command line, run in the copy, finds the copy's gradebook too
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "db", "student", "add", "zed", "--last-name=Zhou"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert _students(ws.db_url) == ["alice", "zed"]
    assert _students(open_course(original).db_url) == before == []
    assert not (original / "autograded").exists()


def test_a_gradebook_inside_the_course_moves_with_it(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    course = tmp_path / "course"
    url = f"sqlite:///{course / 'grades' / 'book.db'}"
    (course / "grades").mkdir(parents=True)
    init_course(directory=course, config=config, db_url=url)
    assert str(course) not in (course / "nbgrader_config.py").read_text()
    moved = tmp_path / "moved"
    course.rename(moved)
    assert open_course(moved).db_url == f"sqlite:///{moved / 'grades' / 'book.db'}"


def test_a_config_written_for_another_folder_is_refused(tmp_path: Path) -> None:
    config = make_repo(tmp_path / "repo")
    course = tmp_path / "course"
    init_course(directory=course, config=config)
    path = course / "nbgrader_config.py"
    # as `course init` wrote it before courses could move: a fixed root and gradebook
    old = tmp_path / "old-course"
    text = path.read_text().replace(
        "c.CourseDirectory.root = here", f"c.CourseDirectory.root = {str(old)!r}"
    )
    path.write_text(text)
    with pytest.raises(GradingError, match="copied or moved") as error:
        open_course(course)
    assert str(old) in str(error.value)
    assert "coursekit course init" in str(error.value)
    init_course(directory=course, config=config)  # what the message says to do
    assert open_course(course).root == course
