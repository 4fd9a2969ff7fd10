// Keyboard and screen reader help shared by every page (docs/ACCESSIBILITY.md).
//
// 1. A table wider than its box scrolls sideways; keyboard users can scroll it only if the box
// takes focus (WCAG 2.1.1). Each such box becomes a named, focusable region; boxes that fit
// stay out of the tab order. Checked again when the window is resized (a phone turned).
(function () {
  "use strict";

  function regionName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = box.closest("section, article, .section-card, form, main");
    var heading = section && section.querySelector("h1, h2, h3, h4, legend");
    return heading ? heading.textContent.trim() + ", table" : "Table";
  }

  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (!box.dataset.region) {
        // A box its template made a region already is left alone.
        box.dataset.region = box.hasAttribute("tabindex") ? "template" : "script";
      }
      if (box.dataset.region !== "script") return;
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", regionName(box));
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // 2. The error summary at the top of a submitted form: it has focus when the page loads
  // (autofocus; focused here too where a browser ignores that), and each of its links moves
  // focus into the field it names, scrolled so the field's label shows above it.
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    if (document.activeElement === document.body) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("DOMContentLoaded", errorSummary);
  window.addEventListener("resize", mark);
  window.addEventListener("load", mark);
})();
