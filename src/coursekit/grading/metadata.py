"""nbgrader's cell-metadata check, with its JSON schema checked once instead of once per cell.

nbgrader's ``CheckCellMetadata`` step (run twice per notebook by ``autograde``) validates each
cell's nbgrader metadata with ``jsonschema.validate``, which checks the *schema itself* again on
every call: about 0.3 s per notebook of a real assignment, in the one process that saves every
grade. :class:`QuickCheckCellMetadata` runs nbgrader's own validator (``MetadataValidatorV3``:
schema versions, grade ids, points, cell types, duplicates) and only replaces the per-cell
``jsonschema.validate`` with a validator built once, raising the same errors.
"""

from __future__ import annotations

import functools
import traceback
from typing import Any

from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

__all__ = ["QuickCheckCellMetadata"]


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
