// The responsibility-letter form: show only the fields the chosen level needs (村级: 村; 监管员: 监管员 and 村;
// 生产经营主体: 主体). Without JavaScript every field stays visible and the server checks the combination.
(function () {
  var level = document.getElementById("id_level");
  if (!level || !document.getElementById("id_producer")) return;
  var needs = { village: ["village"], supervisor: ["supervisor", "village"], producer: ["producer"] };
  function box(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.closest("div") : null;
  }
  function update() {
    var shown = needs[level.value] || [];
    ["village", "supervisor", "producer"].forEach(function (name) {
      var el = box(name);
      if (el) el.hidden = shown.indexOf(name) < 0;
    });
  }
  level.addEventListener("change", update);
  update();
})();
