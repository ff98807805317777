/* The cockpit's map on vendored Leaflet: the grids as the base (no tile server needed), one overlay per
 * registered domain layer, points in the layer's colour and red when they need attention.
 *
 *   <div class="map" id="cockpit-map" data-source="ID" data-tiles="URL"></div>   (ID: a json_script element)
 */
(function () {
  "use strict";

  var FALLBACK_VIEW = { center: [36.5, 118.5], zoom: 12 };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    var data = source ? JSON.parse(source.textContent) : { grids: [], layers: [] };
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var all = L.featureGroup();
    var base = L.featureGroup().addTo(map);
    data.grids.forEach(function (g) {
      L.geoJSON(g.geometry, { style: { color: "#7b8798", weight: 1, fillColor: "#9fb3cf", fillOpacity: 0.12 } })
        .bindTooltip(g.name, { sticky: true })
        .addTo(base);
    });
    base.addTo(all);
    var overlays = {};
    data.layers.forEach(function (layer) {
      var group = L.featureGroup();
      layer.points.forEach(function (p) {
        var colour = p.alert ? "#c8161d" : layer.colour;
        var marker = L.circleMarker([p.lat, p.lng], {
          radius: p.alert ? 7 : 5, color: colour, fillColor: colour, fillOpacity: 0.8, weight: 1,
        });
        if (p.url) {  // the big screen's points carry no title or link (a wall is read by the whole room)
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.title;
          marker.bindPopup(link);
        }
        marker.addTo(group);
      });
      group.addTo(map);
      group.addTo(all);
      overlays[layer.label + " (" + layer.points.length + ")"] = group;
    });
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    var bounds = all.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 });
    else map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
  }

  document.querySelectorAll("[data-cockpit-map]").forEach(draw);
})();
