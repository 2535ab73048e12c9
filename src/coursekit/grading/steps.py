"""nbgrader's autograde steps, run in-process around the execution child.

``nbgrader autograde`` runs two lists of preprocessors: the *sanitize* list (ClearOutput,
DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata) and the *autograde*
list (Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
AssignLatePenalties, CheckCellMetadata). :class:`AutogradeSteps` reads both lists from the
course's nbgrader configuration (so an instructor's changes apply here too), runs the sanitize
list before execution and the autograde list without ``Execute`` after it: execution happens in
:mod:`coursekit.grading.execute`, in a child process the pool may sandbox.
``CheckCellMetadata`` runs as :class:`~coursekit.grading.metadata.QuickCheckCellMetadata`,
the same checks with the JSON schema compiled once.
"""

from __future__ import annotations

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
        from nbconvert import exporters
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
        exporter: Any = exporters.NotebookExporter
        self._sanitize: Any = exporter(config=cfg)
        for pp in self.sanitize_steps:
            self._sanitize.register_preprocessor(pp)
        self._after: Any = exporter(config=cfg)
        for pp in self.after_steps:
            self._after.register_preprocessor(pp)

    def sanitize(self, nb: Any, resources: dict[str, Any]) -> str:
        """Run the sanitize chain on ``nb``; return the text of the notebook to execute."""
        output, _ = self._sanitize.from_notebook_node(nb, resources=_copy(resources))
        return str(output)

    def finish(self, nb: Any, resources: dict[str, Any]) -> str:
        """Run the after-execution chain (saves the grades); return the notebook's text."""
        output, _ = self._after.from_notebook_node(nb, resources=_copy(resources))
        return str(output)


def _quick(step: Any) -> Any:
    """nbgrader's step, or its quicker twin where there is one (the same checks, faster)."""
    from nbgrader.preprocessors import CheckCellMetadata

    from coursekit.grading.metadata import QuickCheckCellMetadata

    return QuickCheckCellMetadata if step is CheckCellMetadata else step


def _copy(resources: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, dict) else v for k, v in resources.items()}
