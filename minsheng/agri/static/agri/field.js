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
