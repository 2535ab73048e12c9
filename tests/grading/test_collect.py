"""``coursekit collect``: from the exchange, a folder or a zip; bad layouts reported, rest kept."""

from __future__ import annotations

import datetime
import logging
import os
import pwd
import zipfile
from pathlib import Path

import pytest

from coursekit.grading.collect import collect
from coursekit.grading.errors import GradingError
from coursekit.grading.release import release
from coursekit.grading.workspace import open_course
from tests.grading.conftest import FixtureCourse
from tests.grading.grading_factories import ASSIGNMENT, submission

NB = f"{ASSIGNMENT}.ipynb"
ME = pwd.getpwuid(os.geteuid()).pw_name
"""The user running the tests: the one owner a single-user exchange has."""


def lms_export(root: Path, fx: FixtureCourse) -> Path:
    """An LMS export with good and bad entries."""
    good = submission(fx.release_nb, "correct")
    (root / "alice").mkdir(parents=True)
    (root / "alice" / NB).write_text(good)
    (root / "alice" / "extra.csv").write_text("x\n")
    (root / "bob" / ASSIGNMENT).mkdir(parents=True)
    (root / "bob" / ASSIGNMENT / NB).write_text(good)
    (root / "carol").mkdir()
    (root / "carol" / "my work (1).ipynb").write_text(good)
    (root / "dave").mkdir()
    (root / "dave" / "notes.txt").write_text("forgot the notebook")
    (root / "erin").mkdir()
    (root / "erin" / "one.ipynb").write_text(good)
    (root / "erin" / "two.ipynb").write_text(good)
    (root / "bad id!").mkdir()
    (root / "bad id!" / NB).write_text(good)
    (root / "loose.ipynb").write_text(good)
    (root / "__MACOSX").mkdir()
    (root / ".DS_Store").write_text("")
    return root


def test_collect_from_a_folder_keeps_the_good_and_reports_the_bad(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    result = collect(
        course=fresh.course, assignment=ASSIGNMENT, source=lms_export(tmp_path / "lms", fresh)
    )
    assert result.collected == ("alice", "bob", "carol")
    for student in result.collected:
        assert (fresh.submitted(student) / NB).is_file()
    assert (fresh.submitted("alice") / "extra.csv").is_file()
    assert not (fresh.submitted("carol") / "my work (1).ipynb").exists()
    assert any("carol" in n and "renamed" in n for n in result.notes)
    problems = "\n".join(result.problems)
    assert len(result.problems) == 4
    assert "loose.ipynb: a loose file" in problems
    assert "'bad id!' is not a usable student id" in problems
    assert "dave" in problems
    assert "no notebook submitted" in problems
    assert "erin" in problems
    assert "several other notebooks" in problems
    again = collect(course=fresh.course, assignment=ASSIGNMENT, source=tmp_path / "lms")
    assert again.collected == ()
    assert again.unchanged == ("alice", "bob", "carol")
    assert "3 unchanged" in str(again)


def test_collect_from_a_zip_wrapped_in_one_folder(fresh: FixtureCourse, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"Assignment 1 export/alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr(f"Assignment 1 export/bob/{NB}", submission(fresh.release_nb, "blank"))
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)
    assert result.collected == ("alice", "bob")
    assert result.problems == ()


def test_a_zip_that_escapes_its_folder_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"../../alice/{NB}", "{}")
    with pytest.raises(GradingError, match="points outside the archive"):
        collect(course=fresh.course, assignment=ASSIGNMENT, source=archive)


def test_a_zip_over_the_courses_unpacked_size_is_refused(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    from coursekit.config import GradingLimits

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"alice/{NB}", submission(fresh.release_nb, "correct"))
        zf.writestr("alice/data.bin", b"\0" * (3 << 20))  # 3 MiB, deflated to a few KiB
    small = GradingLimits(zip_mb=2, submission_mb=10)
    with pytest.raises(GradingError, match=r"export\.zip: unpacks to 3 MiB, over 2 MiB"):
        collect(course=fresh.course, assignment=ASSIGNMENT, source=archive, limits=small)
    roomy = GradingLimits(zip_mb=4, submission_mb=10)
    done = collect(course=fresh.course, assignment=ASSIGNMENT, source=archive, limits=roomy)
    assert done.collected == ("alice",)


def test_a_file_that_is_not_a_zip_is_refused(fresh: FixtureCourse, tmp_path: Path) -> None:
    (tmp_path / "grades.txt").write_text("no")
    with pytest.raises(GradingError, match="not a zip file"):
        collect(course=fresh.course, assignment=ASSIGNMENT, source=tmp_path / "grades.txt")


def _exchange_course(fresh: FixtureCourse, tmp_path: Path) -> Path:
    """Release ``fresh`` into an exchange and point the course at it; the inbound folder."""
    from coursekit.grading.workspace import init_course

    exchange = tmp_path / "exchange"
    release(course=fresh.course, exchange=exchange)
    init_course(directory=fresh.course, config=fresh.config, exchange=exchange)
    return exchange / "fx-course" / "inbound"


def _submit(
    fresh: FixtureCourse, inbound: Path, student: str, stamp: str, *, owner: str, scenario: str
) -> Path:
    """An inbound submission as `nbgrader submit` lays it out, owned by Unix user ``owner``."""
    folder = inbound / f"{student}+{ASSIGNMENT}+{stamp}+abc{len(list(inbound.iterdir()))}"
    folder.mkdir(parents=True)
    (folder / NB).write_text(submission(fresh.release_nb, scenario))
    (folder / "timestamp.txt").write_text(stamp)
    uid = pwd.getpwnam(owner).pw_uid
    for path in (folder, folder / NB, folder / "timestamp.txt"):
        os.chown(path, uid, -1)
    return folder


def test_exchange_needs_an_exchange_root(fresh: FixtureCourse) -> None:
    with pytest.raises(GradingError, match="no exchange root"):
        collect(course=fresh.course, assignment=ASSIGNMENT)


def test_a_single_user_exchange_collects_without_the_owner_check(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    past, _later = _stamps()
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, "alice", past, owner=ME, scenario="correct")
    refused = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert refused.collected == ()
    assert f"owned by {ME!r}" in refused.problems[0]
    result = collect(course=fresh.course, assignment=ASSIGNMENT, check_owner=False)
    assert result.collected == ("alice",)
    assert (fresh.submitted("alice") / NB).is_file()
    assert (fresh.submitted("alice") / "timestamp.txt").read_text() == past


# Real Unix users of every Debian system stand in for students, so the owner check is real.
HONEST, VICTIM = "daemon", "bin"


def _stamps() -> tuple[str, str]:
    """Two submission times as `nbgrader submit` writes them, two and one minute ago.

    Taken when a test runs: its folders are made then, and a time much earlier than a folder's
    making is a backdated submission.
    """
    now = datetime.datetime.now(datetime.UTC)
    return tuple(  # type: ignore[return-value]
        f"{now - datetime.timedelta(minutes=m):%Y-%m-%d %H:%M:%S.%f} UTC" for m in (2, 1)
    )


FUTURE = "2099-01-01 00:00:00.000000 UTC"
BACKDATED = "2020-01-01 00:00:00.000000 UTC"


@pytest.mark.root  # submissions owned by other Unix users
def test_the_exchange_takes_the_owners_newest_submission_and_refuses_impersonation(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    past, later = _stamps()
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, HONEST, past, owner=HONEST, scenario="blank")
    _submit(fresh, inbound, HONEST, later, owner=HONEST, scenario="correct")
    _submit(fresh, inbound, VICTIM, past, owner=VICTIM, scenario="correct")
    # The impersonator writes in the victim's name, dated in the future to beat resubmissions.
    _submit(fresh, inbound, VICTIM, FUTURE, owner=HONEST, scenario="blank")
    _submit(fresh, inbound, VICTIM, later, owner=HONEST, scenario="blank")
    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == (VICTIM, HONEST)  # sorted: bin, daemon
    problems = "\n".join(result.problems)
    assert len(result.problems) == 2
    assert f"in the name of '{VICTIM}' but owned by '{HONEST}'" in problems
    victim_nb = (fresh.submitted(VICTIM) / NB).read_text()
    assert victim_nb == submission(fresh.release_nb, "correct")
    assert (fresh.submitted(HONEST) / NB).read_text() == submission(fresh.release_nb, "correct")
    assert (fresh.submitted(HONEST) / "timestamp.txt").read_text() == later


@pytest.mark.root  # submissions owned by other Unix users
def test_a_future_submission_time_is_refused_even_from_its_owner(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    past, _later = _stamps()
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, HONEST, past, owner=HONEST, scenario="correct")
    _submit(fresh, inbound, HONEST, FUTURE, owner=HONEST, scenario="blank")
    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == (HONEST,)
    assert "is in the future" in result.problems[0]
    assert (fresh.submitted(HONEST) / NB).read_text() == submission(fresh.release_nb, "correct")


@pytest.mark.root  # submissions owned by other Unix users
def test_the_clock_skew_allowance_is_the_courses(fresh: FixtureCourse, tmp_path: Path) -> None:
    from coursekit.config import GradingLimits

    ahead = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=10)
    inbound = _exchange_course(fresh, tmp_path)
    _submit(
        fresh,
        inbound,
        HONEST,
        f"{ahead:%Y-%m-%d %H:%M:%S.%f} UTC",
        owner=HONEST,
        scenario="correct",
    )
    refused = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert refused.collected == ()
    assert "is in the future" in refused.problems[0]
    lenient = GradingLimits(clock_skew_minutes=15)
    taken = collect(course=fresh.course, assignment=ASSIGNMENT, limits=lenient)
    assert taken.collected == (HONEST,)
    assert not taken.problems


@pytest.mark.root  # submissions owned by other Unix users
def test_the_exchange_checks_ids_against_the_roster(fresh: FixtureCourse, tmp_path: Path) -> None:
    past, _later = _stamps()
    from nbgrader.api import Gradebook

    inbound = _exchange_course(fresh, tmp_path)
    with Gradebook(open_course(fresh.course).db_url, "fx-course") as gb:
        gb.add_student(HONEST)
    _submit(fresh, inbound, HONEST, past, owner=HONEST, scenario="correct")
    _submit(fresh, inbound, VICTIM, past, owner=VICTIM, scenario="correct")
    formula = inbound / f"=HYPERLINK(1)+{ASSIGNMENT}+{past}+x"
    formula.mkdir()
    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == (HONEST,)
    problems = "\n".join(result.problems)
    assert f"'{VICTIM}' is not on the course's roster" in problems
    assert "'=HYPERLINK(1)' is not a usable student id" in problems


def test_unknown_assignment(fresh: FixtureCourse, tmp_path: Path) -> None:
    with pytest.raises(GradingError, match="no such assignment"):
        collect(course=fresh.course, assignment="nope", source=tmp_path)


@pytest.mark.root  # submissions owned by other Unix users
def test_a_backdated_exchange_submission_is_recorded_when_it_was_written(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, HONEST, BACKDATED, owner=HONEST, scenario="correct")
    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == (HONEST,)
    assert not result.problems
    assert "its name says it was submitted at 2020-01-01 00:00 UTC" in result.notes[-1]
    recorded = (fresh.submitted(HONEST) / "timestamp.txt").read_text()
    assert recorded.startswith(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d}")


def test_a_students_own_timestamp_never_reaches_the_gradebook(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    root = tmp_path / "lms"
    (root / "alice").mkdir(parents=True)
    (root / "alice" / NB).write_text(submission(fresh.release_nb, "correct"))
    (root / "alice" / "timestamp.txt").write_text("2020-01-01 00:00:00.000000 UTC")
    (root / "alice" / "submission_secret.txt").write_text("chosen by the student")
    result = collect(course=fresh.course, assignment=ASSIGNMENT, source=root)
    assert result.collected == ("alice",)
    assert not (fresh.submitted("alice") / "timestamp.txt").exists()
    assert not (fresh.submitted("alice") / "submission_secret.txt").exists()


@pytest.mark.root  # submissions owned by other Unix users
def test_an_unreadable_or_oversized_exchange_submission_is_reported(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    past, _later = _stamps()
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, HONEST, past, owner=HONEST, scenario="correct")
    broken = _submit(fresh, inbound, VICTIM, past, owner=VICTIM, scenario="correct")
    (broken / NB).write_text("{not json")
    from coursekit.config import GradingLimits

    result = collect(course=fresh.course, assignment=ASSIGNMENT)
    assert result.collected == (VICTIM, HONEST)
    assert any(n.startswith(f"{VICTIM}: {NB} cannot be read") for n in result.notes)
    (broken / "video.bin").write_bytes(b"\0" * (2 << 20))
    os.chown(broken / "video.bin", pwd.getpwnam(VICTIM).pw_uid, -1)
    small = collect(
        course=fresh.course, assignment=ASSIGNMENT, limits=GradingLimits(submission_mb=1)
    )
    assert any("more than 1 MiB of files" in p for p in small.problems)


def test_a_late_exchange_submission_gets_nbgraders_late_penalty(
    fresh: FixtureCourse, tmp_path: Path
) -> None:
    from nbgrader.api import Gradebook

    from coursekit.grading.pool import grade
    from coursekit.grading.scores import gradebook_scores

    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    on_time, late = (f"{now - datetime.timedelta(seconds=s)} UTC" for s in (120, 30))
    inbound = _exchange_course(fresh, tmp_path)
    with (fresh.course / "nbgrader_config.py").open("a", encoding="utf-8") as out:
        out.write("c.LateSubmissionPlugin.penalty_method = 'zero'\n")  # an instructor's policy
    release(course=fresh.course, due=f"{now - datetime.timedelta(seconds=60)}")  # UTC
    ws = open_course(fresh.course)
    _submit(fresh, inbound, "alice", on_time, owner="root", scenario="correct")
    _submit(fresh, inbound, "bob", late, owner="root", scenario="correct")
    assert collect(course=fresh.course, assignment=ASSIGNMENT, check_owner=False).collected == (
        "alice",
        "bob",
    )
    run = grade(course=fresh.course, assignment=ASSIGNMENT, sandbox=False, config=fresh.config)
    assert {r.student: r.status for r in run.results} == {"alice": "graded", "bob": "graded"}
    with Gradebook(ws.db_url, ws.course_id) as gb:
        alice, bob = (gb.find_submission(ASSIGNMENT, s) for s in ("alice", "bob"))
        assert alice.total_seconds_late == 0
        assert alice.late_submission_penalty == 0
        assert 25 < bob.total_seconds_late < 35
        assert bob.score > 0
        assert bob.late_submission_penalty == bob.score
    scores = {s.student: s for s in gradebook_scores(ws, ASSIGNMENT)}
    assert scores["bob"].late_penalty > 0
    assert scores["alice"].late_penalty == 0


@pytest.mark.root  # submissions owned by other Unix users
def test_nbgraders_own_collect_is_coursekits(fresh: FixtureCourse, tmp_path: Path) -> None:
    """What formgrader's Collect button runs: the owner check, the time kept, links refused."""
    from coursekit.grading.nbgrader_api import nbgrader_api, quiet_nbgrader

    past, _later = _stamps()
    inbound = _exchange_course(fresh, tmp_path)
    _submit(fresh, inbound, HONEST, past, owner=HONEST, scenario="correct")
    _submit(fresh, inbound, VICTIM, past, owner=HONEST, scenario="blank")  # impersonation
    secret = tmp_path / "instructor-only.txt"
    secret.write_text("not for students")
    linked = _submit(fresh, inbound, "sys", past, owner="sys", scenario="correct")
    (linked / "data.txt").symlink_to(secret)
    api = nbgrader_api(open_course(fresh.course))
    api.log.setLevel(logging.INFO)  # as a Jupyter server logs for formgrader
    with quiet_nbgrader():
        result = api.collect(ASSIGNMENT)
    assert result["success"], result
    assert f"submitted in the name of {VICTIM!r} but owned by {HONEST!r}" in result["log"]
    assert "link" in result["log"]
    assert (fresh.submitted(HONEST) / "timestamp.txt").read_text() == past
    assert not fresh.submitted(VICTIM).exists()
    assert not fresh.submitted("sys").exists()
