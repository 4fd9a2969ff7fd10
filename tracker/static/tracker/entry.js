// Entry forms, made shorter where script runs (docs/ACCESSIBILITY.md). Without script every
// field shows and the server checks everything as before; this only hides what does not apply.
//
// 1. The unit list of a lab result shows only the units the chosen analyte and specimen accept
// (the map is in the list's data-units attribute, from the catalogue), with the usual unit
// chosen unless the one chosen before is accepted too.
// 2. On the treatment form, a section (fieldset[data-categories]) that belongs to other
// categories is hidden; it stays shown while it holds a value or an error, so nothing typed is
// ever sent unseen.
(function () {
  "use strict";

  function unitList(select) {
    var map = JSON.parse(select.dataset.units);
    var form = select.form;
    var analyte = form && form.elements.namedItem("analyte");
    var specimen = form && form.elements.namedItem("specimen");
    if (!analyte) return;

    function spec() {
      var entry = map[analyte.value];
      if (!entry) return null;
      return entry.specs[(specimen && specimen.value) || entry.default] || entry.specs[entry.default];
    }

    function fill(keep, first) {
      var chosen = spec();
      if (!chosen) return;
      var units = chosen.units.slice();
      if (!units.length) units = [["", "No unit (a category)"]];
      var accepted = units.some(function (u) { return u[0] === keep; });
      if (first && keep && !accepted) units.push([keep, keep]); // refused: shown as it was sent
      select.textContent = "";
      units.forEach(function (u) {
        var option = document.createElement("option");
        option.value = u[0];
        option.textContent = u[1];
        select.appendChild(option);
      });
      var wanted = keep && units.some(function (u) { return u[0] === keep; }) ? keep : chosen.canonical;
      select.value = units.some(function (u) { return u[0] === wanted; }) ? wanted : units[0][0];
    }

    fill(select.value, true);
    analyte.addEventListener("change", function () { fill(select.value, false); });
    if (specimen) specimen.addEventListener("change", function () { fill(select.value, false); });
  }

  function holdsSomething(section) {
    if (section.querySelector(".is-invalid, .invalid-feedback")) return true;
    return Array.prototype.some.call(section.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked;
      return el.value.trim() !== "";
    });
  }

  function treatmentSections(category) {
    var sections = category.form.querySelectorAll("fieldset[data-categories]");
    function show() {
      sections.forEach(function (section) {
        var applies = section.dataset.categories.split(/\s+/).indexOf(category.value) !== -1;
        section.hidden = !applies && !holdsSomething(section);
      });
    }
    show();
    category.addEventListener("change", show);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-units]").forEach(unitList);
    var category = document.querySelector("form select[name='category']");
    if (category && category.form.querySelector("fieldset[data-categories]")) treatmentSections(category);
  });
})();
