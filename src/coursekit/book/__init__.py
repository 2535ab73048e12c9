"""The course book: build and serve (``build``), page setup (``page``), Sphinx roles (``sphinxext``)."""

from __future__ import annotations

__all__: list[str] = []
