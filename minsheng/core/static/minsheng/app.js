/* 民生 workbench shell behaviour: the phone's 更多 sheet, tree branches, auto-submitting selects, confirmations. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle]");
    if (toggle) {
      var target = document.getElementById(toggle.getAttribute("data-toggle"));
      if (target) {
        target.hidden = !target.hidden;
        document.querySelectorAll('[data-toggle="' + target.id + '"][aria-expanded]').forEach(function (el) {
          el.setAttribute("aria-expanded", String(!target.hidden));
        });
      }
      return;
    }
    // The org tree: HTMX loads a node's children on the first click; every click shows or hides them.
    var branch = event.target.closest(".tree-toggle");
    if (branch) {
      var children = document.getElementById(branch.getAttribute("aria-controls"));
      var open = branch.getAttribute("aria-expanded") === "true";
      branch.setAttribute("aria-expanded", String(!open));
      if (children) children.hidden = open;
      return;
    }
    // A click on the dimmed backdrop (not the panel) closes the sheet.
    if (event.target.classList && event.target.classList.contains("more-sheet")) {
      event.target.hidden = true;
    }
    var confirmable = event.target.closest("[data-confirm]");
    if (confirmable && !window.confirm(confirmable.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(".more-sheet").forEach(function (el) { el.hidden = true; });
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
})();
