/* Import forms (data-busy) show real progress: the form is posted with fetch and the server
   streams one JSON line per 1,000 rows checked or saved ({"rows", "total"}), then the page to
   go to ({"done", "url"}). Without fetch streaming, or when the server answers anything else,
   the form is posted the ordinary way and the browser waits for the redirect. */
document.querySelectorAll("form[data-busy]").forEach(function (form) {
  var box = form.querySelector(".busy");
  var started = 0;
  var show = function (text, done, total) {
    if (!box) { return; }
    box.classList.remove("d-none");
    var seconds = Math.round((Date.now() - started) / 1000);
    var bar = box.querySelector("progress") || box.appendChild(document.createElement("progress"));
    var label = box.querySelector("span") || box.insertBefore(document.createElement("span"), bar);
    label.textContent = text + " Elapsed: " + seconds + " s. ";
    bar.className = "w-100 d-block mt-1";
    if (total) { bar.max = total; bar.value = done; } else { bar.removeAttribute("value"); }
  };
  var last = ["", 0, 0];
  var remember = function (text, done, total) { last = [text, done, total]; show(text, done, total); };
  var fallback = function () {
    show(form.dataset.busy, 0, 0);
    form.submit();
  };
  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.ReadableStream || !window.TextDecoder) { return; }
    event.preventDefault();
    started = Date.now();
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    remember(form.dataset.busy, 0, 0);
    setInterval(function () { show(last[0], last[1], last[2]); }, 1000);
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Import-Progress": "ndjson"}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/x-ndjson") !== 0) { fallback(); return; }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffered = "";
      var finished = false;
      var read = function () {
        return reader.read().then(function (chunk) {
          buffered += decoder.decode(chunk.value || new Uint8Array(), {stream: !chunk.done});
          var lines = buffered.split("\n");
          buffered = lines.pop();
          lines.filter(Boolean).forEach(function (line) {
            var step = JSON.parse(line);
            if (step.done) { finished = true; window.location.assign(step.url); return; }
            var done = Math.min(step.rows, step.total);
            var pct = Math.round(100 * done / step.total);
            remember(done.toLocaleString() + " of about " + step.total.toLocaleString() + " rows (" + pct + "%).", done, step.total);
          });
          if (chunk.done) {
            if (!finished) { remember("The server stopped before the end; nothing was saved. Reload the page and try again.", 0, 0); }
            return;
          }
          return read();
        });
      };
      return read();
    }).catch(fallback);
  });
});
