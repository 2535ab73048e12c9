"""nbgrader's autograde steps, run in-process around the two grading phases.

``nbgrader autograde`` runs two lists of preprocessors: the *sanitize* list (ClearOutput,
DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata) and the *autograde*
list (Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
AssignLatePenalties, CheckCellMetadata). :class:`AutogradeSteps` reads both lists from the
course's nbgrader configuration (so an instructor's changes apply here too), runs the sanitize
list before execution and the autograde list without ``Execute`` after it: the two grading phases
(:mod:`coursekit.grading.twophase`) take ``Execute``'s place. The steps run on notebook nodes
in order, as nbconvert's exporter runs them, without writing and parsing the notebook in
between.
``CheckCellMetadata`` runs as :class:`~coursekit.grading.nbgrader_api.QuickCheckCellMetadata`,
the same checks with the JSON schema compiled once.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from coursekit.grading.workspace import Course

__all__ = ["AutogradeSteps", "notebook_resources"]


def notebook_resources(
    course: Course, *, assignment: str, student: str, notebook: str, path: Path
) -> dict[str, Any]:
    """The resources nbgrader's converters hand to their preprocessors for one notebook."""
    return {
        "unique_key": notebook,
        "output_files_dir": f"{notebook}_files",
        "metadata": {"name": notebook, "path": str(path)},
        "nbgrader": {
            "student": student,
            "assignment": assignment,
            "notebook": notebook,
            "db_url": course.db_url,
        },
    }


class AutogradeSteps:
    """The two preprocessor chains of ``nbgrader autograde``, built once per grading run."""

    def __init__(self, course: Course) -> None:
        """Build both chains from ``course``'s nbgrader configuration."""
        from nbgrader.converters import Autograde
        from nbgrader.preprocessors import Execute
        from traitlets.config import Config

        cfg = Config()
        cfg.merge(course.config)
        cfg.Exporter.default_preprocessors = []
        autograde = Autograde(coursedir=course.coursedir(), config=cfg)
        self.sanitize_steps: list[Any] = [_quick(pp) for pp in autograde.sanitize_preprocessors]
        self.after_steps: list[Any] = [
            _quick(pp)
            for pp in autograde.autograde_preprocessors
            if not (isinstance(pp, type) and issubclass(pp, Execute))
        ]
        self.exclude_overwriting: dict[str, list[str]] = dict(autograde.exclude_overwriting)
        self._sanitize = [_instance(pp, cfg) for pp in self.sanitize_steps]
        self._after = [_instance(pp, cfg) for pp in self.after_steps]

    def sanitize(self, nb: Any, resources: dict[str, Any]) -> Any:
        """Run the sanitize chain on a copy of ``nb``; return the notebook to grade."""
        return _run(self._sanitize, copy.deepcopy(nb), resources)

    def finish(self, nb: Any, resources: dict[str, Any]) -> str:
        """Run the after-execution chain on ``nb`` (saves the grades); return its text.

        ``nb`` is changed in place, as nbgrader's exporter changes its copy.
        """
        import nbformat

        return str(nbformat.writes(_run(self._after, nb, resources)))  # type: ignore[no-untyped-call]


def _instance(step: Any, cfg: Any) -> Any:
    """One preprocessor, configured as nbconvert's exporter configures it.

    Its ``enabled`` stays its own setting (nbconvert's ``ClearMetadataPreprocessor`` stays off
    unless the course turns it on), as with the exporter's ``register_preprocessor``.
    """
    return step(config=cfg) if isinstance(step, type) else step


def _run(steps: list[Any], nb: Any, resources: dict[str, Any]) -> Any:
    """Apply ``steps`` in order, as nbconvert's ``Exporter._preprocess`` does."""
    res = _copy(resources)
    for step in steps:
        nb, res = step(nb, res)
    return nb


def _quick(step: Any) -> Any:
    """nbgrader's step, or its quicker twin where there is one (the same checks, faster)."""
    from nbgrader.preprocessors import CheckCellMetadata

    from coursekit.grading.nbgrader_api import QuickCheckCellMetadata

    return QuickCheckCellMetadata if step is CheckCellMetadata else step


def _copy(resources: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, dict) else v for k, v in resources.items()}
