"""The one configuration object for a course: typed, documented defaults, stated precedence.

Precedence, highest first:

1. keyword overrides (what the command line passes in);
2. ``coursekit.toml`` in the project root, or else ``[tool.coursekit]`` in ``pyproject.toml``;
3. the defaults written on the fields below.

Nothing else in the package reads the environment or guesses a path: it asks a
:class:`CourseConfig`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ConfigError",
    "CourseConfig",
    "FeedbackSettings",
    "GradingLimits",
    "find_root",
    "load_config",
]


class ConfigError(ValueError):
    """A configuration file or value is wrong; the message names which and how to fix it."""


@dataclass(frozen=True)
class FeedbackSettings:
    """What students' feedback pages show (``[tool.coursekit.feedback]``)."""

    show_hidden_details: bool = False
    """Show the checkers' own messages from hidden tests on the feedback page. When false,
    the page says only that hidden checks did not pass, and the sections they point to.
    Never a solution value or a hidden test's source, either way."""


@dataclass(frozen=True)
class GradingLimits:
    """Resource limits for one submission's execution while grading."""

    memory_mb: int = 1024
    """Address-space limit of the kernel, in MiB."""
    cpu_seconds: int = 120
    """CPU seconds the kernel may use in all."""
    processes: int = 64
    """Processes the sandbox user may run at once (stops fork bombs)."""
    file_size_mb: int = 64
    """Largest file the kernel may write, in MiB."""
    open_files: int = 256
    """Open file descriptors per process."""
    cell_timeout: int = 30
    """Wall-clock seconds one cell may run."""
    notebook_timeout: int = 300
    """Wall-clock seconds a whole notebook may run."""
    output_chars: int = 100_000
    """Characters of output kept per cell; the rest is cut and reported."""
    scratch_mb: int = 256
    """MiB a submission's code may write in its working folder (a sized tmpfs in the sandbox)."""
    submission_mb: int = 100
    """MiB of files one student may submit for one assignment; a larger submission is refused."""


@dataclass(frozen=True)
class CourseConfig:
    """Every path, id and limit of a course, with its default."""

    root: Path = field(default_factory=Path.cwd)
    """The project root: the folder holding ``pyproject.toml`` or ``coursekit.toml``."""
    course_id: str = "coursekit-trilateral"
    """The nbgrader course id."""
    book_dir: Path = Path("book")
    """The Jupyter Book source folder (relative paths are taken from ``root``)."""
    book_out: Path | None = None
    """Where the built book goes; default ``<book_dir>/_build``."""
    assignments_dir: Path = Path("assignments")
    """The nbgrader source notebooks, one folder per assignment."""
    course_dir: Path = Path("course")
    """The nbgrader course workspace made by ``coursekit course init``."""
    gradebook_url: str | None = None
    """SQLAlchemy URL of the gradebook; default a SQLite file in the course workspace."""
    workers: int | None = None
    """Parallel grading workers; default one per core."""
    sandbox: bool = True
    """Grade inside bubblewrap; turning it off is loud in every output."""
    limits: GradingLimits = field(default_factory=GradingLimits)
    """Resource limits for each graded submission."""
    originality_ngram: int = 8
    """Words per shingle when the item report compares written answers (3 to 30): a shared
    run of this many words in a row counts as a shared passage."""
    originality_threshold: float = 0.3
    """Share of a written answer's shingles (0 to 1, above 0) found in the model answer, the
    book or another student's answer at which the report flags it for a person to read.
    Flags are never a penalty."""
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    """What students' feedback pages show."""

    def path(self, p: Path) -> Path:
        """Resolve ``p`` against the project root."""
        return p if p.is_absolute() else self.root / p

    @property
    def book_path(self) -> Path:
        """The absolute book source folder."""
        return self.path(self.book_dir)

    @property
    def book_build_path(self) -> Path:
        """The absolute folder of the built book (its ``html/`` is inside)."""
        return self.path(self.book_out) if self.book_out else self.book_path / "_build"

    @property
    def assignments_path(self) -> Path:
        """The absolute assignments source folder."""
        return self.path(self.assignments_dir)

    @property
    def course_path(self) -> Path:
        """The absolute course workspace."""
        return self.path(self.course_dir)

    @property
    def gradebook(self) -> str:
        """The gradebook URL, defaulting to SQLite inside the workspace."""
        return self.gradebook_url or f"sqlite:///{self.course_path / 'gradebook.db'}"

    @property
    def worker_count(self) -> int:
        """How many grading workers to run."""
        return self.workers or os.cpu_count() or 1


_PATH_FIELDS = {"root", "book_dir", "book_out", "assignments_dir", "course_dir"}


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` with ``coursekit.toml`` or ``pyproject.toml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "coursekit.toml").is_file() or (folder / "pyproject.toml").is_file():
            return folder
    return here


def _read_file_settings(root: Path) -> tuple[dict[str, Any], Path | None]:
    own = root / "coursekit.toml"
    if own.is_file():
        return _parse_toml(own), own
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _parse_toml(pyproject).get("tool", {}).get("coursekit", {})
        return dict(table), pyproject
    return {}, None


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file and run again") from exc


def _coerce(name: str, value: Any, source: str) -> Any:
    if name == "limits":
        if isinstance(value, GradingLimits):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: 'limits' must be a table of numbers")
        known = {f.name for f in dataclasses.fields(GradingLimits)}
        unknown = set(value) - known
        if unknown:
            raise ConfigError(
                f"{source}: unknown limit(s) {sorted(unknown)}; known: {sorted(known)}"
            )
        bad = [k for k, v in value.items() if not isinstance(v, int) or v <= 0]
        if bad:
            raise ConfigError(f"{source}: limit(s) {sorted(bad)} must be positive whole numbers")
        return GradingLimits(**value)
    if name in _PATH_FIELDS and value is not None:
        return Path(value)
    if name == "originality_ngram" and (
        isinstance(value, bool) or not isinstance(value, int) or not 3 <= value <= 30
    ):
        raise ConfigError(f"{source}: 'originality_ngram' must be a whole number from 3 to 30")
    if name == "originality_threshold" and (
        isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1
    ):
        raise ConfigError(
            f"{source}: 'originality_threshold' must be a number above 0 and at most 1 "
            "(the share of an answer's word sequences found elsewhere)"
        )
    if name == "originality_threshold":
        return float(value)
    if name == "feedback" and not isinstance(value, FeedbackSettings):
        if not isinstance(value, Mapping) or set(value) - {"show_hidden_details"}:
            raise ConfigError(f"{source}: 'feedback' takes only show_hidden_details = true/false")
        if not isinstance(value.get("show_hidden_details", False), bool):
            raise ConfigError(f"{source}: 'feedback.show_hidden_details' must be true or false")
        return FeedbackSettings(**value)
    return value


def load_config(root: Path | None = None, **overrides: Any) -> CourseConfig:
    """Build the course configuration: ``overrides`` over the project file over defaults.

    ``None`` overrides are ignored, so a command can pass every option it has.
    """
    base = find_root(root) if root is None else root.resolve()
    settings, source = _read_file_settings(base)
    known = {f.name for f in dataclasses.fields(CourseConfig)} - {"root"}
    unknown = set(settings) - known
    if unknown:
        raise ConfigError(
            f"{source}: unknown coursekit setting(s) {sorted(unknown)}; known: {sorted(known)}"
        )
    merged: dict[str, Any] = {k: _coerce(k, v, str(source)) for k, v in settings.items()}
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in known:
            raise ConfigError(f"unknown coursekit setting {key!r}")
        merged[key] = _coerce(key, value, "command line")
    return CourseConfig(root=base, **merged)
