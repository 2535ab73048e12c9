"""coursekit's nbgrader preprocessors and the step lists that put them in nbgrader's place.

* :class:`QuickCheckCellMetadata`: nbgrader's cell-metadata check, its JSON schema compiled
  once (nbgrader checks the schema itself again for every cell: about 0.3 s per notebook of a
  real assignment, in the one process that saves every grade);
* :class:`OverwriteCells`: nbgrader's repair, deleted grade cells put back, without its crashes;
* :class:`SandboxedExecute`: execution in the sandbox, in two phases;
* :class:`ClearCoursekitMetadata`: coursekit's cell metadata out of released notebooks;
* :class:`AutogradeSteps`: ``nbgrader autograde``'s two chains run in-process around the two
  grading phases (``coursekit grade``).
"""

from __future__ import annotations

import copy
import functools
import shutil
import traceback
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, ValidationError
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from nbgrader.preprocessors import OverwriteCells as _NbgraderOverwriteCells
from traitlets import Bool, Dict

from coursekit.config import GradingLimits
from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api.app import course_of
from coursekit.grading.nbgrader_api.settings import NbgraderSettings, nbgrader_settings

if TYPE_CHECKING:
    from coursekit.grading.workspace import Course

__all__ = [
    "AUTOGRADE_STEPS",
    "GENERATE_STEPS",
    "SANITIZE_STEPS",
    "AutogradeSteps",
    "ClearCoursekitMetadata",
    "OverwriteCells",
    "QuickCheckCellMetadata",
    "SandboxedExecute",
    "notebook_resources",
]


class _SchemaCheckedOnce(BaseMetadataValidator):  # type: ignore[misc]
    """``BaseMetadataValidator.validate_cell`` with a prebuilt JSON-schema validator."""

    @functools.cached_property
    def _validator(self) -> Any:
        import jsonschema  # type: ignore[import-untyped]

        cls = jsonschema.validators.validator_for(self.schema)
        cls.check_schema(self.schema)
        return cls(self.schema)

    def validate_cell(self, cell: Any) -> None:
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        if "nbgrader" not in cell.metadata:
            return
        schema = cell.metadata["nbgrader"].get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {schema} (expected {self.schema_version})",
                schema,
                self.schema_version,
            )
        if schema > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {schema} (expected {self.schema_version})",
                schema,
                self.schema_version,
            )
        error = best_match(self._validator.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class _QuickValidator(MetadataValidator, _SchemaCheckedOnce):  # type: ignore[misc]
    """nbgrader's ``MetadataValidatorV3``; its ``super()`` call reaches the quick base check."""


@functools.cache
def _validator() -> _QuickValidator:
    return _QuickValidator()


class QuickCheckCellMetadata(CheckCellMetadata):  # type: ignore[misc]
    """nbgrader's ``CheckCellMetadata`` with the schema checked once per process."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Validate every cell's nbgrader metadata; raise ``ValidationError`` as nbgrader does."""
        try:
            _validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


def _grade_id(cell: Any) -> str | None:
    value = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return value if isinstance(value, str) and value else None


def _with_id(nb: Any, cell: Any) -> Any:
    """``cell`` with a fresh cell id when ``nb``'s nbformat has ids (4.5 and later)."""
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5) and "id" not in cell:
        taken = {c.get("id") for c in nb.cells}
        cell["id"] = next(i for i in (uuid.uuid4().hex[:8] for _ in range(100)) if i not in taken)
    return cell


class OverwriteCells(_NbgraderOverwriteCells):  # type: ignore[misc]
    """nbgrader's ``OverwriteCells``, with its handling of unknown and missing cells fixed.

    nbgrader 0.9 leaves the rest of the grading metadata on a cell whose grade id the
    gradebook does not know (a "bonus" cell a student made up), and its
    ``add_missing_cells`` crashes on a cell that ``DeduplicateIds`` emptied and on a deleted
    grade cell whose neighbour in the source is not an answer or test cell. Here an unknown
    cell becomes an ordinary cell, and a deleted grade cell is put back after the nearest
    cell before it in the source that the submission still has.
    """

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        """nbgrader's check of one cell; an unknown grade id makes it an ordinary cell."""
        had = _grade_id(cell)
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had is not None and _grade_id(cell) is None:
            cell.metadata.pop("nbgrader", None)
        elif not cell.get("metadata", {}).get("nbgrader", True):
            cell.metadata.pop("nbgrader", None)  # emptied by DeduplicateIds
        return cell, resources

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Put back each deleted grade cell, after its nearest surviving predecessor."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = {cell.name: cell for cell in source_nb.source_cells}
        order = list(cells)
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        for name in order:
            present = {gid: i for i, c in enumerate(nb.cells) if (gid := _grade_id(c))}
            if name not in grade_cells or name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            cell = _with_id(
                nb,
                self.missing_cell_transform(
                    cells[name], grade_cells[name].max_score, is_solution=name in solutions
                ),
            )
            before = [n for n in order[: order.index(name)] if n in present]
            nb.cells.insert(present[before[-1]] + 1 if before else 0, cell)
        return nb, resources

    def add_missing_task_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Put back each deleted task cell at the end, as nbgrader does."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = {cell.name: cell for cell in source_nb.source_cells}
        present = {_grade_id(c) for c in nb.cells}
        for task in source_nb.task_cells:
            if task.name not in present:
                cell = self.missing_cell_transform(cells[task.name], task.max_score, is_task=True)
                nb.cells.append(_with_id(nb, cell))
        return nb, resources


class SandboxedExecute(Execute):  # type: ignore[misc]
    """nbgrader's ``Execute`` step, replaced: the notebook runs sandboxed, in two phases.

    Phase 1 runs the student's cells in the sandbox (no network, no course files, limits);
    phase 2 runs the instructor's tests on the captured answers in a process that never ran
    student code (:func:`coursekit.grading.twophase.grade_notebook`). The notebook comes
    back with each test cell's outputs, as nbgrader's ``Execute`` would leave it, and
    nbgrader's next steps save the grades. When the sandbox cannot run, grading stops with
    the reason: it never falls back to running student code unsandboxed.
    """

    sandbox = Bool(
        True, help="Run student code in the sandbox (False only for trusted notebooks)."
    ).tag(config=True)
    limits = Dict(
        {}, help="coursekit GradingLimits fields (memory_mb, cell_timeout, ...) for the sandbox."
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Run ``nb`` for grading and return it with its outputs."""
        from coursekit.grading import sandbox as sandboxing
        from coursekit.grading.nbio import read_notebook

        ws = course_of(self)
        info = resources["nbgrader"]
        limits = GradingLimits(**self.limits)
        if self.sandbox:
            try:
                sandboxing.check_available()
            except sandboxing.SandboxUnavailable as exc:
                raise GradingError(
                    f"{exc}; nbgrader's autograde in this course runs only in coursekit's "
                    "sandbox: fix that, or use `coursekit grade` (see its --no-sandbox)"
                ) from exc
        else:
            self.log.warning(sandboxing.NO_SANDBOX_WARNING)
        source = read_notebook(
            ws.path("source", ".", info["assignment"]) / f"{info['notebook']}.ipynb"
        )
        scratch = ws.root / ".coursekit" / "scratch" / "nbgrader" / uuid.uuid4().hex[:12]
        workdir = scratch / "files"
        workdir.mkdir(parents=True)
        try:
            _copy_other_files(Path(resources["metadata"]["path"]), workdir, nbgrader_settings(ws))
            executed = self._run(nb, source=source, workdir=workdir, limits=limits, ws=ws)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return executed, resources

    def _run(
        self, nb: Any, *, source: Any, workdir: Path, limits: GradingLimits, ws: Course
    ) -> Any:
        from coursekit.checks.quotes import ARTICLE_MISSING_NOTE, uses_quotes
        from coursekit.grading import twophase

        result = twophase.grade_notebook(
            nb,
            source=source,
            workdir=workdir,
            limits=limits,
            sandbox=self.sandbox,
            article=ws.article,
            course=ws,
        )
        notes = list(result.messages) + [f"flagged: {flag}" for flag in result.flags]
        if ws.article is None and uses_quotes(source):
            notes.append(ARTICLE_MISSING_NOTE)
        for note in notes:
            self.log.warning("coursekit: %s", note)
        return result.notebook


def _copy_other_files(folder: Path, dest: Path, settings: NbgraderSettings) -> None:
    """The submission's other files (data it reads), never a notebook."""
    from nbgrader.utils import find_all_files

    for name in find_all_files(str(folder), [*settings.ignore, "*.ipynb"]):
        target = dest / Path(name).relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(name, target)


class ClearCoursekitMetadata(NbGraderPreprocessor):  # type: ignore[misc]
    """Remove coursekit's own cell metadata (``metadata.coursekit``) from a released notebook.

    Source notebooks may declare, for two-phase grading, the arguments on which a test calls
    a student's function; students need not see that.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Drop ``metadata.coursekit`` from one cell."""
        cell.get("metadata", {}).pop("coursekit", None)
        return cell, resources


def _generate_steps() -> list[type]:
    from nbgrader.converters import GenerateAssignment

    steps: list[type] = list(GenerateAssignment.class_traits()["preprocessors"].default())
    return [*steps, ClearCoursekitMetadata]


SANITIZE_STEPS: list[type] = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
"""nbgrader's sanitize steps, with :class:`OverwriteCells` for nbgrader's."""

AUTOGRADE_STEPS: list[type] = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
"""nbgrader's autograde steps, with :class:`SandboxedExecute` for nbgrader's ``Execute``."""

GENERATE_STEPS: list[type] = _generate_steps()
"""nbgrader's ``generate_assignment`` steps, then :class:`ClearCoursekitMetadata`."""


# ---- nbgrader autograde's chains, run in-process around the two grading phases ----------
#
# ``nbgrader autograde`` runs two lists of preprocessors: the *sanitize* list and the
# *autograde* list. :class:`AutogradeSteps` reads both from the course's nbgrader
# configuration (so an instructor's changes apply here too), runs the sanitize list before
# execution and the autograde list without ``Execute`` after it: the two grading phases
# (:mod:`coursekit.grading.twophase`) take ``Execute``'s place. The steps run on notebook
# nodes in order, as nbconvert's exporter runs them, without writing and parsing the notebook
# in between. ``CheckCellMetadata`` runs as :class:`QuickCheckCellMetadata`.


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
    return QuickCheckCellMetadata if step is CheckCellMetadata else step


def _copy(resources: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, dict) else v for k, v in resources.items()}
