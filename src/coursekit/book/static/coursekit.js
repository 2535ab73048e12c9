// Course book helpers, served from _static. Widgets rendered from saved state by the
// ipywidgets HTML manager draw slider handles (role="slider") without an accessible
// name; name each one after its widget's description label so screen readers (and
// axe-core's aria-input-field-name rule) know what it controls.
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
  function start() {
    nameHandles(document);
    new MutationObserver(function () { nameHandles(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
