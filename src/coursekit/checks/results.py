"""Result objects of the answer checkers: layered, printable in a terminal and in a notebook.

A check runs up to four layers in order (type, shape, contents, values) and stops at the
first layer that fails, so a student fixes one kind of problem at a time. The result is a
frozen dataclass: ``str(result)`` is a short text report, ``result._repr_html_()`` a small
HTML box, and :meth:`CheckResult.assert_ok` raises :class:`CheckFailed` (an
``AssertionError``) so that an nbgrader test cell gives no points when the check fails.

Three rules every checker gets from :func:`run_layers`:

* an answer still bound to ``...`` (Ellipsis, the stub a notebook starts with) fails at once
  with "you have not answered <name> yet";
* an answer whose fingerprint is in ``known_wrong`` (see :mod:`coursekit.checks.hints`) fails
  with that mistake's hint, even where the test cannot compare values;
* a report says only what was checked: a result without a values layer never claims that
  all checks passed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coursekit.checks.normalize import NotComparable, fingerprint

__all__ = [
    "LAYERS",
    "NOT_CHECKED_YET",
    "UNANSWERED",
    "CheckFailed",
    "CheckResult",
    "Layer",
    "LayerResult",
    "known_mistake",
    "partial",
    "run_four_layers",
    "run_layers",
]

Layer = Literal["type", "shape", "contents", "values"]
"""The name of one layer of a check."""

LAYERS: tuple[Layer, ...] = ("type", "shape", "contents", "values")
"""The layers in the order they run."""

UNANSWERED = Ellipsis
"""What an answer cell binds its name to before the student answers (``name = ...``)."""

NOT_CHECKED_YET = "the values are checked when your work is graded"
"""What a passing report says when it did not compare values."""

_KNOWN_MISTAKE = "{name} is not right yet: it is a common mistake (read the hint)"

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

    def _render_traceback_(self) -> list[str]:
        """What IPython and JupyterLab show instead of a traceback: the report, no frames."""
        return str(self.result).splitlines()


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
    unanswered: bool = False
    """Whether the answer was still ``...`` (the student has not answered yet)."""
    pending: str = NOT_CHECKED_YET
    """What a pass without a values layer says is left for grading."""

    @property
    def checked_values(self) -> bool:
        """Whether the values layer ran (only then may a pass say that all checks passed)."""
        return any(layer.layer == "values" and layer.passed is not None for layer in self.layers)

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

    def _verdict(self) -> str:
        """What a pass means: all checks, or which layers, and what is left for grading."""
        passed = [layer.layer for layer in self.layers if layer.passed]
        if self.checked_values:
            return f"all checks passed ({', '.join(passed)})"
        said = passed[0] if len(passed) == 1 else f"{', '.join(passed[:-1])} and {passed[-1]}"
        return f"{said} {'is' if len(passed) == 1 else 'are'} right; {self.pending}"

    def __str__(self) -> str:
        """A short plain-text report."""
        checked = ", ".join(layer.layer for layer in self.layers if layer.passed)
        if self.passed:
            return f"[ok] {self.name}: {self._verdict()}."
        if self.unanswered:
            return f"[not yet] {self.name}: {self.messages[0]}"
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
        verdict = self._verdict() if self.passed else "not yet"
        return (
            f"<div class='coursekit-check' style='border-left:4px solid {colour};"
            f"padding:4px 8px;margin:4px 0'>"
            f"<strong style='color:{colour}'>{mark} {html.escape(self.name)}: {verdict}</strong>"
            f"<table style='margin-top:4px'>{''.join(rows)}</table>{hint}</div>"
        )


LayerFn = Callable[[], Iterable[str]]
"""A layer's test: it yields one message per problem and nothing when the layer passes."""


def _unanswered(name: str, layers: Sequence[Layer], points: float) -> CheckResult:
    message = f"you have not answered {name} yet: replace the ... with your answer"
    results = [LayerResult(layers[0], False, (message,))]
    results += [LayerResult(layer, None) for layer in layers[1:]]
    return CheckResult(name, tuple(results), points, unanswered=True)


def known_mistake(
    answer: Any, known_wrong: Mapping[str, str] | None, *, ordered: bool = True, ndigits: int = 6
) -> str | None:
    """The hint of the known-wrong entry ``answer`` matches, by fingerprint, or ``None``.

    ``ordered`` and ``ndigits`` are the checker's own, so an entry is made with the same
    ``checks.fingerprint(wrong, ordered=..., ndigits=...)`` the checker compares with.
    """
    if not known_wrong:
        return None
    try:
        mark = fingerprint(answer, ordered=ordered, ndigits=ndigits)
    except (NotComparable, RecursionError, ValueError, TypeError):
        return None
    return known_wrong.get(mark)


def _with_known_mistake(result: CheckResult, hint: str) -> CheckResult:
    """``result`` failed at its values layer with a known mistake's hint."""
    message = _KNOWN_MISTAKE.format(name=result.name)
    layers = [layer for layer in result.layers if layer.layer != "values"]
    old = next((layer for layer in result.layers if layer.layer == "values"), None)
    messages = (message, *(old.messages if old is not None and old.passed is False else ()))
    layers.append(LayerResult("values", False, messages))
    return CheckResult(result.name, tuple(layers), result.max_points, hint, pending=result.pending)


_NO_ANSWER: Any = object()


def run_layers(
    name: str,
    steps: Sequence[tuple[Layer, LayerFn]],
    *,
    points: float = 1.0,
    hint: str | None = None,
    answer: Any = _NO_ANSWER,
    known_wrong: Mapping[str, str] | None = None,
    ordered: bool = True,
    ndigits: int = 6,
    pending: str = NOT_CHECKED_YET,
    values_are_answer: bool = True,
) -> CheckResult:
    """Run ``steps`` in order, stopping at the first that reports a problem.

    Later layers are recorded as not run (``passed=None``), so the report shows what is
    still to come. ``answer`` (when given) is the student's answer: ``...`` fails at the
    first layer as unanswered, and a fingerprint in ``known_wrong`` (compared with
    ``ordered``/``ndigits``) fails the values layer with its hint, unless the values layer
    compared the answer with the right one (``values_are_answer``: not so for a check of
    relevance or wording) and passed.
    """
    if answer is UNANSWERED:
        return _unanswered(name, [layer for layer, _ in steps] or ["values"], points)
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
    result = CheckResult(
        name=name, layers=tuple(results), max_points=points, hint=hint, pending=pending
    )
    if answer is _NO_ANSWER or not known_wrong:
        return result
    first_failure = result.failed_layer
    values_passed = values_are_answer and result.checked_values and first_failure is None
    if values_passed or (first_failure is not None and first_failure.layer != "values"):
        return result
    mistake = known_mistake(answer, known_wrong, ordered=ordered, ndigits=ndigits)
    return result if mistake is None else _with_known_mistake(result, mistake)


def run_four_layers(
    name: str,
    type_layer: LayerFn,
    shape_layer: LayerFn,
    contents_layer: LayerFn,
    values_layer: LayerFn | None,
    *,
    points: float = 1.0,
    hint: str | None = None,
    **rules: Any,
) -> CheckResult:
    """:func:`run_layers` for the usual four layers: type, shape, contents, values.

    ``values_layer`` is ``None`` when the check has nothing to compare values with (a
    visible test), so the report does not claim to have checked them. ``rules`` go to
    :func:`run_layers` (``answer``, ``known_wrong``, ``ordered``, ``ndigits``, ``pending``,
    ``values_are_answer``).
    """
    steps: list[tuple[Layer, LayerFn]] = [
        ("type", type_layer),
        ("shape", shape_layer),
        ("contents", contents_layer),
    ]
    if values_layer is not None:
        steps.append(("values", values_layer))
    return run_layers(name, steps, points=points, hint=hint, **rules)


def partial(*results: CheckResult, points: float, weights: Sequence[float] | None = None) -> float:
    """Print each result's report and return the points earned: a float in ``[0, points]``.

    The share of results that passed times ``points``, or with ``weights`` (one per result)
    the weighted share. Make it the last expression of an nbgrader test cell whose
    ``points`` are the same: nbgrader reads a number a test cell outputs as partial credit
    (``nbgrader.utils.determine_grade``), where an error would give nothing.
    """
    if not results:
        raise ValueError("checks.partial needs at least one check result")
    for result in results:
        if not isinstance(result, CheckResult):
            raise TypeError(
                f"checks.partial takes check results (what checks.check_... return), "
                f"not a {type(result).__name__}"
            )
    if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
        raise ValueError(f"points must be a number above 0, not {points!r}")
    shares = [1.0] * len(results) if weights is None else [float(w) for w in weights]
    if len(shares) != len(results):
        raise ValueError(f"{len(shares)} weight(s) for {len(results)} result(s)")
    if any(w < 0 for w in shares) or not sum(shares) > 0:
        raise ValueError("weights must be 0 or more, and not all 0")
    for result in results:
        print(str(result))
    earned = sum(w for w, r in zip(shares, results, strict=True) if r.passed)
    return round(min(float(points), float(points) * earned / sum(shares)), 4)
