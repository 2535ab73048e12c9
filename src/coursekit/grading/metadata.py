"""Former home of :class:`QuickCheckCellMetadata`, now in :mod:`coursekit.grading.nbgrader_api`.

Kept only so that imports not yet switched keep working; import from ``nbgrader_api``.
"""

from __future__ import annotations

from coursekit.grading.nbgrader_api import QuickCheckCellMetadata

__all__ = ["QuickCheckCellMetadata"]
