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
    return {
      title: { text: kind.label + (kind.unit ? "（" + kind.unit + "）" : ""), textStyle: { fontSize: 14 } },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 24, left: 0, type: "scroll" },
      grid: { left: 44, right: 12, top: 60, bottom: 28 },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true },
      series: series
    };
  }

  var charts = document.getElementById("iot-charts");
  if (charts && window.echarts) {
    fetch(charts.getAttribute("data-source"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        charts.innerHTML = "";
        var drawn = [];
        data.kinds.forEach(function (kind) {
          kind.minLabel = say(charts, "min", "min");
          kind.maxLabel = say(charts, "max", "max");
          var box = document.createElement("div");
          box.className = "iot-chart";
          box.setAttribute("data-kind", kind.kind);
          charts.appendChild(box);
          var chart = echarts.init(box);
          chart.setOption(chartOption(kind));
          drawn.push(chart);
        });
        if (!drawn.length) {
          var empty = document.createElement("p");
          empty.className = "empty";
          empty.textContent = say(charts, "none", "");
          charts.appendChild(empty);
        }
        charts.setAttribute("data-chart-count", String(drawn.length));
        window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
      })
      .catch(function () { charts.textContent = say(charts, "failed", "failed"); });
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
             [ "span", say(mapEl, "alarms", "") + "：" + p.alarms + "（" + p.worst_label + "）" ]].forEach(function (part) {
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
