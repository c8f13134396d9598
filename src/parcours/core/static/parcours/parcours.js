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

// Interview mode (a consultant on site, often on a tablet): keys 0-5 choose the level of the
// current question, j/k move between questions, n/p between domains. Each choice is saved by
// the form's own htmx autosave, as a click would be.
(function () {
  "use strict";
  function questions() { return Array.prototype.slice.call(document.querySelectorAll("section.question")); }
  function current() {
    var active = document.activeElement && document.activeElement.closest ? document.activeElement.closest("section.question") : null;
    return active || document.querySelector("section.question.current") || questions()[0] || null;
  }
  function focusQuestion(section) {
    if (!section) return;
    questions().forEach(function (q) { q.classList.remove("current"); });
    section.classList.add("current");
    var target = section.querySelector('input[name="level"]:checked') || section.querySelector('input[name="level"]');
    if (target) target.focus();
    section.scrollIntoView({ block: "start" });
  }
  document.addEventListener("keydown", function (event) {
    if (!document.body.hasAttribute("data-interview")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var el = event.target;
    if (el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== "radio" && el.type !== "checkbox")) return;
    var key = event.key;
    var section = current();
    if (/^[0-5]$/.test(key) && section) {
      var radio = section.querySelector('input[name="level"][value="' + key + '"]');
      if (radio && !radio.disabled) {
        radio.checked = true;
        radio.focus();
        radio.dispatchEvent(new Event("change", { bubbles: true }));
        event.preventDefault();
      }
    } else if (key === "j" || key === "k") {
      var list = questions();
      var i = list.indexOf(section) + (key === "j" ? 1 : -1);
      if (i >= 0 && i < list.length) focusQuestion(list[i]);
      event.preventDefault();
    } else if (key === "n" || key === "p") {
      var link = document.querySelector('a[data-key="' + key + '"]');
      if (link) { window.location.href = link.href; event.preventDefault(); }
    }
  });
  document.addEventListener("focusin", function (event) {
    if (!document.body.hasAttribute("data-interview")) return;
    var section = event.target.closest ? event.target.closest("section.question") : null;
    if (section) {
      questions().forEach(function (q) { q.classList.remove("current"); });
      section.classList.add("current");
    }
  });
})();
