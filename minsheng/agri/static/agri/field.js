// The field page: names the commodity as it is typed (aliases included), warns on false-positive-prone ones, and
// shows the inhibition rate and its verdict live. The server recomputes and judges everything on submit.
(function () {
  "use strict";
  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var lookup = readJson("agri-lookup");
  var limits = readJson("agri-thresholds");
  var verdict = document.getElementById("verdict");
  var warning = document.getElementById("prone-warning");
  var commodity = document.getElementById("id_commodity");
  var resolved = document.getElementById("commodity-resolved");

  if (lookup && commodity) {
    var update = function () {
      var name = lookup.names[commodity.value.trim()];
      resolved.textContent = name && name !== commodity.value.trim() ? "→ " + name : "";
      if (warning) warning.hidden = !(name && lookup.prone.indexOf(name) >= 0);
    };
    commodity.addEventListener("input", update);
    update();
  }

  // Enzyme readings or a gold card, as the method radio says (both show when scripts are off).
  var methods = document.querySelectorAll("input[name=method]");
  if (methods.length) {
    var showMethod = function () {
      var chosen = document.querySelector("input[name=method]:checked");
      document.querySelectorAll("[data-method]").forEach(function (el) {
        el.hidden = chosen ? el.dataset.method !== chosen.value : false;
      });
    };
    methods.forEach(function (m) { m.addEventListener("change", showMethod); });
    showMethod();
  }

  // The task picker: only the tasks a sample of this level and village can count towards are selectable. While
  // the choice is still the page's default it follows the village's weekly routine task.
  var task = document.getElementById("id_task");
  var taskAuto = document.getElementById("id_task_auto");
  var routine = readJson("agri-routine-tasks") || {};
  var village = document.getElementById("id_village");
  var level = document.getElementById("id_level");
  if (task && village && level) {
    var villagePaths = readJson("agri-village-paths") || {};
    var fitTasks = function () {
      var path = villagePaths[village.value] || "";
      task.querySelectorAll("option[data-level]").forEach(function (option) {
        option.disabled = option.dataset.level !== level.value || path.indexOf(option.dataset.path) !== 0;
      });
      var auto = taskAuto && taskAuto.value === "True";
      if (auto) {
        var wanted = routine[village.value] ? String(routine[village.value]) : "";
        var option = wanted && task.querySelector('option[value="' + wanted + '"]');
        task.value = option && !option.disabled ? wanted : "";
      } else if (task.selectedOptions.length && task.selectedOptions[0].disabled) {
        task.value = "";
      }
    };
    task.addEventListener("change", function () { if (taskAuto) taskAuto.value = "False"; });
    village.addEventListener("change", fitTasks);
    level.addEventListener("change", fitTasks);
    fitTasks();
  }

  if (!verdict || !limits) return;
  var a0 = document.getElementById("id_delta_a0");
  var at = document.getElementById("id_delta_at");
  var rate = document.getElementById("verdict-rate");
  var label = document.getElementById("verdict-label");
  function show() {
    var x = parseFloat(a0.value), y = parseFloat(at.value);
    verdict.className = "verdict";
    if (a0.value === "" || at.value === "" || isNaN(x) || isNaN(y)) {
      rate.textContent = "—";
      label.textContent = verdict.dataset.empty;
      return;
    }
    if (x <= 0 || y < 0) {
      rate.textContent = "—";
      label.textContent = verdict.dataset.bad;
      verdict.className = "verdict verdict-bad";
      return;
    }
    var value = Math.round(((x - y) / x) * 10000) / 100;
    var kind = value >= limits.positive ? "positive" : value >= limits.suspect ? "suspect" : "negative";
    rate.textContent = value.toFixed(2) + "%";
    label.textContent = verdict.dataset[kind];
    verdict.className = "verdict verdict-" + kind;
  }
  a0.addEventListener("input", show);
  at.addEventListener("input", show);
  show();
})();
