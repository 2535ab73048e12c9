"""The lines of ``nbgrader_config.py`` that route nbgrader's own commands through coursekit."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from coursekit.config import GradingLimits
from coursekit.grading.nbgrader_api.exchange import NO_EXCHANGE_PLUGINS

__all__ = ["config_lines"]


def config_lines(
    *,
    limits: GradingLimits,
    sandbox: bool = True,
    exchange: Path | None = None,
    show_hidden_details: bool = False,
) -> list[str]:
    """The lines of ``nbgrader_config.py`` that route nbgrader's own commands through coursekit.

    A course with an ``exchange`` collects through :class:`~.exchange.CoursekitCollect`; one
    without gets :data:`~.exchange.NO_EXCHANGE_PLUGINS`, so that formgrader does not warn about
    a missing exchange folder.
    """
    fields = ", ".join(f"{k!r}: {v!r}" for k, v in asdict(limits).items())
    lines = [
        "",
        "# coursekit: nbgrader's own `autograde` and `generate_feedback` (command line and",
        "# formgrader's buttons) go through coursekit: submissions are read safely and checked,",
        "# student code runs only in the sandbox (two phases), and feedback shows no hidden test.",
        "from coursekit.grading import nbgrader_api as coursekit_nbgrader  # noqa: E402",
        "",
        "c.OverwriteCells.add_missing_cells = True",
        "c.Autograde.exporter_class = coursekit_nbgrader.SubmissionExporter",
        f"c.SubmissionExporter.limits = {{{fields}}}",
        "c.Autograde.sanitize_preprocessors = coursekit_nbgrader.SANITIZE_STEPS",
        "c.Autograde.autograde_preprocessors = coursekit_nbgrader.AUTOGRADE_STEPS",
        f"c.SandboxedExecute.sandbox = {sandbox!r}",
        f"c.SandboxedExecute.limits = {{{fields}}}",
        "c.GenerateAssignment.preprocessors = coursekit_nbgrader.GENERATE_STEPS",
        "c.GenerateFeedback.exporter_class = coursekit_nbgrader.FeedbackExporter",
        "c.GenerateFeedback.preprocessors = []",
        f"c.FeedbackExporter.show_hidden_details = {show_hidden_details!r}",
    ]
    if exchange is not None:
        lines += [
            "# nbgrader's collect (formgrader's Collect button) is coursekit's safe collect.",
            "c.ExchangeFactory.collect = coursekit_nbgrader.CoursekitCollect",
            f"c.CoursekitCollect.limits = {{{fields}}}",
        ]
    else:
        lines += [
            "# No exchange: formgrader lists nothing released and its transfer buttons say what",
            "# to do instead (`coursekit course init --exchange FOLDER` adds an exchange).",
            *(
                f"c.ExchangeFactory.{trait} = coursekit_nbgrader.NO_EXCHANGE_PLUGINS[{trait!r}]"
                for trait in NO_EXCHANGE_PLUGINS
            ),
        ]
    return lines
