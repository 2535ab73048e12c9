"""Bounding-box checks of the explorers' controls, shared by the JupyterLab and the book tests.

``control_problems`` runs in the browser on a widget's root element and lists what a reader
would see as broken: a description label cut off, a dropdown too narrow for the option it
shows, a control running past the edge that clips it, or a range slider's readout that
touches or overlaps its last handle or does not fit its own text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OPINION_OPTION", "control_problems"]

OPINION_OPTION = "Opinion: Good impression of the other (Genron NPO/EAI)"
"""The longest option of the comparison widget's Indicator dropdown."""

_MEASURE = """
(root) => {
  const problems = [];
  const box = (e) => e.getBoundingClientRect();
  const clipRight = (e) => {
    let right = window.innerWidth;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== "visible") { right = Math.min(right, box(p).right); }
    }
    return right;
  };
  const cut = (e) => e && e.scrollWidth > e.clientWidth + 1;
  const pen = document.createElement("canvas").getContext("2d");
  root.querySelectorAll(".widget-dropdown, .jupyter-widget-dropdown").forEach((w) => {
    const label = w.querySelector(".widget-label, label");
    if (cut(label)) { problems.push("label cut: " + label.textContent); }
    const select = w.querySelector("select");
    const shown = select.options[select.selectedIndex].textContent;
    const s = getComputedStyle(select);
    pen.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const need = pen.measureText(shown).width;
    const room = select.clientWidth - parseFloat(s.paddingLeft)
      - Math.max(parseFloat(s.paddingRight), 16);
    if (need > room) { problems.push(`option cut: "${shown}" needs ${need}px, has ${room}px`); }
    if (box(select).right > clipRight(select) + 1) {
      problems.push("dropdown runs past its column");
    }
  });
  root.querySelectorAll(".widget-hslider, .jupyter-widget-hslider").forEach((w) => {
    const label = w.querySelector(".widget-label");
    if (cut(label)) { problems.push("slider label cut: " + label.textContent); }
    const readout = w.querySelector(".widget-readout, .jupyter-widget-readout");
    const handles = w.querySelectorAll(".noUi-handle");
    const last = handles[handles.length - 1];
    if (box(readout).left < box(last).right + 4) {
      problems.push(`readout touches the handle: ${box(readout).left} < ${box(last).right} + 4`);
    }
    // ipywidgets marks a readout whose text does not fit with the class "overflow"
    if (cut(readout) || readout.classList.contains("overflow")) {
      problems.push("readout text cut: " + readout.textContent);
    }
    if (box(readout).right > clipRight(readout) + 1) {
      problems.push("readout runs past its column: " + readout.textContent);
    }
  });
  return problems;
}
"""


def control_problems(root: Any) -> list[str]:
    """What is cut off or overlapping among the controls under ``root`` (a Playwright locator)."""
    problems: list[str] = root.evaluate(_MEASURE)
    return problems
