"""Written answers graded by question: offline rubric sheets out, grading CSVs back in.

==============================  =====================================================
``coursekit rubric export``     :func:`coursekit.rubric.export.export_sheets`
``coursekit rubric import``     :func:`coursekit.rubric.importer.import_grades`
==============================  =====================================================

Modules: :mod:`~coursekit.rubric.questions` (written questions, rubrics and model answers
from the source notebooks), :mod:`~coursekit.rubric.codes` (anonymous codes),
:mod:`~coursekit.rubric.sheet` (the self-contained HTML sheet), :mod:`~coursekit.rubric.schema`
(the CSV), :mod:`~coursekit.rubric.validate` and :mod:`~coursekit.rubric.importer` (checked,
all-or-nothing import into the gradebook), :mod:`~coursekit.rubric.store` (criteria met and
who graded what), :mod:`~coursekit.rubric.stats` (grader drift and agreement) and
:mod:`~coursekit.rubric.originality` (overlap flags). Importing this package imports nothing
heavy.
"""

from __future__ import annotations

__all__: list[str] = []
