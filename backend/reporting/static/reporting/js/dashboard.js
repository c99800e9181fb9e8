// The dashboard: after each load or filter (once htmx has swapped #dashboard-results in and
// settled it), draw the charts and the parish map from the figures the server rendered.
(function () {
  "use strict";
  var map = null;

  function drawMap(points) {
    var element = document.getElementById("parish-map");
    if (map) { map.remove(); map = null; }
    if (!element || typeof ConsoleMap === "undefined") return;
    map = ConsoleMap.create(element);
    var biggest = Math.max.apply(null, [1].concat(points.map(function (p) { return p.value || 0; })));
    map.consoleReady.then(function () {
      points.forEach(function (p) {
        if (!p.value) return;
        L.circleMarker(p.centre, {
          radius: 4 + 22 * Math.sqrt(p.value / biggest),
          color: "#0f2740", weight: 1.5, fillColor: "#1f4e79", fillOpacity: 0.5
        }).bindTooltip(p.label + ": " + p.value.toLocaleString(document.documentElement.lang || "en")).addTo(map);
      });
    });
  }

  function drawAll() {
    var data = ReportingCharts.readJson("dashboard-data");
    if (!data) return;
    ReportingCharts.draw("chart-inspections", data.inspections);
    ReportingCharts.draw("chart-findings", data.findings);
    drawMap(data.parishes || []);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "dashboard-results") return;
    if (map) { map.remove(); map = null; }
    ReportingCharts.release(target);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "dashboard-results") drawAll();
  });
})();
