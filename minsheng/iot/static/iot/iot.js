/* The greenhouse pages' behaviours: tick-all on the alarm console, the 24-hour charts (ECharts) and the cluster map
 * (Leaflet). Each part runs only when its element is on the page. */
(function () {
  "use strict";

  function say(el, key, fallback) {
    return el.getAttribute("data-i18n-" + key) || fallback;
  }

  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="alarms"]').forEach(function (box) { box.checked = all.checked; });
    });
  });

  function chartOption(kind) {
    var series = kind.series.map(function (s) {
      return { name: s.name, type: "line", showSymbol: false, data: s.data };
    });
    var limitStyle = { type: "dashed", width: 1.5 };
    if (kind.min) series.push({ name: kind.minLabel, type: "line", step: "end", showSymbol: false, data: kind.min,
      lineStyle: Object.assign({ color: "#0e8a7d" }, limitStyle), itemStyle: { color: "#0e8a7d" } });
    if (kind.max) series.push({ name: kind.maxLabel, type: "line", step: "end", showSymbol: false, data: kind.max,
      lineStyle: Object.assign({ color: "#c8161d" }, limitStyle), itemStyle: { color: "#c8161d" } });
    if (kind.bands.length && series.length) {
      series[0].markArea = {
        silent: true,
        data: kind.bands.map(function (b) {
          return [{ xAxis: b.from, name: b.label, itemStyle: { color: b.colour, opacity: 0.12 } }, { xAxis: b.to }];
        }),
        label: { show: true, position: "insideTop", fontSize: 11 }
      };
    }
    var empty = kind.series.every(function (s) { return !s.data.length; });
    return {
      title: { text: kind.label + (kind.unit ? "（" + kind.unit + "）" : ""), textStyle: { fontSize: 14 } },
      graphic: empty ? [{ type: "text", left: "center", top: "middle",
        style: { text: kind.noneLabel, fill: "#8a93a3", fontSize: 13 } }] : [],
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 24, left: 0, type: "scroll" },
      grid: { left: 8, right: 12, top: 60, bottom: 28, containLabel: true },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true },
      series: series
    };
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  /* Ask `load` again every `ms` while the page is visible; a hidden tab waits and catches up when shown. */
  function every(ms, load) {
    if (!ms) return;
    setInterval(function () { if (!document.hidden) load(); }, ms);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) load(); });
  }

  function poll(el) { return parseInt(el.getAttribute("data-poll") || "0", 10); }

  var charts = document.getElementById("iot-charts");
  if (charts && window.echarts) {
    var drawn = {};
    var drawCharts = function (data) {
      var seen = {};
      data.kinds.forEach(function (kind) {
        kind.minLabel = say(charts, "min", "min");
        kind.maxLabel = say(charts, "max", "max");
        kind.noneLabel = say(charts, "none", "");
        seen[kind.kind] = true;
        if (!drawn[kind.kind]) {
          var box = document.createElement("div");
          box.className = "iot-chart";
          box.setAttribute("data-kind", kind.kind);
          charts.appendChild(box);
          drawn[kind.kind] = echarts.init(box);
        }
        drawn[kind.kind].setOption(chartOption(kind), true);
      });
      Object.keys(drawn).forEach(function (k) {
        if (!seen[k]) { var dom = drawn[k].getDom(); drawn[k].dispose(); dom.remove(); delete drawn[k]; }
      });
      var empty = charts.querySelector("p");
      if (empty) empty.remove();
      var n = Object.keys(drawn).length;
      if (!n) {
        empty = document.createElement("p");
        empty.className = "empty";
        empty.textContent = say(charts, "none", "");
        charts.appendChild(empty);
      }
      charts.setAttribute("data-chart-count", String(n));
      charts.setAttribute("data-updated", data.end);
    };
    var loadCharts = function () {
      getJSON(charts.getAttribute("data-source")).then(drawCharts).catch(function () {
        if (!Object.keys(drawn).length) charts.textContent = say(charts, "failed", "failed");
      });
    };
    loadCharts();
    every(poll(charts), loadCharts);
    window.addEventListener("resize", function () { Object.keys(drawn).forEach(function (k) { drawn[k].resize(); }); });
  }

  /* The greenhouse page: its alarm card and the sensors' last values. */
  var ghAlarms = document.getElementById("iot-gh-alarms");
  if (ghAlarms) {
    every(poll(ghAlarms), function () {
      getJSON(ghAlarms.getAttribute("data-live")).then(function (data) {
        ghAlarms.innerHTML = data.alarms_html;
        data.sensors.forEach(function (s) {
          var cell = document.querySelector('[data-sensor-value="' + s.id + '"]');
          if (cell && s.last_value !== null) cell.textContent = s.last_value.toFixed(1) + " " + cell.getAttribute("data-unit");
          var seen = document.querySelector('[data-sensor-seen="' + s.id + '"]');
          if (seen && s.last_seen) {
            var d = new Date(s.last_seen), pad = function (n) { return (n < 10 ? "0" : "") + n; };
            seen.textContent = pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
          }
        });
      }).catch(function () {});
    });
  }

  /* The alarm console: new rows and the header summary without a reload; ticked boxes stay ticked. */
  var consoleEl = document.getElementById("iot-console");
  if (consoleEl) {
    var statusEl = document.getElementById("iot-live-status");
    every(poll(consoleEl), function () {
      getJSON(consoleEl.getAttribute("data-live")).then(function (data) {
        var ticked = {};
        document.querySelectorAll('input[name="alarms"]:checked').forEach(function (b) { ticked[b.value] = true; });
        document.getElementById("iot-alarm-rows").innerHTML = data.rows_html;
        document.querySelectorAll('input[name="alarms"]').forEach(function (b) { if (ticked[b.value]) b.checked = true; });
        document.getElementById("iot-summary").innerHTML = data.summary_html;
        document.getElementById("iot-alarm-count").textContent = String(data.count);
        document.getElementById("iot-alarm-table").hidden = !data.ids.length;
        document.getElementById("iot-alarm-empty").hidden = !!data.ids.length;
        var d = new Date(data.now), pad = function (n) { return (n < 10 ? "0" : "") + n; };
        statusEl.textContent = say(statusEl, "updated", "%(t)s").replace("%(t)s", pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()));
        consoleEl.setAttribute("data-updated", data.now);
      }).catch(function () { statusEl.textContent = say(statusEl, "failed", ""); });
    });
  }

  var mapEl = document.getElementById("iot-map");
  if (mapEl && window.L) {
    var status = document.getElementById(mapEl.getAttribute("data-status"));
    var map = L.map(mapEl, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: true });
    var tiles = mapEl.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    fetch(mapEl.getAttribute("data-source"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var group = L.featureGroup().addTo(map);
        L.geoJSON(data.villages, {
          style: { color: "#1d5fbf", weight: 1.5, fillColor: "#1d5fbf", fillOpacity: 0.06 },
          onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name, { sticky: true }); }
        }).addTo(group);
        L.geoJSON(data.greenhouses, {
          pointToLayer: function (f, latlng) {
            var p = f.properties;
            return L.circleMarker(latlng, { radius: p.alarms ? 9 : 7, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 0.95 });
          },
          onEachFeature: function (f, layer) {
            var p = f.properties, box = document.createElement("div");
            box.className = "map-popup";
            [[ "strong", p.name ], [ "span", p.village + (p.cluster ? " · " + p.cluster : "") + " · " + p.stage ],
             [ "span", say(mapEl, "alarms", "") + "：" + p.alarms + "（" + p.worst_label + "）" +
               (p.unacknowledged ? " · " + say(mapEl, "unack", "") + " " + p.unacknowledged : "") ]].forEach(function (part) {
              var node = document.createElement(part[0]); node.textContent = part[1]; box.appendChild(node);
            });
            var link = document.createElement("a"); link.href = p.url; link.textContent = say(mapEl, "open", ""); box.appendChild(link);
            layer.bindPopup(box);
          }
        }).addTo(group);
        var n = data.greenhouses.features.length;
        mapEl.setAttribute("data-greenhouse-count", String(n));
        status.textContent = n ? say(mapEl, "count", "%(n)s").replace("%(n)s", n) : say(mapEl, "none", "");
        var bounds = group.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [18, 18], maxZoom: 16 });
        else map.setView([36.5, 118.5], 12);
      })
      .catch(function () { status.textContent = say(mapEl, "failed", "failed"); map.setView([36.5, 118.5], 12); });
  }
})();
