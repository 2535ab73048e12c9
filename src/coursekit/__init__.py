"""coursekit: the course on US-Japan-ROK relations, its data, checkers and instructor tools."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
