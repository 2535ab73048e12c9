"""Instructor grading over nbgrader: workspace, release, collect, grade, feedback, report, export.

nbgrader stays the engine and the gradebook; this package adds a pool of workers (one child
process per notebook, optionally sandboxed), checks on submissions, leak-free feedback, item
reports and grade exports. Each command of ``coursekit`` calls one keyword-only function:

==========================  ============================================
``coursekit course init``   :func:`coursekit.grading.workspace.init_course`
``coursekit release``       :func:`coursekit.grading.release.release`
``coursekit collect``       :func:`coursekit.grading.collect.collect`
``coursekit grade``         :func:`coursekit.grading.pool.grade`
``coursekit feedback``      :func:`coursekit.grading.feedback.feedback`
``coursekit report``        :func:`coursekit.grading.report.report`
``coursekit export``        :func:`coursekit.grading.export.export`
``coursekit demo``          :func:`coursekit.grading.demo.demo`
==========================  ============================================

Importing this package imports nothing heavy: the grading child process
(``python -m coursekit.grading.execute``) starts through it.
"""

from __future__ import annotations

__all__: list[str] = []
