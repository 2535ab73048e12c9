"""Fixtures of the widget tests: a small, fixed copy of the course data, so counts stay put."""

from __future__ import annotations

from pathlib import Path

import pytest

WIDGET_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "widget_data"


@pytest.fixture
def widget_data() -> Path:
    """The folder of fixture CSVs (see its README for what each holds and why)."""
    return WIDGET_DATA
