"""Diagnose a submitted notebook before nbgrader grades it: read it safely, report, repair nothing.

nbgrader's own sanitize steps repair a submission: ``ClearOutput``, ``DeduplicateIds`` (the
last copy of a cell is graded), ``OverwriteKernelspec``, ``OverwriteCells`` (locked and test
cells, cell types and points put back from the gradebook; with ``add_missing_cells``, deleted
grade and task cells put back) and ``CheckCellMetadata``. coursekit configures them
(:mod:`coursekit.grading.nbgrader_api`) and adds only what nbgrader lacks:

* reading that cannot hurt the grader: a size cap before anything is parsed, JSON parsed with
  a nesting limit (a deeply nested file is the student's ``invalid`` notebook, never a
  ``RecursionError``), missing required fields filled in, nbformat 1-3 upgraded, anything
  else unreadable rejected with the reason and what to do;
* renamed notebooks (:func:`find_notebook`);
* a message per finding that an instructor can act on, naming the file and cell: deleted,
  duplicated or edited cells, changed grading metadata, made-up grade ids, a changed
  kernel. nbgrader only logs some of these, and none per student.

:func:`inspect_submission` never writes the submitted file. It returns a
:class:`SubmissionCheck`: a status (``ok``; ``repaired`` when nbgrader's steps will put
something right; ``rejected``), the notebook as read (``None`` when rejected), one message
per finding and a set of flags.
"""

from __future__ import annotations

import copy
import functools
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat

from coursekit.config import GradingLimits

__all__ = [
    "FoundNotebook",
    "SubmissionCheck",
    "find_notebook",
    "inspect_folder",
    "inspect_submission",
]

Status = Literal["ok", "repaired", "rejected"]


@dataclass(frozen=True)
class SubmissionCheck:
    """What :func:`inspect_submission` found in one submitted notebook."""

    path: Path
    """The submitted file (never modified)."""
    status: Status
    """``ok``, ``repaired`` (nbgrader's sanitize steps will put it right) or ``rejected``."""
    notebook: Any = None
    """The notebook as read (an ``nbformat.NotebookNode``), or ``None`` when rejected."""
    messages: tuple[str, ...] = ()
    """One sentence per finding, naming the file and cell."""
    flags: frozenset[str] = field(default_factory=frozenset)
    """Short names of the findings, e.g. ``tampered``, ``deleted-cells``, ``invalid-json``."""
    missing_grade_ids: tuple[str, ...] = ()
    """Graded cells the student deleted (nbgrader puts them back and grades them)."""

    @property
    def gradable(self) -> bool:
        """Whether there is a notebook to grade."""
        return self.notebook is not None

    def __str__(self) -> str:
        """The text the command line prints for it."""
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
    settings: Any = None,
    limits: GradingLimits | None = None,
) -> SubmissionCheck:
    """Find notebook ``name`` in ``folder`` (see :func:`find_notebook`) and inspect it."""
    found = find_notebook(folder, name)
    if found.path is None:
        return SubmissionCheck(
            folder / name, "rejected", None, (found.message,), frozenset({"missing"})
        )
    check = inspect_submission(found.path, source, settings=settings, limits=limits)
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


def _settings_for(source: Any) -> Any:
    """The nbgrader settings of the course a source notebook path is in (defaults otherwise)."""
    from coursekit.grading.nbgrader_api import NbgraderSettings
    from coursekit.grading.workspace import CONFIG_NAME

    if isinstance(source, Path | str):
        for folder in Path(source).resolve().parents:
            config = folder / CONFIG_NAME
            if config.is_file():
                return _course_settings(folder, config.stat().st_mtime_ns)
    return NbgraderSettings()


@functools.lru_cache(maxsize=8)
def _course_settings(root: Path, _mtime: int) -> Any:
    """A course's nbgrader settings, read once per version of its ``nbgrader_config.py``."""
    from coursekit.grading.nbgrader_api import nbgrader_settings
    from coursekit.grading.workspace import open_course

    return nbgrader_settings(open_course(root))


def _too_deep(data: Any, limit: int) -> bool:
    """Whether ``data`` nests arrays and objects deeper than ``limit`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))
    return False


def _read(path: Path, limits: GradingLimits) -> tuple[Any, list[str], set[str]]:
    """The submitted notebook as nbformat 4, with messages and flags about its reading.

    It is refused unparsed over ``limits.notebook_mb``, and refused when its JSON nests deeper
    than ``limits.json_depth``.
    """
    where = str(path)
    if not path.is_file():
        raise _Rejected("missing", f"{where}: the notebook is missing; nothing to grade")
    size = path.stat().st_size
    if size > limits.notebook_mb * 1024 * 1024:
        raise _Rejected(
            "too-large",
            f"{where}: {size // (1024 * 1024)} MiB is over the {limits.notebook_mb} MiB limit; "
            "ask the student to clear outputs and resubmit",
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise _Rejected("empty", f"{where}: the file is empty; ask the student to resubmit")
    too_deep = _Rejected(
        "invalid-json",
        f"{where}: JSON nested more than {limits.json_depth} levels deep; this is not a notebook "
        "Jupyter saved: ask the student to resubmit from Jupyter",
    )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise too_deep from None
    except UnicodeDecodeError as exc:
        raise _Rejected("invalid-json", f"{where}: not UTF-8 text ({exc}); not a notebook") from exc
    except json.JSONDecodeError as exc:
        raise _Rejected(
            "invalid-json",
            f"{where}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
            "the file is damaged: ask the student to resubmit from Jupyter",
        ) from exc
    if _too_deep(data, limits.json_depth):
        raise too_deep
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


def _points(meta: dict[str, Any]) -> str:
    points = meta.get("points", 0)
    return (
        f"{points:g} point{'' if points == 1 else 's'}" if isinstance(points, int | float) else ""
    )


class _Diagnosis:
    """Compare a submission with its source by grade id; note findings, change nothing."""

    def __init__(self, where: str, source: Any, settings: Any) -> None:
        self.where = where
        self.source = source
        self.settings = settings
        self.messages: list[str] = []
        self.flags: set[str] = set()
        self.missing: list[str] = []
        self.source_cells = {gid: c for c in source.cells if (gid := _grade_id(c))}
        self.source_order = [gid for c in source.cells if (gid := _grade_id(c))]

    def visible(self, text: str) -> str:
        """Cell text as students see it: hidden regions cut, trailing spaces trimmed."""
        from coursekit.grading.nbgrader_api import strip_hidden

        lines = strip_hidden(text, self.settings).splitlines()
        return "\n".join(line.rstrip() for line in lines).strip()

    def note(self, flag: str, message: str) -> None:
        self.flags.add(flag)
        self.messages.append(f"{self.where}: {message}")

    def run(self, nb: Any) -> None:
        graded = self._duplicates(nb.cells)
        for index, cell in enumerate(nb.cells, start=1):
            if index in graded:
                self._check_cell(index, cell)
        self._deleted(nb.cells)
        self._kernelspec(nb)

    def _duplicates(self, cells: list[Any]) -> set[int]:
        """Note grade ids held by several cells; return the cells nbgrader grades (1-based).

        nbgrader's ``DeduplicateIds`` keeps the last copy and turns the others into
        ordinary cells.
        """
        places: dict[str, list[int]] = {}
        for index, cell in enumerate(cells, start=1):
            if (gid := _grade_id(cell)) is not None:
                places.setdefault(gid, []).append(index)
        graded = {at[-1] for at in places.values()}
        graded |= {i for i, c in enumerate(cells, start=1) if _grade_id(c) is None}
        for gid, at in places.items():
            if len(at) < 2:
                continue
            role = _role(_meta(self.source_cells.get(gid, cells[at[-1] - 1])))
            copies = ", ".join(str(i) for i in at[:-1])
            self.note(
                "duplicate-cells",
                f"cells {copies} and {at[-1]} all hold {role} '{gid}'; only the last copy "
                f"(cell {at[-1]}) is graded, the others run as ordinary cells",
            )
        return graded

    def _check_cell(self, index: int, cell: Any) -> None:
        gid = _grade_id(cell)
        if gid is None:
            return
        want = self.source_cells.get(gid)
        if want is None:
            self.note(
                "tampered",
                f"cell {index} carries grading metadata '{gid}' that the assignment does not "
                "have; it runs as an ordinary cell",
            )
            return
        want_meta = _meta(want)
        role = _role(want_meta)
        changes = _meta_changes(_meta(cell), want_meta)
        if cell.cell_type != want.cell_type:
            changes.append(f"cell type {cell.cell_type} (should be {want.cell_type})")
        if _is_locked(want_meta) and self.visible(cell.source) != self.visible(want.source):
            self.note(
                "tampered", f"{role} '{gid}' (cell {index}) was edited; graded as the source has it"
            )
        if changes:
            self.note(
                "tampered",
                f"grading metadata of {role} '{gid}' (cell {index}) was changed: "
                f"{'; '.join(changes)}; graded as the source has it",
            )

    def _deleted(self, cells: list[Any]) -> None:
        present = {gid for c in cells if (gid := _grade_id(c))}
        for gid in self.source_order:
            if gid in present:
                continue
            meta = _meta(self.source_cells[gid])
            role = _role(meta)
            if meta.get("grade") or meta.get("task"):
                self.missing.append(gid)
                what = (
                    "put back empty: it scores 0 unless graded by hand"
                    if meta.get("solution") or meta.get("task")
                    else "put back from the source and graded"
                )
                self.note("deleted-cells", f"{role} '{gid}' ({_points(meta)}) was deleted; {what}")
            elif _is_locked(meta):
                self.note(
                    "deleted-cells",
                    f"{role} '{gid}' was deleted; the student's cells ran without it "
                    "(the tests use the assignment's own copy)",
                )
            else:
                self.note("deleted-cells", f"{role} '{gid}' was deleted")

    def _kernelspec(self, nb: Any) -> None:
        want = self.source.metadata.get("kernelspec")
        got = nb.metadata.get("kernelspec")
        if want is not None and got != want:
            name = got.get("name") if isinstance(got, dict) else got
            self.note(
                "kernelspec",
                f"kernel {name!r} replaced by the assignment's {want.get('name')!r}",
            )


def inspect_submission(
    path: Path,
    source: Any,
    *,
    settings: Any = None,
    limits: GradingLimits | None = None,
) -> SubmissionCheck:
    """Read submitted notebook ``path`` and diagnose it against ``source``; never modify it.

    ``source`` is the assignment's notebook (an ``nbformat.NotebookNode`` or its path): its
    grade ids, locked and test cells, grading metadata and kernelspec are the reference.
    ``settings`` are the course's nbgrader settings
    (:func:`coursekit.grading.nbgrader_api.nbgrader_settings`); by default those of the course
    holding ``source``. (Outputs are not looked at: nbgrader's ``ClearOutput`` drops them.) The
    returned
    :attr:`~SubmissionCheck.notebook` is the notebook as read, for nbgrader's sanitize steps.
    ``limits`` (default: the defaults of :class:`~coursekit.config.GradingLimits`) caps the
    notebook's size and the nesting of its JSON.
    """
    path = Path(path)
    try:
        nb, messages, flags = _read(path, limits or GradingLimits())
    except _Rejected as exc:
        return SubmissionCheck(path, "rejected", None, (exc.message,), frozenset({exc.flag}))
    diagnosis = _Diagnosis(
        str(path), _load_source(source), settings if settings is not None else _settings_for(source)
    )
    diagnosis.run(nb)
    messages += diagnosis.messages
    flags |= diagnosis.flags
    status: Status = "repaired" if flags else "ok"
    return SubmissionCheck(
        path, status, nb, tuple(messages), frozenset(flags), tuple(diagnosis.missing)
    )
