// Parcours: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  // Checking "not applicable" clears the chosen level, so the form says what will be saved.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    var form = target.form;
    if (!form) return;
    if (target.name === "not_applicable" && target.checked) {
      form.querySelectorAll('input[name="level"]').forEach(function (r) { r.checked = false; });
    } else if (target.name === "level") {
      var na = form.querySelector('input[name="not_applicable"]');
      if (na) na.checked = false;
    }
  }, true);
  // Saving a form that failed validation moves focus to its error summary.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
