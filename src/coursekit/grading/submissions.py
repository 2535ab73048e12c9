"""Check a submitted notebook before grading: read it safely, repair what can be, report all.

:func:`inspect_submission` never writes the submitted file. It reads a copy and returns a
:class:`SubmissionCheck`: a status (``ok``, ``repaired`` or ``rejected``), the repaired
notebook to grade (``None`` when rejected), one message per finding and a set of flags.

Findings, compared with the source notebook by nbgrader ``grade_id``:

* unreadable files: missing, empty, too large, invalid JSON, not a notebook, an nbformat
  that cannot be read (version 1-3 is upgraded to 4; newer versions are rejected);
* deleted cells: graded parts that are gone score 0; deleted locked cells (such as the
  setup cell) are put back from the source;
* duplicated cells: the first copy of a locked or test cell is kept and the other copies
  removed; the last copy of an answer cell is graded (as in nbgrader) and earlier copies
  become ordinary cells;
* tampering: edited locked or test cells, edited points or other grading metadata, and
  grading metadata on cells the source does not have are restored from the source;
* a changed kernelspec is reset to the source's;
* huge outputs are cut to ``GradingLimits.output_chars`` characters per cell.

:func:`find_notebook` finds the notebook in a student's folder (a lone notebook with another
name is used and reported as renamed), and :func:`inspect_folder` does both steps.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat

from coursekit.config import GradingLimits

__all__ = [
    "MAX_NOTEBOOK_MB",
    "FoundNotebook",
    "SubmissionCheck",
    "find_notebook",
    "inspect_folder",
    "inspect_submission",
]

MAX_NOTEBOOK_MB = 100
"""Submitted notebooks larger than this are rejected without being parsed."""

Status = Literal["ok", "repaired", "rejected"]
_HIDDEN_REGIONS = (
    ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
    ("BEGIN MARK SCHEME", "END MARK SCHEME"),
)
_CUT_NOTE = "\n[... output cut by coursekit: {n} characters over the limit of {limit} ...]\n"


@dataclass(frozen=True)
class SubmissionCheck:
    """What :func:`inspect_submission` found in one submitted notebook."""

    path: Path
    """The submitted file (never modified)."""
    status: Status
    """``ok`` (grade as is), ``repaired`` (grade :attr:`notebook`) or ``rejected``."""
    notebook: Any = None
    """The notebook to grade (an ``nbformat.NotebookNode``), or ``None`` when rejected."""
    messages: tuple[str, ...] = ()
    """One sentence per finding, naming the file and cell."""
    flags: frozenset[str] = field(default_factory=frozenset)
    """Short names of the findings, e.g. ``tampered``, ``deleted-cells``, ``invalid-json``."""
    missing_grade_ids: tuple[str, ...] = ()
    """Graded cells absent from the submission: those parts score 0."""

    @property
    def gradable(self) -> bool:
        """Whether there is a notebook to grade."""
        return self.notebook is not None

    def __str__(self) -> str:
        head = f"{self.path.name}: {self.status}"
        if self.flags:
            head += f" ({', '.join(sorted(self.flags))})"
        return "\n".join([head, *(f"  - {m}" for m in self.messages)])


@dataclass(frozen=True)
class FoundNotebook:
    """Where a student's notebook is, as found by :func:`find_notebook`."""

    path: Path | None
    """The notebook to grade, or ``None`` when there is none."""
    renamed: bool = False
    """The notebook has another name than the assignment's."""
    message: str = ""
    """What was found, when it is not simply the expected file."""


def find_notebook(folder: Path, name: str) -> FoundNotebook:
    """Find notebook ``name`` in a student's submission ``folder``.

    The expected file wins; otherwise a single other ``.ipynb`` (checkpoints ignored) is
    used and reported as renamed; with none or several, the notebook is missing.
    """
    expected = folder / name
    if expected.is_file():
        return FoundNotebook(expected)
    others = sorted(
        p
        for p in folder.rglob("*.ipynb")
        if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(folder).parts
    )
    if len(others) == 1:
        found = others[0]
        rel = found.relative_to(folder)
        return FoundNotebook(
            found, True, f"{folder}: no {name}; graded {rel} instead (renamed notebook)"
        )
    if not others:
        return FoundNotebook(None, False, f"{folder}: no notebook submitted (expected {name})")
    listed = ", ".join(str(p.relative_to(folder)) for p in others)
    return FoundNotebook(
        None,
        False,
        f"{folder}: no {name} and several other notebooks ({listed}); rename the one to "
        f"grade to {name} and grade again",
    )


def inspect_folder(
    folder: Path,
    name: str,
    source: Any,
    *,
    limits: GradingLimits | None = None,
) -> SubmissionCheck:
    """Find notebook ``name`` in ``folder`` (see :func:`find_notebook`) and inspect it."""
    found = find_notebook(folder, name)
    if found.path is None:
        return SubmissionCheck(
            folder / name, "rejected", None, (found.message,), frozenset({"missing"})
        )
    check = inspect_submission(found.path, source, limits=limits)
    if not found.renamed:
        return check
    status: Status = "rejected" if check.status == "rejected" else "repaired"
    return SubmissionCheck(
        check.path,
        status,
        check.notebook,
        (found.message, *check.messages),
        check.flags | {"renamed"},
        check.missing_grade_ids,
    )


class _Rejected(Exception):
    def __init__(self, flag: str, message: str) -> None:
        super().__init__(message)
        self.flag = flag
        self.message = message


def _load_source(source: Any) -> Any:
    if isinstance(source, Path | str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.read(str(source), as_version=4)  # type: ignore[no-untyped-call]
    return source


def _read(path: Path) -> tuple[Any, list[str], set[str]]:
    """The submitted notebook as nbformat 4, with messages and flags about its reading."""
    where = str(path)
    if not path.is_file():
        raise _Rejected("missing", f"{where}: the notebook is missing; nothing to grade")
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_MB * 1024 * 1024:
        raise _Rejected(
            "too-large",
            f"{where}: {size // (1024 * 1024)} MiB is over the {MAX_NOTEBOOK_MB} MiB limit; "
            "ask the student to clear outputs and resubmit",
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise _Rejected("empty", f"{where}: the file is empty; ask the student to resubmit")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _Rejected("invalid-json", f"{where}: not UTF-8 text ({exc}); not a notebook") from exc
    except json.JSONDecodeError as exc:
        raise _Rejected(
            "invalid-json",
            f"{where}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
            "the file is damaged: ask the student to resubmit from Jupyter",
        ) from exc
    if (
        not isinstance(data, dict)
        or "nbformat" not in data
        or not ("cells" in data or "worksheets" in data)
    ):
        raise _Rejected(
            "not-a-notebook",
            f"{where}: valid JSON but not a Jupyter notebook (no 'nbformat' and 'cells')",
        )
    version = data.get("nbformat")
    messages: list[str] = []
    flags: set[str] = set()
    if not isinstance(version, int) or version > 4 or version < 1:
        raise _Rejected(
            "unsupported-version",
            f"{where}: nbformat {version!r} cannot be read (this grader reads versions 1-4); "
            "ask the student to save the notebook with Jupyter and resubmit",
        )
    if version == 4:
        _fill_missing_fields(data, where, messages, flags)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nb = nbformat.reads(json.dumps(data), as_version=4)  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise _Rejected(
                "not-a-notebook", f"{where}: cannot be read as nbformat {version} ({exc})"
            ) from exc
        if version < 4:
            flags.add("upgraded")
            messages.append(f"{where}: upgraded from nbformat {version} to 4")
        nb = _validated(nb, where, messages, flags)
    return nb, messages, flags


_CELL_DEFAULTS: dict[str, dict[str, Any]] = {
    "code": {"source": "", "metadata": {}, "outputs": [], "execution_count": None},
    "markdown": {"source": "", "metadata": {}},
    "raw": {"source": "", "metadata": {}},
}


def _fill_missing_fields(
    data: dict[str, Any], where: str, messages: list[str], flags: set[str]
) -> None:
    """Give cells the required fields they lack (an empty source, no outputs)."""
    cells = data.get("cells")
    if not isinstance(cells, list):
        return
    data.setdefault("metadata", {})
    data.setdefault("nbformat_minor", 4)
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        missing = {
            key: value
            for key, value in _CELL_DEFAULTS.get(str(cell.get("cell_type")), {}).items()
            if key not in cell
        }
        if missing:
            cell.update(copy.deepcopy(missing))
            flags.add("repaired-fields")
            messages.append(
                f"{where}: cell {index} lacked {', '.join(sorted(missing))}; filled in empty"
            )


def _validated(nb: Any, where: str, messages: list[str], flags: set[str]) -> Any:
    _, repaired = nbformat.validator.normalize(
        nb, version=4, version_minor=nb.get("nbformat_minor"), strip_invalid_metadata=True
    )
    nb = nbformat.from_dict(repaired)  # type: ignore[no-untyped-call]
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        path = list(getattr(exc, "absolute_path", []))
        place = f"cell {path[1] + 1}: " if len(path) > 1 and path[0] == "cells" else ""
        raise _Rejected(
            "not-a-notebook",
            f"{where}: not a valid notebook ({place}{exc.message}); "
            "ask the student to resubmit from Jupyter",
        ) from exc
    return nb


def _meta(cell: Any) -> dict[str, Any]:
    value = cell.get("metadata", {}).get("nbgrader")
    return dict(value) if isinstance(value, dict) else {}


def _grade_id(cell: Any) -> str | None:
    gid = _meta(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


def _is_locked(meta: dict[str, Any]) -> bool:
    if meta.get("solution"):
        return False
    return bool(meta.get("grade") or meta.get("locked"))


def _role(meta: dict[str, Any]) -> str:
    if meta.get("grade") and meta.get("solution"):
        return "graded answer cell"
    if meta.get("grade"):
        return "test cell"
    if meta.get("solution"):
        return "answer cell"
    if meta.get("task"):
        return "task cell"
    return "locked cell"


def _visible(text: str) -> str:
    """Cell text as students see it: hidden tests and mark schemes cut, whitespace trimmed."""
    lines: list[str] = []
    hiding: str | None = None
    for line in text.splitlines():
        if hiding is not None:
            if hiding in line:
                hiding = None
            continue
        ends = [end for begin, end in _HIDDEN_REGIONS if begin in line]
        if ends:
            hiding = ends[0]
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


_TRACKED_META = ("grade", "solution", "locked", "task", "points", "grade_id")


def _meta_changes(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    changes = []
    for key in _TRACKED_META:
        a, b = got.get(key), want.get(key)
        if key == "points":
            a = float(a) if isinstance(a, int | float) else a
            b = float(b) if isinstance(b, int | float) else b
        elif key != "grade_id":
            a, b = bool(a), bool(b)
        if a != b:
            changes.append(f"{key} {got.get(key)!r} (should be {want.get(key)!r})")
    return changes


class _Inspector:
    def __init__(self, where: str, source: Any, limits: GradingLimits) -> None:
        self.where = where
        self.source = source
        self.limits = limits
        self.messages: list[str] = []
        self.flags: set[str] = set()
        self.missing: list[str] = []
        self.source_cells = {gid: c for c in source.cells if (gid := _grade_id(c))}
        self.source_order = [gid for c in source.cells if (gid := _grade_id(c))]

    def note(self, flag: str, message: str) -> None:
        self.flags.add(flag)
        self.messages.append(f"{self.where}: {message}")

    def run(self, nb: Any) -> Any:
        nb = copy.deepcopy(nb)
        nb.cells = self._deduplicate(nb.cells)
        nb.cells = [self._check_cell(i, c) for i, c in enumerate(nb.cells, start=1)]
        nb.cells = self._restore_deleted(nb.cells)
        self._check_kernelspec(nb)
        for i, cell in enumerate(nb.cells, start=1):
            self._cap_outputs(i, cell)
        self._fresh_ids(nb.cells)
        return nb

    def _deduplicate(self, cells: list[Any]) -> list[Any]:
        """One cell per grade id: the first copy of a locked cell, the last of an answer."""
        keep: dict[str, int] = {}
        for i, cell in enumerate(cells):
            gid = _grade_id(cell)
            if gid is not None and not (gid in keep and self._locked(gid, cell)):
                keep[gid] = i
        kept: list[Any] = []
        for i, cell in enumerate(cells):
            gid = _grade_id(cell)
            if gid is None or keep[gid] == i:
                kept.append(cell)
                continue
            if self._locked(gid, cell):
                role = _role(_meta(self.source_cells.get(gid, cell)))
                self.note(
                    "duplicate-cells", f"cell {i + 1} is a copy of {role} '{gid}'; copy removed"
                )
                continue
            cell.metadata.pop("nbgrader", None)
            self.note(
                "duplicate-cells",
                f"cell {i + 1} is an earlier copy of '{gid}'; only the last copy is graded, "
                "this one runs as an ordinary cell",
            )
            kept.append(cell)
        return kept

    def _locked(self, gid: str, cell: Any) -> bool:
        return _is_locked(_meta(self.source_cells.get(gid, cell)))

    def _check_cell(self, index: int, cell: Any) -> Any:
        gid = _grade_id(cell)
        if gid is None:
            if cell.get("metadata", {}).get("nbgrader"):
                cell.metadata.pop("nbgrader")
            return cell
        want = self.source_cells.get(gid)
        if want is None:
            cell.metadata.pop("nbgrader", None)
            self.note(
                "tampered",
                f"cell {index} carries grading metadata '{gid}' that the assignment does not "
                "have; it was removed and the cell runs as an ordinary cell",
            )
            return cell
        want_meta = _meta(want)
        role = _role(want_meta)
        changes = _meta_changes(_meta(cell), want_meta)
        if _is_locked(want_meta):
            edited = cell.cell_type != want.cell_type or _visible(cell.source) != _visible(
                want.source
            )
            restored = copy.deepcopy(want)
            restored.pop("id", None)
            if restored.cell_type == "code":
                restored.outputs = cell.get("outputs", []) if cell.cell_type == "code" else []
                restored.execution_count = None
            if edited:
                self.note("tampered", f"{role} '{gid}' (cell {index}) was edited; restored")
            if changes:
                self.note(
                    "tampered",
                    f"grading metadata of {role} '{gid}' was changed: {'; '.join(changes)}; "
                    "restored",
                )
            return restored
        if changes or cell.cell_type != want.cell_type:
            if cell.cell_type != want.cell_type:
                changes.append(f"cell type {cell.cell_type} (should be {want.cell_type})")
                cell = _with_type(cell, want.cell_type)
            self.note(
                "tampered",
                f"grading metadata of {role} '{gid}' (cell {index}) was changed: "
                f"{'; '.join(changes)}; restored",
            )
        cell.metadata["nbgrader"] = copy.deepcopy(want.metadata["nbgrader"])
        return cell

    def _restore_deleted(self, cells: list[Any]) -> list[Any]:
        present = {gid for c in cells if (gid := _grade_id(c))}
        for pos, gid in enumerate(self.source_order):
            if gid in present:
                continue
            want = self.source_cells[gid]
            meta = _meta(want)
            if meta.get("grade") or meta.get("task"):
                points = meta.get("points", 0)
                self.missing.append(gid)
                self.note(
                    "deleted-cells",
                    f"{_role(meta)} '{gid}' ({points} point{'' if points == 1 else 's'}) "
                    "was deleted; that part scores 0",
                )
                continue
            if not _is_locked(meta):
                self.note("deleted-cells", f"{_role(meta)} '{gid}' was deleted")
                continue
            before = [g for g in self.source_order[:pos] if g in present]
            at = 0
            if before:
                at = 1 + max(i for i, c in enumerate(cells) if _grade_id(c) == before[-1])
            restored = copy.deepcopy(want)
            restored.pop("id", None)
            cells.insert(at, restored)
            present.add(gid)
            self.note("deleted-cells", f"{_role(meta)} '{gid}' was deleted; put back")
        return cells

    def _check_kernelspec(self, nb: Any) -> None:
        want = self.source.metadata.get("kernelspec")
        got = nb.metadata.get("kernelspec")
        if want is not None and got != want:
            name = got.get("name") if isinstance(got, dict) else got
            nb.metadata["kernelspec"] = copy.deepcopy(want)
            self.note(
                "kernelspec",
                f"kernel {name!r} replaced by the assignment's {want.get('name')!r}",
            )

    def _cap_outputs(self, index: int, cell: Any) -> None:
        outputs = cell.get("outputs")
        if not outputs:
            return
        budget = self.limits.output_chars
        total = sum(_output_size(o) for o in outputs)
        if total <= budget:
            return
        kept: list[Any] = []
        for output in outputs:
            size = _output_size(output)
            if size <= budget:
                kept.append(output)
                budget -= size
                continue
            if output.get("output_type") == "stream" and budget > 0:
                text = "".join(output.get("text", ""))
                output.text = text[:budget] + _CUT_NOTE.format(
                    n=len(text) - budget, limit=self.limits.output_chars
                )
                kept.append(output)
            budget = 0
        cell.outputs = kept
        self.note(
            "outputs-capped",
            f"cell {index} has {total} characters of output; cut to {self.limits.output_chars}",
        )

    @staticmethod
    def _fresh_ids(cells: Iterable[Any]) -> None:
        seen: set[str] = set()
        for cell in cells:
            cid = cell.get("id")
            if not isinstance(cid, str) or cid in seen or not _ID.fullmatch(cid):
                cid = uuid.uuid4().hex[:8]
                cell["id"] = cid
            seen.add(cid)


_ID = re.compile(r"[a-zA-Z0-9-_]{1,64}")


def _output_size(output: Any) -> int:
    return len(json.dumps(output, ensure_ascii=False))


def _with_type(cell: Any, cell_type: str) -> Any:
    fresh = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
    made = fresh(source=cell.source, metadata=copy.deepcopy(cell.metadata))  # type: ignore[no-untyped-call]
    if "id" in cell:
        made["id"] = cell["id"]
    return made


def inspect_submission(
    path: Path, source: Any, *, limits: GradingLimits | None = None
) -> SubmissionCheck:
    """Read submitted notebook ``path`` and check it against ``source``; never modify the file.

    ``source`` is the assignment's notebook (an ``nbformat.NotebookNode`` or its path): its
    locked and test cells, grading metadata and kernelspec are the reference. Returns a
    :class:`SubmissionCheck` whose :attr:`~SubmissionCheck.notebook` is the copy to grade.
    """
    path = Path(path)
    limits = limits or GradingLimits()
    try:
        nb, messages, flags = _read(path)
    except _Rejected as exc:
        return SubmissionCheck(path, "rejected", None, (exc.message,), frozenset({exc.flag}))
    inspector = _Inspector(str(path), _load_source(source), limits)
    nb = inspector.run(nb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nbformat.validate(nb)
    messages += inspector.messages
    flags |= inspector.flags
    status: Status = "repaired" if flags else "ok"
    return SubmissionCheck(
        path, status, nb, tuple(messages), frozenset(flags), tuple(inspector.missing)
    )
