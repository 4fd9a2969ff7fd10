/* Import forms (data-busy) say what is happening while the browser uploads the file; the
   check and the saving then run in the background worker and the run's page shows their
   progress (see _poll.html). The form is posted the ordinary way. */
document.querySelectorAll("form[data-busy]").forEach(function (form) {
  form.addEventListener("submit", function () {
    var box = form.querySelector(".busy");
    if (box) {
      box.textContent = form.dataset.busy;
      box.classList.remove("d-none");
    }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
});
