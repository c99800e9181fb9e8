// The dashboard: after each load or filter (once htmx has swapped #dashboard-results in and
// settled it), draw the charts and the parish map from the figures the server rendered.
//
// Filters changed in quick succession: the form's hx-sync="this:queue last" lets the request on
// its way finish (htmx 2 logs every request it aborts as a console error) and asks for the last
// filters once it is in. Its answer is then already overtaken: it is dropped here, never shown,
// so the figures on the page only ever follow the filters the form shows. The results are
// aria-busy from the first request to the last one's drawing.
(function () {
  "use strict";
  var map = null;
  var inFlight = null; // the xhr of the dashboard's request on its way, if any

  function form() { return document.getElementById("dashboard-filters"); }
  function results() { return document.getElementById("dashboard-results"); }

  // The filters as the form shows them now, in the form's order.
  function chosen() {
    var element = form();
    return element ? new URLSearchParams(new FormData(element)).toString() : "";
  }

  function busy(on) {
    var element = results();
    if (!element) return;
    if (on) element.setAttribute("aria-busy", "true");
    else element.removeAttribute("aria-busy");
  }

  function ours(event) {
    return event.detail && event.detail.elt === form();
  }

  var LARGEST = 26; // px: the radius of the parish with the most inspections

  // Each parish inspected: a circle whose area follows its figure, named beside it with its
  // figure (the side the server gives, away from its neighbours: the peninsula's parishes lie
  // within a finger's width), and the view fitted to the circles with room for the largest, so
  // that none is cut at the map's edge.
  function drawMap(points) {
    var element = document.getElementById("parish-map");
    if (map) { map.remove(); map = null; }
    if (!element || typeof ConsoleMap === "undefined") return;
    var drawn = ConsoleMap.create(element, { labels: false });
    map = drawn;
    var biggest = Math.max.apply(null, [1].concat(points.map(function (p) { return p.value || 0; })));
    drawn.consoleReady.then(function () {
      // Replaced by newer figures while its outline was loading: those draw their own circles.
      if (drawn !== map || !drawn.getContainer().isConnected) return;
      points.forEach(function (p) {
        var radius = p.value ? 4 + (LARGEST - 4) * Math.sqrt(p.value / biggest) : 0;
        var offset = { left: [-radius, 0], right: [radius, 0], top: [0, -radius], bottom: [0, radius] }[p.side];
        var label = L.tooltip({
          permanent: true, direction: p.side, offset: offset, className: "map-label parish-figure", interactive: false
        }).setLatLng(p.centre).setContent(p.caption);
        if (p.value) {
          L.circleMarker(p.centre, {
            radius: radius, color: "#0f2740", weight: 1.5, fillColor: "#1f4e79", fillOpacity: 0.5
          }).bindTooltip(label).addTo(drawn);
        } else {
          label.addTo(drawn); // named, no circle: nothing inspected there
        }
      });
      if (points.length) {
        var room = LARGEST + 8;
        drawn.fitBounds(L.latLngBounds(points.map(function (p) { return p.centre; })), {
          paddingTopLeft: [room, room + 12], paddingBottomRight: [room, room], maxZoom: 13.5
        });
      }
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
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!ours(event)) return;
    inFlight = event.detail.xhr;
    inFlight.dashboardFilters = chosen(); // what htmx has just read from the form
    busy(true);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "dashboard-results") return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.dashboardFilters !== undefined && xhr.dashboardFilters !== chosen()) {
      // The filters changed since it was asked: the request for them is queued behind it.
      event.detail.shouldSwap = false;
      return;
    }
    if (xhr) xhr.dashboardSwapped = event.detail.shouldSwap;
    if (!event.detail.shouldSwap) return;
    if (map) { map.remove(); map = null; }
    ReportingCharts.release(target);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event)) return;
    var xhr = event.detail.xhr;
    if (xhr === inFlight) inFlight = null;
    // Swapped in: busy until drawn (afterSettle). Dropped, refused or failed: nothing to draw;
    // a queued request, issued right after this, is busy again at once.
    if (!(xhr && xhr.dashboardSwapped)) busy(false);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "dashboard-results") return;
    drawAll();
    if (!inFlight) busy(false);
  });
  // htmx keeps a copy of the page for Back and Forward just before it swaps an answer in (the
  // charts and the map already released by beforeSwap above): a copy not busy, and without what
  // the charts and Leaflet left on their elements (inline styles the CSP would refuse when the
  // copy is put back, Leaflet's classes). Back or Forward to it draws them again.
  document.body.addEventListener("htmx:beforeHistorySave", function () {
    var element = results();
    if (!element) return;
    if (map) { map.remove(); map = null; }
    ReportingCharts.release(element);
    var parish = element.querySelector("#parish-map");
    if (parish) {
      parish.replaceChildren();
      parish.removeAttribute("style");
      parish.removeAttribute("tabindex");
      Array.prototype.slice.call(parish.classList).forEach(function (name) {
        if (name.indexOf("leaflet-") === 0) parish.classList.remove(name);
      });
    }
    busy(false);
  });
  // The copy's form shows the filters chosen when it was taken (the next ones, already), not
  // those of its figures: the address htmx kept with it names theirs.
  document.body.addEventListener("htmx:historyRestore", function () {
    inFlight = null;
    map = null; // its element left with the page htmx replaced
    var element = form();
    if (element) {
      var filters = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(element.elements, function (field) {
        if (field.name && field.tagName === "SELECT") field.value = filters.get(field.name) || "";
      });
    }
    drawAll();
  });
})();
