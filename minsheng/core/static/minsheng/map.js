/* 民生 maps on Leaflet (vendored). No tile layer unless the deployment configures one (MINSHENG_MAP_TILES):
 * government intranets have no internet, so shapes are drawn on a plain background.
 *
 *   <div class="map" data-map="shapes" data-shapes="ID" data-tiles="URL"></div>
 *       draws [{geometry, name, main}] from the json_script element ID; `main` shapes are emphasised.
 *   <div class="map map-lg" data-map="grids" data-source="URL" data-locate="URL" data-status="ID" data-legend="ID"
 *        data-tiles="URL" data-i18n-...></div>
 *       every grid polygon from data-source ({grids, communities} FeatureCollections), coloured per 社区/村 with
 *       labels; a click on a polygon opens its popup, a click anywhere asks data-locate which grid the point is in.
 */
(function () {
  "use strict";

  var FALLBACK_VIEW = { center: [36.5, 118.5], zoom: 12 };

  function baseMap(el) {
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: el.hasAttribute("data-scroll-zoom") });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    return map;
  }

  function fit(map, layer) {
    var bounds = layer.getBounds && layer.getBounds();
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [18, 18], maxZoom: 17 });
    else map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
  }

  function say(el, key, fallback) {
    return el.getAttribute("data-i18n-" + key) || fallback;
  }

  function shapes(el) {
    var source = document.getElementById(el.getAttribute("data-shapes"));
    var items = source ? JSON.parse(source.textContent) : [];
    var map = baseMap(el);
    var group = L.featureGroup().addTo(map);
    items.forEach(function (item) {
      var style = item.main
        ? { color: "#1d5fbf", weight: 2.5, fillColor: "#1d5fbf", fillOpacity: 0.18 }
        : { color: "#7b8798", weight: 1.2, dashArray: "5 4", fillOpacity: 0.04 };
      L.geoJSON(item.geometry, {
        style: style,
        pointToLayer: function (_feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#c8161d", fillColor: "#c8161d", fillOpacity: 0.8 });
        },
      })
        .bindTooltip(item.name, { sticky: true })
        .addTo(group);
    });
    fit(map, group);
  }

  function popupFor(el, p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    title.textContent = p.name;
    box.appendChild(title);
    [
      [say(el, "code", "编码"), p.code],
      [say(el, "community", "社区/村"), p.community],
      [say(el, "worker", "网格员"), p.worker || p.fallback],
    ].forEach(function (row) {
      var line = document.createElement("div");
      line.textContent = row[0] + "：" + row[1];
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = say(el, "open", "查看网格");
    box.appendChild(link);
    return box;
  }

  function grids(el) {
    var map = baseMap(el);
    var status = document.getElementById(el.getAttribute("data-status"));
    var legend = document.getElementById(el.getAttribute("data-legend"));
    var marker = null;

    fetch(el.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var outlines = L.geoJSON(data.communities, {
          interactive: false,
          style: function (f) { return { color: f.properties.color, weight: 2, dashArray: "6 4", fill: false }; },
        }).addTo(map);
        var polygons = L.geoJSON(data.grids, {
          style: function (f) {
            return { color: f.properties.color, weight: 1.5, fillColor: f.properties.color, fillOpacity: 0.22 };
          },
          onEachFeature: function (f, layer) {
            layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "map-label" });
            layer.bindPopup(popupFor(el, f.properties));
            // Opening a popup stops the click from reaching the map, so the polygon asks for the location itself.
            layer.on("click", function (event) { locate(event.latlng); });
            layer.on("mouseover", function () { layer.setStyle({ fillOpacity: 0.4 }); });
            layer.on("mouseout", function () { layer.setStyle({ fillOpacity: 0.22 }); });
          },
        }).addTo(map);
        fit(map, polygons.getLayers().length ? polygons : outlines);
        // A street has dozens of grids: a name shows only once its grid is wide enough on screen to hold it.
        var fitLabels = function () { polygons.eachLayer(function (layer) { fitLabel(map, layer); }); };
        map.on("zoomend", fitLabels);
        fitLabels();
        el.setAttribute("data-grid-count", String(polygons.getLayers().length));
        if (legend) drawLegend(legend, data.communities.features);
        if (!data.grids.features.length && status) status.textContent = say(el, "no-grids", "暂无可显示的网格边界");
      });

    function locate(latlng) {
      if (marker) marker.remove();
      marker = L.circleMarker(latlng, { radius: 6, color: "#c8161d", fillColor: "#fff", fillOpacity: 1, weight: 3, interactive: false })
        .addTo(map);
      if (!status) return;
      status.textContent = say(el, "locating", "正在查询…");
      var url = el.getAttribute("data-locate") + "?lat=" + latlng.lat.toFixed(6) + "&lng=" + latlng.lng.toFixed(6);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          status.textContent = data.message || data.detail;
          if (data.grids && data.grids.length) {
            var link = document.createElement("a");
            link.href = data.grids[0].url;
            link.textContent = say(el, "open", "查看网格");
            status.appendChild(document.createTextNode(" "));
            status.appendChild(link);
          }
        })
        .catch(function () { status.textContent = say(el, "failed", "查询失败，请稍后重试"); });
    }
    map.on("click", function (event) { locate(event.latlng); });
  }

  function fitLabel(map, layer) {
    var tooltip = layer.getTooltip();
    var label = tooltip && tooltip.getElement();
    if (!label) return;
    var bounds = layer.getBounds();
    var width = map.latLngToLayerPoint(bounds.getNorthEast()).x - map.latLngToLayerPoint(bounds.getSouthWest()).x;
    label.style.visibility = width > label.offsetWidth + 8 ? "" : "hidden";
  }

  function drawLegend(legend, features) {
    legend.textContent = "";
    features.forEach(function (f) {
      var item = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = f.properties.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(f.properties.name));
      legend.appendChild(item);
    });
  }

  document.querySelectorAll('[data-map="shapes"]').forEach(shapes);
  document.querySelectorAll('[data-map="grids"]').forEach(grids);
})();
