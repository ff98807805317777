/* The case workbench's small behaviours (no framework; HTMX does the requests).
 *
 *   .filters-toggle               shows the filters a phone hides (the enclosing .filters gets .open)
 *   input[data-check-all]         ticks every input[name=cases] of the bulk form; [data-selected-count] counts them
 *   .actions details              one step open at a time
 *   select[data-unit-select]      in the dispatch form: the handler list shows the chosen unit's people only
 *   [data-locate]                 fills #id_lat / #id_lng from the phone's position
 *   [data-recheck]                asks the duplicates panel again when the place or the category changes
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".filters-toggle");
    if (toggle) {
      var bar = toggle.closest(".filters");
      bar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(bar.classList.contains("open")));
    }
    var locate = event.target.closest("[data-locate]");
    if (locate) locateMe(locate);
  });

  // -- bulk selection --------------------------------------------------------------------------------------
  function countSelected() {
    var n = document.querySelectorAll("input[name=cases]:checked").length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = String(n); });
    document.querySelectorAll("[data-needs-selection]").forEach(function (el) { el.disabled = n === 0; });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("input[data-check-all]")) {
      document.querySelectorAll("input[name=cases]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("input[name=cases], input[data-check-all]")) countSelected();
    if (target.matches("select[data-unit-select]")) filterHandlers(target);
    if (target.closest("[data-recheck]")) recheck();
    if (target.matches("input[name=anonymous]")) {
      var name = document.getElementById("id_reporter_name");
      if (name) name.disabled = target.checked;
    }
  });

  // -- one open step at a time -----------------------------------------------------------------------------
  document.addEventListener(
    "toggle",
    function (event) {
      var opened = event.target;
      if (!opened.matches || !opened.matches(".actions details") || !opened.open) return;
      opened.closest(".actions").querySelectorAll("details[open]").forEach(function (other) {
        if (other !== opened) other.open = false;
      });
      var first = opened.querySelector("textarea, input:not([type=hidden]), select");
      if (first && window.matchMedia("(min-width: 769px)").matches) first.focus();
    },
    true
  );

  // -- dispatch: the handler list follows the unit ---------------------------------------------------------
  // The dispatch form's unit search: narrows the unit list (and the co-handling units) to names containing the text.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches("input[data-unit-search]")) return;
    var text = box.value.trim();
    var select = document.getElementById(box.getAttribute("data-unit-search"));
    var first = null;
    if (select) {
      select.querySelectorAll("optgroup").forEach(function (group) {
        var any = false;
        group.querySelectorAll("option").forEach(function (opt) {
          var show = !text || opt.textContent.indexOf(text) !== -1;
          opt.hidden = !show;
          if (show) { any = true; if (!first) first = opt; }
        });
        group.hidden = !any;
      });
      if (text && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
        filterHandlers(select);
      }
    }
    var form = box.closest("form") || document;
    form.querySelectorAll(".co-units label").forEach(function (label) {
      label.hidden = !!text && label.textContent.indexOf(text) === -1 && !label.querySelector("input:checked");
    });
  });

  // -- the ledger export: a running clock until the server's cookie says the file is on its way --------------
  function exportStarted(trigger) {
    var status = document.querySelector("[data-export-status]");
    var token = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    if (status) {
      status.hidden = false;
      var started = Date.now();
      var timer = setInterval(function () {
        if (document.cookie.indexOf("ledger_ready=" + token) !== -1) {
          clearInterval(timer);
          status.textContent = status.getAttribute("data-i18n-done");
          return;
        }
        status.textContent = status.getAttribute("data-i18n-working") + " " + Math.round((Date.now() - started) / 1000) + "s";
      }, 500);
      status.textContent = status.getAttribute("data-i18n-working");
    }
    return token;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) return;
    var token = exportStarted(link);
    link.href = link.href.replace(/([?&])token=[^&]*&?/, "$1") + (link.href.indexOf("?") === -1 ? "?" : "&") + "token=" + token;
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-export]");
    if (!form) return;
    var input = form.querySelector("input[name=token]") || document.createElement("input");
    input.type = "hidden";
    input.name = "token";
    input.value = exportStarted(form);
    form.appendChild(input);
  });

  function filterHandlers(unitSelect) {
    var handler = document.getElementById(unitSelect.getAttribute("data-unit-select"));
    if (!handler) return;
    var unit = unitSelect.value;
    var keep = false;
    handler.querySelectorAll("optgroup").forEach(function (group) {
      var show = !unit || group.getAttribute("data-unit") === unit;
      group.hidden = !show;
      group.disabled = !show;
      if (show && group.querySelector("option:checked")) keep = true;
    });
    if (!keep) handler.value = "";
  }

  // -- intake ----------------------------------------------------------------------------------------------
  function recheck() {
    var box = document.getElementById("id_description");
    if (box && window.htmx) window.htmx.trigger(box, "recheck");
  }

  function locateMe(button) {
    var status = document.getElementById(button.getAttribute("data-locate"));
    function say(text) { if (status) status.textContent = text; }
    if (!navigator.geolocation) return say(button.getAttribute("data-i18n-unsupported"));
    say(button.getAttribute("data-i18n-locating"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_lng").value = position.coords.longitude.toFixed(6);
        say(button.getAttribute("data-i18n-done"));
        recheck();
        // Name the grid and 小区 the point falls in (the residents' H5 form does the same).
        var where = button.getAttribute("data-where");
        if (where) {
          fetch(where + "?lat=" + position.coords.latitude + "&lng=" + position.coords.longitude, { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (data) { say(data.found ? button.getAttribute("data-i18n-done") + "：" + data.place : data.message || data.error); })
            .catch(function () { /* the point is filled in; naming it is a courtesy */ });
        }
      },
      function () { say(button.getAttribute("data-i18n-failed")); },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-unit-select]").forEach(filterHandlers);
    countSelected();
  });
})();
