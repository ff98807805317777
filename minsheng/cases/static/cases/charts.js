/* The metrics page's charts (ECharts, vendored): the monthly trend and the chosen breakdown.
 *
 *   <script type="application/json" id="metrics-chart">{months: {...}, groups: {...}, i18n: {...}}</script>
 *   <div class="chart" data-chart="months|groups" data-source="metrics-chart"></div>
 */
(function () {
  "use strict";

  var BLUE = "#1d5fbf", GREEN = "#1a7f4b", ORANGE = "#e0a100", RED = "#c8161d";
  var FONT = getComputedStyle(document.body).fontFamily;

  function months(data, t) {
    return {
      textStyle: { fontFamily: FONT },
      color: [BLUE, GREEN, ORANGE, RED],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, splitLine: { show: false }, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: t.accepted, type: "bar", barMaxWidth: 28, data: data.accepted },
        { name: t.resolved, type: "bar", barMaxWidth: 28, data: data.resolved },
        { name: t.on_time_rate, type: "line", yAxisIndex: 1, data: data.on_time_rate, connectNulls: true },
        { name: t.satisfaction_rate, type: "line", yAxisIndex: 1, data: data.satisfaction_rate, connectNulls: true },
      ],
    };
  }

  function groups(data, t) {
    // Horizontal bars read better with long Chinese names; the largest group on top.
    var labels = data.labels.slice().reverse();
    return {
      textStyle: { fontFamily: FONT },
      color: [BLUE, RED],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: labels,
        axisLabel: { width: 96, overflow: "truncate" },
      },
      series: [
        { name: t.accepted, type: "bar", barMaxWidth: 18, data: data.accepted.slice().reverse() },
        { name: t.overdue, type: "bar", barMaxWidth: 18, data: data.overdue.slice().reverse() },
      ],
    };
  }

  var BUILDERS = { months: months, groups: groups };
  var charts = [];

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || !window.echarts) return;
    var all = JSON.parse(source.textContent);
    var kind = el.getAttribute("data-chart");
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(BUILDERS[kind](all[kind], all.i18n));
    charts.push(chart);
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
