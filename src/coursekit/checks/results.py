"""Result objects of the answer checkers: layered, printable in a terminal and in a notebook.

A check runs up to four layers in order (type, shape, contents, values) and stops at the
first layer that fails, so a student fixes one kind of problem at a time. The result is a
frozen dataclass: ``str(result)`` is a short text report, ``result._repr_html_()`` a small
HTML box, and :meth:`CheckResult.assert_ok` raises :class:`CheckFailed` (an
``AssertionError``) so that an nbgrader test cell gives no points when the check fails.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "LAYERS",
    "CheckFailed",
    "CheckResult",
    "Layer",
    "LayerResult",
    "run_four_layers",
    "run_layers",
]

Layer = Literal["type", "shape", "contents", "values"]
"""The name of one layer of a check."""

LAYERS: tuple[Layer, ...] = ("type", "shape", "contents", "values")
"""The layers in the order they run."""

_LAYER_LABELS: dict[Layer, str] = {
    "type": "type",
    "shape": "shape / size",
    "contents": "contents",
    "values": "values",
}


class CheckFailed(AssertionError):
    """A check did not pass; the message says what is wrong and where, never the answer."""

    def __init__(self, result: CheckResult) -> None:
        """Fail with the result's report as the message."""
        super().__init__(str(result))
        self.result = result


@dataclass(frozen=True)
class LayerResult:
    """The outcome of one layer: passed, failed with messages, or not run."""

    layer: Layer
    """Which layer this is."""
    passed: bool | None
    """``True`` passed, ``False`` failed, ``None`` not run because an earlier layer failed."""
    messages: tuple[str, ...] = ()
    """What is wrong, one message per problem (empty when the layer passed)."""

    @property
    def label(self) -> str:
        """A human label for the layer."""
        return _LAYER_LABELS[self.layer]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one answer."""

    name: str
    """The name of the answer as the student knows it, e.g. ``treaty_years``."""
    layers: tuple[LayerResult, ...]
    """The layers that were checked, in order (layers a check does not use are left out)."""
    max_points: float = 1.0
    """Points the answer is worth when every layer passes."""
    hint: str | None = field(default=None)
    """An optional hint shown under a failure (never the answer)."""

    @property
    def passed(self) -> bool:
        """Whether every layer ran and passed."""
        return bool(self.layers) and all(layer.passed is True for layer in self.layers)

    @property
    def points(self) -> float:
        """``max_points`` when the check passed, else 0."""
        return self.max_points if self.passed else 0.0

    @property
    def failed_layer(self) -> LayerResult | None:
        """The first layer that failed, if any."""
        return next((layer for layer in self.layers if layer.passed is False), None)

    @property
    def messages(self) -> tuple[str, ...]:
        """Every failure message, in layer order."""
        return tuple(m for layer in self.layers for m in layer.messages)

    def assert_ok(self) -> None:
        """Print a one-line success note, or raise :class:`CheckFailed` with the report.

        Use it as the last line of an nbgrader test cell: a failure then shows the
        message and gives the cell no points. It returns ``None`` so that the cell has no
        output value that nbgrader could mistake for a partial score.
        """
        if not self.passed:
            raise CheckFailed(self)
        print(str(self))

    def __str__(self) -> str:
        """A short plain-text report."""
        checked = ", ".join(layer.layer for layer in self.layers if layer.passed)
        if self.passed:
            return f"[ok] {self.name}: all checks passed ({checked})."
        failed = self.failed_layer
        lines = [f"[not yet] {self.name}: problem with the {failed.label if failed else '?'}"]
        lines += [f"  - {m}" for m in self.messages]
        if checked:
            lines.append(f"  (passed: {checked})")
        if self.hint:
            lines.append(f"  Hint: {self.hint}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """A small HTML report for Jupyter."""
        colour = "#1b7837" if self.passed else "#b2182b"
        mark = "&#10004;" if self.passed else "&#10008;"
        rows = []
        for layer in self.layers:
            if layer.passed is None:
                state, style = "not checked yet", "color:#777"
            elif layer.passed:
                state, style = "ok", "color:#1b7837"
            else:
                state, style = "problem", "color:#b2182b;font-weight:bold"
            detail = "".join(f"<li>{html.escape(m)}</li>" for m in layer.messages)
            rows.append(
                f"<tr><td>{html.escape(layer.label)}</td>"
                f"<td style='{style}'>{state}</td>"
                f"<td>{'<ul style=margin:0>' + detail + '</ul>' if detail else ''}</td></tr>"
            )
        hint = (
            f"<p style='margin:4px 0'><em>Hint:</em> {html.escape(self.hint)}</p>"
            if self.hint and not self.passed
            else ""
        )
        verdict = "all checks passed" if self.passed else "not yet"
        return (
            f"<div class='coursekit-check' style='border-left:4px solid {colour};"
            f"padding:4px 8px;margin:4px 0'>"
            f"<strong style='color:{colour}'>{mark} {html.escape(self.name)}: {verdict}</strong>"
            f"<table style='margin-top:4px'>{''.join(rows)}</table>{hint}</div>"
        )


LayerFn = Callable[[], Iterable[str]]
"""A layer's test: it yields one message per problem and nothing when the layer passes."""


def run_layers(
    name: str,
    steps: Sequence[tuple[Layer, LayerFn]],
    *,
    points: float = 1.0,
    hint: str | None = None,
) -> CheckResult:
    """Run ``steps`` in order, stopping at the first that reports a problem.

    Later layers are recorded as not run (``passed=None``), so the report shows what is
    still to come.
    """
    results: list[LayerResult] = []
    failed = False
    for layer, test in steps:
        if failed:
            results.append(LayerResult(layer, None))
            continue
        messages = tuple(test())
        if messages:
            failed = True
            results.append(LayerResult(layer, False, messages))
        else:
            results.append(LayerResult(layer, True))
    return CheckResult(name=name, layers=tuple(results), max_points=points, hint=hint)


def run_four_layers(
    name: str,
    type_layer: LayerFn,
    shape_layer: LayerFn,
    contents_layer: LayerFn,
    values_layer: LayerFn,
    *,
    points: float = 1.0,
    hint: str | None = None,
) -> CheckResult:
    """:func:`run_layers` for the usual four layers: type, shape, contents, values."""
    steps: list[tuple[Layer, LayerFn]] = [
        ("type", type_layer),
        ("shape", shape_layer),
        ("contents", contents_layer),
        ("values", values_layer),
    ]
    return run_layers(name, steps, points=points, hint=hint)
