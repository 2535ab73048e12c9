"""The one boundary with nbgrader's internals: its settings, its API, and coursekit's plug-ins.

An nbgrader upgrade should touch this package (and the hub's one submit plug-in,
:mod:`coursekit.hub.exchange`, which students' servers import); elsewhere coursekit uses only
nbgrader's ``Gradebook``, ``CourseDirectory`` and small utilities. Import from here:

* :mod:`.settings`: :func:`nbgrader_settings` (the solution, hidden-test and mark-scheme
  delimiters and the ignore patterns, read from a course's nbgrader configuration, so a course
  with its own delimiters is handled everywhere), and :func:`split_hidden` /
  :func:`strip_hidden`, which cut hidden regions out of a cell's text exactly as nbgrader's
  ``ClearHiddenTests`` does;
* :mod:`.app`: :func:`nbgrader_api` and :func:`check_result`: nbgrader's own steps run
  in-process through its ``NbGraderAPI``, with clear errors;
* :mod:`.gradebook`: :func:`ensure_gradebook` (a new database made without the ``alembic``
  program), :func:`open_gradebook`, :func:`quiet_nbgrader`, :func:`fast_sqlite_commits`,
  :func:`shared_gradebook_engines`, :func:`zero_notebook`;
* :mod:`.preprocessors`: :class:`QuickCheckCellMetadata`, :class:`OverwriteCells`,
  :class:`SandboxedExecute`, :class:`ClearCoursekitMetadata`, the step lists, and
  :class:`AutogradeSteps` (nbgrader autograde's chains around coursekit's two phases);
* :mod:`.exporters`: :class:`SubmissionExporter` (submissions read with size and depth limits
  and diagnosed) and :class:`FeedbackExporter` (coursekit's feedback page, no hidden test);
* :mod:`.exchange`: :class:`CoursekitCollect` (nbgrader's collect done by coursekit's safe
  one) and the exchange of a course that has none (formgrader works without a warning about a
  missing exchange folder, and its release and collect buttons say what to do);
* :mod:`.config`: :func:`config_lines`, the lines ``coursekit course init`` writes into
  ``nbgrader_config.py`` so that nbgrader's own ``autograde`` and ``generate_feedback``, from
  the command line or from formgrader's buttons, are as safe as coursekit's commands.
"""

from __future__ import annotations

from coursekit.grading.nbgrader_api.app import check_result, course_of, nbgrader_api
from coursekit.grading.nbgrader_api.config import config_lines
from coursekit.grading.nbgrader_api.exchange import NO_EXCHANGE_PLUGINS, CoursekitCollect
from coursekit.grading.nbgrader_api.exporters import FeedbackExporter, SubmissionExporter
from coursekit.grading.nbgrader_api.gradebook import (
    ensure_gradebook,
    fast_sqlite_commits,
    open_gradebook,
    quiet_nbgrader,
    shared_gradebook_engines,
    zero_notebook,
)
from coursekit.grading.nbgrader_api.preprocessors import (
    AUTOGRADE_STEPS,
    GENERATE_STEPS,
    SANITIZE_STEPS,
    AutogradeSteps,
    ClearCoursekitMetadata,
    OverwriteCells,
    QuickCheckCellMetadata,
    SandboxedExecute,
    notebook_resources,
)
from coursekit.grading.nbgrader_api.settings import (
    HIDDEN_NOTE,
    NbgraderSettings,
    has_hidden,
    nbgrader_settings,
    split_hidden,
    strip_hidden,
)

__all__ = [
    "AUTOGRADE_STEPS",
    "GENERATE_STEPS",
    "HIDDEN_NOTE",
    "NO_EXCHANGE_PLUGINS",
    "SANITIZE_STEPS",
    "AutogradeSteps",
    "ClearCoursekitMetadata",
    "CoursekitCollect",
    "FeedbackExporter",
    "NbgraderSettings",
    "OverwriteCells",
    "QuickCheckCellMetadata",
    "SandboxedExecute",
    "SubmissionExporter",
    "check_result",
    "config_lines",
    "course_of",
    "ensure_gradebook",
    "fast_sqlite_commits",
    "has_hidden",
    "nbgrader_api",
    "nbgrader_settings",
    "notebook_resources",
    "open_gradebook",
    "quiet_nbgrader",
    "shared_gradebook_engines",
    "split_hidden",
    "strip_hidden",
    "zero_notebook",
]
