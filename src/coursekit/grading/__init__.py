"""Instructor grading over nbgrader: workspace, release, collect, grade, feedback, report, export.

nbgrader stays the engine and the gradebook; this package adds grading in two phases (the
student's cells run sandboxed and their answers are captured as data; the instructor's tests
run on that data in a process that never runs student code: :mod:`coursekit.grading.twophase`),
a pool of workers, checks on submissions, leak-free feedback, item reports and grade
exports. Each command of ``coursekit`` calls one keyword-only function:

==========================  ============================================
``coursekit course init``   :func:`coursekit.grading.workspace.init_course`
``coursekit release``       :func:`coursekit.grading.release.release`
``coursekit collect``       :func:`coursekit.grading.collect.collect`
``coursekit grade``         :func:`coursekit.grading.pool.grade`
``coursekit feedback``      :func:`coursekit.grading.feedback.feedback`
``coursekit report``        :func:`coursekit.grading.report.report`
``coursekit export``        :func:`coursekit.grading.export.export`
==========================  ============================================

``coursekit demo`` (:func:`coursekit.demo.demo`) sits a level up: it also builds the book
and grades the written answers on rubric sheets.

Importing this package imports nothing heavy: the phase-1 process
(``python -m coursekit.grading.capture``) starts through it.
"""

from __future__ import annotations

__all__: list[str] = []
