"""coursekit's nbgrader exporters: submissions read safely, feedback without hidden tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter, NotebookExporter
from traitlets import Bool, Dict, Unicode

from coursekit.config import GradingLimits
from coursekit.grading.errors import GradingError
from coursekit.grading.nbgrader_api.app import course_of
from coursekit.grading.nbgrader_api.gradebook import zero_notebook

__all__ = ["FeedbackExporter", "SubmissionExporter"]


class SubmissionExporter(NotebookExporter):
    """nbgrader's notebook exporter, reading submissions the way ``coursekit grade`` does.

    A submitted notebook is read with a size cap before parsing and a depth limit on its
    JSON, and diagnosed against the source
    (:func:`coursekit.grading.submissions.inspect_submission`): each finding is logged as a
    warning naming the student. An unreadable notebook scores zero (as nbgrader scores a
    missing one) and stops that student's grading with the reason.
    """

    limits = Dict(
        {}, help="coursekit GradingLimits fields (notebook_mb, json_depth, ...) for reading."
    ).tag(config=True)

    def from_filename(
        self, filename: str, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[Any, dict[str, Any]]:
        """Read ``filename`` safely, report what is wrong with it, and export it."""
        from coursekit.grading.submissions import inspect_submission

        path = Path(filename)
        info = (resources or {}).get("nbgrader", {})
        ws = course_of(self)
        submitted = ws.path("submitted", info.get("student", ""), info.get("assignment", ""))
        if path.parent.resolve() != submitted.resolve():
            return super().from_filename(filename, resources, **kw)
        source = ws.path("source", ".", info["assignment"]) / path.name
        check = inspect_submission(path, source, limits=GradingLimits(**self.limits))
        for message in check.messages:
            self.log.warning("coursekit: %s: %s", info.get("student"), message)
        if check.notebook is None:
            zero_notebook(
                ws.db_url,
                ws.course_id,
                assignment=info["assignment"],
                student=info["student"],
                notebook=path.stem,
            )
            raise GradingError(check.messages[0] if check.messages else f"{path}: unreadable")
        resources = dict(resources or {})
        resources.setdefault("metadata", {})
        resources["metadata"].update(name=path.stem, path=str(path.parent))
        exported: tuple[Any, dict[str, Any]] = super().from_notebook_node(  # type: ignore[no-untyped-call]
            check.notebook, resources, **kw
        )
        return exported


class FeedbackExporter(Exporter):
    """nbgrader's feedback exporter, replaced by coursekit's feedback page.

    ``nbgrader generate_feedback`` and formgrader's "Generate Feedback" write the same page
    as ``coursekit feedback`` (:func:`coursekit.grading.feedback.feedback_page`): scores,
    the student's cells, test results, and no hidden test, by construction.
    """

    file_extension = Unicode(".html").tag(config=True)
    output_mimetype = "text/html"
    show_hidden_details = Bool(
        False,
        help="Show the checkers' messages from hidden tests on feedback pages (the course's "
        "feedback.show_hidden_details; never a hidden test's source or a solution value).",
    ).tag(config=True)

    def from_notebook_node(
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[Any, dict[str, Any]]:
        """The feedback page of the student, assignment and notebook in ``resources``."""
        from coursekit.grading.feedback import feedback_page

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        info = resources["nbgrader"]
        page = feedback_page(
            course_of(self),
            assignment=info["assignment"],
            student=info["student"],
            notebook=info["notebook"],
            graded=nb_copy,
            show_hidden=bool(self.show_hidden_details),
        )
        resources["output_extension"] = ".html"
        return page, resources
