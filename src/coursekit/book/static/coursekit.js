// Course book helpers, served from _static. Widgets rendered from saved state by the
// ipywidgets HTML manager draw slider handles (role="slider") without an accessible
// name; name each one after its widget's description label so screen readers (and
// axe-core's aria-input-field-name rule) know what it controls. Widget outputs that
// scroll (wide tables) are made keyboard-focusable, so they can be scrolled without a
// mouse (axe-core's scrollable-region-focusable rule).
(function () {
  "use strict";
  function nameHandles(root) {
    root.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widgets");
      var label = widget && widget.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      handle.setAttribute("aria-label", text || "slider");
    });
  }
  function focusScrollers(root) {
    var sel = ".jupyter-widgets *:not([tabindex]), .coursekit-chart:not([tabindex])";
    root.querySelectorAll(sel).forEach(function (el) {
      var style = window.getComputedStyle(el);
      var scrolls = /(auto|scroll)/.test(style.overflow + style.overflowX + style.overflowY);
      if (scrolls && (el.scrollHeight > el.clientHeight || el.scrollWidth > el.clientWidth)) {
        el.setAttribute("tabindex", "0");
      }
    });
  }
  function label(root) {
    nameHandles(root);
    focusScrollers(root);
  }
  function start() {
    label(document);
    new MutationObserver(function () { label(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
