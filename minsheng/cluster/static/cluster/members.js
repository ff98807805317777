/* The members checklist of a cooperative's form: filter the growers by name or village, count the chosen ones. */
(function () {
  document.querySelectorAll("[data-member-filter]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var fieldset = input.closest("fieldset");
    var count = fieldset ? fieldset.querySelector("[data-member-count]") : null;
    var template = count ? count.textContent.replace(/\d+/, "{n}") : "";
    function recount() {
      if (count) {
        count.textContent = template.replace("{n}", list.querySelectorAll("input:checked").length);
      }
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      list.querySelectorAll("label").forEach(function (label) {
        var box = label.querySelector("input");
        label.hidden = q !== "" && label.textContent.indexOf(q) === -1 && !(box && box.checked);
      });
    });
    list.addEventListener("change", recount);
  });
})();
