"""``shared_gradebook_engines``: nbgrader's Gradebooks share one engine per database, safely."""

from __future__ import annotations

import threading
from pathlib import Path

import nbgrader.api as gradebook_api
import pytest
from nbgrader.api import Gradebook

from coursekit.grading.nbgrader_api import (
    ensure_gradebook,
    quiet_nbgrader,
    shared_gradebook_engines,
)


def test_gradebooks_share_an_engine_inside_and_not_outside(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    ensure_gradebook(url)  # nbgrader itself needs the alembic program for a new database
    real = gradebook_api.create_engine
    with shared_gradebook_engines():
        with Gradebook(url, "c") as first, Gradebook(url, "c") as second:
            assert first.engine is second.engine
            first.add_assignment("hw1")
        with Gradebook(url, "c") as third:
            assert [a.name for a in third.assignments] == ["hw1"]
        other = f"sqlite:///{tmp_path / 'other.db'}"
        ensure_gradebook(other)  # a database made with its own engine meanwhile
        with Gradebook(other, "c") as fresh:
            assert fresh.engine is not third.engine
            assert fresh.assignments == []
    assert gradebook_api.create_engine is real
    assert "create_all" not in vars(gradebook_api.Base.metadata)
    with Gradebook(url, "c") as fourth, Gradebook(url, "c") as fifth:
        assert fourth.engine is not fifth.engine, "nbgrader's own behaviour again"


def test_threads_write_through_shared_engines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    ensure_gradebook(url)
    with Gradebook(url, "c"):
        pass  # the course row, which nbgrader makes on first open (not thread-safe itself)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                with quiet_nbgrader(), Gradebook(url, "c") as gb:
                    gb.update_or_create_student(f"s{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    with shared_gradebook_engines():
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    with Gradebook(url, "c") as gb:
        assert len(gb.students) == 40


def test_one_engine_is_made_per_database_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    ensure_gradebook(url)
    made: list[str] = []
    real = gradebook_api.create_engine

    def counting(db_url: str, **kwargs: object) -> object:
        made.append(db_url)
        return real(db_url, **kwargs)

    monkeypatch.setattr(gradebook_api, "create_engine", counting)
    with shared_gradebook_engines():
        for _ in range(30):
            with Gradebook(url, "c") as gb:
                assert gb.students == []
    assert made == [url]
    with Gradebook(url, "c"), Gradebook(url, "c"):
        assert len(made) == 3, "outside, one engine per Gradebook again"
