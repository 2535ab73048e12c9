"""The lines of ``nbgrader_config.py`` that route nbgrader's own commands through coursekit."""

from __future__ import annotations

from dataclasses import asdict

from coursekit.config import GradingLimits

__all__ = ["config_lines"]


def config_lines(*, limits: GradingLimits, sandbox: bool = True) -> list[str]:
    """The lines of ``nbgrader_config.py`` that route nbgrader's own commands through coursekit."""
    fields = ", ".join(f"{k!r}: {v!r}" for k, v in asdict(limits).items())
    return [
        "",
        "# coursekit: nbgrader's own `autograde` and `generate_feedback` (command line and",
        "# formgrader's buttons) go through coursekit: submissions are read safely and checked,",
        "# student code runs only in the sandbox (two phases), and feedback shows no hidden test.",
        "from coursekit.grading import nbgrader_api as coursekit_nbgrader  # noqa: E402",
        "",
        "c.OverwriteCells.add_missing_cells = True",
        "c.Autograde.exporter_class = coursekit_nbgrader.SubmissionExporter",
        "c.Autograde.sanitize_preprocessors = coursekit_nbgrader.SANITIZE_STEPS",
        "c.Autograde.autograde_preprocessors = coursekit_nbgrader.AUTOGRADE_STEPS",
        f"c.SandboxedExecute.sandbox = {sandbox!r}",
        f"c.SandboxedExecute.limits = {{{fields}}}",
        "c.GenerateAssignment.preprocessors = coursekit_nbgrader.GENERATE_STEPS",
        "c.GenerateFeedback.exporter_class = coursekit_nbgrader.FeedbackExporter",
        "c.GenerateFeedback.preprocessors = []",
    ]
