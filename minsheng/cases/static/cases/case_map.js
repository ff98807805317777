/* The case map: grid polygons from org's endpoint, open cases as clustered dots coloured by their deadline.
 *
 *   <div id="case-map" data-cases="URL" data-grids="URL" data-status="ID" data-tiles="URL" data-i18n-...></div>
 *
 * data-cases answers a GeoJSON FeatureCollection (cases.views.workbench_map.map_data); a cluster takes the colour
 * of the most urgent case inside it, so a red case is never hidden inside a grey bubble.
 */
(function () {
  "use strict";

  var COLORS = { red: "#c8161d", yellow: "#e0a100", green: "#1a7f4b", none: "#7b8798" };
  var RANK = { red: 3, yellow: 2, green: 1, none: 0 };
  var FALLBACK_VIEW = { center: [36.5, 118.5], zoom: 12 };

  function say(el, key, fallback) {
    return el.getAttribute("data-i18n-" + key) || fallback;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function popup(el, p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    title.textContent = p.title;
    box.appendChild(title);
    [p.number, p.category + " · " + p.status, p.due ? say(el, "due", "办结时限") + "：" + p.due + "（" + p.state_label + "）" : ""]
      .filter(Boolean)
      .forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = say(el, "open", "查看案件");
    box.appendChild(link);
    return box;
  }

  function clusterIcon(cluster) {
    var worst = "none";
    cluster.getAllChildMarkers().forEach(function (m) {
      if (RANK[m.options.state] > RANK[worst]) worst = m.options.state;
    });
    var n = cluster.getChildCount();
    var size = n < 10 ? 30 : n < 100 ? 36 : 44;
    var dot = document.createElement("span");
    dot.style.background = COLORS[worst];
    dot.textContent = String(n);
    return L.divIcon({ html: dot, className: "case-marker-cluster", iconSize: [size, size] });
  }

  function init(el) {
    var status = document.getElementById(el.getAttribute("data-status"));
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, maxZoom: 19, scrollWheelZoom: el.hasAttribute("data-scroll-zoom") });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    else el.classList.add("map-no-tiles"); // no tile server: the boundaries and grids below are the base map
    var grids = L.featureGroup().addTo(map);
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: clusterIcon,
    }).addTo(map);

    var gridSource = el.getAttribute("data-grids");
    var loadGrids = gridSource
      ? getJSON(gridSource).then(function (data) {
          if (data.communities) {
            L.geoJSON(data.communities, {
              interactive: false,
              style: function (f) {
                return { color: f.properties.color, weight: 2.5, dashArray: "6 4", fillColor: "#ffffff", fillOpacity: 0.6 };
              },
            }).addTo(grids);
          }
          L.geoJSON(data.grids, {
            interactive: false,
            style: function (f) {
              return { color: f.properties.color, weight: 1.5, fillColor: f.properties.color, fillOpacity: 0.12 };
            },
            onEachFeature: function (f, layer) {
              layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "map-label" });
            },
          }).addTo(grids);
        }).catch(function () { /* no grids: the cases still show */ })
      : Promise.resolve();

    var loadCases = getJSON(el.getAttribute("data-cases")).then(function (data) {
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var state = f.properties.state in COLORS ? f.properties.state : "none";
        L.circleMarker([c[1], c[0]], {
          radius: 8, weight: 2, color: "#fff", fillColor: COLORS[state], fillOpacity: 0.95, state: state,
        })
          .bindPopup(popup(el, f.properties))
          .addTo(clusters);
      });
      el.setAttribute("data-case-count", String(data.features.length));
      if (status) {
        status.textContent = data.message || (data.features.length
          ? say(el, "count", "在办案件 %(n)s 件").replace("%(n)s", data.total)
          : say(el, "none", "没有带位置的在办案件"));
      }
    }).catch(function () {
      if (status) status.textContent = say(el, "failed", "加载失败，请稍后重试");
    });

    Promise.all([loadGrids, loadCases]).then(function () {
      // The cases decide the view; with none, the grids do. Never so close that the grid around is lost.
      var bounds = clusters.getBounds();
      if (!bounds.isValid()) bounds = grids.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16 });
      else map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
    });
  }

  var el = document.getElementById("case-map");
  if (el) init(el);
})();
