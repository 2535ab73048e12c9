"""The course on a real JupyterHub, end to end in Chromium: two students and an instructor.

A hub made by ``coursekit hub init`` (PAM logins for two Unix accounts created from a roster,
a PostgreSQL gradebook) is started on 127.0.0.1. The instructor releases a1 to the exchange;
each student logs in through the hub's login page, fetches a1 from the Assignments tab,
answers (one correctly, one partly), validates and submits (the first student twice: the
later submission counts). The hub is stopped and started again between submitting and
collecting. The instructor collects, grades in the sandbox, writes and releases feedback;
each student fetches it and sees their own score, and student 1 cannot see student 2's
files, neither on disk nor through the exchange.

These tests create and delete real Unix accounts: they need root (``.ci/run`` runs them so).
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from coursekit.grading.collect import collect
from coursekit.grading.feedback import feedback
from coursekit.grading.pool import grade
from coursekit.grading.release import release, release_feedback
from coursekit.grading.workspace import open_course
from coursekit.hub.service import start_hub, stop_hub
from coursekit.hub.setup import HubLayout, init_hub
from tests.assignments.nbcourse import fill, read_notebook, solution_sources, source_path
from tests.assignments.scenarios import SCENARIOS
from tests.servers import free_port

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.browser]

A1 = "a1-timeline"
COURSE = "coursekit-trilateral"
STUDENTS = ("ckhub-s1", "ckhub-s2")


def _drop_accounts() -> None:
    for user in STUDENTS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        subprocess.run(["pkill", "-KILL", "-u", user], check=False)
        subprocess.run(["userdel", "--remove", user], check=False, capture_output=True)


@dataclass(frozen=True)
class Hub:
    """A running course hub and what the test needs to drive it."""

    layout: HubLayout
    url: str
    passwords: dict[str, str]

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def as_student(self, user: str, *argv: str) -> subprocess.CompletedProcess[str]:
        """Run a command as ``user`` (to see what that student can reach)."""
        return subprocess.run(
            ["runuser", "-u", user, "--", *argv], capture_output=True, text=True, cwd="/"
        )


@pytest.fixture(scope="module")
def hub(postgres_url: str) -> Iterator[Hub]:
    """A hub with two students on fresh Unix accounts and a PostgreSQL gradebook."""
    assert os.geteuid() == 0, "the hub tests create Unix accounts: run them as root"
    _drop_accounts()
    root = Path(tempfile.mkdtemp(prefix="coursekit-hub-", dir="/tmp"))
    roster = root.with_suffix(".csv")
    roster.write_text("id,first_name,last_name\nckhub-s1,Ana,Kim\nckhub-s2,Ben,Sato\n")
    port = free_port(3)
    result = init_hub(directory=root, students=roster, port=port, db_url=postgres_url)
    assert result.created_users == STUDENTS
    passwords = dict(csv.reader(result.layout.passwords.read_text().splitlines()))
    status = start_hub(directory=root)
    try:
        yield Hub(result.layout, status.url, passwords)
    finally:
        stop_hub(directory=root)
        _drop_accounts()
        shutil.rmtree(root, ignore_errors=True)
        roster.unlink(missing_ok=True)


def _login(browser: Any, hub: Hub, user: str) -> Any:
    """Log ``user`` in through the hub's login page; the page of their JupyterLab."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(hub.url) else route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{hub.url}hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.passwords[user])
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**/user/{user}/lab**")
    page.wait_for_selector("#jp-main-dock-panel")
    return page


def _back_to_lab(page: Any, hub: Hub, user: str) -> None:
    """Open the student's JupyterLab again, starting their server if the hub stopped it."""
    page.goto(f"{hub.url}hub/home")
    start = page.locator("#start")
    if start.count() and start.is_visible():
        start.click()
    try:
        page.goto(f"{hub.url}user/{user}/lab")
        page.wait_for_selector("#jp-main-dock-panel")
    except PlaywrightTimeout as exc:
        raise AssertionError(f"{user}: JupyterLab did not come back; at {page.url}") from exc


def _assignments_tab(page: Any) -> None:
    """Open the Assignments tab and wait until its three lists have loaded."""
    page.click(".lm-MenuBar-itemLabel:text('Nbgrader')")
    page.click(".lm-Menu-itemLabel:text('Assignment List')")
    for name in ("released", "fetched", "submitted"):
        page.wait_for_selector(f"#{name}_assignments_list_loading", state="hidden")


def _answer(hub: Hub, user: str, scenario: str) -> None:
    """Write the answers of ``scenario`` into the student's fetched notebook, as the student."""
    fetched = hub.home(user) / COURSE / A1 / f"{A1}.ipynb"
    source = read_notebook(source_path(A1))
    answers = {**solution_sources(source), **SCENARIOS[A1][scenario].changes}
    released = read_notebook(fetched)
    text = json.dumps(fill(released, answers), indent=1)
    done = subprocess.run(
        ["runuser", "-u", user, "--", "tee", str(fetched)],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.returncode == 0


def _fetch_answer_validate_submit(page: Any, hub: Hub, user: str, scenario: str) -> str:
    """Fetch a1 (if needed), answer, press Validate, then Submit; the validation dialog's text."""
    _assignments_tab(page)
    fetch = page.locator("#released_assignments_list button:text('Fetch')")
    if fetch.count():
        fetch.click()
        page.wait_for_selector("#fetched_assignments_list .list_item")
    fetched = hub.home(user) / COURSE / A1 / f"{A1}.ipynb"
    for _ in range(120):
        if fetched.is_file():
            break
        page.wait_for_timeout(500)
    _answer(hub, user, scenario)
    page.click("#fetched_assignments_list a.assignment-notebooks-link")
    page.click("#fetched_assignments_list .nested_list_item button:text('Validate')")
    dialog = page.wait_for_selector(".jp-Dialog-content")
    shown = str(dialog.inner_text())
    page.click(".jp-Dialog-content button.jp-mod-accept, .jp-Dialog-content button")
    before = page.locator("#submitted_assignments_list .list_item").count()
    page.click("#fetched_assignments_list button:text('Submit')")
    page.wait_for_function(
        "n => document.querySelectorAll('#submitted_assignments_list .list_item').length > n",
        arg=before,
    )
    return shown


def test_two_students_and_an_instructor_through_the_whole_loop(hub: Hub, chromium: Any) -> None:
    course = hub.layout.course
    release(course=course, assignments=[A1])

    # Student 1 submits a partial answer first, then the correct one; student 2 a partial one.
    # Validate runs the visible tests: wrong types fail them; a wrong link of the cascade passes
    # them (only the hidden tests, at grading, find it).
    ana = _login(chromium, hub, "ckhub-s1")
    first = _fetch_answer_validate_submit(ana, hub, "ckhub-s1", "wrong-types")
    assert "The following cell failed" in first, first
    assert "signed" in first, first
    second = _fetch_answer_validate_submit(ana, hub, "ckhub-s1", "correct")
    assert "Success! Your notebook passes all the tests." in second, second
    ben = _login(chromium, hub, "ckhub-s2")
    third = _fetch_answer_validate_submit(ben, hub, "ckhub-s2", "wrong-q2")
    assert "Success! Your notebook passes all the tests." in third, third

    inbound = hub.layout.exchange / COURSE / "inbound"
    submitted = sorted(p.name.split("+")[0] for p in inbound.iterdir())
    assert submitted == ["ckhub-s1", "ckhub-s1", "ckhub-s2"]

    # Stopping and starting the hub loses no submission.
    stop_hub(directory=hub.layout.root)
    start_hub(directory=hub.layout.root)
    assert sorted(p.name.split("+")[0] for p in inbound.iterdir()) == submitted

    # The instructor: due date before the submissions (so they are late), collect, grade.
    from nbgrader.api import Gradebook

    ws = open_course(course)
    with Gradebook(ws.db_url, ws.course_id) as gb:
        gb.update_or_create_assignment(A1, duedate="2020-01-01 00:00:00 UTC")
    collected = collect(course=course, assignment=A1)
    assert collected.collected == STUDENTS, str(collected)
    assert not collected.problems, str(collected)
    run = grade(course=course, assignment=A1)
    scores = {r.student: r for r in run.results}
    assert scores["ckhub-s1"].status == "graded"
    assert scores["ckhub-s2"].status == "graded"
    assert scores["ckhub-s1"].score == SCENARIOS[A1]["correct"].score  # the later submission
    assert scores["ckhub-s2"].score == SCENARIOS[A1]["wrong-q2"].score
    with Gradebook(ws.db_url, ws.course_id) as gb:
        late = gb.find_submission(A1, "ckhub-s2")
        assert late.total_seconds_late > 0
    feedback(course=course, assignment=A1)
    release_feedback(course=course, assignment=A1)

    # Each student fetches feedback and sees their own score.
    # The restart stopped their servers; they are still logged in (the cookie secret is kept).
    for page, user, scenario in ((ana, "ckhub-s1", "correct"), (ben, "ckhub-s2", "wrong-q2")):
        _back_to_lab(page, hub, user)
        _assignments_tab(page)
        page.locator("#submitted_assignments_list button:text('Fetch Feedback')").first.click()
        pages = hub.home(user) / COURSE / A1 / "feedback"
        for _ in range(120):
            found = list(pages.glob(f"*/{A1}.html"))
            if found:
                break
            page.wait_for_timeout(500)
        assert found, f"{user} fetched no feedback"
        stamp = found[0].parent.name
        page.goto(f"{hub.url}user/{user}/files/{COURSE}/{A1}/feedback/{stamp}/{A1}.html")
        text = page.inner_text("body")
        assert f"Score: {SCENARIOS[A1][scenario].score:g}" in text, text[:500]
        assert "BEGIN HIDDEN TESTS" not in text

    # Student 1 cannot reach student 2's work: not the home, not the exchange's inbound or
    # feedback folders, not the course.
    other = hub.home("ckhub-s2")
    for target in (
        other,
        other / COURSE / A1,
        inbound,
        hub.layout.exchange / COURSE / "feedback",
        course,
        hub.layout.hub,
    ):
        listing = hub.as_student("ckhub-s1", "ls", str(target))
        assert listing.returncode != 0, target
        assert "Permission denied" in listing.stderr, target
    # Even knowing the name of student 2's submission folder, student 1 can neither read nor
    # change it (nbgrader alone would leave it readable, and the folder writable, by all).
    for entry in inbound.iterdir():
        if entry.name.startswith("ckhub-s2+"):
            peek = hub.as_student("ckhub-s1", "cat", str(entry / f"{A1}.ipynb"))
            assert peek.returncode != 0
            assert not peek.stdout
            touch = hub.as_student("ckhub-s1", "touch", str(entry / "planted.txt"))
            assert touch.returncode != 0
            assert not (entry / "planted.txt").exists()


def _scratch_notebook(hub: Hub, user: str) -> Path:
    """A notebook with two empty code cells in the student's home, written as the student."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(""), nbformat.v4.new_code_cell("")]
    path = hub.home(user) / "scratch.ipynb"
    subprocess.run(
        ["runuser", "-u", user, "--", "tee", str(path)],
        input=nbformat.writes(nb),
        capture_output=True,
        text=True,
        check=True,
    )
    return path


def test_a_server_killed_mid_work_loses_only_what_was_not_saved(hub: Hub, chromium: Any) -> None:
    user = "ckhub-s1"
    path = _scratch_notebook(hub, user)
    page = _login(chromium, hub, user)
    page.goto(f"{hub.url}user/{user}/lab/tree/scratch.ipynb")
    cells = page.locator(".jp-Notebook .jp-Cell .cm-content")
    cells.first.wait_for()
    cells.nth(0).click()
    page.keyboard.type("saved_cell = 1")
    page.keyboard.press("Control+s")
    for _ in range(60):
        if "saved_cell = 1" in path.read_text():
            break
        page.wait_for_timeout(500)
    cells.nth(1).click()
    page.keyboard.type("unsaved_cell = 2")
    subprocess.run(["pkill", "-KILL", "-u", user, "-f", "jupyterhub-singleuser"], check=True)
    assert "saved_cell = 1" in path.read_text()
    # The hub notices the dead server (it polls) and starts a new one; the saved work is there.
    notebook = page.locator(".jp-Notebook .jp-Cell .cm-content").first
    for _ in range(12):
        page.goto(f"{hub.url}hub/home")
        start = page.locator("#start")
        if start.count() and start.is_visible():
            start.click()
            page.wait_for_url(f"**/user/{user}/**")
        page.goto(f"{hub.url}user/{user}/lab/tree/scratch.ipynb")
        try:
            notebook.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:  # the hub has not noticed yet: ask again
            continue
    # The notebook's cells render after its panel: wait for them, then read.
    expect(page.locator(".jp-Notebook").first).to_contain_text("saved_cell = 1", timeout=60_000)


def test_the_hub_keeps_its_secrets_out_of_logs_and_command_lines(hub: Hub) -> None:
    secrets = [
        (hub.layout.hub / name).read_text().strip()
        for name in ("jupyterhub_cookie_secret", "proxy_auth_token")
    ]
    assert all(len(s) == 64 for s in secrets)
    log = hub.layout.log.read_text(errors="replace")
    commands = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "JupyterHub starting" in log or "JupyterHub is now running" in log
    for secret in secrets:
        assert secret not in log
        assert secret not in commands
    for name in ("jupyterhub_cookie_secret", "proxy_auth_token", "passwords.csv"):
        assert (hub.layout.hub / name).stat().st_mode & 0o077 == 0
