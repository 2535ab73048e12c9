"""The course book: building and serving it, page setup, and its Sphinx extension."""

from __future__ import annotations

__all__: list[str] = []
