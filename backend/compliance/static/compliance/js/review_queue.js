// The review queue: a table/map toggle; the map mirrors the table's rows (same numbers).
(function () {
  "use strict";
  var tableButton = document.getElementById("show-table");
  var mapButton = document.getElementById("show-map");
  var wrap = document.getElementById("queue-map-wrap");
  var map = null;
  var layer = null;

  function points() {
    var node = document.getElementById("queue-points");
    return node ? JSON.parse(node.textContent) : [];
  }

  function draw() {
    if (!map) return;
    layer.clearLayers();
    var bounds = [];
    points().forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], {
        icon: ConsoleMap.stopIcon(p.n, p.flagged ? "#a4161a" : "#1d6b2f"),
        title: p.n + ". " + p.label,
        alt: p.n + ". " + p.label
      });
      marker.on("click", function () { window.location.href = p.url; });
      marker.on("keypress", function (event) {
        if (event.originalEvent && event.originalEvent.key === "Enter") window.location.href = p.url;
      });
      marker.addTo(layer);
      bounds.push([p.lat, p.lng]);
    });
    ConsoleMap.paintStops(map);
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
  }

  function show(which) {
    var onMap = which === "map";
    wrap.hidden = !onMap;
    var results = document.getElementById("queue-results");
    results.querySelector(".table-wrap").hidden = onMap;
    var bulk = results.querySelector(".bulk-bar");
    if (bulk) bulk.hidden = onMap;  // the boxes to tick are in the table
    tableButton.setAttribute("aria-pressed", String(!onMap));
    mapButton.setAttribute("aria-pressed", String(onMap));
    if (onMap && !map) {
      map = ConsoleMap.create(document.getElementById("queue-map"));
      layer = L.layerGroup().addTo(map);
      map.consoleReady.then(draw);
    } else if (onMap) {
      map.invalidateSize();
      draw();
    }
  }

  if (tableButton && mapButton && wrap) {
    tableButton.addEventListener("click", function () { show("table"); });
    mapButton.addEventListener("click", function () { show("map"); });
    document.addEventListener("htmx:afterSwap", function () {
      if (mapButton.getAttribute("aria-pressed") === "true") show("map");
    });
  }
})();
