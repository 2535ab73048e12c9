"""Fixtures for the data tests: a writable copy of the packaged CSVs to break on purpose."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coursekit.data._loaders import data_dir

EditCell = Callable[[str, int, str, str], Path]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A folder holding copies of every packaged CSV."""
    for csv_file in data_dir().glob("*.csv"):
        shutil.copy(csv_file, tmp_path / csv_file.name)
    return tmp_path


@pytest.fixture
def edit_cell(data_copy: Path) -> EditCell:
    """Set one cell: ``edit_cell(file, data_row_index, column, value)``; returns the folder.

    Data row 0 is CSV line 2 (the header is line 1).
    """

    def edit(file: str, row: int, column: str, value: str) -> Path:
        path = data_copy / file
        with path.open(newline="", encoding="utf-8") as f:
            records = list(csv.reader(f))
        header = records[0]
        records[row + 1][header.index(column)] = value
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(records)
        return data_copy

    return edit
