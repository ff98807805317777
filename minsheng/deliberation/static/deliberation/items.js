// 快速录入 at a meeting: Enter saves the item (Shift+Enter starts a new line), and after each save the box has the
// focus again, so a recorder can type one item after another. A file rather than an inline script: the page's
// content security policy runs no inline script, and the list is swapped in by htmx after every save.
(function () {
  document.addEventListener("keydown", function (e) {
    if (!e.target || e.target.id !== "item-text") return;
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      var form = document.getElementById("item-entry");
      if (form) form.requestSubmit();
    }
  });
  function focusBox(force) {
    var text = document.getElementById("item-text");
    if (text && (force || document.activeElement === document.body)) text.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusBox(false); });
  document.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector("#items li.fresh")) focusBox(true);
  });
})();
