/* A queued import: ask the server every second how many rows the worker has handled
   ({"status", "rows", "total", "done"}) and reload the page when the run is finished. */
(function () {
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("span");
  var poll = function () {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (step) {
        if (step.done) { window.location.reload(); return; }
        var done = Math.min(step.rows, step.total);
        bar.max = Math.max(step.total, 1);
        bar.value = done;
        label.textContent = box.dataset.verb + " in the background: " + done.toLocaleString() + " of about " +
          step.total.toLocaleString() + " rows (" + Math.round(100 * done / Math.max(step.total, 1)) + "%).";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  };
  poll();
})();
