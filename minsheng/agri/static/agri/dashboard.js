// The dashboard's two charts, drawn from the figures the page embeds (agri-chart).
(function () {
  "use strict";
  var source = document.getElementById("agri-chart");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var t = data.i18n;
  var charts = [];
  var weeks = document.getElementById("chart-weeks");
  if (weeks) {
    var c1 = echarts.init(weeks);
    // Someone who sees only some villages gets their counts, not measured against the street's minimum.
    var whole = data.street_wide !== false;
    var series = [
      { name: t.count, type: "bar", color: whole ? "#16a34a" : "#2563eb", data: data.weeks.map(function (w) {
          return whole ? { value: w.count, itemStyle: { color: w.count >= w.minimum ? "#16a34a" : "#f59e0b" } } : w.count;
        }) }
    ];
    if (whole) {
      series.push({ name: t.minimum, type: "line", step: "middle", symbol: "none", lineStyle: { type: "dashed", color: "#dc2626" },
        data: data.weeks.map(function (w) { return w.minimum; }) });
    }
    c1.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: whole ? [t.count, t.minimum] : [t.count] },
      grid: { left: 36, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.weeks.map(function (w) { return w.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    charts.push(c1);
  }
  var levels = document.getElementById("chart-levels");
  if (levels) {
    var c2 = echarts.init(levels);
    c2.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: [t.passed, t.failed] },
      grid: { left: 36, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.levels.map(function (l) { return l.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t.passed, type: "bar", stack: "n", color: "#16a34a", data: data.levels.map(function (l) { return l.passed; }) },
        { name: t.failed, type: "bar", stack: "n", color: "#dc2626", data: data.levels.map(function (l) { return l.failed; }) }
      ]
    });
    charts.push(c2);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
