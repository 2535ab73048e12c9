"""Fixtures of the hub tests: the throwaway PostgreSQL cluster of the grading tests."""

from tests.grading.conftest import postgres_url

__all__ = ["postgres_url"]
