"""The nbgrader course workspace: ``coursekit course init`` and the :class:`Course` it opens.

A workspace is an ordinary nbgrader course folder: ``nbgrader_config.py`` (course id, root,
gradebook URL, exchange root), ``source/<id>/`` copied (or linked) from this repository's
``assignments/`` folder, and the gradebook. nbgrader's ``CourseDirectory`` owns every path inside
it; :class:`Course` only asks it. The folder is the course: ``nbgrader_config.py`` finds the
root, and a SQLite gradebook inside the folder, from where the file is, so a copied or moved
course grades into its own gradebook (a file written with a fixed root elsewhere is refused).

``nbgrader_config.py`` also routes nbgrader's own ``autograde`` and ``generate_feedback`` (from
the command line or formgrader's buttons) through coursekit's safe steps
(:func:`coursekit.grading.nbgrader_api.config_lines`). The instructor's copy of the article,
when given, is kept in ``.coursekit/article.txt`` (mode 0600): nothing releases, exports or
builds from that folder.
"""

from __future__ import annotations

import filecmp
import glob
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.config import CourseConfig, load_config
from coursekit.grading.errors import GradingError

__all__ = ["Course", "InitResult", "init_course", "open_course", "source_assignments"]

CONFIG_NAME = "nbgrader_config.py"
KEEP_LINE = "# ---- your settings: coursekit course init keeps everything below this line ----"
"""The line of ``nbgrader_config.py`` after which an instructor's own settings are kept."""
ARTICLE_NAME = ".coursekit/article.txt"
"""Where ``course init --article`` keeps the instructor's copy of the article."""
_IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store")


@dataclass(frozen=True)
class Course:
    """An nbgrader course workspace opened from its ``nbgrader_config.py``."""

    root: Path
    """The workspace folder (nbgrader's ``CourseDirectory.root``)."""
    course_id: str
    """nbgrader's course id."""
    db_url: str
    """SQLAlchemy URL of the gradebook."""
    exchange_root: Path | None
    """The nbgrader exchange root, when the course uses one."""
    config: Any = field(repr=False, compare=False)
    """The traitlets ``Config`` read from ``nbgrader_config.py``."""

    @property
    def article(self) -> Path | None:
        """The instructor's copy of the article, for checking quotations; ``None`` if absent."""
        path = self.root / ARTICLE_NAME
        return path if path.is_file() else None

    def coursedir(self, **traits: Any) -> Any:
        """A fresh nbgrader ``CourseDirectory`` for this course (``traits`` override config)."""
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        for name, value in traits.items():
            setattr(coursedir, name, value)
        return coursedir

    def path(self, step: str, student: str, assignment: str) -> Path:
        """The folder of ``assignment`` for ``student`` in nbgrader step ``step``.

        ``step`` is one of ``source``, ``release``, ``submitted``, ``autograded``, ``feedback``;
        use ``"."`` as ``student`` for the steps without students.
        """
        coursedir = self.coursedir()
        folder = getattr(coursedir, f"{step}_directory")
        return Path(coursedir.format_path(folder, student, assignment))

    def assignments(self) -> list[str]:
        """The assignment ids that have a source folder, sorted."""
        source = self.path("source", ".", "*").parent
        if not source.is_dir():
            return []
        return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def students(self, assignment: str) -> list[str]:
        """The students with a submitted folder for ``assignment``, sorted."""
        coursedir = self.coursedir()
        pattern = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
        regexp = coursedir.format_path(
            coursedir.submitted_directory, "(?P<student>[^/]+)", re.escape(assignment), escape=True
        )
        found = []
        for folder in glob.glob(pattern):
            match = re.fullmatch(regexp, folder)
            if match and Path(folder).is_dir():
                found.append(match.group("student"))
        return sorted(found)


@dataclass(frozen=True)
class InitResult:
    """What ``coursekit course init`` did."""

    course: Course
    copied: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    roster: tuple[str, ...] = ()
    """The students put into the gradebook from ``--students``, with their names."""

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [f"course {self.course.course_id!r} in {self.course.root}"]
        lines.append(f"  gradebook: {self.course.db_url}")
        article = self.course.article
        lines.append(
            f"  article:   {article} (quotations are checked against it when grading)"
            if article is not None
            else "  article:   none (quotation parts will score nothing: add --article FILE)"
        )
        if self.course.exchange_root:
            lines.append(f"  exchange:  {self.course.exchange_root}")
        for label, ids in (("new", self.copied), ("updated", self.updated)):
            if ids:
                lines.append(f"  {label} sources: {', '.join(ids)}")
        if self.unchanged:
            lines.append(f"  unchanged sources: {', '.join(self.unchanged)}")
        if self.roster:
            count = len(self.roster)
            lines.append(f"  roster:    {count} student{'' if count == 1 else 's'}, with names")
        return "\n".join(lines)


def source_assignments(config: CourseConfig) -> list[Path]:
    """The repository's assignment folders: each folder of the assignments dir with a notebook."""
    folder = config.assignments_path
    if not folder.is_dir():
        raise GradingError(
            f"{folder}: no assignments folder; set assignments_dir in coursekit.toml or pyproject"
        )
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.ipynb"))
    )


def _config_text(
    root: Path, course_id: str, db_url: str, exchange: Path | None, config: CourseConfig
) -> str:
    from coursekit.grading.nbgrader_api import config_lines

    lines = [
        '"""nbgrader settings of this course, written by `coursekit course init`.',
        "",
        "Add your own settings (such as other hidden-test delimiters) below the line that says",
        "so at the end: `coursekit course init` rewrites everything above it and keeps them.",
        '"""',
        "",
        "import os",
        "",
        "c = get_config()  # noqa: F821",
        "# This folder is the course: its root and its SQLite gradebook are found from where this",
        "# file is, so a copied or moved course folder grades into its own gradebook.",
        "here = os.path.dirname(os.path.abspath(__file__))",
        f"c.CourseDirectory.course_id = {course_id!r}",
        "c.CourseDirectory.root = here",
        _db_url_line(root, db_url),
    ]
    if exchange is not None:
        lines.append(f"c.Exchange.root = {str(exchange)!r}")
        # exchange/<course>/... and ~/<course>/<assignment>: one exchange serves many courses.
        lines.append("c.Exchange.path_includes_course = True")
    lines += config_lines(
        limits=config.limits,
        sandbox=config.sandbox,
        exchange=exchange,
        show_hidden_details=config.feedback.show_hidden_details,
    )
    return "\n".join(lines) + "\n"


def _db_url_line(root: Path, db_url: str) -> str:
    """The ``db_url`` setting: a SQLite file inside the course relative to it, others as given.

    A gradebook on a database server (or a SQLite file outside the course folder) is shared on
    purpose, so its URL is written as it is.
    """
    prefix = "sqlite:///"
    if db_url.startswith(prefix):
        database = Path(db_url.removeprefix(prefix))
        if database.is_absolute() and database.resolve().is_relative_to(root):
            inside = database.resolve().relative_to(root).as_posix()
            return f'c.CourseDirectory.db_url = "{prefix}" + os.path.join(here, {inside!r})'
    return f"c.CourseDirectory.db_url = {db_url!r}"


def _kept_settings(path: Path) -> str:
    """The instructor's own settings below :data:`KEEP_LINE` in an existing config file."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    _, found, kept = text.partition(KEEP_LINE + "\n")
    return kept if found else ""


def _same_tree(a: Path, b: Path) -> bool:
    comparison = filecmp.dircmp(a, b, ignore=[".ipynb_checkpoints", "__pycache__", ".DS_Store"])
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, comparison.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(_same_tree(a / d, b / d) for d in comparison.common_dirs)


def _place_source(src: Path, dest: Path, *, link: bool) -> str:
    """Copy or link one assignment folder; return "copied", "updated" or "unchanged"."""
    if link:
        if dest.is_symlink() and dest.resolve() == src.resolve():
            return "unchanged"
        existed = dest.exists() or dest.is_symlink()
        if dest.is_symlink() or dest.is_file():
            dest.unlink()
        elif dest.is_dir():
            shutil.rmtree(dest)
        dest.symlink_to(src.resolve(), target_is_directory=True)
        return "updated" if existed else "copied"
    if dest.is_symlink():
        dest.unlink()
    elif dest.is_dir():
        if _same_tree(src, dest):
            return "unchanged"
        shutil.rmtree(dest)
        _copy_private(src, dest)
        return "updated"
    _copy_private(src, dest)
    return "copied"


def _copy_private(src: Path, dest: Path) -> None:
    """Copy an assignment's sources (solutions, hidden tests) readable by the instructor only."""
    shutil.copytree(src, dest, ignore=_IGNORED)
    dest.chmod(0o700)
    for folder, dirs, files in os.walk(dest):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)


def init_course(
    *,
    directory: Path,
    config: CourseConfig | None = None,
    db_url: str | None = None,
    exchange: Path | None = None,
    link: bool = False,
    assignments: Sequence[str] = (),
    article: Path | None = None,
    students: Path | None = None,
) -> InitResult:
    """Make (or refresh) an nbgrader course workspace in ``directory``.

    Writes ``nbgrader_config.py`` (course id from the configuration, the workspace as root,
    ``db_url`` or a SQLite gradebook inside the workspace, the exchange root when given), and
    copies each assignment folder of the repository into ``source/<id>/`` (``link=True``
    symlinks instead, so edits show at once; a copy keeps a released course stable). Only
    ``assignments`` are placed when given. Running it again updates changed sources.

    ``article`` is the instructor's copy of the anchor article (plain text; see
    :func:`coursekit.checks.quotes.read_article`): it is checked, then copied to
    ``.coursekit/article.txt`` readable by its owner only, and grading checks quotations
    against it. A copy placed before stays when ``article`` is not given.

    ``students`` is the class list (see :func:`coursekit.grading.roster.read_roster`): each
    student goes into the gradebook with their names and email, which formgrader shows.
    Running it again updates them; students not on the list stay.
    """
    from coursekit.grading.roster import read_roster

    config = config or load_config()
    roster = read_roster(students) if students is not None else []
    root = directory.resolve()
    root.mkdir(parents=True, exist_ok=True)
    url = db_url or config.gradebook_url or f"sqlite:///{root / 'gradebook.db'}"
    exchange_root = exchange.resolve() if exchange is not None else None
    if article is not None:
        _place_article(article, root / ARTICLE_NAME)
    config_path = root / CONFIG_NAME
    kept = _kept_settings(config_path)
    config_path.write_text(
        _config_text(root, config.course_id, url, exchange_root, config) + f"\n{KEEP_LINE}\n{kept}",
        encoding="utf-8",
    )
    course = open_course(root)

    folders = source_assignments(config)
    if assignments:
        known = {p.name: p for p in folders}
        missing = [a for a in assignments if a not in known]
        if missing:
            raise GradingError(
                f"{config.assignments_path}: no assignment folder(s) {missing}; "
                f"known: {sorted(known)}"
            )
        folders = [known[a] for a in assignments]
    outcome: dict[str, list[str]] = {"copied": [], "updated": [], "unchanged": []}
    for folder in folders:
        dest = course.path("source", ".", folder.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        outcome[_place_source(folder, dest, link=link)].append(folder.name)
    from coursekit.grading.nbgrader_api import ensure_gradebook

    try:
        ensure_gradebook(url)
    except Exception as exc:
        raise GradingError(f"gradebook {url}: cannot open it ({exc}); check the URL") from exc
    if roster:
        from nbgrader.api import Gradebook

        from coursekit.grading.nbgrader_api import quiet_nbgrader
        from coursekit.grading.roster import add_students

        with quiet_nbgrader(), Gradebook(url, config.course_id) as gb:
            add_students(gb, roster)
    return InitResult(
        course=course,
        copied=tuple(outcome["copied"]),
        updated=tuple(outcome["updated"]),
        unchanged=tuple(outcome["unchanged"]),
        roster=tuple(s.id for s in roster),
    )


def _place_article(article: Path, dest: Path) -> None:
    """Check the article file, then copy it to ``dest`` with mode 0600 (owner only)."""
    from coursekit.checks.quotes import ArticleError, read_article

    try:
        read_article(article)
    except ArticleError as exc:
        raise GradingError(str(exc)) from exc
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.incoming")
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(article.read_bytes())
    partial.chmod(0o600)
    partial.replace(dest)


def open_course(directory: Path) -> Course:
    """Open the course workspace in ``directory`` from its ``nbgrader_config.py``."""
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    root = directory.resolve()
    if not (root / CONFIG_NAME).is_file():
        raise GradingError(
            f"{root}: no {CONFIG_NAME}; run `coursekit course init {directory}` first"
        )
    try:
        cfg = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    except (ConfigFileNotFound, SyntaxError, NameError) as exc:
        raise GradingError(f"{root / CONFIG_NAME}: cannot be read ({exc}); fix or re-init") from exc
    written = cfg.CourseDirectory.get("root")
    if written and Path(str(written)).resolve() != root:
        raise GradingError(
            f"{root / CONFIG_NAME}: written for the course folder {written}, so nbgrader would "
            f"grade into that folder's gradebook; this folder was copied or moved: run "
            f"`coursekit course init {directory}` here to make it a course of its own"
        )
    cfg.CourseDirectory.root = str(root)
    coursedir_cfg = cfg.CourseDirectory
    course_id = str(coursedir_cfg.get("course_id", ""))
    if not course_id:
        raise GradingError(f"{root / CONFIG_NAME}: no CourseDirectory.course_id set")
    db_url = str(coursedir_cfg.get("db_url", f"sqlite:///{root / 'gradebook.db'}"))
    exchange = cfg.Exchange.get("root") if "Exchange" in cfg else None
    return Course(
        root=root,
        course_id=course_id,
        db_url=db_url,
        exchange_root=Path(exchange) if exchange else None,
        config=cfg,
    )
