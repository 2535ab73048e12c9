"""What the last grading run saw: a content hash per submission, so a rerun skips unchanged work.

The state of assignment ``<id>`` lives in ``<course>/.coursekit/grades/<id>.json``. A submission
is graded again when its files change, when the assignment's source changes, when the gradebook
is a different one, or when its last run ended in an error the grader may not repeat.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.grading.results import StudentResult

__all__ = ["GradeState", "folder_hash", "load_state", "save_state", "stored_results"]

_SKIP = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def folder_hash(folder: Path) -> str:
    """SHA-256 over the relative paths and bytes of every file under ``folder``."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP)
        for name in sorted(filenames):
            if name in _SKIP:
                continue
            path = Path(dirpath) / name
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class GradeState:
    """The stored state of one assignment's grading."""

    path: Path
    source_hash: str = ""
    db_url: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    results: dict[str, StudentResult] = field(default_factory=dict)

    def unchanged(self, student: str, digest: str) -> bool:
        """Whether ``student``'s submission is as it was when last graded."""
        return self.hashes.get(student) == digest and student in self.results

    def record(self, result: StudentResult, digest: str | None) -> None:
        """Keep ``result``; a ``None`` digest means "grade it again next time"."""
        self.results[result.student] = result
        if digest is None:
            self.hashes.pop(result.student, None)
        else:
            self.hashes[result.student] = digest


def load_state(course_root: Path, assignment: str, *, source_hash: str, db_url: str) -> GradeState:
    """The stored state, emptied when the source or the gradebook changed since it was saved."""
    path = course_root / ".coursekit" / "grades" / f"{assignment}.json"
    state = GradeState(path=path, source_hash=source_hash, db_url=db_url)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return state
    if data.get("source_hash") != source_hash or data.get("db_url") != db_url:
        return state
    try:
        results = {str(k): StudentResult.from_dict(v) for k, v in data["results"].items()}
        hashes = {str(k): str(v) for k, v in data["hashes"].items()}
    except (KeyError, TypeError, AttributeError):
        return state  # written by another version: grade everything again
    state.hashes, state.results = hashes, results
    return state


def stored_results(course_root: Path, assignment: str) -> dict[str, StudentResult]:
    """The results of the last grading run of ``assignment`` (empty if there was none)."""
    path = course_root / ".coursekit" / "grades" / f"{assignment}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): StudentResult.from_dict(v) for k, v in data["results"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_state(state: GradeState) -> None:
    """Write the state atomically."""
    state.path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "source_hash": state.source_hash,
        "db_url": state.db_url,
        "hashes": dict(sorted(state.hashes.items())),
        "results": {k: v.to_dict() for k, v in sorted(state.results.items())},
    }
    tmp = state.path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(state.path)
