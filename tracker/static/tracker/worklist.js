// After acknowledging a flag the worklist reloads at the row after the one acted on
// (#wl-<patient id>): bring that row into the middle of the screen and move the keyboard focus
// there, so the next row is read out and Tab continues from it. The rows carry tabindex="-1" to
// take focus without entering the tab order. Run once the page has laid out, after the
// browser's own jump to the fragment.
(function () {
  "use strict";
  function focusRow() {
    var id = window.location.hash.slice(1);
    var row = id ? document.getElementById(id) : null;
    if (!row || !row.hasAttribute("data-worklist-row")) {
      return;
    }
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "center", behavior: "instant" });
  }
  if (document.readyState === "complete") {
    focusRow();
  } else {
    window.addEventListener("load", focusRow);
  }
})();
